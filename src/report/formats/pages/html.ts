/** The shared frame of the browsable report's pages: escaping, the page shell, status badges. */
import type { ResultStatus, TargetKind } from "../../../model/result";
import { STATUS_WORDS } from "../../text";

/** Text from hosts, inventories and waiver files is data, never markup. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** A fragment identifier that any name can have: host names are DNS labels, cluster names too, but not always. */
export function anchor(kind: TargetKind, name: string): string {
  return `${kind}-${encodeURIComponent(name.toLowerCase()).replace(/%/g, "_")}`;
}

export function badge(status: ResultStatus): string {
  return `<span class="s ${status}">${esc(STATUS_WORDS[status])}</span>`;
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d232a;background:#f6f7f9}
header{background:#1d2b3a;color:#fff;padding:10px 20px}header a{color:#cfe3ff}
main{padding:16px 20px;max-width:1400px}
h1{font-size:20px;margin:0}h2{font-size:17px;margin:22px 0 8px}h3{font-size:15px;margin:18px 0 6px}
table{border-collapse:collapse;background:#fff;margin:6px 0 14px;width:100%}
th,td{border:1px solid #dde1e6;padding:4px 7px;text-align:left;vertical-align:top}th{background:#eef1f4}td:first-child{white-space:nowrap}
td.n,table.counts td:nth-child(n+4){text-align:right;font-variant-numeric:tabular-nums}
table.facts{width:auto}table.facts td{word-break:break-all}table.facts tr:first-child td{font-weight:bold}
.s{display:inline-block;padding:0 6px;border-radius:3px;font-size:12px;white-space:nowrap}
.passed{background:#d8f3dc}.failed{background:#ffd6d6}.undetermined{background:#fff0c2}.notApplicable{background:#e9ecef}.waived{background:#d6e9ff}
section.target{background:#fff;border:1px solid #dde1e6;padding:4px 12px 10px;margin:12px 0}
pre{white-space:pre-wrap;word-break:break-word;background:#f3f4f6;padding:8px;max-height:480px;overflow:auto;font-size:12px}
details>summary{cursor:pointer;color:#0b5cad}
.meta{color:#5b6570}
`;

export function page(title: string, depth: number, body: string): string {
  const up = "../".repeat(depth);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>${CSS}</style></head>
<body><header><h1>${esc(title)}</h1><a href="${up}index.html">Summary</a> · <a href="${up}targets.html">Hosts and clusters</a> · <a href="${up}findings.html">Findings</a> · <a href="${up}waivers.html">Waivers</a></header>
<main>
${body}
</main></body></html>
`;
}
