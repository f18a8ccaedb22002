"""Projects and livestream sessions in the monthly close (hand-computed, SQLite and PostgreSQL), frozen in the
published version, on the public pages and in the donation trace."""
import json

import pytest

from supermarket.disclosure import figures, service
from supermarket.disclosure import trace as tr
from supermarket.disclosure.models import Disclosure
from supermarket.projects import ledger
from .factories import AFTER, LATE, MONTH, close_stock, expected_projects, october, october_projects


def _month(session, world):
    facts = october(session, world)
    return facts, october_projects(session, world, facts)


def test_the_projects_group_equals_the_hand_computed_figures(session, world):
    _facts, pf = _month(session, world)
    got = figures.month_figures(session, [world.stores["YL01"].id, world.stores["YL02"].id], MONTH)
    assert got[world.stores["YL01"].id]["projects"] == expected_projects(pf)
    assert got[world.stores["YL02"].id]["projects"] == figures.empty_figures()["projects"]
    # To date at the month's end agrees with the project's own ledger (nothing was raised after October;
    # November's spend is not October's).
    own = ledger.figures(session, [pf["p"].id])[pf["p"].id]
    assert own.raised_fen == expected_projects(pf)["projects"][0]["raised_to_date_fen"]
    assert own.spent_fen == 3000 + 1000
    # September: the designation and nothing spent; no session.
    sept = figures.month_figures(session, [world.stores["YL01"].id], MONTH.replace(month=9))
    assert sept[world.stores["YL01"].id]["projects"]["projects"] == [
        {"code": str(pf["p"].id), "name": "山区小学过冬衣物", "level": "store", "raised_fen": 2000, "spent_fen": 0,
         "raised_to_date_fen": 2000, "spent_to_date_fen": 0, "balance_fen": 2000}]


@pytest.mark.pg
def test_the_projects_group_equals_the_hand_computed_figures_on_postgresql(session, world):
    _facts, pf = _month(session, world)
    got = figures.month_figures(session, [world.stores["YL01"].id], MONTH)[world.stores["YL01"].id]
    assert got["projects"] == expected_projects(pf)


def test_the_published_version_freezes_the_projects_and_a_correction_names_them(session, world):
    _facts, pf = _month(session, world)
    close_stock(session, world)
    store = world.stores["YL01"]
    manager = world.actor(session, "manager-yl01")
    v1 = service.close_month(session, manager, store.id, MONTH, now=AFTER)
    assert json.loads(v1.figures)["projects"] == expected_projects(pf)
    # Money booked after the close (even dated in the month) is the month it was booked in: nothing moves.
    from tests.supermarket.projects.factories import spend
    spend(session, world, pf["p"], 500, now=LATE)
    assert figures.digest(figures.month_figures(session, [store.id], MONTH)[store.id]) == v1.figures_sha256
    # A row edited in the database behind the books does move it: the correction names what changed and
    # version 1 keeps its figures.
    from supermarket.projects.models import Designation
    row = session.query(Designation).filter_by(project_id=pf["d"].id).one()
    row.amount_fen = 2500
    session.commit()
    v2 = service.correct(session, manager, v1.id, "区县项目金额更正", now=LATE)
    session.refresh(v1)
    assert v1.status == "superseded" and json.loads(v1.figures)["projects"]["raised_fen"] == 11580
    assert json.loads(v2.figures)["projects"]["raised_fen"] == 11080
    assert "projects.raised_fen" in json.loads(v2.changes)


def test_a_version_published_before_projects_says_so(app, session, world):
    from supermarket.disclosure.present import change_label, sections
    f = figures.empty_figures()
    f["projects"] = None
    with app.test_request_context():
        by_key = {s.key: s for s in sections(f)}
        assert by_key["projects"].rows[0].label == "本版本公示时尚未纳入此项"
        assert by_key["livestream"].rows[0].label == "本版本公示时尚未纳入此项"
        assert figures.changed_paths(f, figures.empty_figures()) == ["projects"]
        assert change_label("projects.raised_fen") == "慈善项目 · 筹款"


def _published(session, world):
    facts, pf = _month(session, world)
    close_stock(session, world)
    service.close_month(session, world.actor(session, "manager-yl01"), world.stores["YL01"].id, MONTH, now=AFTER)
    return facts, pf


def test_the_public_pages_show_projects_and_sessions_and_nothing_personal(session, world, client):
    facts, pf = _published(session, world)
    from supermarket.projects import service as projects
    projects.post_update(session, world.actor(session, "manager-yl01"), pf["p"].id, text="已采购冬衣 40 件",
                         now=LATE)
    secrets = ("长沙某服装厂", "店长小李", "manager-yl01", "cashier-yl01", "auditor-yl")
    store = client.get("/public/stores/YL01").get_data(as_text=True)
    assert "山区小学过冬衣物" in store and "已采购冬衣 40 件" in store
    assert "¥105.80" in store and "¥40.00" in store and "¥65.80" in store  # raised, spent (30 + 10), balance now
    assert "直播义买结果" in store and "周末爱心直播" in store and "¥35.00" in store
    month = client.get("/public/stores/YL01/2026-10").get_data(as_text=True)
    assert 'id="fig-projects"' in month and "¥115.80" in month and "区县助学（区县项目）" in month
    assert 'id="fig-livestream"' in month and "2026-10-14 周末爱心直播（抖音）" in month
    city = client.get("/public/").get_data(as_text=True)
    district = client.get("/public/districts/YL").get_data(as_text=True)
    assert "¥115.80" in city and "区县助学" in district       # the month's total; the district's own project
    for html in (store, month, city, district):
        for s in secrets:
            assert s not in html, s
    totals = client.get("/public/api/totals/2026-10").get_json()
    assert totals["figures"]["projects"]["raised_fen"] == 11580


def test_the_seven_functions_read_projects_livestream_publicity_and_convenience(session, world, client):
    from datetime import datetime, timezone

    from supermarket.disclosure import public
    _facts, pf = _month(session, world)
    from supermarket.projects import service as projects
    projects.post_update(session, world.actor(session, "manager-yl01"), pf["p"].id, text="进展", now=LATE)
    got = {f.code: f.active for f in public.functions(session, world.stores["YL01"].id,
                                                      now=datetime(2026, 11, 20, tzinfo=timezone.utc))}
    assert got == {"publicity": False, "projects": True, "donations": True, "livestream": True,
                   "distribution": True, "volunteering": False, "convenience": False}
    assert not any(f.active for f in public.functions(session, world.stores["YL02"].id,
                                                      now=datetime(2026, 11, 20, tzinfo=timezone.utc)))


def test_the_trace_shows_the_designated_project_its_spending_and_balance(session, world, client):
    facts, pf = _month(session, world)
    donation = facts["d1"].donation
    tok = tr.ensure_token(session, world.actor(session, "cashier-yl01"), donation, now=AFTER)
    view = tr.trace(session, tok.token)
    assert [(p.title, p.designated_fen, p.raised_fen, p.spent_fen, p.balance_fen) for p in view.projects] == [
        ("山区小学过冬衣物", 5000, 10580, 4000, 6580)]
    assert [(s.amount_fen, s.purpose) for s in view.projects[0].spends] == [(1000, "购买冬衣"), (3000, "购买冬衣")]  # newest first
    html = client.get(f"/public/trace/{tok.token}").get_data(as_text=True)
    import hashlib
    from tests.supermarket.projects.factories import PDF
    assert "定向项目：山区小学过冬衣物" in html and "¥65.80" in html and "未上传凭证" in html
    assert hashlib.sha256(PDF).hexdigest() in html                   # the voucher's digest, not the file
    for s in ("长沙某服装厂", "manager-yl01", "cashier-yl01"):
        assert s not in html, s
    body = client.get(f"/public/api/trace/{tok.token}").get_json()
    assert body["projects"][0]["spends"][0]["on"] == "2026-11-20" and body["projects"][0]["balance_fen"] == 6580
    # Donation 2 went to the district project: its own spending (none yet) and balance.
    other = tr.ensure_token(session, world.actor(session, "cashier-yl01"), facts["d2"].donation, now=AFTER)
    assert [(p.title, p.designated_fen, p.spent_fen, p.balance_fen, p.spends)
            for p in tr.trace(session, other.token).projects] == [("区县助学", 3000, 0, 3000, [])]
