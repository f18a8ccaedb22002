"""Outreach API: scoped lists, creation, errors as JSON with codes, nothing written on bad input."""
from __future__ import annotations

import io
import json
import uuid
from datetime import date

from supermarket.outreach.models import Complaint, PublicityEvent

from .helpers import png


def test_events_api_create_list_and_scope(client, session, world, api_token):
    h = api_token("cashier-yl01")
    resp = client.post("/api/v1/publicity-events", headers=h, json={"held_on": "2026-11-02", "kind": "media",
                                                                   "title": "电视台报道", "people_reached": 5000})
    assert resp.status_code == 201, resp.get_json()
    resp = client.post("/api/v1/publicity-events", headers=h, content_type="multipart/form-data", data={
        "payload": json.dumps({"held_on": "2026-11-03", "kind": "school", "title": "进校园"}),
        "photos": (io.BytesIO(png()), "p.png")})
    assert resp.status_code == 201 and len(resp.get_json()["photos"]) == 1
    assert len(client.get("/api/v1/publicity-events", headers=h).get_json()["events"]) == 2
    other = api_token("cashier-yl02")
    assert client.get("/api/v1/publicity-events", headers=other).get_json()["events"] == []
    yl01 = world.stores["YL01"].id
    assert client.get(f"/api/v1/publicity-events?store_id={yl01}", headers=other).status_code == 404


def test_event_with_a_fake_photo_is_a_422_with_the_code_and_writes_nothing(client, session, world, api_token):
    h = api_token("cashier-yl01")
    resp = client.post("/api/v1/publicity-events", headers=h, content_type="multipart/form-data", data={
        "payload": json.dumps({"held_on": "2026-11-03", "kind": "school", "title": "进校园"}),
        "photos": (io.BytesIO(b"MZ\x90\x00 not an image"), "p.jpg")})
    assert resp.status_code == 422 and resp.get_json()["error"]["code"] == "outreach.bad_upload"
    assert session.query(PublicityEvent).count() == 0
    resp = client.post("/api/v1/publicity-events", headers=h, json={"held_on": "x", "kind": "tv", "title": ""})
    assert resp.status_code == 422 and set(resp.get_json()["error"]["fields"]) >= {"held_on", "kind", "title"}


def test_convenience_services_api(client, session, world, api_token):
    mh, ch = api_token("manager-yl01"), api_token("cashier-yl01")
    kind = client.post("/api/v1/convenience-services/types", headers=mh, json={"name": "以物换物"}).get_json()
    assert client.post("/api/v1/convenience-services/types", headers=mh, json={"name": "以物换物"}).status_code == 409
    key = str(uuid.uuid4())
    first = client.post("/api/v1/convenience-services", headers=ch, json={"type_id": kind["id"], "idempotency_key": key})
    assert first.status_code == 201 and first.get_json()["count"] == 1
    again = client.post("/api/v1/convenience-services", headers=ch, json={"type_id": kind["id"], "idempotency_key": key})
    assert again.status_code == 200 and again.get_json()["id"] == first.get_json()["id"]
    assert len(client.get("/api/v1/convenience-services", headers=ch).get_json()["services"]) == 1
    foreign = client.post("/api/v1/convenience-services", headers=api_token("cashier-fr01"), json={"type_id": kind["id"]})
    assert foreign.status_code == 404 and foreign.get_json()["error"]["code"] == "outreach.unknown_service_type"


def test_complaints_and_trainings_api(client, session, world, api_token):
    ch = api_token("cashier-yl01")
    resp = client.post("/api/v1/complaints", headers=ch, json={"channel": "phone", "category": "price",
                                                             "text": "价格太高", "contact": "13900001111"})
    assert resp.status_code == 201
    body = resp.get_json()
    assert body["reference"].startswith("TS") and body["contact"] == "139****1111"
    assert client.post(f"/api/v1/complaints/{body['id']}/answer", headers=ch, json={"answer": "x"}).status_code == 403
    mh = api_token("manager-yl01")
    ok = client.post(f"/api/v1/complaints/{body['id']}/answer", headers=mh, json={"answer": "已调价"})
    assert ok.status_code == 200 and ok.get_json()["answered_at"]
    again = client.post(f"/api/v1/complaints/{body['id']}/answer", headers=mh, json={"answer": "再答"})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "outreach.already_answered"
    assert client.get("/api/v1/complaints", headers=api_token("auditor-fr")).get_json()["complaints"] == []
    assert len(client.get("/api/v1/complaints", headers=api_token("auditor-yl")).get_json()["complaints"]) == 1
    t = client.post("/api/v1/trainings", headers=mh, json={
        "held_on": date(2026, 11, 1).isoformat(), "topic": "消防", "trainer": "消防站",
        "user_ids": [str(world.users["cashier-yl01"].id)]})
    assert t.status_code == 201 and t.get_json()["attendees"] == 1
    bad = client.post("/api/v1/trainings", headers=mh, json={
        "held_on": "2026-11-01", "topic": "x", "trainer": "y", "user_ids": [str(world.users["cashier-fr01"].id)]})
    assert bad.status_code == 404 and bad.get_json()["error"]["code"] == "outreach.unknown_attendee"
    assert session.query(Complaint).count() == 1
