"""Each list's download holds the rows of its screen, with money as numbers, times as dates and names masked as
on the screen; a store the actor may not see answers as its page does."""
from __future__ import annotations

from datetime import datetime

import pytest

from tests.route_matrix import SAMPLES

from .helpers import csv_rows, table_cells, xlsx_rows

# list URL (a function of the store), the sample that puts a row on it, the table, the money and date columns
LISTS = {
    "donations": (lambda s: "/intake/donations", "donation_id", "donations", 5, 2),
    "write-offs": (lambda s: f"/stores/{s.id}/write-offs", "write_off_id", None, 6, 1),
    "stocktakes": (lambda s: f"/stores/{s.id}/stocktakes", "stocktake_id", None, None, 1),
    "transfers": (lambda s: f"/stores/{s.id}/transfers", "transfer_id", None, None, 2),
    "distributions": (lambda s: "/aid/distributions", "distribution_id", None, 6, 1),
    "stock": (lambda s: f"/stores/{s.id}/stock", "write_off_id", "stock-table", 6, None),
}


@pytest.mark.parametrize("name", sorted(LISTS))
def test_a_lists_download_equals_its_screen(session, world, login, name):
    url_of, sample, table_id, money_col, date_col = LISTS[name]
    yl01 = world.stores["YL01"]
    SAMPLES[sample](session, world, yl01)
    client = login("auditor-yl")
    url = url_of(yl01)
    page = client.get(url).get_data(as_text=True)
    screen = table_cells(page, table_id)
    assert "format=xlsx" in page and "format=csv" in page
    header, rows, _ws = xlsx_rows(client.get(f"{url}?format=xlsx"))
    # The number cell of a screen row may carry a note under the number (stocktakes): the number comes first.
    assert len(rows) == len(screen) >= 1 and all(c[0].startswith(r[0]) for r, c in zip(rows, screen))
    assert date_col is None or all(isinstance(r[date_col], datetime) for r in rows)
    if money_col is not None:
        assert all(isinstance(r[money_col], (int, float)) for r in rows)
    text_header, text_rows = csv_rows(client.get(f"{url}?format=csv"))
    assert text_header == header and [r[0] for r in text_rows] == [r[0] for r in rows]


def test_masked_names_stay_masked_in_the_downloads(session, world, login):
    from supermarket.aid.models import Distribution

    SAMPLES["distribution_id"](session, world, world.stores["YL01"])
    head = session.query(Distribution).first().household.head_name
    client = login("auditor-yl")
    page = client.get("/aid/distributions").get_data(as_text=True)
    _h, rows, _ws = xlsx_rows(client.get("/aid/distributions?format=xlsx"))
    _h, text_rows = csv_rows(client.get("/aid/distributions?format=csv"))
    assert head not in page and head not in str(rows) and head not in str(text_rows)
    assert rows[0][3] == table_cells(page)[0][3] and "*" in rows[0][3]


def test_another_districts_store_list_downloads_nothing(session, world, login):
    fr01 = world.stores["FR01"]
    client = login("auditor-yl")
    for url in (f"/stores/{fr01.id}/write-offs", f"/stores/{fr01.id}/stocktakes", f"/stores/{fr01.id}/transfers"):
        assert client.get(f"{url}?format=xlsx").status_code == client.get(url).status_code == 404


def test_donors_download_masked_as_on_the_screen(session, world, login):
    from ..intake.factories import make_donor

    make_donor(session, world, "YL01", name="王小明", phone="13912345678")
    client = login("auditor-yl")
    page = client.get("/intake/donors").get_data(as_text=True)
    screen = table_cells(page, "donors")
    header, rows, _ws = xlsx_rows(client.get("/intake/donors?format=xlsx"))
    assert header == ["捐赠人", "类型", "联系人", "电话", "登记门店"]
    assert [r[:2] for r in rows] == [c[:2] for c in screen] and rows[0][4] == "YL01"
    assert "13912345678" not in str(rows) and "王小明" not in str(rows) and "13912345678" not in page
    assert rows[0][0] == screen[0][0] and rows[0][3] == screen[0][3] and "*" in rows[0][0] + rows[0][3]


def test_the_flag_board_downloads_its_rows(session, world, login):
    from datetime import date

    SAMPLES["flag_id"](session, world, world.stores["YL01"])
    client = login("auditor-yl")
    page = client.get("/flags").get_data(as_text=True)
    screen = table_cells(page, ".flag-list")
    header, rows, _ws = xlsx_rows(client.get("/flags?format=xlsx"))
    assert header[:3] == ["级别", "类型", "门店"] and len(rows) == len(screen) >= 1
    assert [r[1] for r in rows] == [c[1] for c in screen] and all(isinstance(r[6], int) for r in rows)
    assert all(isinstance(r[3], (date,)) for r in rows) and "FR01" not in str(rows)


def test_households_download_masked_as_on_the_screen(session, world, login):
    from supermarket.aid.models import Household

    SAMPLES["household_id"](session, world, world.stores["YL01"])
    household = session.query(Household).first()
    client = login("auditor-yl")
    page = client.get("/aid/households").get_data(as_text=True)
    screen = table_cells(page)
    header, rows, _ws = xlsx_rows(client.get("/aid/households?format=xlsx"))
    assert header[:3] == ["户编号", "户主", "证件号"] and [r[:3] for r in rows] == [c[:3] for c in screen]
    assert household.head_name not in str(rows) and "*" in rows[0][1] and rows[0][2].startswith("****")
    _h, text_rows = csv_rows(client.get("/aid/households?format=csv"))
    assert household.head_name not in str(text_rows) and text_rows[0][:3] == rows[0][:3]
