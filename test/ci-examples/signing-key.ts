/**
 * Throwaway Ed25519 keys for the emulated CI runs, made by the real openssl as the examples'
 * header says to make them, handed over as each service's secret store hands them over, and every
 * form their private half could leak in, to search the runs for.
 */
import { spawnSync } from "node:child_process";
import { createPrivateKey } from "node:crypto";
import { lstatSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

export interface ThrowawayKey {
  /** The PKCS#8 PEM, as `openssl genpkey -algorithm ed25519` wrote it: what a GitHub secret holds. */
  privatePem: string;
  /** The SPKI PEM, as `openssl pkey -pubout` wrote it: what the team commits for verifiers. */
  publicPem: string;
  /** The key on one line, its line breaks written as \n: what an Azure secret variable holds. */
  oneLine: string;
  /** Byte strings only the private half holds: halves of its PEM body's seed, the seed itself in hex, base64, base64url and raw. */
  traces: Buffer[];
  file: string;
}

function openssl(args: string[]): string {
  const res = spawnSync("openssl", args, { encoding: "utf8" });
  if (res.status !== 0) throw new Error(`openssl ${args.join(" ")} exited ${res.status}: ${res.stderr}`);
  return res.stdout;
}

export function makeKey(dir: string, name: string): ThrowawayKey {
  const file = join(dir, `${name}.key`);
  openssl(["genpkey", "-algorithm", "ed25519", "-out", file]);
  const privatePem = readFileSync(file, "utf8");
  const publicPem = openssl(["pkey", "-in", file, "-pubout"]);
  const der = createPrivateKey(privatePem).export({ format: "der", type: "pkcs8" });
  const seed = der.subarray(der.length - 32);
  // PKCS#8 of Ed25519 is 48 bytes: a fixed 16-byte head, then the seed. Its base64 from the 24th
  // character on (bytes 18 to 47) is seed alone, common to no other key.
  const body = privatePem.split("\n").filter((l) => l !== "" && !l.startsWith("-----")).join("");
  if (der.length !== 48 || body.length !== 64) throw new Error(`not the PKCS#8 Ed25519 key openssl writes: ${der.length} bytes`);
  const hex = seed.toString("hex");
  const traces = [body.slice(24, 44), body.slice(44), hex.slice(0, 32), hex.slice(32), seed.toString("base64"), seed.toString("base64url")].map((t) => Buffer.from(t));
  traces.push(Buffer.from(seed));
  const oneLine = privatePem.split("\n").filter((l) => l !== "").map((l) => `${l}\\n`).join("");
  return { privatePem, publicPem, oneLine, traces, file };
}

/**
 * Where any trace of `key` is: every file under `dir` (links not followed: a workspace links to
 * this tree's node_modules), and each named text (step output, job summaries).
 */
export function findTraces(key: ThrowawayKey, dir: string, texts: Record<string, string>): string[] {
  const found: string[] = [];
  const check = (where: string, bytes: Buffer): void => {
    key.traces.forEach((t, i) => bytes.includes(t) && found.push(`${where} (trace ${i})`));
  };
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      const st = lstatSync(path);
      if (st.isDirectory()) walk(path);
      else if (st.isFile()) check(path, readFileSync(path));
    }
  };
  walk(dir);
  for (const [where, text] of Object.entries(texts)) check(where, Buffer.from(text));
  return found;
}
