import type { Fact, WindowsVersionFact } from "../model/facts";
import type { ProbeRecord } from "../model/snapshot";
import { normaliseRecord, optionalDword, optionalIntegerIn, parsed, prop, singleObject, text, VERSION_PART } from "./shape";

/**
 * The CurrentVersion key's installation type and revision. Every value may be missing (older
 * Windows lacks DisplayVersion; Server 2008 R2 lacks UBR): missing is null, never a guess. A
 * CurrentBuild (REG_SZ) that is not a build number, or a UBR (REG_DWORD) that no DWORD can hold,
 * is malformed.
 */
export function normaliseWindowsVersion(record: ProbeRecord | undefined): Fact<WindowsVersionFact> {
  return normaliseRecord("windowsVersion", record, (output) => {
    const obj = singleObject(output);
    if (!obj.ok) return obj;
    const build = optionalIntegerIn(obj.value, "CurrentBuild", VERSION_PART);
    if (!build.ok) return build;
    const ubr = optionalDword(obj.value, "UBR");
    if (!ubr.ok) return ubr;
    return parsed({
      installationType: text(prop(obj.value, "InstallationType")),
      editionId: text(prop(obj.value, "EditionID")),
      currentBuild: build.value,
      ubr: ubr.value,
      displayVersion: text(prop(obj.value, "DisplayVersion")),
    });
  });
}
