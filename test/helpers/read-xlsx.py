# An .xlsx as openpyxl (an independent reader) sees it, as JSON on stdout: per sheet its frozen
# panes, autofilter and every cell's value, type ("s" text, "n" number, "f" formula) and fill.
# With --counts (for a workbook of 10,000 hosts): per sheet its header and how many rows it has,
# read in openpyxl's streaming mode.
import json
import sys

import openpyxl

if sys.argv[1] == "--counts":
    wb = openpyxl.load_workbook(sys.argv[2], read_only=True)
    sheets = []
    for ws in wb.worksheets:
        header, n = None, 0
        for row in ws.iter_rows(values_only=True):
            header = list(row) if header is None else header
            n += 1
        sheets.append({"name": ws.title, "header": header, "rows": n})
    json.dump(sheets, sys.stdout, ensure_ascii=False, default=str)
    sys.exit(0)

wb = openpyxl.load_workbook(sys.argv[1])
out = []
for ws in wb.worksheets:
    rows = []
    for row in ws.iter_rows():
        rows.append([
            {
                "v": c.value,
                "t": c.data_type,
                "fill": c.fill.fgColor.rgb if c.fill is not None and c.fill.fill_type == "solid" else None,
            }
            for c in row
        ])
    out.append({"name": ws.title, "freeze": ws.freeze_panes, "filter": ws.auto_filter.ref, "rows": rows})
json.dump(out, sys.stdout, ensure_ascii=False, default=str)
