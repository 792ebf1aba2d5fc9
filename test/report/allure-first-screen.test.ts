/**
 * The pieces that make the Allure report's first screen say hostproof's truth, one by one: the
 * outcome words, the ISO dates, the Categories regrouped (also when the entry straddles the copy's
 * chunks of a large report), and the verdict block's facts and script.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { patchStatusWords, SHOWN_STATUS, OUTCOME_WORD } from "../../src/report/formats/allure/allure-status-words";
import { ALLURE_STATUS } from "../../src/report/formats/allure/allure-results";
import { patchDates } from "../../src/report/formats/allure/allure-ui-dates";
import { regroupCategories, type TreeNode } from "../../src/report/formats/allure/allure-categories-tree";
import { allurePageFacts, scriptJson, verdictScript, type AllurePageFacts } from "../../src/report/formats/allure/allure-verdict-widget";
import { patchAllureUi } from "../../src/report/formats/allure/allure-ui-patch";
import type { RunDigest } from "../../src/report/bookkeeping/digest";
import { scratch } from "./tmp";

const STATUS_EN = "status:{broken:`Broken`,failed:`Failed`,passed:`Passed`,skipped:`Skipped`,unknown:`Unknown`}";
const STATUS_DE = "status:{broken:`Defekt`,failed:`Fehlgeschlagen`,passed:`Erfolgreich`,skipped:`Übersprungen`,unknown:`Unbekannt`}";
const MARKS = "marks:{flaky:`Flaky`,newBroken:`New broken`,newFailed:`New failed`,newPassed:`New passed`,retriesStatusChange:`x`}";
const DATE_FN = "function op(e,t={}){if(!e)return`unknown`;let n=e instanceof Date?e:new Date(e);return Number.isNaN(n.valueOf())?`unknown`:new Intl.DateTimeFormat(bt.language,t).format(n)}";
const TIME_FN = "function pp(e,t=!1){if(!e)return`unknown`;let n=e instanceof Date?e:new Date(e);return[n.getHours(),cp(n.getMinutes(),2,`0`),cp(n.getSeconds(),2,`0`)+(t?`.${n.getMilliseconds()}`:``)].join(`:`)}";

test("each of hostproof's five outcomes has its own Allure status and is shown as its own word", () => {
  assert.equal(new Set(Object.values(ALLURE_STATUS)).size, 5, "one to one");
  for (const [outcome, word] of Object.entries(OUTCOME_WORD)) assert.equal(SHOWN_STATUS[ALLURE_STATUS[outcome as keyof typeof ALLURE_STATUS]], word);
});

test("every UI language's status words and marks become hostproof's words", () => {
  const { js, counts } = patchStatusWords(`var a={${STATUS_EN},${MARKS}};var b={${STATUS_DE}};`);
  assert.deepEqual(counts, { statuses: 2, marks: 1 });
  assert.equal(js.split("status:{broken:`Undetermined`,failed:`Failed`,passed:`Passed`,skipped:`Not applicable`,unknown:`Waived`}").length, 3);
  assert.match(js, /newBroken:`New undetermined`,newFailed:`New failed`,newPassed:`New passed`/);
  const words = [...js.matchAll(/:`([^`]*)`/g)].map((m) => m[1]!);
  assert.deepEqual(words.filter((w) => /broken|skipped|defekt|übersprungen|unbekannt/i.test(w)), []);
});

test("dates and times are ISO 8601 in UTC, the zone written", () => {
  const { js, counts } = patchDates(`${DATE_FN}\n${TIME_FN}`);
  assert.deepEqual(counts, { date: 1, time: 1 });
  const [op, pp] = new Function(`${js}; return [op, pp];`)() as [(e: unknown) => string, (e: unknown, ms?: boolean) => string];
  const at = Date.parse("2026-11-20T09:00:20.327Z");
  assert.equal(op(at), "2026-11-20");
  assert.equal(pp(at), "09:00:20Z");
  assert.equal(pp(at, true), "09:00:20.327Z");
  assert.equal(op(undefined), "unknown");
  assert.equal(op("not a date"), "unknown");
});

const NAMES: AllurePageFacts["categories"] = {
  controls: { "HP-EOS-001": "HP-EOS-001 (critical): No host runs Windows Server 2003", "HP-NIC-001": "HP-NIC-001 (high): Hardware offloads…" },
  waivers: { "waiver #1": "W-1: HP-CLU-004 on cluster a", "waiver #2": "W-2: HP-CLU-004 on cluster b" },
  rank: { "HP-EOS-001": 0, "HP-NIC-001": 1 },
};

function leaf(name: string, tags: string[] = []): TreeNode {
  return { name, uid: name, parentUid: "m", status: "failed", tags };
}

function allureTree(): TreeNode {
  // As Allure 2 makes it: category → one group per status message → results.
  const byMessage = (uid: string, leaves: TreeNode[]): TreeNode[] => leaves.map((l, i) => ({ name: `Expected: … Actual: ${i}`, uid: `${uid}${i}`, children: [l] }));
  return {
    uid: "root",
    name: "categories",
    children: [
      { name: "Non-compliant", uid: "nc", children: byMessage("nc", [leaf("HP-NIC-001 on h1: Hardware"), leaf("HP-EOS-001 on h2: No host"), leaf("HP-NIC-001 on h3: Hardware")]) },
      { name: "Waived", uid: "w", children: byMessage("w", [leaf("HP-CLU-004 on cluster b: x", ["waived", "waiver #2"]), leaf("HP-CLU-004 on cluster a: x", ["waived", "waiver #1"])]) },
      { name: "Undetermined: access denied", uid: "ad", children: byMessage("ad", [leaf("HP-NIC-001 on h4: Hardware")]) },
    ],
  };
}

test("Categories: non-compliant by control (most severe first), waived by waiver, undetermined results right under their reason", () => {
  const tree = regroupCategories(allureTree(), NAMES);
  const shape = (n: TreeNode): unknown => (n.children === undefined ? n.name : { [n.name]: n.children.map(shape) });
  assert.deepEqual(shape(tree), {
    categories: [
      { "Non-compliant": [{ "HP-EOS-001 (critical): No host runs Windows Server 2003": ["HP-EOS-001 on h2: No host"] }, { "HP-NIC-001 (high): Hardware offloads…": ["HP-NIC-001 on h1: Hardware", "HP-NIC-001 on h3: Hardware"] }] },
      { Waived: [{ "W-1: HP-CLU-004 on cluster a": ["HP-CLU-004 on cluster a: x"] }, { "W-2: HP-CLU-004 on cluster b": ["HP-CLU-004 on cluster b: x"] }] },
      { "Undetermined: access denied": ["HP-NIC-001 on h4: Hardware"] },
    ],
  });
  // Each result points at the group it now sits in.
  for (const category of tree.children!) {
    for (const child of category.children!) {
      if (child.children === undefined) assert.equal(child.parentUid, category.uid);
      else for (const l of child.children) assert.equal(l.parentUid, child.uid);
    }
  }
});

test("the Categories entry is regrouped wherever it falls in a large report, the rest copied byte for byte", (t) => {
  const dir = scratch(t);
  const file = join(dir, "index.html");
  const js = `${STATUS_EN}\n${MARKS}\nvar s={severity:{name:\`S\`,blocker:\`b\`,critical:\`c\`,normal:\`n\`,minor:\`m\`,trivial:\`t\`}};this.makeBottomAxis({tickFormat:e=>e.toLowerCase(),scale:this.x});W(\`b\`,{text:\`\${t.toLowerCase()} test cases\`});\n${DATE_FN}\n${TIME_FN}`;
  const head = `<!DOCTYPE html><html><head><script src="data:text/javascript; charset=utf-8;base64,${Buffer.from(js).toString("base64")}"></script></head><body><script>`;
  const categories = Buffer.from(JSON.stringify(allureTree())).toString("base64");
  // The copy starts at the data (right after `<script>`); the entry's name straddles its first
  // 8 MiB chunk: the copy must still find it.
  const before = `d('data/a.json','${"A".repeat(8 * 1024 * 1024 - 30)}'),`;
  assert.ok(before.length < 8 * 1024 * 1024 && before.length + "d('data/categories.json','".length > 8 * 1024 * 1024);
  const after = `d('data/b.json','${"B".repeat(1024)}')</script></body></html>`;
  writeFileSync(file, `${head}${before}d('data/categories.json','${categories}'),${after}`);
  const outcome = patchAllureUi(file, { verdict: allurePageFacts(digest()).verdict, categories: NAMES });
  assert.equal(outcome.ok, true, JSON.stringify(outcome));
  const html = readFileSync(file, "latin1");
  assert.ok(html.includes(before) && html.endsWith(after), "the data around the entry is unchanged");
  const entry = /d\('data\/categories\.json','([^']*)'\)/.exec(html);
  assert.ok(entry);
  const tree = JSON.parse(Buffer.from(entry[1]!, "base64").toString("utf8")) as TreeNode;
  assert.deepEqual(tree, regroupCategories(allureTree(), NAMES));
});

function digest(): RunDigest {
  const controls = [
    { id: "HP-EOS-001", title: "No host runs Windows Server 2003", severity: "critical" },
    { id: "HP-NIC-001", title: "Hardware </script><img src=x>", severity: "high" },
  ];
  return {
    verdict: "non-compliant",
    exitCode: 1,
    failOn: "any",
    asOf: "2026-11-22",
    totals: { passed: 5, failed: 3, undetermined: 1, notApplicable: 2, waived: 1, total: 12 },
    controls,
    perControl: [
      { id: "HP-EOS-001", title: "", counts: { passed: 0, failed: 1, undetermined: 0, notApplicable: 0, waived: 0, total: 1 } },
      { id: "HP-NIC-001", title: "", counts: { passed: 0, failed: 2, undetermined: 1, notApplicable: 0, waived: 1, total: 4 } },
    ],
    waivers: {
      file: "w.yaml",
      warnDays: 14,
      notices: [],
      waivers: [
        { id: "W-1</script>", controlId: "HP-NIC-001", scope: { host: "h1" }, justification: "j", approver: "A <b>", reference: "R", expires: "2027-01-01" },
        { controlId: "HP-NIC-001", scope: "all", justification: "j", approver: "B", reference: "R", expires: "2027-01-01" },
      ],
    },
    waived: new Map([[0, { failed: 1, undetermined: 0 }]]),
  } as unknown as RunDigest;
}

test("the verdict block's facts are the run's: verdict, exit code, as-of day, outcomes, failures by severity, waivers applied", () => {
  const { verdict, categories } = allurePageFacts(digest());
  assert.equal(verdict.verdict, "NON-COMPLIANT");
  assert.equal(verdict.exitCode, 1);
  assert.equal(verdict.asOf, "2026-11-22");
  assert.deepEqual(verdict.failedBySeverity, [["critical", 1], ["high", 2], ["medium", 0], ["low", 0]]);
  assert.deepEqual(verdict.outcomes.map(([w, n]) => `${w} ${n}`), ["Failed 3", "Undetermined 1", "Waived 1", "Passed 5", "Not applicable 2"]);
  // Only a waiver that waived something is listed; one without an id is named by its place.
  assert.deepEqual(verdict.waivers, ["W-1</script>: HP-NIC-001 on host h1; approved by A <b>; R; expires 2027-01-01 (waived 1 failed)"]);
  assert.equal(categories.waivers["waiver #2"], "waiver 2 of the file: HP-NIC-001 on every target; approved by B; R; expires 2027-01-01");
  assert.equal(categories.controls["HP-NIC-001"], "HP-NIC-001 (high): Hardware </script><img src=x>");
});

test("the verdict script carries its facts as JSON nothing in them can close or break", () => {
  const script = verdictScript(allurePageFacts(digest()).verdict);
  const body = script.slice('<script id="hostproof-verdict">'.length, -"</script>".length);
  assert.doesNotMatch(body, /<\/script|<b>|<img/i);
  assert.equal(JSON.parse(scriptJson({ a: "</script>\u2028<!--" })).a, "</script>\u2028<!--");
  assert.doesNotMatch(scriptJson({ a: "\u2028\u2029<>&" }), /[\u2028\u2029<>&]/);
  // The drawing sets text only: no innerHTML anywhere in it.
  assert.doesNotMatch(body, /innerHTML|insertAdjacentHTML|outerHTML/);
});
