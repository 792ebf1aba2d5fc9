import type { Fact, OsFact } from "../model/facts";
import type { JsonObject } from "../model/json";
import type { ProbeRecord } from "../model/snapshot";
import { normaliseRecord, optionalIntegerIn, parsed, prop, requiredText, singleObject, text, UINT32, VERSION_PART, wrong, type Parsed } from "./shape";

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
  // 1 workstation, 2 domain controller, 3 server: nothing else exists.
  const productType = optionalIntegerIn(obj, "ProductType", { min: 1, max: 3, what: "the product types 1, 2 and 3" });
  if (!productType.ok) return productType;
  // Absent from snapshots taken before the probe read it: null, and the editions that need it are undetermined.
  const sku = optionalIntegerIn(obj, "OperatingSystemSKU", UINT32);
  if (!sku.ok) return sku;
  const buildNumber = optionalIntegerIn(obj, "BuildNumber", VERSION_PART);
  if (!buildNumber.ok) return buildNumber;
  const parts = parseVersion(version.value, buildNumber.value);
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
    ...csName(obj),
  });
}

/** Only where the command projected it (the catalog's does not): absent stays absent. */
function csName(obj: JsonObject): { csName?: string } {
  const name = text(prop(obj, "CSName"));
  return name !== null ? { csName: name } : {};
}

/**
 * "a.b.c" (a fourth part is tolerated); BuildNumber stands in when Version carries no build. Each
 * part must be a version number (0 to 65535), and where both name the build they must agree: one
 * object saying two builds is no build at all.
 */
function parseVersion(version: string, buildNumber: number | null): Parsed<{ major: number; minor: number; build: number }> {
  const match = /^(\d{1,5})\.(\d{1,5})(?:\.(\d{1,5}))?(?:\.\d{1,5})?$/.exec(version);
  const parts = match?.slice(1, 4).filter((p): p is string => p !== undefined).map(Number);
  if (match === null || parts === undefined || parts.some((n) => n > VERSION_PART.max)) return wrong(`property Version is not a.b.c of version numbers: ${JSON.stringify(version)}`);
  const versionBuild = match[3] !== undefined ? Number(match[3]) : null;
  if (versionBuild !== null && buildNumber !== null && versionBuild !== buildNumber) {
    return wrong(`property Version ${JSON.stringify(version)} names build ${versionBuild}, but BuildNumber is ${buildNumber}: the two contradict each other`);
  }
  const build = versionBuild ?? buildNumber;
  if (build === null) return wrong(`property Version ${JSON.stringify(version)} has no build and BuildNumber is missing`);
  return parsed({ major: Number(match[1]), minor: Number(match[2]), build });
}
