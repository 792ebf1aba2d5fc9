/** The driver never carries an inventory value, or a secret, as script text. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { DRIVER_SCRIPT, driverInvocation, type DriverTarget } from "../../src/collect/driver";

const hostile: DriverTarget = {
  host: "x'; Remove-Item C:\\ -Recurse; '",
  transport: "winrm",
  address: "$(Invoke-Expression 'calc')",
  port: 5986,
  useSsl: true,
  username: "CONTOSO\\auditor\"`$x",
  password: { env: "HOSTPROOF_WINRM_PASSWORD" },
  operationTimeoutSeconds: 120,
  probeTimeoutSeconds: 30,
};

test("an invocation is the constant driver plus two base64 arguments, whatever the target holds", () => {
  const text = driverInvocation(hostile, "Write-Output 'collector'");
  assert.ok(text.startsWith(DRIVER_SCRIPT));
  const tail = text.slice(DRIVER_SCRIPT.length);
  assert.match(tail, /^ -TargetB64 '[A-Za-z0-9+/=]+' -CollectorB64 '[A-Za-z0-9+/=]+'$/);
  for (const value of [hostile.host, hostile.address, "Remove-Item", "calc", "auditor"]) assert.ok(!text.includes(value), `'${value}' reached the script text`);
});

test("the target decodes back exactly, and names the secret's source, not the secret", () => {
  process.env.HOSTPROOF_WINRM_PASSWORD = "planted-secret-9f3a";
  const text = driverInvocation(hostile, "Write-Output 'collector'");
  const b64 = /-TargetB64 '([^']+)'/.exec(text)![1];
  const decoded = JSON.parse(Buffer.from(b64, "base64").toString("utf8")) as DriverTarget;
  assert.deepEqual(decoded, hostile);
  assert.ok(!text.includes("planted-secret-9f3a"));
  assert.ok(!Buffer.from(b64, "base64").toString("utf8").includes("planted-secret-9f3a"));
  delete process.env.HOSTPROOF_WINRM_PASSWORD;
});

test("the driver reads secrets itself (env or SecretManagement) and uses the transport's own cmdlets", () => {
  assert.match(DRIVER_SCRIPT, /GetEnvironmentVariable/);
  assert.match(DRIVER_SCRIPT, /Get-Secret -Vault/);
  assert.match(DRIVER_SCRIPT, /Invoke-Command @a/);
  assert.match(DRIVER_SCRIPT, /HostName = \[string\]\$t\.address/);
  assert.match(DRIVER_SCRIPT, /ComputerName = \[string\]\$t\.address/);
});
