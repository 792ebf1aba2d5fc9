/**
 * Issue 18, class 2, the instances kept aside: a snapshot that lies about a value's type or about
 * what a record is of. A REG_SZ "1" where a DWORD policy is read, a number under a registry Kind
 * that holds no numbers, a record answering for another feature than its id, and a node whose
 * quorum is another cluster's: each gave a pass (exit 0) through the real CLI; none may.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { AS_OF, editJson, goodEstate, readJson, runCli, tempDir } from "./cli";

interface Result {
  controlId: string;
  target: { kind: "host" | "cluster"; name: string };
  status: string;
  reason?: { kind: string; message: string };
}
type Probes = Record<string, { output?: unknown; error?: unknown; command: string; startedAt: string }>;

async function judged(inventory: string, tags: string): Promise<{ code: number; results: Result[] }> {
  const out = join(tempDir(), "out");
  const res = await runCli(["run", "-i", inventory, "-o", out, "--as-of", AS_OF, "--no-html", "--tags", tags]);
  assert.ok([0, 1, 2].includes(res.code), `exit ${res.code}\n${res.stderr}`);
  return { code: res.code, results: readJson<{ results: Result[] }>(join(out, "summary.json")).results };
}

/** Runs `tags` on an intact estate (which must pass: the lie is what changes the verdict), then with `lie` told on n1 (and `onN2` on n2). */
async function lied(tags: string, lie: (probes: Probes) => void, onN2?: (probes: Probes) => void): Promise<{ code: number; results: Result[] }> {
  const { dir, inventory } = goodEstate();
  const honest = await judged(inventory, tags);
  assert.equal(honest.code, 0, `the honest estate passes ${tags}: ${JSON.stringify(honest.results.filter((r) => r.status !== "passed" && r.status !== "notApplicable"))}`);
  editJson(join(dir, "snapshots", "n1.json"), (v) => lie(v.probes as Probes));
  if (onN2 !== undefined) editJson(join(dir, "snapshots", "n2.json"), (v) => onN2(v.probes as Probes));
  return judged(inventory, tags);
}

const denied = (p: Probes, id: string): void => {
  p[id] = { command: p[id]!.command, startedAt: p[id]!.startedAt, error: { kind: "access-denied", message: "Access is denied." } };
};

function malformedOn(results: Result[], id: string, target: string, message: RegExp): void {
  const r = results.find((x) => x.controlId === id && x.target.name === target);
  assert.equal(r?.status, "undetermined", JSON.stringify(r));
  assert.match(r?.reason?.message ?? "", message);
}

test("LocalAccountTokenFilterPolicy as the text \"1\" (a REG_SZ, which Windows does not read as the policy) does not pass HP-CLU-005", async () => {
  const { code, results } = await lied("@HP-CLU-005", (p) => ((p.uacPolicy!.output as Record<string, unknown>).LocalAccountTokenFilterPolicy = "1"));
  assert.equal(code, 2);
  malformedOn(results, "HP-CLU-005", "n1", /LocalAccountTokenFilterPolicy is the text "1", not a REG_DWORD/);
});

test("a registry number under a Kind that holds none (String, or no Kind) does not pass HP-WU-001", async () => {
  for (const kind of ["String", undefined]) {
    const { code, results } = await lied("@HP-WU-001", (p) => {
      const id = Object.keys(p).find((k) => k.toLowerCase() === "registry:hklm\\software\\policies\\microsoft\\windows\\windowsupdate")!;
      const rows = p[id]!.output as Record<string, unknown>[];
      for (const row of rows) if (kind === undefined) delete row.Kind;
      else row.Kind = kind;
    });
    assert.equal(code, 2, String(kind));
    malformedOn(results, "HP-WU-001", "n1", kind === undefined ? /has no Kind/ : /its Kind is String, but its data is a number/);
  }
});

test("a Windows feature record that answers for another feature (Telnet-Client under PowerShell-V2's id) does not pass HP-PS2-001", async () => {
  const { code, results } = await lied("@HP-PS2-001", (p) => {
    const id = Object.keys(p).find((k) => k.startsWith("windowsFeature:PowerShell-V2"))!;
    p[id]!.output = { Name: "Telnet-Client", DisplayName: "Telnet Client", Installed: false, InstallState: 0 };
  });
  assert.equal(code, 2);
  malformedOn(results, "HP-PS2-001", "n1", /Name "Telnet-Client", but the record reads the Windows feature "PowerShell-V2"/);
});

test("a node whose quorum is another cluster's gives no quorum for its own (HP-CLU-007), even where Get-Cluster could not be read", async () => {
  const { code, results } = await lied(
    "@HP-CLU-007",
    (p) => {
      (p.clusterQuorum!.output as Record<string, unknown>).Cluster = "otherclus";
      denied(p, "cluster");
    },
    (p) => denied(p, "clusterQuorum"),
  );
  assert.equal(code, 2);
  const r = results.find((x) => x.controlId === "HP-CLU-007")!;
  assert.equal(r.status, "undetermined", "the only quorum read is another cluster's");
});

test("a cluster account's Enabled that is no boolean (\"no\") is not read as enabled: HP-CLU-003 does not pass", async () => {
  const { code, results } = await lied("@HP-CLU-003", (p) => {
    for (const u of p.localUsers!.output as Record<string, unknown>[]) if (u.Name === "clusadmin") u.Enabled = "no";
  });
  assert.equal(code, 2);
  const r = results.find((x) => x.controlId === "HP-CLU-003")!;
  assert.equal(r.status, "undetermined");
  assert.match(r.reason?.message ?? "", /user clusadmin: property Enabled is "no", not a boolean/);
});
