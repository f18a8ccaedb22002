"""The board, a flag's page, resolve and close, on pages and through the API, for every role: nobody sees a
flag outside their scope, and a manager never sees or resolves a flag about themselves."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from supermarket.audit.models import AuditEvent
from supermarket.flags.models import Flag, FlagThreshold
from tests.supermarket.sales.factories import NOW, open_shift, sell, stocked_item

from .helpers import flags_of, run


def _burst(session, world, username, store):
    item = stocked_item(session, world, store=store, qty=25, price_fen=300, name=f"纸巾{username}")
    open_shift(session, world, username)
    for i in range(20):
        sell(session, world, (item, 1), username=username, now=NOW + timedelta(seconds=20 * i))


@pytest.fixture
def planted(session, world):
    """Bursts by cashier-yl01, by manager-yl01 (a flag about the manager) and by cashier-fr01."""
    _burst(session, world, "cashier-yl01", "YL01")
    _burst(session, world, "manager-yl01", "YL01")
    _burst(session, world, "cashier-fr01", "FR01")
    assert run(session, NOW + timedelta(hours=2)) == {"sales.burst": 3}
    by_person = {}
    for f in flags_of(session, "sales.burst"):
        by_person[f.people[0]["id"]] = f
    return {name: by_person[str(world.users[name].id)] for name in ("cashier-yl01", "manager-yl01", "cashier-fr01")}


def _ids(resp) -> set[str]:
    return {f["id"] for f in resp.get_json()["flags"]}


def test_each_role_sees_its_scope_and_a_manager_never_their_own(session, world, login, planted):
    ids = {k: str(v.id) for k, v in planted.items()}
    assert _ids(login("admin").get("/api/v1/flags")) == set(ids.values())
    assert _ids(login("auditor-yl").get("/api/v1/flags")) == {ids["cashier-yl01"], ids["manager-yl01"]}
    assert _ids(login("auditor-fr").get("/api/v1/flags")) == {ids["cashier-fr01"]}
    assert _ids(login("manager-yl01").get("/api/v1/flags")) == {ids["cashier-yl01"]}
    assert _ids(login("manager-fr01").get("/api/v1/flags")) == {ids["cashier-fr01"]}
    client = login("manager-yl01")
    assert client.get(f"/flags/{ids['manager-yl01']}").status_code == 404
    assert client.get(f"/flags/{ids['cashier-fr01']}").status_code == 404
    board = client.get("/flags").get_data(as_text=True)
    assert ids["cashier-yl01"] in board and ids["manager-yl01"] not in board
    assert "门店标记FR01" not in board
    assert login("auditor-fr").get(f"/flags/{ids['cashier-yl01']}").status_code == 404
    assert login("cashier-yl01").get("/flags").status_code == 403
    assert login("cashier-yl01").get("/api/v1/flags").status_code == 403


def test_the_api_lists_flags_in_the_documented_shape(session, world, login, planted):
    body = login("auditor-yl").get("/api/v1/flags?kind=sales.burst&store=YL01").get_json()
    flag = body["flags"][0]
    assert set(flag) >= {"id", "kind", "store", "severity", "status", "raised_at", "people", "evidence"}
    assert flag["store"] == "YL01" and flag["kind"] == "sales.burst" and flag["status"] == "open"
    assert len(flag["evidence"]) == 20 and flag["evidence"][0]["url"].startswith("/sales/")
    assert flag["people"][0]["type"] == "user"
    bad = login("auditor-yl").get("/api/v1/flags?kind=sales.nonsense")
    assert bad.status_code == 422 and bad.get_json()["error"]["code"] == "flags.unknown_kind"


def _written(session):
    session.expire_all()
    return (session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action.like("flags.%"))),
            tuple(session.scalars(select(Flag.status).order_by(Flag.id))))


def test_resolving_needs_a_note_and_the_scope_and_never_oneself(session, world, login, planted):
    before = _written(session)
    auditor = login("auditor-yl")
    url = f"/api/v1/flags/{planted['cashier-yl01'].id}/resolve"
    r = auditor.post(url, json={"outcome": "explained", "note": ""})
    assert r.status_code == 422 and "note" in r.get_json()["error"]["fields"]
    r = auditor.post(url, json={"outcome": "maybe", "note": "看过"})
    assert r.status_code == 422
    r = login("auditor-fr").post(url, json={"outcome": "explained", "note": "看过"})
    assert r.status_code == 404
    own = f"/api/v1/flags/{planted['manager-yl01'].id}/resolve"
    r = login("manager-yl01").post(own, json={"outcome": "explained", "note": "我自己的"})
    assert r.status_code == 404 and r.get_json()["error"]["message"]
    assert _written(session) == before


def test_explain_then_close_through_the_api_with_audit_events(session, world, login, planted):
    flag = planted["cashier-yl01"]
    manager = login("manager-yl01")
    r = manager.post(f"/api/v1/flags/{flag.id}/resolve", json={"outcome": "explained", "note": "店庆促销，小票已核对"})
    assert r.status_code == 200 and r.get_json()["status"] == "explained"
    assert manager.post(f"/api/v1/flags/{flag.id}/close").status_code == 403
    again = manager.post(f"/api/v1/flags/{flag.id}/resolve", json={"outcome": "confirmed", "note": "再处理"})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "flags.not_open"
    r = login("auditor-yl").post(f"/api/v1/flags/{flag.id}/close")
    assert r.status_code == 200 and r.get_json()["status"] == "closed"
    actions = list(session.scalars(select(AuditEvent.action).where(AuditEvent.subject_id == str(flag.id))
                                   .order_by(AuditEvent.at, AuditEvent.seq)))
    assert actions == ["flags.explained", "flags.closed"]
    assert run(session, NOW + timedelta(hours=3)) == {}


def test_the_flag_page_shows_evidence_and_resolves_with_a_note_beside_the_field(session, world, login, planted):
    flag = planted["cashier-yl01"]
    client = login("auditor-yl")
    page = client.get(f"/flags/{flag.id}").get_data(as_text=True)
    assert "evidence-link" in page and "/sales/" in page
    r = client.post(f"/flags/{flag.id}/resolve", data={"outcome": "confirmed", "note": ""})
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and "请填写说明" in html
    assert re.search(r'<textarea name="note"[^>]*aria-invalid="true"', html) and 'class="alert"' in html
    assert 'value="confirmed" aria-invalid' not in html and 'value="confirmed" checked' in html  # the choice kept
    r = client.post(f"/flags/{flag.id}/resolve", data={"outcome": "confirmed", "note": "查实刷单"})
    assert r.status_code == 302
    session.expire_all()
    assert session.get(Flag, flag.id).status == "confirmed"
    history = client.get(f"/flags/{planted['manager-yl01'].id}").get_data(as_text=True)
    assert "flags-board" not in history  # the page renders


def test_the_board_filters_and_counts(session, world, login, planted):
    client = login("admin")
    page = client.get("/flags?district=FR").get_data(as_text=True)
    assert str(planted["cashier-fr01"].id) in page and str(planted["cashier-yl01"].id) not in page
    person = world.users["manager-yl01"].id
    page = client.get(f"/flags?person={person}&status=").get_data(as_text=True)
    assert str(planted["manager-yl01"].id) in page and str(planted["cashier-yl01"].id) not in page
    assert client.get("/flags?status=bogus").status_code == 422


@pytest.mark.parametrize("kind, shown", [("aid", "救助发放：全部"), ("sales", "销售：全部"), ("sales.burst", None)])
def test_the_kind_filter_shows_the_chosen_area_or_kind(session, world, login, planted, kind, shown):
    page = login("admin").get(f"/flags?kind={kind}&status=").get_data(as_text=True)
    kind_select = re.search(r'<select name="kind">(.*?)</select>', page, re.S).group(1)
    selected = re.findall(r'<option value="([^"]*)" selected>([^<]*)<', kind_select)
    assert [value for value, _ in selected] == [kind]
    if shown:
        assert selected[0][1] == shown
    has_burst = str(planted["cashier-yl01"].id) in page
    assert has_burst == kind.startswith("sales")


def test_thresholds_are_edited_by_the_federation_and_nonsense_is_refused(session, world, login):
    admin = login("admin")
    assert admin.get("/flags/thresholds").status_code == 200
    for bad in ("0", "-5", "abc"):
        r = admin.post("/flags/thresholds", data={"kind": "sales.burst", "enabled": "on", "window_minutes": bad})
        html = r.get_data(as_text=True)
        assert r.status_code == 422
        assert re.search(rf'name="window_minutes"[^>]*aria-invalid="true"[^>]*>', html), html
        assert f'value="{bad}"' in html and html.count('aria-invalid="true"') == 1  # only the sent card's field
    r = admin.post("/flags/thresholds", data={"kind": "sales.unknown", "window_minutes": "5"})
    assert r.status_code == 422 and 'class="alert"' in r.get_data(as_text=True)  # no card: the banner says why
    assert session.scalar(select(func.count()).select_from(FlagThreshold)) == 0
    r = admin.post("/flags/thresholds", data={"kind": "sales.burst", "enabled": "on", "window_minutes": "15"})
    assert r.status_code == 302
    assert session.get(FlagThreshold, "sales.burst").params == {"window_minutes": 15}
    assert login("auditor-yl").post("/flags/thresholds",
                                    data={"kind": "sales.burst", "window_minutes": "1"}).status_code == 403


def test_flask_flags_detect_is_idempotent(session, world, runner):
    _burst(session, world, "cashier-yl01", "YL01")
    from unittest import mock

    with mock.patch("supermarket.flags.cli.utcnow", return_value=NOW + timedelta(hours=1)):
        first = runner.invoke(args=["flags", "detect", "--since", "2026-11-01"])
        second = runner.invoke(args=["flags", "detect"])
    assert "sales.burst: 1" in first.output and "raised: 1" in first.output
    assert "raised: 0" in second.output
