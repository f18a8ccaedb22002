"""Every dashboard figure equals the hand-computed figure of the fixture city, for a month and a quarter, at
city, district and store level (SQLite here; PostgreSQL through tools/pg_testdb.py)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from supermarket.oversight import queries, service, standing
from supermarket.oversight.periods import Period
from tests.factories import make_store

from . import fixture

NOV = Period("month", date(2026, 11, 1), date(2026, 11, 30))
Q4 = Period("quarter", date(2026, 10, 1), date(2026, 12, 31))


@pytest.fixture
def city(session, world):
    fixture.build(session, world)
    return world


def _store_figures(session, world, period):
    data = queries.flows(session, queries.Filter(), period.start, period.end)
    return {code: data.get(store.id, {}) for code, store in world.stores.items()}


@pytest.mark.parametrize("period, expected", [(NOV, fixture.NOV), (Q4, fixture.Q4)])
def test_each_store_figure_equals_the_hand_computed_one(session, city, period, expected):
    figures = _store_figures(session, city, period)
    for code, wanted in expected.items():
        got = figures[code]
        for key, value in wanted.items():
            assert got.get(key, 0) == value, (code, key, got)
    # nothing else has money in it
    assert figures["FR02"].get("income_fen", 0) == 0 and figures["FR02"].get("money_fen", 0) == 0


@pytest.mark.parametrize("through", [None, date(2026, 11, 20), date(2026, 10, 31)])
def test_days_the_facts_do_not_hold_yet_are_read_from_the_ledgers(session, world, through):
    """No facts at all, facts up to the November sales' day (that day itself is redone by the next refresh, so
    it is read from the ledgers), facts up to October: the same figures."""
    fixture.build(session, world, refresh_through=through)
    for period, expected in ((NOV, fixture.NOV), (Q4, fixture.Q4)):
        figures = _store_figures(session, world, period)
        for code, wanted in expected.items():
            for key, value in wanted.items():
                assert figures[code].get(key, 0) == value, (through, period, code, key)
    # The goods by category and the cashiers' figures likewise (their own facts tables).
    goods, _aid = queries.by_category(session, queries.Filter(), NOV.start, NOV.end)
    assert [(name, units, value) for _s, name, units, value in goods] == [("衣物", 2, 2000)], through
    names = {u.id: name for name, u in world.users.items()}
    tills = {names[r["cashier_id"]]: r for r in queries.cashiers(session, queries.Filter(), NOV.start, NOV.end)}
    assert (tills["cashier-yl01"]["sales"], tills["cashier-yl01"]["voids"]) == (2, 1), through
    assert (tills["cashier-yl01"]["cash_diff_shifts"], tills["cashier-yl01"]["cash_diff_abs_fen"]) == (1, 1000)
    assert tills["cashier-yl02"]["sales"] == 1, through


@pytest.mark.parametrize("snapshot", [False, True], ids=["computed", "snapshot"])
def test_standing_figures(session, city, snapshot):
    """The same figures computed for the page and read from the periodic job's snapshot."""
    ids = [s.id for s in city.stores.values()]
    if snapshot:
        assert standing.take(session, now=fixture.NOW) == len(ids)
    data, taken_at = standing.current(session, queries.Filter(), ids, fixture.TODAY, now=fixture.NOW)
    assert taken_at == fixture.NOW
    for code, wanted in fixture.STANDING.items():
        got = data[city.stores[code].id]
        for key, value in wanted.items():
            assert got.get(key, 0) == value, (code, key, got)
    def nonzero(figures):
        return {sid: {k: v for k, v in f.items() if v} for sid, f in figures.items() if any(f.values())}

    assert nonzero(data) == nonzero(standing.compute(session, queries.Filter(), fixture.TODAY))


def test_a_snapshot_is_read_only_when_it_is_todays_and_holds_every_store(session, city, world):
    taken = fixture.NOW - timedelta(hours=1)
    standing.take(session, now=taken)
    admin = world.actor(session, "admin")
    assert service.dashboard(session, admin, NOV, now=fixture.NOW).standing_at == taken
    # The next day, yesterday's snapshot is not today's standing: computed for the page.
    tomorrow = fixture.NOW + timedelta(days=1)
    assert service.dashboard(session, admin, NOV, now=tomorrow).standing_at == tomorrow
    # A store opened since the snapshot: computed for the page (its district's and the city's).
    make_store(session, world.districts["FR"], "FR09")
    session.commit()
    assert service.dashboard(session, admin, NOV, now=fixture.NOW).standing_at == fixture.NOW
    yl = service.dashboard(session, world.actor(session, "auditor-yl"), NOV, now=fixture.NOW)
    assert yl.level == "district" and yl.standing_at == taken  # the other district's snapshot still holds


def _kpis(board):
    return {k: (now, before, last) for k, _label, _kind, now, before, last in board.kpis}


def test_city_dashboard_totals_previous_period_and_last_year(session, city):
    board = service.dashboard(session, city.actor(session, "admin"), NOV, now=fixture.NOW)
    k = _kpis(board)
    assert board.level == "city"
    assert k["income_fen"] == (1900, 500, 0)
    assert k["money_fen"] == (5000, 3000, 0)
    assert k["goods_value_fen"] == (2000, 800, 0)
    assert k["aid_value_fen"] == (6000, 0, 0)
    assert k["aid_households"] == (1, 0, 0)
    assert k["sales"] == (3, 1, 0)
    income = {r["unit"]: r for r in board.table("income").rows}
    assert income["YL 岳麓区"]["income_fen"] == 1900 and income["YL 岳麓区"]["income_donated_fen"] == 900
    assert income["FR 芙蓉区"]["income_fen"] == 0
    assert [r["unit"] for r in board.table("income").rows] == ["YL 岳麓区", "FR 芙蓉区"]  # ranked
    tenders = {r["method"]: r["amount_fen"] for r in board.table("tenders").rows}
    assert tenders == {"现金": 1900}
    assert {r["method"]: r["amount_fen"] for r in board.table("money").rows} == {"现金": 5000}
    assert board.table("goods_categories").rows == [{"category": "衣物", "count": 2, "value_fen": 2000}]
    assert [(r["count"], r["value_fen"]) for r in board.table("aid_categories").rows] == [(1, 6000)]
    trend = {r["month"]: r for r in board.table("trend_money").rows}
    assert len(trend) == 12 and trend["2026-11"]["income_fen"] == 1900 and trend["2026-10"]["income_fen"] == 500
    assert trend["2026-10"]["money_fen"] == 3000 and trend["2026-11"]["aid_value_fen"] == 6000
    assert {r["month"]: r["sales"] for r in board.table("trend_sales").rows}["2026-11"] == 3


def test_quarter_and_its_previous(session, city):
    board = service.dashboard(session, city.actor(session, "admin"), Q4, now=fixture.NOW)
    k = _kpis(board)
    assert board.previous == Period("quarter", date(2026, 7, 1), date(2026, 9, 30))
    assert k["income_fen"] == (2400, 0, 0) and k["money_fen"] == (8000, 0, 0) and k["sales"] == (4, 0, 0)
    donations = {r["unit"]: r for r in board.table("donations").rows}
    assert donations["FR 芙蓉区"]["donors_new"] == 1 and donations["FR 芙蓉区"]["goods_units"] == 3
    assert donations["FR 芙蓉区"]["pledges_overdue_fen"] == 100000


def test_district_dashboard_compares_its_stores(session, city):
    board = service.dashboard(session, city.actor(session, "auditor-yl"), NOV, now=fixture.NOW)
    assert board.level == "district" and board.district.code == "YL"
    tills = {r["unit"].split()[0]: r for r in board.table("tills").rows}
    assert set(tills) == {"YL01", "YL02"}
    assert tills["YL01"]["void_rate"] == 0.5 and tills["YL01"]["cash_diff_abs_fen"] == 1000
    assert tills["YL02"]["void_rate"] == 0.0
    cashiers = {r["cashier"]: r for r in board.table("cashiers").rows}
    assert cashiers["cashier-yl01"]["sales"] == 2 and cashiers["cashier-yl01"]["voids"] == 1
    assert cashiers["cashier-yl01"]["cash_diff_shifts"] == 1 and cashiers["cashier-yl02"]["sales"] == 1
    assert board.alerts is not None


def test_store_dashboard_against_the_district_median(session, city):
    board = service.dashboard(session, city.actor(session, "manager-fr01"), NOV, now=fixture.NOW)
    assert board.level == "store" and board.store.code == "FR01" and board.alerts is None
    rows = {r["figure"]: r for r in board.table("vs_median").rows}
    assert rows["发放价值"]["store"] == 6000 and rows["发放价值"]["median"] == 3000   # FR01 6000, FR02 0
    assert rows["现金捐赠"]["store"] == 5000 and rows["现金捐赠"]["median"] == 2500
    assert _kpis(board)["income_fen"] == (0, 0, 0)


def test_a_store_dashboards_trends_are_the_stores_own(session, city):
    board = service.dashboard(session, city.actor(session, "manager-yl01"), NOV, now=fixture.NOW)
    trend = {r["month"]: r for r in board.table("trend_money").rows}
    # YL01 alone (its district also sold ¥9 of used books at YL02 in November)
    assert trend["2026-11"]["income_fen"] == 1000 and trend["2026-10"]["income_fen"] == 500
    assert {r["month"]: r["sales"] for r in board.table("trend_sales").rows}["2026-11"] == 2


def test_stars_and_scores_come_from_the_central_checks_snapshots(session, city):
    from sqlalchemy import select

    from supermarket.auth.permissions import system_actor
    from supermarket.standards import service as standards
    from supermarket.standards.models import ScoreSnapshot

    standards.check(session, system_actor(), as_of=fixture.TODAY, now=fixture.NOW)
    snaps = session.scalars(select(ScoreSnapshot)).all()
    assert len(snaps) == 4
    board = service.dashboard(session, city.actor(session, "admin"), NOV, now=fixture.NOW)
    stars = {r["stars"]: r["stores"] for r in board.table("stars").rows}
    assert sum(stars.values()) == 4
    for n in range(6):
        label = "★" * n if n else "未达标"
        assert stars[label] == sum(1 for s in snaps if s.stars == n)
    trend = {r["month"]: r["score"] for r in board.table("score_trend").rows}
    assert trend["2026-11"] == round(sum(s.total for s in snaps) / 4, 2) and trend["2026-10"] is None
    scores = {r["unit"]: r["score"] for r in board.table("scores").rows}
    fr = [s.total for s in snaps if s.store_id in (city.stores["FR01"].id, city.stores["FR02"].id)]
    assert scores["FR 芙蓉区"] == round(sum(fr) / 2, 2)
    district = service.dashboard(session, city.actor(session, "auditor-yl"), NOV, now=fixture.NOW)
    assert sum(r["stores"] for r in district.table("stars").rows) == 2


def test_the_days_alerts(session, city):
    from datetime import datetime, timezone

    board = service.dashboard(session, city.actor(session, "auditor-yl"), NOV, now=fixture.NOW)
    a = board.alerts
    assert [code for _id, code, _name in a.not_opened] == ["YL01", "YL02"]
    assert [(code, opened) for _id, code, _n, _no, opened in a.overnight] == [("YL02", "11-20 10:00")]
    assert a.cash == [] and a.expiring == []  # ¥10 is under the ¥50 threshold; the milk expires in 5 days
    later = datetime(2026, 11, 30, 2, 0, tzinfo=timezone.utc)  # the milk (3 December) now expires in 3 days
    fr = service.dashboard(session, city.actor(session, "auditor-fr"), NOV, now=later).alerts
    assert [(code, lots, qty) for _id, code, _n, lots, qty in fr.expiring] == [("FR01", 1, 5)]
    assert fr.overnight == []
