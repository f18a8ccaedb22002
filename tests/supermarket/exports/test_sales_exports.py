"""The sales and shift lists download as .xlsx and CSV: the screen's rows, typed cells, the same scope."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from supermarket.clock import SHANGHAI

from ..sales.factories import NOW, open_shift, sell, stocked_item
from .helpers import csv_rows, table_cells, xlsx_rows

DAY = "2026-11-27"


def _sales(session, world):
    open_shift(session, world)
    item = stocked_item(session, world, price_fen=1250)
    return [sell(session, world, (item, n)).sale for n in (1, 2, 3)]


def test_the_sales_export_has_the_screens_rows_as_typed_cells(session, world, login):
    sales = _sales(session, world)
    client = login("manager-yl01")
    page = client.get(f"/sales/?date={DAY}").get_data(as_text=True)
    screen = table_cells(page, "sales-list")
    assert "format=xlsx" in page and "format=csv" in page
    header, rows, ws = xlsx_rows(client.get(f"/sales/?date={DAY}&format=xlsx"))
    assert header[0] == "单号" and header[5] == "金额"
    assert [r[0] for r in rows] == [s[0] for s in screen] and len(rows) == 3
    by_number = {s.number: s for s in sales}
    for row, cells in zip(rows, screen):
        sale = by_number[row[0]]
        assert isinstance(row[5], (int, float)) and Decimal(str(row[5])) == Decimal(sale.total_fen) / 100
        assert cells[5] == f"¥{row[5]:,.2f}"
        assert isinstance(row[1], datetime) and row[1] == sale.sold_at.astimezone(SHANGHAI).replace(tzinfo=None)
        assert row[1].strftime("%H:%M:%S") == cells[1]
        assert row[2] == cells[2] and row[3] == cells[3] and row[4] == cells[4]
    assert ws.cell(2, 6).number_format == "#,##0.00" and ws.cell(2, 2).number_format == "yyyy-mm-dd hh:mm:ss"
    header, text = csv_rows(client.get(f"/sales/?date={DAY}&format=csv"))
    assert header == [h for h in header] and [r[0] for r in text] == [r[0] for r in rows]
    assert text[0][5] == f"{rows[0][5]:.2f}" and text[0][1] == rows[0][1].strftime("%Y-%m-%d %H:%M:%S")


def test_the_shift_export_equals_the_shift_list(session, world, login):
    _sales(session, world)
    client = login("manager-yl01")
    screen = table_cells(client.get("/sales/shifts").get_data(as_text=True), "shift-list")
    header, rows, _ws = xlsx_rows(client.get("/sales/shifts?format=xlsx"))
    assert header[:3] == ["班次", "收银员", "开班"]
    assert [[r[0], r[1]] for r in rows] == [c[:2] for c in screen]
    assert isinstance(rows[0][2], datetime) and rows[0][3] is None  # open: no close time
    assert rows[0][4] == 200.0 and rows[0][5] is None


def test_an_auditor_downloads_their_districts_store_and_never_another(session, world, login):
    _sales(session, world)
    client = login("auditor-yl")
    yl01, fr01 = world.stores["YL01"], world.stores["FR01"]
    page = client.get(f"/sales/?date={DAY}&store={yl01.id}").get_data(as_text=True)
    assert len(table_cells(page, "sales-list")) == 3 and 'id="void-form"' not in page
    _h, rows, _ws = xlsx_rows(client.get(f"/sales/?date={DAY}&store={yl01.id}&format=xlsx"))
    assert len(rows) == 3
    for url in (f"/sales/?date={DAY}&store={fr01.id}&format=xlsx", f"/sales/shifts?store={fr01.id}&format=csv",
                f"/sales/?store={fr01.id}", "/sales/?store=nonsense&format=csv"):
        assert client.get(url).status_code == 404, url
    # The other district's auditor sees nothing of YL01.
    other = login("auditor-fr")
    assert other.get(f"/sales/?date={DAY}&store={yl01.id}&format=xlsx").status_code == 404


def test_a_nonsense_format_is_refused_in_chinese(session, world, login):
    resp = login("manager-yl01").get("/sales/shifts?format=pdf")
    assert resp.status_code == 422 and "下载格式只能是 xlsx 或 csv" in resp.get_data(as_text=True)


def test_a_cashier_may_not_download_another_stores_sales(session, world, login):
    resp = login("cashier-yl01").get(f"/sales/?store={world.stores['YL02'].id}&date={DAY}&format=csv")
    # A cashier's list is always their own store: the parameter is ignored, never a door to another store.
    _h, rows = csv_rows(resp)
    assert all("YL02" not in r[0] for r in rows)
