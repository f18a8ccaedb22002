"""`flask standards check` sees a bad shift close and an aid override; the API's shapes and scope; bad input."""
from __future__ import annotations

from sqlalchemy import select

import json
from datetime import timedelta

from supermarket.aid.handout import Approval as AidApproval
from supermarket.sales import shifts
from supermarket.sales.inputs import ShiftClose
from supermarket.standards.models import DailyFact, ScoreSnapshot
from tests.supermarket.aid.factories import aid_item, hand_out, make_household, policy
from tests.supermarket.sales.factories import manager_ok, open_shift, sell, stocked_item
from tests.supermarket.standards.fixture import AS_OF, NOW, build


def _check(runner, *args):
    result = runner.invoke(args=["standards", "check", "--store", "YL01", "--as-of", AS_OF.isoformat(), "--json",
                                 *args])
    assert result.exit_code == 0, result.output
    store = json.loads(result.output)["stores"][0]
    return {r["id"]: r for r in store["rules"]}


def test_a_cash_difference_and_an_override_show_after_check(session, world, runner):
    goods = stocked_item(session, world, qty=10, price_fen=500)
    policy(session, value_cap_fen=10000)
    rice = aid_item(session, [world.stores["YL01"]], price_fen=3000, qty=50)
    actor = world.actor(session, "cashier-yl01")
    open_shift(session, world, now=NOW)
    sell(session, world, (goods, 1), now=NOW + timedelta(minutes=1))
    shifts.close_shift(session, actor, ShiftClose({"cash": 20500}, manager_ok()), now=NOW + timedelta(hours=1))
    household = make_household(session, world.stores["YL01"], proof_ref="证", verified_by="王",
                               now=NOW + timedelta(hours=1, minutes=1))
    hand_out(session, world, "YL01", household, [(rice, 2)], now=NOW + timedelta(hours=2))
    before = _check(runner)
    assert (before["F-02"]["grade"], before["F-02"]["value"]) == ("A", 1.0)
    assert (before["A-03"]["grade"], before["A-03"]["value"]) == ("A", 1.0)

    open_shift(session, world, now=NOW + timedelta(hours=3))
    shifts.close_shift(session, actor, ShiftClose({"cash": 20000 - 5000}, manager_ok(), note="点钞短款"),
                       now=NOW + timedelta(hours=4))
    hand_out(session, world, "YL01", household, [(rice, 2)], now=NOW + timedelta(hours=5),
             override=AidApproval("manager-yl01", "2468"), reason="急需")
    after = _check(runner)
    assert (after["F-02"]["grade"], after["F-02"]["value"], after["F-02"]["exceptions"]) == ("D", 0.5, 1)
    assert (after["A-03"]["grade"], after["A-03"]["value"], after["A-03"]["exceptions"]) == ("D", 0.0, 1)


def test_check_in_the_future_is_refused(session, world, runner):
    result = runner.invoke(args=["standards", "check", "--as-of", "2999-01-01"])
    assert result.exit_code != 0 and "核查日期不能晚于今天" in result.output
    result = runner.invoke(args=["standards", "check", "--store", "NOPE"])
    assert result.exit_code != 0 and "找不到门店 NOPE" in result.output
    assert session.query(ScoreSnapshot).count() == 0


def test_refresh_is_idempotent(session, world, runner):
    build(session, world)
    first = runner.invoke(args=["standards", "refresh", "--through", AS_OF.isoformat()])
    assert first.exit_code == 0, first.output
    facts = sorted(tuple(r) for r in session.execute(select(DailyFact.__table__)))
    again = runner.invoke(args=["standards", "refresh", "--through", AS_OF.isoformat()])
    assert again.exit_code == 0
    session.expire_all()
    assert sorted(tuple(r) for r in session.execute(select(DailyFact.__table__))) == facts
    row = session.execute(select(DailyFact.__table__).where(DailyFact.__table__.c.day == AS_OF,
                                                            DailyFact.__table__.c.store_id == world.stores["YL01"].id)).one()
    assert (row.shifts_closed, row.dists, row.dists_signed, row.sales, row.voids) == (1, 2, 2, 2, 1)


def test_the_api_shapes(session, world, client, api_token):
    build(session, world)
    headers = api_token("auditor-yl")
    std = client.get("/api/v1/standards/current", headers=headers).get_json()
    assert std["version"] == 1 and std["effective_from"] and len(std["categories"]) == 8
    assert set(std["rules"][0]) >= {"id", "category", "weight", "kind", "thresholds"}

    board = client.get(f"/api/v1/compliance?as_of={AS_OF}", headers=headers).get_json()
    assert board["as_of"] == AS_OF.isoformat() and board["standard_version"] == 1
    assert [s["store"] for s in board["stores"]] == ["YL01", "YL02"]
    first = board["stores"][0]
    assert set(first) >= {"store", "total", "stars", "red_lines", "categories"} and first["total"] == 47.32

    card = client.get(f"/api/v1/compliance/stores/YL01?as_of={AS_OF}", headers=headers).get_json()
    assert card["next_star"] == {"stars": 1, "missing": ["差 2.68 分"]}
    assert set(card["functions"]) == {"publicity", "projects", "donations", "livestream", "distribution",
                                      "volunteering", "convenience"}
    assert set(card["rules"][0]) >= {"id", "grade", "points", "value", "exceptions"}

    rows = client.get(f"/api/v1/compliance/stores/YL01/rules/F-02/exceptions?as_of={AS_OF}",
                      headers=headers).get_json()["exceptions"]
    assert len(rows) == 1 and rows[0]["url"].startswith("/sales/shifts/")


def test_the_api_is_scoped(session, world, client, api_token):
    fr = api_token("auditor-fr")
    assert client.get("/api/v1/compliance/stores/YL01", headers=fr).status_code == 404
    assert client.get("/api/v1/compliance/stores/YL01/rules/F-02/exceptions", headers=fr).status_code == 404
    assert [s["store"] for s in client.get("/api/v1/compliance", headers=fr).get_json()["stores"]] == ["FR01"]
    assert client.get("/api/v1/compliance?district=YL", headers=fr).get_json()["error"]["code"] == \
        "standards.unknown_district"
    manager = api_token("manager-yl01")
    assert [s["store"] for s in client.get("/api/v1/compliance", headers=manager).get_json()["stores"]] == ["YL01"]
    assert client.get("/api/v1/compliance/stores/YL02", headers=manager).status_code == 404
    assert client.get("/api/v1/compliance", headers=api_token("cashier-yl01")).status_code == 403
    admin = api_token("admin")
    assert len(client.get("/api/v1/compliance", headers=admin).get_json()["stores"]) == 3


def test_bad_api_input(session, world, client, api_token):
    headers = api_token("admin")
    resp = client.get("/api/v1/compliance/stores/YL01/rules/X-99/exceptions", headers=headers)
    assert (resp.status_code, resp.get_json()["error"]["code"]) == (404, "standards.unknown_rule")
    resp = client.get("/api/v1/compliance?as_of=2999-01-01", headers=headers)
    assert (resp.status_code, resp.get_json()["error"]["code"]) == (422, "standards.future_date")
    resp = client.get("/api/v1/compliance?as_of=yesterday", headers=headers)
    assert resp.status_code == 422
    assert client.get("/api/v1/compliance/stores/NOPE", headers=headers).status_code == 404


def test_flask_standards_load(session, runner, tmp_path):
    from supermarket.standards import standard
    from supermarket.standards.models import StandardVersion

    bad = tmp_path / "bad.yaml"
    bad.write_text(standard.DEFAULT_FILE.read_text(encoding="utf-8").replace("A: 0.98, B: 0.95, C: 0.90",
                                                                              "A: 0.90, B: 0.95, C: 0.98", 1),
                   encoding="utf-8")
    result = runner.invoke(args=["standards", "load", str(bad)])
    assert result.exit_code != 0 and "rules.D-01.thresholds: 阈值须按 A ≥ B ≥ C 排列" in result.output
    assert session.query(StandardVersion).count() == 0
    result = runner.invoke(args=["standards", "load", str(standard.DEFAULT_FILE), "--effective-from", "2026-01-01"])
    assert result.exit_code == 0 and "已发布标准第 1 版（37 条规则，2026-01-01 起生效）" in result.output
