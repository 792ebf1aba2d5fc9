/**
 * The strict forms of what a feature may pass to a probe: registry keys and value names, service,
 * feature and group names, update IDs, CIM namespaces, classes, properties and key filters.
 *
 * Parameters travel to PowerShell as data, inside the collector's base64 argument, and are never
 * spliced into script text; these forms are the second wall. They are what Windows itself
 * accepts, narrowed to what a compliance check needs, so that a parameter carrying PowerShell
 * (quotes, `$(`, `;`, a backtick, a newline) is refused with the form expected, before anything
 * is contacted. Each check returns undefined when the value is acceptable, else why not and what
 * is expected, for an error naming the feature file and line.
 */

import { DASHES, DOUBLE_QUOTES, isPowerShellWhitespace, NEWLINES, SINGLE_QUOTES } from "../powershell/quote";

export type ParamKind =
  | "registryKey"
  | "registryValueName"
  | "serviceName"
  | "featureName"
  | "hotfixId"
  | "localGroup"
  | "cimNamespace"
  | "cimName"
  | "cimFilterValue";

export interface ParamProblem {
  problem: string;
  /** The form expected, in words, for the fix. */
  expected: string;
}

/** Hives a host compliance check reads: machine-wide and per-user-profile ones; HKCU is the collector's own account, never what is meant. */
export const REGISTRY_HIVES: Readonly<Record<string, string>> = {
  HKLM: "HKEY_LOCAL_MACHINE",
  HKEY_LOCAL_MACHINE: "HKEY_LOCAL_MACHINE",
  HKU: "HKEY_USERS",
  HKEY_USERS: "HKEY_USERS",
  HKCR: "HKEY_CLASSES_ROOT",
  HKEY_CLASSES_ROOT: "HKEY_CLASSES_ROOT",
};

/** Further characters that mean something to PowerShell or to a command line, and never to a name checked here. */
const SHELL_MEANING = /[`$;|&<>\u0000-\u001f\u007f-\u009f]/u;

const codePoint = (c: string): string => `U+${c.codePointAt(0)!.toString(16).padStart(4, "0").toUpperCase()}`;

/** A character as a message shows it: ASCII as itself, a control character or anything else by its code point. */
function shownChar(c: string): string {
  if (/[\u0000-\u001f\u007f-\u009f]/u.test(c)) return `control character ${codePoint(c)}`;
  return /[\u0021-\u007e]/.test(c) ? `'${c}'` : codePoint(c);
}

function shellProblem(value: string, allowed: string): string | undefined {
  const c = [...value].find((ch) => SHELL_MEANING.test(ch) && !allowed.includes(ch));
  if (c === undefined) return undefined;
  return `it contains ${shownChar(c)}, which no such name holds and PowerShell would read as code`;
}

/**
 * The one rule for every step argument, whatever its form: no character PowerShell's tokenizer
 * reads as a quote, a dash or white space (src/powershell/quote.ts), except the ASCII hyphen and
 * space, which names hold and each form allows or not. A typographic quote or an en dash reads as
 * text to a person and as `'` or `-` to PowerShell, and an odd space hides in a name.
 */
export function powerShellSyntaxProblem(value: string): string | undefined {
  for (const c of value) {
    if (c === "-" || c === " ") continue;
    const what = SINGLE_QUOTES.includes(c)
      ? "a single quote"
      : DOUBLE_QUOTES.includes(c)
        ? "a double quote"
        : DASHES.includes(c)
          ? "a dash"
          : isPowerShellWhitespace(c)
            ? "white space"
            : NEWLINES.includes(c)
              ? "a line break"
              : undefined;
    if (what !== undefined) return `it contains ${shownChar(c)}, which PowerShell reads as ${what}`;
  }
  return undefined;
}

interface Form {
  expected: string;
  max: number;
  pattern?: RegExp;
  check?: (v: string) => string | undefined;
  /** Characters of SHELL_MEANING that real names of this kind hold (`MSSQL$SQLEXPRESS`). */
  allowed?: string;
}

const FORMS: Readonly<Record<ParamKind, Form>> = {
  registryKey: {
    expected: "a key under HKLM, HKU or HKCR, e.g. HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services: key names of letters, digits, spaces and . _ - ( ) { } separated by single backslashes, each at most 255 characters",
    max: 1024,
    check: (v) => {
      const [hive, ...rest] = v.replace(/^(HK[A-Z_]+):?\\/, "$1\\").split("\\");
      if (hive === undefined || REGISTRY_HIVES[hive.toUpperCase()] === undefined) return `'${hive ?? ""}' is not a hive hostproof reads`;
      if (rest.length === 0 || rest.some((s) => s === "")) return "a key name is empty (two backslashes in a row, or one at the end)";
      const bad = rest.find((s) => !/^[A-Za-z0-9 ._\-(){}]{1,255}$/.test(s));
      return bad !== undefined ? `the key name '${bad}' has a character outside letters, digits, spaces and . _ - ( ) { }, or is longer than 255` : undefined;
    },
  },
  registryValueName: {
    expected: "a value name of letters, digits, spaces and . _ - * # @ ( ) / : (at most 255 characters), or (default)",
    max: 255,
    pattern: /^(?:\(default\)|[A-Za-z0-9 ._\-*#@()/:]+)$/,
  },
  serviceName: {
    expected: "a service's short name (as `sc.exe query` lists it, not its display name): letters, digits and . _ - $ (at most 256 characters)",
    max: 256,
    pattern: /^[A-Za-z0-9._\-$]+$/,
    allowed: "$",
  },
  featureName: {
    expected: "a Windows feature or optional feature name, e.g. PowerShell-V2 or MicrosoftWindowsPowerShellV2Root: letters, digits and . _ - (at most 128 characters)",
    max: 128,
    pattern: /^[A-Za-z0-9._\-]+$/,
  },
  hotfixId: {
    expected: "an update ID, KB followed by 6 to 8 digits, e.g. KB5044281",
    max: 10,
    pattern: /^KB\d{6,8}$/i,
  },
  localGroup: {
    expected: "a well-known or local SID (S-1-5-32-544) or a local group name, which Windows forbids to hold \" / \\ [ ] : ; | = , + * ? < > @ (at most 256 characters)",
    max: 256,
    check: (v) => (/^S-1-\d+(-\d+){1,14}$/.test(v) || /^[^"/\\[\]:;|=,+*?<>@]+$/.test(v) ? undefined : "it is neither a SID nor a name Windows allows"),
  },
  cimNamespace: {
    expected: "a CIM namespace under root, e.g. root\\cimv2 or root\\Microsoft\\Windows\\DeviceGuard: names of letters, digits and _ separated by single backslashes",
    max: 256,
    pattern: /^root(\\[A-Za-z0-9_]+)*$/i,
  },
  cimName: {
    expected: "a CIM class or property name, e.g. Win32_Service or StartMode: a letter or _ first, then letters, digits and _ (at most 256 characters)",
    max: 256,
    pattern: /^[A-Za-z_][A-Za-z0-9_]*$/,
  },
  cimFilterValue: {
    expected: "a key value of letters, digits, spaces and . _ - : \\ / ( ) (at most 256 characters), compared for equality",
    max: 256,
    pattern: /^[A-Za-z0-9 ._\-:\\/()]+$/,
  },
};

/** Undefined when `value` has the strict form of `kind`, else why not and what is expected. */
export function checkParam(kind: ParamKind, value: string): ParamProblem | undefined {
  const form = FORMS[kind];
  const fail = (problem: string): ParamProblem => ({ problem, expected: form.expected });
  if (value.length === 0) return fail("it is empty");
  if (value !== value.trim()) return fail("it starts or ends with white space");
  const syntax = powerShellSyntaxProblem(value);
  if (syntax !== undefined) return fail(syntax);
  const shell = shellProblem(value, form.allowed ?? "");
  if (shell !== undefined) return fail(shell);
  if ([...value].length > form.max) return fail(`it is ${[...value].length} characters long, more than ${form.max}`);
  if (form.pattern !== undefined && !form.pattern.test(value)) return fail("it has a character outside the form");
  const other = form.check?.(value);
  return other !== undefined ? fail(other) : undefined;
}

/**
 * A registry key as the probe reads it, in PowerShell's provider form: `HKLM:\SOFTWARE\…`. The
 * key must have passed checkParam("registryKey").
 */
export function registryProviderPath(key: string): string {
  const [hive, ...rest] = key.replace(/^(HK[A-Z_]+):?\\/i, "$1\\").split("\\");
  const full = REGISTRY_HIVES[hive!.toUpperCase()]!;
  // The Registry provider's drives exist for HKLM and HKCU only; the others go through the
  // provider's own path, which Windows PowerShell 5.1 and PowerShell 7 both accept.
  return full === "HKEY_LOCAL_MACHINE" ? `HKLM:\\${rest.join("\\")}` : `Registry::${full}\\${rest.join("\\")}`;
}
