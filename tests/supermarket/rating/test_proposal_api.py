"""`POST /api/v1/rating/proposals/<id>/confirm`: the district's auditor confirms a downgrade proposal (a new
decision one star lower, an audit event); a replay answers the same decision; another district's auditor gets
404; the store manager 403; a second confirmation with a new key is out of order and writes nothing."""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import func, select

from supermarket.audit.models import AuditEvent
from supermarket.rating.models import Decision, Proposal
from tests.supermarket.rating.helpers import key, rated_store

DECIDED = datetime(2026, 1, 10, 2, 0, tzinfo=timezone.utc)


def _count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def _proposal(session, world):
    d = rated_store(session, world, "YL01", 3, decided_at=DECIDED, valid_from=date(2026, 1, 10))
    p = Proposal(store_id=d.store_id, decision_id=d.id, key=f"below:{d.id}:2026-09-30", kind="downgrade",
                 reason="连续两个季度低于三星标准", status="proposed")
    session.add(p)
    session.commit()
    return d, p


def test_confirm_a_downgrade_through_the_api(session, world, client, api_token):
    old, p = _proposal(session, world)
    auditor, other, manager = api_token("auditor-yl"), api_token("auditor-fr"), api_token("manager-yl01")
    url = f"/api/v1/rating/proposals/{p.id}/confirm"

    events = _count(session, AuditEvent)
    assert client.post(url, json={"idempotency_key": key()}, headers=other).status_code == 404
    assert client.post(url, json={"idempotency_key": key()}, headers=manager).status_code == 403
    assert client.post("/api/v1/rating/proposals/nope/confirm", json={}, headers=auditor).status_code == 404
    assert _count(session, AuditEvent) == events and _count(session, Decision) == 1

    k = key()
    resp = client.post(url, json={"idempotency_key": k}, headers=auditor)
    assert resp.status_code == 201, resp.get_json()
    body = resp.get_json()
    assert (body["proposal"], body["status"], body["decision"]["stars"]) == (str(p.id), "confirmed", 2)
    assert session.get(Decision, old.id).status == "downgraded"
    assert world.stores["YL01"].star_level == 2
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "rating.downgrade")).one()
    assert event.actor_name == "auditor-yl" and str(p.id) in event.summary

    again = client.post(url, json={"idempotency_key": k}, headers=auditor)
    assert again.status_code == 200 and again.headers["Idempotent-Replay"] == "true"
    assert again.get_json()["decision"]["id"] == body["decision"]["id"]
    late = client.post(url, json={"idempotency_key": key()}, headers=auditor)
    assert late.status_code == 409, late.get_json()
    assert late.get_json()["error"]["code"] == "rating.out_of_order"
    assert _count(session, Decision) == 2
