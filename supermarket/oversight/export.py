"""A dashboard table as CSV (UTF-8 with a BOM, so Excel opens it as Chinese) or xlsx (typed cells: money as a
number of yuan with two decimals, counts as integers, rates as percentages; a frozen header row and filters)."""
from __future__ import annotations

import csv
import io

from .tables import Table, display_number

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")


def _cells(table: Table):
    cols = [c for c in table.columns]
    yield [str(c.label) for c in cols]
    for row in table.rows:
        out = []
        for c in cols:
            kind = row.get("kind", "int") if c.kind == "row" else c.kind
            value = row.get(c.key)
            out.append(value if kind == "text" else display_number(value, kind))
        yield out


def _kinds(table: Table, row: dict) -> list[str]:
    return [row.get("kind", "int") if c.kind == "row" else c.kind for c in table.columns]


def to_csv(table: Table) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    for row in _cells(table):
        writer.writerow(["" if v is None else (f"{v:.2f}" if isinstance(v, float) else v) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx(table: Table) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook(write_only=False)
    ws = wb.active
    ws.title = table.name[:31]
    formats = {"money": "#,##0.00", "pct": "0.00", "float": "0.00", "int": "0"}
    cells = _cells(table)
    ws.append(next(cells))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for source, values in zip(table.rows, cells):
        ws.append(values)
        for cell, kind in zip(ws[ws.max_row], _kinds(table, source)):
            if kind in formats and cell.value is not None:
                cell.number_format = formats[kind]
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    for i, c in enumerate(table.columns, start=1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = max(10, len(str(c.label)) * 2 + 2)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
