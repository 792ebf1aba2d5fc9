import type { Fact, OsFact } from "../model/facts";
import type { JsonObject } from "../model/json";
import type { ProbeRecord } from "../model/snapshot";
import { integer, normaliseRecord, optionalInteger, parsed, prop, requiredText, singleObject, text, wrong, type Parsed } from "./shape";

/** Win32_OperatingSystem. Judges decide on major/minor/build, never on Caption or architecture (localised). */
export function normaliseOs(record: ProbeRecord | undefined): Fact<OsFact> {
  return normaliseRecord("os", record, (output) => {
    const obj = singleObject(output);
    return obj.ok ? readOs(obj.value) : obj;
  });
}

function readOs(obj: JsonObject): Parsed<OsFact> {
  const version = requiredText(obj, "Version");
  if (!version.ok) return version;
  const productType = optionalInteger(obj, "ProductType");
  if (!productType.ok) return productType;
  // Absent from snapshots taken before the probe read it: null, and the editions that need it are undetermined.
  const sku = optionalInteger(obj, "OperatingSystemSKU");
  if (!sku.ok) return sku;
  const parts = parseVersion(version.value, integer(prop(obj, "BuildNumber")));
  if (!parts.ok) return parts;
  return parsed({
    // Display text only; a missing caption must not hide an otherwise readable version.
    caption: text(prop(obj, "Caption")) ?? "",
    version: version.value,
    ...parts.value,
    productType: productType.value,
    sku: sku.value,
    // Absent on Server 2003 and localised elsewhere ("64 ビット"): kept as reported, or null.
    architecture: text(prop(obj, "OSArchitecture")),
  });
}

/** "a.b.c" (a fourth part is tolerated); BuildNumber stands in when Version carries no build. */
function parseVersion(version: string, buildNumber: number | null): Parsed<{ major: number; minor: number; build: number }> {
  const match = /^(\d+)\.(\d+)(?:\.(\d+))?(?:\.\d+)?$/.exec(version);
  if (match === null) return wrong(`property Version is not a.b.c: ${JSON.stringify(version)}`);
  const build = match[3] !== undefined ? Number(match[3]) : buildNumber;
  if (build === null) return wrong(`property Version ${JSON.stringify(version)} has no build and BuildNumber is missing`);
  return parsed({ major: Number(match[1]), minor: Number(match[2]), build });
}
