import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SEVERITIES } from "../../src/model/severity";
import { ALLURE_SEVERITY, SHOWN_SEVERITY, patchSeverityWords } from "../../src/report/formats/allure/allure-severity-words";
import { DESCRIPTION_CSS, WIDGET_CSS, patchAllureUi } from "../../src/report/formats/allure/allure-ui-patch";
import { VERDICT_CSS } from "../../src/report/formats/allure/allure-verdict-widget";
import { checkNoAnalytics } from "../../src/report/formats/allure/allure-analytics";
import { scratch } from "./tmp";

// The shapes of Allure 2.46's UI script that the patch rewrites (minified names as Allure ships them).
const UI = [
  "var De={chart:{severity:{name:`Severity`}},testResult:{severity:{name:`Severity`,blocker:`blocker`,critical:`critical`,normal:`normal`,minor:`minor`,trivial:`trivial`}}};",
  "var Ee={testResult:{severity:{name:`Ausmaß`,blocker:`Blocker`,critical:`kritisch`,normal:`gewöhnlich`,minor:`gering`,trivial:`geringfügig`}}};",
  "this.makeBottomAxis({tickFormat:e=>e.toLowerCase(),scale:this.x}),this.svg;",
  "W(`b`,{text:`${e} ${t.toLowerCase()} test cases ${n.toLowerCase()}`});",
  "var Fe={status:{broken:`Broken`,failed:`Failed`,passed:`Passed`,skipped:`Skipped`,unknown:`Unknown`},marks:{flaky:`Flaky`,newBroken:`New broken`,newFailed:`New failed`,newPassed:`New passed`,retriesStatusChange:`Status changed after retry`}};",
  "var Ge={status:{broken:`Defekt`,failed:`Fehlgeschlagen`,passed:`Erfolgreich`,skipped:`Übersprungen`,unknown:`Unbekannt`},marks:{flaky:`Instabil`,newBroken:`Neu defekt`,newFailed:`Neu fehlgeschlagen`,newPassed:`Neu erfolgreich`,retriesStatusChange:`x`}};",
  "function op(e,t={}){if(!e)return`unknown`;let n=e instanceof Date?e:new Date(e);return Number.isNaN(n.valueOf())?`unknown`:new Intl.DateTimeFormat(bt.language,t).format(n)}",
  "function pp(e,t=!1){if(!e)return`unknown`;let n=e instanceof Date?e:new Date(e);return[n.getHours(),cp(n.getMinutes(),2,`0`),cp(n.getSeconds(),2,`0`)+(t?`.${n.getMilliseconds()}`:``)].join(`:`)}",
].join("\n");

const PATCHED = { ok: true, counts: { translations: 2, chart: 2 } };

function htmlWith(js: string, tail: string): string {
  return `<!DOCTYPE html><html dir="ltr"><head><title>t</title><script src="data:text/javascript; charset=utf-8;base64,${Buffer.from(js, "utf8").toString("base64")}"></script></head><body>${tail}</body></html>`;
}

function uiOf(html: string): string {
  const m = /src="data:text\/javascript; charset=utf-8;base64,([^"]+)"/.exec(html);
  assert.ok(m);
  return Buffer.from(m[1]!, "base64").toString("utf8");
}

test("every hostproof severity is shown as itself: Allure's label maps back to hostproof's word", () => {
  for (const s of SEVERITIES) assert.equal(SHOWN_SEVERITY[ALLURE_SEVERITY[s]], s);
  assert.equal(new Set(Object.values(ALLURE_SEVERITY)).size, SEVERITIES.length, "no two severities share an Allure label");
});

test("the UI's severity words become hostproof's in every language, and the chart says them too", () => {
  const { js, counts } = patchSeverityWords(UI);
  assert.deepEqual(counts, { translations: 2, chart: 2 });
  assert.match(js, /severity:\{name:`Severity`,blocker:`critical`,critical:`high`,normal:`medium`,minor:`low`,trivial:`trivial`\}/);
  assert.match(js, /severity:\{name:`Ausmaß`,blocker:`critical`,critical:`high`/);
  assert.doesNotMatch(js, /`blocker`|`kritisch`/);
  // The chart's labels: evaluate the rewritten tick format the way the UI would.
  const axis = /tickFormat:(e=>\(.*?\)),scale/.exec(js);
  assert.ok(axis, js);
  const tick = new Function(`return ${axis[1]}`)() as (v: string) => string;
  assert.deepEqual(["blocker", "critical", "normal", "minor"].map(tick), ["critical", "high", "medium", "low"]);
  assert.match(js, /\?\?t\.toLowerCase\(\)\)\} test cases/);
});

test("the report file is rewritten whole, with the table style in its head: the results after the UI (over one copy chunk) are unchanged", (t) => {
  const dir = scratch(t);
  const file = join(dir, "index.html");
  const tail = `<script>d('data/a.json','${"x".repeat(9 * 1024 * 1024)}')</script>`;
  writeFileSync(file, htmlWith(UI, tail));
  const outcome = patchAllureUi(file);
  assert.deepEqual(outcome, PATCHED);
  const html = readFileSync(file, "utf8");
  assert.ok(html.endsWith(`<body>${tail}</body></html>`));
  // The description tables' style sits in the head, before the UI.
  assert.ok(html.startsWith(`<!DOCTYPE html><html dir="ltr"><head><style id="hostproof-style">${DESCRIPTION_CSS}${WIDGET_CSS}${VERDICT_CSS}</style><title>t</title>`));
  assert.match(uiOf(html), /critical:`high`/);
  assert.deepEqual(readdirSync(dir), ["index.html"], "no temporary file is left");
});

test("a UI of another shape keeps Allure's words, with the reason", (t) => {
  const dir = scratch(t);
  const file = join(dir, "index.html");
  const js = "var x={severity:{name:`Severity`}};";
  writeFileSync(file, htmlWith(js, "<p>r</p>"));
  const outcome = patchAllureUi(file);
  assert.equal(outcome.ok, false);
  assert.match(outcome.ok ? "" : outcome.reason, /unexpected shape \(0 severity tables, 0 status tables, 0 mark tables, 0 of 2 chart labels, 0 of 1 date and 0 of 1 time formatters found\)/);
  assert.equal(uiOf(readFileSync(file, "utf8")), js);
  writeFileSync(file, "<html>no script</html>");
  assert.deepEqual(patchAllureUi(file), { ok: false, reason: "the report's UI script was not found" });
});

// Allure 2.46's analytics, as its single-file page and UI script carry them.
const GTAG = `    <script async src="https://www.googletagmanager.com/gtag/js?id=G-FVWC4GKEYS"></script>
    <script>
        window.dataLayer = window.dataLayer || [];
        function gtag(){dataLayer.push(arguments);}
        gtag('js', new Date());
        gtag('config', 'G-FVWC4GKEYS', { 'allureVersion': '2.46.1', 'single_file': true });
    </script>
`;
const DATA_LAYER = "function Ue(e,t={}){We(`event`,e,t)}function We(...e){let t=Array.isArray(window.dataLayer)?window.dataLayer:[];t.push(e),window.dataLayer=t}";

test("Google Analytics is taken out of the page and the UI, and a report still holding any is caught", (t) => {
  const dir = scratch(t);
  const file = join(dir, "index.html");
  const data = `<script defer>Promise.allSettled([d('data/a.json','${Buffer.from("gtag( dataLayer G-ABCDEFGH12 googletagmanager".repeat(20)).toString("base64")}')])</script>`;
  writeFileSync(file, htmlWith(`${UI}\n${DATA_LAYER}`, `\n${GTAG}${data}`));
  assert.equal(checkNoAnalytics(file), "googletagmanager");
  assert.equal(patchAllureUi(file).ok, true);
  const html = readFileSync(file, "utf8");
  assert.equal(checkNoAnalytics(file), undefined, html.slice(0, 2000));
  assert.doesNotMatch(html.replace(/'[A-Za-z0-9+/=]{64,}'/g, ""), /gtag|googletagmanager|G-FVWC4GKEYS|dataLayer/);
  assert.doesNotMatch(uiOf(html), /dataLayer/);
  assert.match(uiOf(html), /function We\(\)\{\}/, "the helper's callers still find it");
  assert.ok(html.includes(data), "the results' data is untouched, whatever it holds");
  // What the patch does not know is still caught.
  writeFileSync(file, htmlWith(UI, `<script>window.dataLayer=[]</script>`));
  assert.equal(checkNoAnalytics(file), "dataLayer");
});
