/**
 * The file a host's snapshot is written to, in a report's evidence/snapshots/ and in collect's
 * snapshots/. A valid host name can be a 253-character FQDN (longer than the 255-byte file name
 * limit once ".json" and a staging path are added on some systems) or a Windows device name
 * (`con`, `aux`, `lpt1`), which Windows cannot create as a file. Ordinary names keep the name
 * they always had (`<host>.json`), so existing reports read the same. The others get a readable
 * prefix and a hash of the lower-cased name joined by `_`, a character no host name may hold: such
 * a name can never equal an ordinary one, and names that differ only in case (the same host)
 * give the same file. Windows takes a device name followed by any extension as the device
 * (`lpt1.corp.json` is LPT1), so a device name's prefix has its first dot turned into `_` too.
 */
import { createHash } from "node:crypto";

/** Ordinary names up to this length keep `<host>.json`. */
const MAX_PLAIN = 200;
const PREFIX = 100;
const WINDOWS_DEVICES = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

export function hostFileName(host: string): string {
  const firstLabel = host.split(".")[0] ?? host;
  if (host.length <= MAX_PLAIN && !WINDOWS_DEVICES.test(firstLabel)) return `${host}.json`;
  const hash = createHash("sha256").update(host.toLowerCase()).digest("hex").slice(0, 16);
  const prefix = WINDOWS_DEVICES.test(firstLabel) ? host.slice(0, PREFIX).replace(".", "_") : host.slice(0, PREFIX);
  return `${prefix}_${hash}.json`;
}
