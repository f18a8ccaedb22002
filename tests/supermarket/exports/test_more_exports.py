"""The downloads of the pledge list, an item's stock movements, a resident's points entries and the compliance
board: the screen's rows (every one, where the screen shows a page), typed cells, the screen's scope and masking."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from supermarket.models import utcnow
from supermarket.points import ledger
from supermarket.uow import unit_of_work
from tests.factories import SYSTEM

from .helpers import csv_rows, table_cells, xlsx_rows


def test_the_pledge_list_downloads_every_open_pledge_masked(session, world, login):
    from supermarket.intake.pledges import days_overdue

    from ..intake.factories import make_donor, make_pledge

    wang = make_donor(session, world, "YL01", name="王小明", phone="13912345678")
    late = make_pledge(session, world, wang, amount_fen=50000, now=utcnow() - timedelta(days=90),
                       due=(utcnow() - timedelta(days=80)).date(), description="")
    make_pledge(session, world, wang, amount_fen=120050, kind="goods", description="棉被 20 床", now=utcnow())
    make_pledge(session, world, make_donor(session, world, "FR01", name="赵大海", phone="13700000000"),
                code="FR01", now=utcnow())
    client = login("auditor-yl")
    page = client.get("/intake/pledges").get_data(as_text=True)
    screen = table_cells(page, "open-pledges")
    assert "format=xlsx" in page and "format=csv" in page
    header, rows, _ws = xlsx_rows(client.get("/intake/pledges?format=xlsx"))
    assert header[:3] == ["门店", "认捐人", "内容"] and len(rows) == len(screen) == 2
    assert [r[1:3] for r in rows] == [c[:2] for c in screen]           # masked donor, content, in the screen's order
    assert {r[0] for r in rows} == {"YL01"} and "赵大海" not in str(rows) and "王小明" not in str(rows)
    assert "*" in rows[0][1]
    assert [r[3] for r in rows] == [500.0, 1200.5] and all(isinstance(r[5], datetime) for r in rows)
    assert rows[0][6] == days_overdue(late, utcnow()) >= 80 and rows[1][6] == 0
    text_header, text_rows = csv_rows(client.get("/intake/pledges?format=csv"))
    assert text_header == header and [r[3] for r in text_rows] == ["500.00", "1200.50"]


def test_an_items_movements_download_every_row_with_the_running_balance(session, world, login):
    from ..catalog.factories import make_item
    from ..inventory.factories import stock

    yl01, fr01 = world.stores["YL01"], world.stores["FR01"]
    item = make_item(session)
    for qty in range(1, 104):  # more than the page's 100
        stock(session, yl01, item, qty)
    stock(session, fr01, item, 7)
    client = login("auditor-yl")
    url = f"/stores/{yl01.id}/stock/{item.id}"
    page = client.get(url).get_data(as_text=True)
    screen = table_cells(page, "history-table")
    header, rows, _ws = xlsx_rows(client.get(f"{url}?format=xlsx"))
    assert header == ["时间", "类型", "冲正", "数量", "结存", "批次", "单据", "操作人"]
    assert len(screen) == 100 and len(rows) == 103                  # the download is not cut at the page
    assert [(r[3], r[4]) for r in rows[:100]] == [(int(c[2]), int(c[3])) for c in screen]
    assert rows[0][4] == sum(range(1, 104)) and rows[-1][3:5] == [1, 1]
    assert all(isinstance(r[0], datetime) for r in rows) and all(r[5] == c[4] for r, c in zip(rows, screen))
    _h, text_rows = csv_rows(client.get(f"{url}?format=csv"))
    assert [r[4] for r in text_rows] == [str(r[4]) for r in rows]
    # another district's store: no page, no download (its 7 are in no file)
    foreign = f"/stores/{fr01.id}/stock/{item.id}"
    assert client.get(f"{foreign}?format=xlsx").status_code == client.get(foreign).status_code == 404


def test_a_residents_points_entries_download_with_stores_named_as_on_screen(session, world, login):
    from ..points.factories import make_resident

    person = make_resident(session, name="李秀英")
    yl01, fr01 = world.stores["YL01"], world.stores["FR01"]
    start = utcnow() - timedelta(days=10)
    for n in range(52):  # the page shows the latest 50
        store = fr01 if n % 2 else yl01
        ctx = ledger.Context(SYSTEM, start + timedelta(minutes=n), store_id=store.id, reason=f"服务{n}")
        with unit_of_work(session):
            ledger.credit(session, ctx, person.id, "earn", n + 1, f"export-test:{n}", None)
    client = login("auditor-yl")
    url = f"/points/residents/{person.id}"
    page = client.get(url).get_data(as_text=True)
    screen = table_cells(page, "history")
    header, rows, _ws = xlsx_rows(client.get(f"{url}?format=xlsx"))
    assert header == ["时间", "类型", "积分", "余额", "地点", "说明"] and len(screen) == 50 and len(rows) == 52
    assert [(str(r[2]), r[3], r[4]) for r in rows[:50]] == [(c[1 + 1].lstrip("+"), int(c[3]), c[4]) for c in screen]
    assert {r[4] for r in rows} == {yl01.name, "其他门店"} and fr01.name not in str(rows)
    assert "李秀英" not in str(rows) and all(isinstance(r[0], datetime) for r in rows)
    assert rows[0][3] == sum(range(1, 53))
    _h, text_rows = csv_rows(client.get(f"{url}?format=csv"))
    assert [r[4] for r in text_rows] == [r[4] for r in rows]


@pytest.fixture
def scored(session, world):
    from ..standards.fixture import build

    build(session, world)
    return world


def test_the_compliance_board_downloads_its_grid_for_the_actors_scope(session, scored, login):
    import re

    client = login("auditor-yl")
    seen = set()
    for query in ("", "?sort=-total", "?rule=F-02"):
        page = client.get(f"/compliance{query}").get_data(as_text=True)
        grid = re.findall(r'<th class="sticky" scope="row"><a href="/compliance/stores/([A-Z0-9]+)"', page)
        totals = re.findall(r'<td class="num">([0-9.]+)</td>', page)
        sep = "&" if query else "?"
        header, rows, _ws = xlsx_rows(client.get(f"/compliance{query}{sep}format=xlsx"))
        assert header[:6] == ["门店编号", "门店", "区县", "总分", "星级", "红线"] and "F-02" in header
        assert [r[0] for r in rows] == grid and len(grid) >= 1 and "FR01" not in str(rows)
        assert [f"{r[3]:.1f}" for r in rows] == totals and all(isinstance(r[4], int) for r in rows)
        _h, text_rows = csv_rows(client.get(f"/compliance{query}{sep}format=csv"))
        assert [r[3] for r in text_rows] == totals
        seen.add(tuple(r[0] for r in rows))
        grades = {g for r in rows for g in r[6:]}
        assert grades <= {"A", "B", "C", "D", "N/A", "—"} and grades & {"A", "B", "C", "D"}
    assert seen == {("YL01", "YL02"), ("YL02", "YL01")}  # the download follows the page's sort
    assert login("auditor-fr").get("/compliance?district=YL&format=xlsx").status_code == 404
    bad = login("auditor-yl").get("/compliance?stars=9&format=csv")
    assert bad.status_code == 422 and "星级须为 0 到 5" in bad.get_data(as_text=True)
