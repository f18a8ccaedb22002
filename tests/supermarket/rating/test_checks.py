"""The scheduled on-site check and what the central check makes of it; the round's closed state; the 15-day limit
for the decision; rejecting a downgrade proposal."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from supermarket.audit.models import AuditEvent
from supermarket.clock import local_today, utcnow
from supermarket.errors import Forbidden
from supermarket.rating import decisions, onsite, service
from supermarket.rating.models import (
    Answer,
    Assessment,
    Decision,
    Proposal,
    RatingRound,
    Review,
)
from supermarket.standards import service as std_service
from supermarket.standards import standard as std
from supermarket.standards.metrics import Value
from tests.factories import Role, actor_for, make_user
from tests.supermarket.rating.helpers import key, png, rated_store


@pytest.fixture
def perfect_ledgers(monkeypatch):
    """Every auto rule at its A threshold and every function active: what is left to decide ★4/★5 is the
    rating's part (self rules, audit rules, the on-site gate)."""
    def compute_all(ctx, metrics):
        doc = std.in_force(ctx.session)
        best = {r.metric: float(r.thresholds["A"]) for r in doc.rules if r.kind == "auto" and r.metric}
        best.update(expired_outbound=0.0, signed_distributions=1.0)
        return {m: {sid: Value(best.get(m, 1.0), 1, 1) for sid in ctx.store_ids} for m in metrics}
    monkeypatch.setattr("supermarket.standards.service.compute_all", compute_all)
    monkeypatch.setattr("supermarket.standards.service.functions_active",
                        lambda facts, active=frozenset(): dict.fromkeys(
                            ("publicity", "projects", "donations", "livestream", "distribution", "volunteering",
                             "convenience"), True))


def _accepted(session, world, code="YL01", *, created=None) -> Assessment:
    """An assessment the district accepted for 5 stars (every self rule A), waiting for its on-site check."""
    store = world.stores[code]
    doc = std.in_force(session)
    now = created or utcnow()
    rnd = RatingRound(name=f"评定{now:%H%M%S%f}", district_id=store.district_id, standard_version=doc.version,
                      deadline=local_today(now) + timedelta(days=30), opened_by="auditor-yl", created_at=now)
    session.add(rnd)
    session.flush()
    a = Assessment(round_id=rnd.id, store_id=store.id, status="onsite", standard_version=doc.version,
                   stars_applied=5, returned_items=[], accepted_by="auditor-yl", accepted_at=now, created_at=now)
    session.add(a)
    session.flush()
    for r in doc.rules:
        if r.kind == "self":
            session.add(Answer(assessment_id=a.id, rule_id=r.id, value={}, grade="A", answered_by="manager-yl01",
                               answered_at=now))
            session.add(Review(assessment_id=a.id, rule_id=r.id, store_grade="A", grade="A", reviewed_by="auditor-yl",
                               reviewed_at=now))
    session.commit()
    return a


def _card(session, world, code="YL01"):
    return std_service.check(session, world.actor(session, "auditor-yl"), store_code=code)[0]


def _check(session, world, a, result):
    make_user(session, "auditor-yl-2", Role.DISTRICT_AUDITOR, district=world.districts["YL"])
    auditor = world.actor(session, "auditor-yl")
    today = local_today(utcnow())
    onsite.schedule(session, auditor, a.id, scheduled_on=today, inspectors=["auditor-yl", "auditor-yl-2"])
    onsite.onsite(session, auditor, a.id, visited_on=today, items={"P-01": result}, notes={"P-01": "导出已脱敏"},
                  passed=None, second_auditor="auditor-yl-2", second_secret="changsha2023",
                  item_photos={"P-01": [__import__("supermarket.uploads", fromlist=["Upload"]).Upload("p.png", png())]})


def test_without_the_rating_four_and_five_stars_stay_out_of_reach(session, world, perfect_ledgers):
    card = _card(session, world)
    rules = {r.id: r for r in card.rules}
    assert rules["P-01"].grade is None and rules["C-01"].grade is None
    assert card.total == 91 and card.stars == 3
    assert "需通过现场核查" in card.next_star.missing


def test_a_check_met_reaches_five_stars_in_the_central_check(session, world, perfect_ledgers):
    a = _accepted(session, world)
    _check(session, world, a, "met")
    card = _card(session, world)
    rules = {r.id: r for r in card.rules}
    assert (rules["P-01"].grade, rules["P-01"].points) == ("A", 2.0)
    assert "现场核查" in rules["P-01"].note
    assert rules["C-01"].grade == "A"
    assert card.total == 100 and card.stars == 5
    assert session.get(Assessment, a.id).status == "publicity"


def test_a_check_partly_met_gives_four_stars(session, world, perfect_ledgers):
    a = _accepted(session, world)
    _check(session, world, a, "partly")
    card = _card(session, world)
    # P-01 partly = C: the privacy category keeps 2 + 2 × 0.33 of 4 points, 66.5 %: enough for ★4, not ★5 (70 %).
    assert {r.id: r.grade for r in card.rules}["P-01"] == "C"
    assert card.stars == 4


def test_a_check_not_met_fails_the_gate_and_a_new_round_starts_afresh(session, world, perfect_ledgers):
    a = _accepted(session, world)
    _check(session, world, a, "not_met")
    card = _card(session, world)
    assert card.stars == 3 and "需通过现场核查" in card.next_star.missing

    # The current round is the latest: a new round, not accepted yet, counts nothing of the old one.
    b = _accepted(session, world, created=utcnow() + timedelta(seconds=1))
    b.accepted_at = None
    session.commit()
    rules = {r.id: r.grade for r in _card(session, world).rules}
    assert rules["P-01"] is None and rules["C-01"] is None


def test_scheduling_and_recording_are_refused_field_by_field(session, world, client, login):
    a = _accepted(session, world)
    make_user(session, "auditor-yl-2", Role.DISTRICT_AUDITOR, district=world.districts["YL"])
    make_user(session, "auditor-fr-2", Role.DISTRICT_AUDITOR, district=world.districts["FR"])
    login("auditor-yl")
    today = local_today(utcnow())
    r = client.post(f"/rating/assessments/{a.id}/schedule",
                    data={"scheduled_on": today.isoformat(), "inspectors": ["auditor-yl", "auditor-fr-2"]})
    page = r.get_data(as_text=True)
    assert r.status_code == 422 and "auditor-fr-2 不是本区县的审核员" in page and 'aria-invalid="true"' in page
    r = client.post(f"/rating/assessments/{a.id}/schedule", data={
        "scheduled_on": (today - timedelta(days=1)).isoformat(), "inspectors": ["auditor-yl", "auditor-yl-2"]})
    assert r.status_code == 422 and "核查日期不能早于今天" in r.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(AuditEvent)
                          .where(AuditEvent.action == "rating.onsite_schedule")) == 0
    r = client.post(f"/rating/assessments/{a.id}/schedule", data={
        "scheduled_on": (today + timedelta(days=3)).isoformat(), "inspectors": ["auditor-yl", "auditor-yl-2"]})
    assert r.status_code == 302

    # The store sees the visit.
    login("manager-yl01")
    page = client.get("/rating/stores/YL01").get_data(as_text=True)
    assert (today + timedelta(days=3)).isoformat() in page and "auditor-yl-2" in page

    # Recorded before the scheduled day: refused at the field; an item left out: refused at the item.
    login("auditor-yl")
    r = client.post(f"/rating/assessments/{a.id}/onsite", data={
        "visited_on": today.isoformat(), "items.P-01": "met", "second_auditor": "auditor-yl-2",
        "second_secret": "changsha2023"}, content_type="multipart/form-data")
    assert r.status_code == 422 and "核查日期须在安排的日期" in r.get_data(as_text=True)
    client.post(f"/rating/assessments/{a.id}/schedule",
                data={"scheduled_on": today.isoformat(), "inspectors": ["auditor-yl", "auditor-yl-2"]})
    r = client.post(f"/rating/assessments/{a.id}/onsite", data={
        "visited_on": today.isoformat(), "second_auditor": "auditor-yl-2", "second_secret": "changsha2023"},
        content_type="multipart/form-data")
    assert r.status_code == 422 and "请选择：达标、部分达标或未达标" in r.get_data(as_text=True)
    assert session.get(Assessment, a.id).status == "onsite"

    # An auditor of the district who is not scheduled does not record the check.
    third = actor_for(session, make_user(session, "auditor-yl-3", Role.DISTRICT_AUDITOR,
                                         district=world.districts["YL"]))
    with pytest.raises(Forbidden):
        onsite.onsite(session, third, a.id, visited_on=today, items={"P-01": "met"}, passed=None,
                      second_auditor="auditor-yl", second_secret="changsha2023")
    session.rollback()
    assert session.get(Assessment, a.id).status == "onsite"


def test_a_closed_round_changes_nothing(session, world, client, login, api_token):
    auditor = world.actor(session, "auditor-yl")
    rnd = service.open_round(session, auditor, name="2026年度星级评定", deadline=local_today(utcnow()) + timedelta(days=5))
    a = session.scalar(select(Assessment).where(Assessment.round_id == rnd.id,
                                                Assessment.store_id == world.stores["YL01"].id))
    url = f"/api/v1/rating/rounds/{rnd.id}/close"
    r = client.post(url, json={"idempotency_key": key()}, headers=api_token("auditor-yl"))
    assert r.status_code == 409 and "截止日期" in r.get_json()["error"]["message"]
    assert client.post(url, json={}, headers=api_token("auditor-fr")).status_code == 404
    assert client.post(url, json={}, headers=api_token("admin")).status_code == 403

    later = utcnow() + timedelta(days=6)
    a.status = "publicity"
    session.commit()
    with pytest.raises(Exception) as e:
        decisions.close_round(session, auditor, rnd.id, now=later)
    assert "尚未作出决定" in str(e.value)
    session.rollback()
    a.status = "draft"
    session.commit()
    closed = decisions.close_round(session, auditor, rnd.id, now=later)
    assert (closed.status, closed.closed_by) == ("closed", "auditor-yl")
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "rating.round_close")).one()
    assert event.actor_name == "auditor-yl"

    r = client.application.test_client().post(f"/api/v1/assessments/{a.id}/submit", headers=api_token("manager-yl01"),
                                              json={"stars_applied": 1, "idempotency_key": key()})
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "rating.round_closed"
    login("manager-yl01")
    page = client.get(f"/rating/assessments/{a.id}").get_data(as_text=True)
    assert 'id="round-closed"' in page and "submit-form" not in page
    login("auditor-yl")
    assert 'id="round-closed"' in client.get(f"/rating/rounds/{rnd.id}").get_data(as_text=True)


def _in_publicity(session, world, ended_days_ago: int) -> Assessment:
    a = _accepted(session, world)
    a.status, a.stars_allowed, a.stars_applied = "publicity", 2, 2
    a.publicity_ends = utcnow() - timedelta(days=ended_days_ago)
    session.commit()
    return a


def test_a_decision_past_the_fifteen_days_needs_its_reason(session, world, client, login, api_token):
    a = _in_publicity(session, world, ended_days_ago=16)
    due = decisions.decision_due(a)
    assert due == local_today(a.publicity_ends) + timedelta(days=15) and decisions.decision_overdue(a, local_today(utcnow()))
    login("admin")
    rnd_page = client.get(f"/rating/rounds/{a.round_id}").get_data(as_text=True)
    assert "决定逾期（期限 " + due.isoformat() in rnd_page
    assert 'id="decision-overdue"' in client.get(f"/rating/assessments/{a.id}").get_data(as_text=True)

    auditor, client = api_token("auditor-yl"), client.application.test_client()  # the API without the page's login
    url = f"/api/v1/assessments/{a.id}/decide"
    r = client.post(url, json={"stars": 2, "idempotency_key": key()}, headers=auditor)
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "rating.decision_late"
    assert "late_reason" in r.get_json()["error"]["fields"]
    assert session.scalar(select(func.count()).select_from(Decision)) == 0
    r = client.post(url, json={"stars": 2, "late_reason": "异议核实需补充调查", "idempotency_key": key()},
                    headers=auditor)
    assert r.status_code == 201, r.get_json()
    d = session.scalars(select(Decision)).one()
    assert d.late_reason == "异议核实需补充调查"
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "rating.decide")).one()
    assert "异议核实需补充调查" in event.summary


def test_a_decision_within_the_fifteen_days_needs_no_reason(session, world, client, api_token):
    a = _in_publicity(session, world, ended_days_ago=14)
    r = client.post(f"/api/v1/assessments/{a.id}/decide", json={"stars": 2, "idempotency_key": key()},
                    headers=api_token("auditor-yl"))
    assert r.status_code == 201, r.get_json()
    assert session.scalars(select(Decision)).one().late_reason == ""


def test_rejecting_a_downgrade_proposal(session, world, client, login, api_token):
    d = rated_store(session, world, "YL01", 3, decided_at=utcnow() - timedelta(days=200),
                    valid_from=date.today() - timedelta(days=200))
    p = Proposal(store_id=d.store_id, decision_id=d.id, key=f"below:{d.id}:x", kind="downgrade",
                 reason="连续两个季度低于三星标准", status="proposed")
    session.add(p)
    session.commit()
    url = f"/api/v1/rating/proposals/{p.id}/reject"
    auditor = api_token("auditor-yl")
    assert client.post(url, json={"reason": "季度数据含一次系统故障", "idempotency_key": key()},
                       headers=api_token("auditor-fr")).status_code == 404
    r = client.post(url, json={"reason": "", "idempotency_key": key()}, headers=auditor)
    assert r.status_code == 422 and "reason" in r.get_json()["error"]["fields"]
    k = key()
    r = client.post(url, json={"reason": "季度数据含一次系统故障", "idempotency_key": k}, headers=auditor)
    assert r.status_code == 200, r.get_json()
    assert (r.get_json()["status"], r.get_json()["rejection_reason"]) == ("rejected", "季度数据含一次系统故障")
    again = client.post(url, json={"reason": "季度数据含一次系统故障", "idempotency_key": k}, headers=auditor)
    assert again.headers.get("Idempotent-Replay") == "true"
    r = client.post(f"/api/v1/rating/proposals/{p.id}/confirm", json={"idempotency_key": key()}, headers=auditor)
    assert r.status_code == 409
    session.expire_all()
    assert session.get(Decision, d.id).status == "valid" and world.stores["YL01"].star_level == 3
    assert session.scalar(select(func.count()).select_from(AuditEvent)
                          .where(AuditEvent.action == "rating.proposal_reject")) == 1
    login("manager-yl01")
    page = client.get("/rating/stores/YL01").get_data(as_text=True)
    assert "已驳回：季度数据含一次系统故障" in page
