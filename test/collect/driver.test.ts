/** The driver never carries an inventory value, or a secret, as script text. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { DRIVER_BODY, encodeTarget, type DriverTarget } from "../../src/collect/driver";

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

test("a target reaches the driver as base64 only, whatever it holds; the driver's text is constant", () => {
  const arg = encodeTarget(hostile);
  assert.match(arg, /^[A-Za-z0-9+/=]+$/);
  for (const value of [hostile.host, hostile.address, "Remove-Item", "calc", "auditor"]) {
    assert.ok(!arg.includes(value) && !DRIVER_BODY.includes(value), `'${value}' reached script text`);
  }
  assert.match(DRIVER_BODY, /param\(\[string\]\$TargetB64, \[string\]\$CollectorB64\)/);
});

test("the target decodes back exactly, and names the secret's source, not the secret", () => {
  process.env.HOSTPROOF_WINRM_PASSWORD = "planted-secret-9f3a";
  const decoded = JSON.parse(Buffer.from(encodeTarget(hostile), "base64").toString("utf8")) as DriverTarget;
  assert.deepEqual(decoded, hostile);
  assert.ok(!Buffer.from(encodeTarget(hostile), "base64").toString("utf8").includes("planted-secret-9f3a"));
  delete process.env.HOSTPROOF_WINRM_PASSWORD;
});

test("the driver reads secrets itself (env or SecretManagement) and uses the transport's own cmdlets", () => {
  assert.match(DRIVER_BODY, /GetEnvironmentVariable/);
  assert.match(DRIVER_BODY, /Get-Secret -Vault/);
  assert.match(DRIVER_BODY, /Invoke-Command @a/);
  assert.match(DRIVER_BODY, /HostName = \[string\]\$t\.address/);
  assert.match(DRIVER_BODY, /ComputerName = \[string\]\$t\.address/);
});
