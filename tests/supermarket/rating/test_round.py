"""A whole round end to end through the API: open, answer with evidence, submit, return one item, resubmit,
review with an override, on-site check, publicity with an objection answered, decision; every transition in
the audit chain with who and when."""
from __future__ import annotations

from sqlalchemy import select

from supermarket.audit.models import AuditEvent
from supermarket.rating.models import Assessment, Decision
from supermarket.sales.models import Sale
from tests.supermarket.rating.helpers import SELF_ANSWERS, Clock, answer, key, png, qr_urls
from tests.supermarket.standards.fixture import build


def test_a_whole_round(session, world, client, api_token, monkeypatch, tmp_path):
    build(session, world)
    clock = Clock(monkeypatch)
    auditor, manager = api_token("auditor-yl"), api_token("manager-yl01")
    admin, other = api_token("admin"), api_token("auditor-fr")

    r = client.post("/api/v1/rating/rounds", json={"name": "2026年度星级评定", "deadline": "2027-01-31",
                                                   "idempotency_key": key()}, headers=auditor)
    assert r.status_code == 201, r.get_json()
    rows = client.get("/api/v1/assessments?store=YL01", headers=manager).get_json()["assessments"]
    assert [x["status"] for x in rows] == ["draft"]
    aid = rows[0]["id"]
    assert client.get(f"/api/v1/assessments/{aid}", headers=other).status_code == 404

    # The page before submission: live score, what the star applied for lacks.
    for rule, value in SELF_ANSWERS.items():
        r = answer(client, manager, aid, rule, value, [(f"{rule}.png", png())])
        assert r.status_code == 200, r.get_json()
    bad = answer(client, manager, aid, "C-01", SELF_ANSWERS["C-01"], [("fake.png", b"not an image at all")])
    assert bad.status_code == 422 and bad.get_json()["error"]["code"] == "rating.bad_evidence"
    assert "图片" in bad.get_json()["error"]["message"]

    submit_key = key()
    r = client.post(f"/api/v1/assessments/{aid}/submit", json={"stars_applied": 4, "idempotency_key": submit_key},
                    headers=manager)
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["status"] == "submitted" and body["frozen_as_of"]
    frozen = {x["id"]: x for x in body["rules"] if x["kind"] == "auto"}
    # A replay answers the first result, writes nothing.
    again = client.post(f"/api/v1/assessments/{aid}/submit", json={"stars_applied": 4,
                                                                    "idempotency_key": submit_key}, headers=manager)
    assert again.status_code == 200 and again.headers.get("Idempotent-Replay") == "true"
    # Editing after submission is refused, in Chinese.
    r = answer(client, manager, aid, "C-02", {"checked": []})
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "rating.locked" and "不能再修改" in \
        r.get_json()["error"]["message"]
    # Another district's auditor: 404.
    r = client.post(f"/api/v1/assessments/{aid}/return", json={"items": ["C-02"], "reason": "x",
                                                               "idempotency_key": key()}, headers=other)
    assert r.status_code == 404

    r = client.post(f"/api/v1/assessments/{aid}/return", json={"items": ["C-02"], "reason": "照片看不清公示栏",
                                                               "idempotency_key": key()}, headers=auditor)
    assert r.status_code == 200 and r.get_json()["returned_items"] == ["C-02"]
    r = answer(client, manager, aid, "C-01", {"area_m2": 10, "zones": 1})
    assert r.status_code == 409  # not returned: still locked
    r = answer(client, manager, aid, "C-02", SELF_ANSWERS["C-02"], [("C-02-new.png", png(color=(0, 90, 200)))])
    assert r.status_code == 200
    versions = [(e["version"], e["current"]) for e in r.get_json()["evidence"] if e["rule"] == "C-02"]
    assert versions == [(1, False), (2, True)]

    # Later sales change the ledgers, not the frozen figures.
    sales_before = session.scalar(select(Sale.id).limit(1))
    from tests.supermarket.sales.factories import open_shift, sell, stocked_item
    goods = stocked_item(session, world, qty=5, price_fen=300, name="追加商品")
    open_shift(session, world, now=clock.now)
    sell(session, world, (goods, 1), now=clock.now)
    assert sales_before is not None
    r = client.post(f"/api/v1/assessments/{aid}/submit", json={"stars_applied": 4, "idempotency_key": key()},
                    headers=manager)
    assert r.status_code == 200, r.get_json()
    assert {x["id"]: x for x in r.get_json()["rules"] if x["kind"] == "auto"} == frozen

    # An override needs a reason; both grades are kept.
    r = client.post(f"/api/v1/assessments/{aid}/accept", json={"reviews": [{"rule": "C-01", "grade": "B"}],
                                                               "idempotency_key": key()}, headers=auditor)
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "rating.reason_required"
    r = client.post(f"/api/v1/assessments/{aid}/accept", headers=auditor, json={
        "reviews": [{"rule": "C-01", "grade": "B", "reason": "实测面积 45 平方米"}], "idempotency_key": key()})
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["status"] == "onsite"
    c01 = next(x for x in body["rules"] if x["id"] == "C-01")
    assert (c01["store_grade"], c01["grade"], c01["reason"]) == ("A", "B", "实测面积 45 平方米")
    # Out of order: a decision before the on-site check.
    r = client.post(f"/api/v1/assessments/{aid}/decide", json={"stars": 1, "idempotency_key": key()},
                    headers=auditor)
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "rating.out_of_order"

    from supermarket.clock import local_today
    from tests.factories import Role, make_user
    make_user(session, "auditor-yl-2", Role.DISTRICT_AUDITOR, district=world.districts["YL"])
    today = local_today(clock.now).isoformat()
    onsite = {"visited_on": today, "items": {"P-01": "A"}, "passed": True,
              "second_auditor": "auditor-yl", "second_secret": "changsha2023", "idempotency_key": key()}
    # The check is a scheduled step: nothing is recorded before the district schedules it.
    r = client.post(f"/api/v1/assessments/{aid}/onsite", json=onsite, headers=auditor)
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "rating.out_of_order"
    # At least two inspectors, auditors of the district, none of the store's staff.
    r = client.post(f"/api/v1/assessments/{aid}/schedule", headers=auditor, json={
        "scheduled_on": today, "inspectors": ["auditor-yl", "manager-yl01"], "idempotency_key": key()})
    assert r.status_code == 422 and "本店人员" in r.get_json()["error"]["fields"]["inspectors"][0]
    r = client.post(f"/api/v1/assessments/{aid}/schedule", headers=auditor, json={
        "scheduled_on": today, "inspectors": ["auditor-yl"], "idempotency_key": key()})
    assert r.status_code == 422 and "inspectors" in r.get_json()["error"]["fields"]
    r = client.post(f"/api/v1/assessments/{aid}/schedule", headers=auditor, json={
        "scheduled_on": today, "inspectors": ["auditor-yl", "auditor-yl-2"], "idempotency_key": key()})
    assert r.status_code == 200, r.get_json()
    r = client.post(f"/api/v1/assessments/{aid}/onsite", json=onsite, headers=auditor)
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "rating.bad_signature"
    onsite.update(second_auditor="auditor-yl-2", idempotency_key=key())
    r = client.post(f"/api/v1/assessments/{aid}/onsite", json=onsite, headers=auditor)
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["status"] == "publicity" and r.get_json()["onsite"]["auditors"] == ["auditor-yl",
                                                                                            "auditor-yl-2"]
    allowed = session.get(Assessment, __import__("uuid").UUID(aid)).stars_allowed
    assert allowed >= 1

    # Publicity: anyone objects without logging in; the decision waits for the answer.
    anon = client.application.test_client()
    r = anon.post(f"/api/v1/rating/publicity/{aid}/objections", json={"text": "该店公示栏长期未更新，请核实。"})
    assert r.status_code == 201, r.get_json()
    ref = r.get_json()["reference"]
    assert ref.startswith("YY")
    clock.advance(days=8)
    r = client.post(f"/api/v1/assessments/{aid}/decide", json={"stars": 1, "idempotency_key": key()},
                    headers=auditor)
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "rating.objection_open"
    r = client.post(f"/api/v1/assessments/{aid}/objections/{ref}/answer", headers=auditor,
                    json={"answer": "经现场核查，公示栏已于本月更新。", "idempotency_key": key()})
    assert r.status_code == 200, r.get_json()
    r = client.post(f"/api/v1/assessments/{aid}/decide", json={"stars": allowed + 1, "idempotency_key": key()},
                    headers=auditor if allowed + 1 < 4 else admin)
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "rating.stars_not_allowed"
    stars = min(allowed, 3)
    r = client.post(f"/api/v1/assessments/{aid}/decide", json={"stars": stars, "idempotency_key": key()},
                    headers=auditor)
    assert r.status_code == 201, r.get_json()
    decision = r.get_json()
    assert decision["stars"] == stars and decision["number"].startswith("YL-")
    session.expire_all()
    assert world.stores["YL01"].star_level == stars
    assert session.scalar(select(Decision.status)) == "valid"

    events = session.execute(select(AuditEvent.action, AuditEvent.actor_name, AuditEvent.at)
                             .where(AuditEvent.action.like("rating.%")).order_by(AuditEvent.at,
                                                                                  AuditEvent.seq)).all()
    actions = [(a, who) for a, who, _at in events]
    assert ("rating.round_open", "auditor-yl") in actions
    for step in (("rating.submit", "manager-yl01"), ("rating.return", "auditor-yl"),
                 ("rating.accept", "auditor-yl"), ("rating.onsite_schedule", "auditor-yl"),
                 ("rating.onsite", "auditor-yl"),
                 ("rating.objection", "anonymous"), ("rating.objection_answer", "auditor-yl"),
                 ("rating.decide", "auditor-yl")):
        assert step in actions, step
    assert [a for a, _w in actions].count("rating.submit") == 2  # the replay wrote nothing
    assert all(at is not None for *_x, at in events)

    # The certificate's QR code opens the public page that confirms the star; after a revocation it says so.
    r = client.get("/api/v1/stores/YL01/certificate.pdf", headers=manager)
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    urls = qr_urls(r.data, tmp_path)
    assert len(urls) == 1 and "/public/rating/" in urls[0]
    path = urls[0].split("://", 1)[1].split("/", 1)[1]
    page = anon.get("/" + path).get_data(as_text=True)
    assert 'data-state="valid"' in page and "星级有效" in page
    assert client.get("/api/v1/stores/FR01/certificate.pdf", headers=other).status_code == 404
    report = client.get(f"/api/v1/assessments/{aid}/report.pdf", headers=auditor)
    assert report.status_code == 200 and report.data.startswith(b"%PDF-")

    from supermarket.auth.permissions import system_actor
    from supermarket.rating import decisions
    d = session.scalar(select(Decision))
    decisions.revoke(session, system_actor("test"), d, reason="查实截留捐赠款（RL-2）")
    page = anon.get("/" + path).get_data(as_text=True)
    assert 'data-state="revoked"' in page and "星级已撤销" in page
    assert client.get("/api/v1/stores/YL01/certificate.pdf", headers=manager).status_code == 404
