/**
 * Dates and times in the HTML report as ISO 8601, in UTC, with the zone written.
 *
 * Allure's UI formats a date with the browser's locale (`11/20/2026`) and a time with the
 * browser's clock and no zone (`9:00:00`): the same report read in Berlin and in New York shows
 * different times, neither saying which. Every other hostproof report writes UTC instants
 * (`2026-11-20T09:00:20Z`), so the UI's two formatters are replaced: a date is `2026-11-20`, a time
 * `09:00:00Z` (with milliseconds where Allure shows them, `09:00:00.327Z`).
 */

export interface DatePatchCounts {
  date: number;
  time: number;
}

// Allure 2.46: `function op(e,t={}){if(!e)return`unknown`;let n=e instanceof Date?e:new Date(e);return Number.isNaN(n.valueOf())?`unknown`:new Intl.DateTimeFormat(bt.language,t).format(n)}`
const DATE_FN =
  /function ([\w$]+)\(([\w$]+),[\w$]+=\{\}\)\{if\(!\2\)return`unknown`;let ([\w$]+)=\2 instanceof Date\?\2:new Date\(\2\);return Number\.isNaN\(\3\.valueOf\(\)\)\?`unknown`:new Intl\.DateTimeFormat\([\w$.]+,[\w$]+\)\.format\(\3\)\}/g;
// `function pp(e,t=!1){if(!e)return`unknown`;let n=…;return[n.getHours(),cp(n.getMinutes(),2,`0`),cp(n.getSeconds(),2,`0`)+(t?`.${n.getMilliseconds()}`:``)].join(`:`)}`
const TIME_FN =
  /function ([\w$]+)\(([\w$]+),([\w$]+)=!1\)\{if\(!\2\)return`unknown`;let ([\w$]+)=\2 instanceof Date\?\2:new Date\(\2\);return\[\4\.getHours\(\),[\w$]+\(\4\.getMinutes\(\),2,`0`\),[\w$]+\(\4\.getSeconds\(\),2,`0`\)\+\(\3\?`\.\$\{\4\.getMilliseconds\(\)\}`:``\)\]\.join\(`:`\)\}/g;

/** Rewrites the UI's date and time formatters; returns the script and how many of each were replaced. */
export function patchDates(js: string): { js: string; counts: DatePatchCounts } {
  const counts: DatePatchCounts = { date: 0, time: 0 };
  let out = js.replace(DATE_FN, (_m, name: string) => {
    counts.date += 1;
    return `function ${name}(e){if(!e)return\`unknown\`;let n=e instanceof Date?e:new Date(e);return Number.isNaN(n.valueOf())?\`unknown\`:n.toISOString().slice(0,10)}`;
  });
  out = out.replace(TIME_FN, (_m, name: string) => {
    counts.time += 1;
    return `function ${name}(e,t=!1){if(!e)return\`unknown\`;let n=e instanceof Date?e:new Date(e);return Number.isNaN(n.valueOf())?\`unknown\`:n.toISOString().slice(11,t?23:19)+\`Z\`}`;
  });
  return { js: out, counts };
}
