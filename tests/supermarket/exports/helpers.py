"""Open a download the way an auditor's Excel would: openpyxl for .xlsx, the csv module for CSV."""
from __future__ import annotations

import csv
import io
import re

import openpyxl


def xlsx_rows(resp) -> tuple[list, list[list], object]:
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    assert resp.mimetype.endswith("spreadsheetml.sheet") and "attachment" in resp.headers["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(resp.get_data()))
    ws = wb.active
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:{ws.cell(1, len(rows[0])).column_letter}{len(rows)}"
    return rows[0], rows[1:], ws


def csv_rows(resp) -> tuple[list, list[list]]:
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    body = resp.get_data()
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    return rows[0], rows[1:]


def table_cells(html: str, table_id: str | None = None) -> list[list[str]]:
    """The text of each <td> of a table's body rows (the table with that id, else the page's last table), tags
    removed."""
    if table_id and table_id.startswith("."):  # a class of the table
        body = html.split(f'{table_id[1:]}"', 1)[1]
    else:
        body = html.split(f'id="{table_id}"', 1)[1] if table_id else html.rsplit("<table", 1)[1]
    body = body.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = []
    for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = [re.sub(r"<[^>]+>", "", td).strip() for td in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
        rows.append([re.sub(r"\s+", " ", c) for c in cells])
    return rows
