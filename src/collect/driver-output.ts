/**
 * Splits what one driver invocation printed into the collector's document and everything else.
 *
 * stdout holds, in order: lines ssh wrote itself (its failures bypass PowerShell), the collector's
 * one-line document when the host was read, and the driver's own error line (DRIVER_ERROR_PREFIX
 * + JSON) when anything failed. A document wins: errors beside it (a remote warning turned error
 * record) do not cost the host. Without one, the host failed, and the message keeps ssh's words
 * first, then PowerShell's, so that the classifier and the reader see the whole story.
 */
import { DRIVER_ERROR_PREFIX } from "./driver";
import { classifyHostFailure, HostReadError, trimMessage } from "./host-failure";

/** The collector's output (for parseCollectorOutput), or throws the host's failure. */
export function collectorOutputOf(stdout: string, stderr: string): string {
  const lines = stdout.replace(/^\uFEFF/, "").split(/\r?\n/);
  const driverErrors: string[] = [];
  const rest: string[] = [];
  for (const line of lines) {
    if (line.startsWith(DRIVER_ERROR_PREFIX)) driverErrors.push(...driverErrorMessages(line.slice(DRIVER_ERROR_PREFIX.length)));
    else if (line.trim() !== "") rest.push(line.trim());
  }
  const last = rest[rest.length - 1];
  if (last !== undefined && last.startsWith("{")) return rest.join("\n");
  const message = trimMessage([...rest, ...driverErrors, stderr].join("\n"));
  if (message === "") throw new HostReadError("collector-output", "the collector printed nothing");
  const { reason } = classifyHostFailure(message);
  // Lines that are neither ssh's nor PowerShell's errors: a different script ran, or a profile
  // printed over it; no fact from it can be trusted.
  if (reason === "other" && driverErrors.length === 0 && stderr.trim() === "") {
    throw new HostReadError("collector-output", `the collector's document is missing; it printed: ${message}`);
  }
  throw new HostReadError(reason, message);
}

function driverErrorMessages(json: string): string[] {
  try {
    const parsed: unknown = JSON.parse(json);
    const list = Array.isArray(parsed) ? parsed : [parsed];
    // An entry with no words says nothing (an empty error record beside the real one).
    return list.map((e) => (typeof e === "object" && e !== null && "message" in e ? String(e.message) : String(e))).filter((m) => m.trim() !== "");
  } catch {
    return [json];
  }
}
