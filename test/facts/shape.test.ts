// The shared readers behind every normaliser; cases that do not belong to one probe.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ProbeRecord } from "../../src/model/snapshot";
import { bool, integer, normaliseRecord, objectList, parsed, prop, singleObject, text, unwrapCollection } from "../../src/facts/shape";
import { problemOf, success } from "../helpers/records";

describe("shape helpers", () => {
  it("prop prefers an exact name and otherwise folds case", () => {
    assert.equal(prop({ domain: "a", Domain: "b" }, "Domain"), "b");
    assert.equal(prop({ DOMAIN: "a" }, "Domain"), "a");
    assert.equal(prop({ Domain: "a" }, "NV Domain"), undefined);
  });

  it("unwrapCollection only unwraps the exact 5.1 {value,Count} shape", () => {
    assert.deepEqual(unwrapCollection({ value: ["a"], Count: 1 }), ["a"]);
    assert.deepEqual(unwrapCollection({ value: ["a"], Name: "x" }), { value: ["a"], Name: "x" });
    assert.deepEqual(unwrapCollection({ value: "a", Count: 1 }), { value: "a", Count: 1 });
  });

  it("singleObject and objectList accept one object or an array", () => {
    assert.deepEqual(singleObject([{ a: 1 }]), parsed({ a: 1 }));
    assert.deepEqual(objectList({ a: 1 }), parsed([{ a: 1 }]));
    assert.deepEqual(objectList("  "), parsed([]));
    assert.deepEqual(objectList({ value: [{ a: 1 }, { a: 2 }], Count: 2 }), parsed([{ a: 1 }, { a: 2 }]));
  });

  it("coerces text, integers and booleans the way PowerShell output needs", () => {
    assert.deepEqual([text("  x "), text(" "), text(3), text(null), text({})], ["x", null, "3", null, null]);
    assert.deepEqual([integer(3), integer("4"), integer(2.5), integer("4x")], [3, 4, null, null]);
    assert.deepEqual([bool(true), bool("False"), bool(1), bool("yes")], [true, false, true, null]);
  });

  it("normaliseRecord turns a throwing parser and a record that is not an object into malformed facts", () => {
    const throwing = normaliseRecord("os", success({}), () => {
      throw new Error("boom");
    });
    assert.match(problemOf(throwing, "malformed"), /boom/);
    const notARecord = normaliseRecord("os", "garbage" as unknown as ProbeRecord, (o) => parsed(o));
    assert.match(problemOf(notARecord, "malformed"), /record is a string/);
  });

  it("keeps an unknown error kind readable as other", () => {
    const record = { command: "x", startedAt: "2025-01-01T00:00:00Z", error: { kind: "exploded", message: "" } } as unknown as ProbeRecord;
    assert.equal(problemOf(normaliseRecord("os", record, (o) => parsed(o)), "other"), "os failed (other)");
  });
});
