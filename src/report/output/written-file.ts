/** The SHA-256 and size of a file a library wrote (exceljs, pdfkit), for the manifest. */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import type { Written } from "./stream-file";

/**
 * What the manifest records of a file another library wrote, read back in chunks. (Not
 * evidence/manifest.ts's hashFile: that module reads the format registry, which lists this one.)
 */
export async function writtenFile(file: string): Promise<Written> {
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: hash.digest("hex"), bytes };
}
