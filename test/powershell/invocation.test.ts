/** The line sent to pwsh for a script, and quoting values into scripts. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { encodeInvocation } from "../../src/powershell/invocation";
import { psQuote } from "../../src/powershell/quote";

test("a script of any shape becomes one line that carries it base64-encoded", () => {
  const script = "if ($true) {\n  'a'\n}\r\n@'\nhere\n'@\n# token: s3cr3t";
  const line = encodeInvocation(script);
  assert.doesNotMatch(line, /[\r\n]/);
  assert.ok(!line.includes("s3cr3t"), "the script is not plain text on the wire (base64 only hides it from a casual look)");
  const base64 = /FromBase64String\('([A-Za-z0-9+/=]+)'\)/.exec(line)?.[1];
  assert.equal(Buffer.from(base64 ?? "", "base64").toString("utf8"), script);
});

test("warning, verbose, debug and information records are routed to stderr", () => {
  const line = encodeInvocation("'x'");
  assert.match(line, / 3>&1 4>&1 5>&1 6>&1 \| ForEach-Object \{/);
  for (const record of ["WarningRecord", "VerboseRecord", "DebugRecord", "InformationRecord"]) {
    assert.match(line, new RegExp(`\\$_ -is \\[System\\.Management\\.Automation\\.${record}\\]\\) \\{ \\[Console\\]::Error\\.WriteLine\\(`));
  }
  assert.match(line, /\} else \{ \$_ \} \}$/, "everything else passes through to stdout");
});

test("psQuote makes a single-quoted literal: quotes doubled, nothing else touched", () => {
  assert.equal(psQuote("plain"), "'plain'");
  assert.equal(psQuote(""), "''");
  assert.equal(psQuote("it's"), "'it''s'");
  assert.equal(psQuote("$(Remove-Item C:\\) $env:X `n \""), "'$(Remove-Item C:\\) $env:X `n \"'");
  // PowerShell also ends single-quoted strings at these typographic quotes.
  assert.equal(psQuote("\u2018a\u2019 \u201Ab\u201B"), "'\u2018\u2018a\u2019\u2019 \u201A\u201Ab\u201B\u201B'");
});
