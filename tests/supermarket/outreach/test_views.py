"""Outreach pages: the public complaint round trip without login, the quick log, uploads through forms, and
personal data kept off public pages."""
from __future__ import annotations

import io
import re
from datetime import timedelta

from sqlalchemy import select

from supermarket.models import utcnow
from supermarket.outreach import service
from supermarket.outreach.models import Complaint, PublicityEvent, ServiceLog

from .helpers import png


def test_public_complaint_round_trip_without_login(app, session, world, login):
    anon = app.test_client()
    page = anon.get("/public/complaints")
    assert page.status_code == 200 and "投诉与建议" in page.get_data(as_text=True)
    assert "门店标记" not in page.get_data(as_text=True)  # codes and addresses only
    resp = anon.post("/public/complaints", data={"store_code": "YL01", "category": "goods", "text": "鸡蛋破了三个",
                                                 "contact": "13812345678"},
                     environ_base={"REMOTE_ADDR": "203.0.113.5"})
    assert resp.status_code == 302
    reference = resp.location.rsplit("/", 1)[-1]
    status = anon.get(resp.location).get_data(as_text=True)
    assert reference in status and "处理中" in status
    assert "13812345678" not in status and "138****5678" not in status and "鸡蛋破了三个" not in status

    row = session.scalar(select(Complaint).where(Complaint.reference == reference))
    manager = login("manager-yl01")
    detail = manager.get(f"/outreach/complaints/{row.id}").get_data(as_text=True)
    assert "138****5678" in detail and "13812345678" not in detail
    assert manager.post(f"/outreach/complaints/{row.id}", data={"answer": "已更换并致歉"}).status_code == 302
    manager.post("/logout")

    status = anon.get(f"/public/complaints/{reference}").get_data(as_text=True)
    assert "已答复" in status and "已更换并致歉" in status
    # the look-up form takes a lower-case reference too
    assert anon.get(f"/public/complaints/lookup?reference={reference.lower()}").location.endswith(reference)
    assert anon.get("/public/complaints/TS99999999").status_code == 404


def test_public_form_errors_are_shown_beside_the_fields_and_flood_is_refused(app, session, world):
    anon = app.test_client()
    resp = anon.post("/public/complaints", data={"store_code": "", "category": "goods", "text": ""})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "error-text" in body
    for i in range(5):
        assert anon.post("/public/complaints", data={"store_code": "YL02", "category": "other", "text": f"建议{i}"},
                         environ_base={"REMOTE_ADDR": "198.51.100.1"}).status_code == 302
    resp = anon.post("/public/complaints", data={"store_code": "YL02", "category": "other", "text": "第六条"},
                     environ_base={"REMOTE_ADDR": "198.51.100.1"})
    assert resp.status_code == 429 and "频繁" in resp.get_data(as_text=True)
    resp = anon.post("/public/complaints", data={"store_code": "YL02", "category": "other", "text": "机器人",
                                                 "website": "http://x"}, environ_base={"REMOTE_ADDR": "192.0.2.1"})
    assert resp.status_code == 422
    assert session.query(Complaint).count() == 5


def test_the_quick_log_takes_a_type_and_one_tap(app, session, world, login):
    repair = service.add_service_type(session, world.actor(session, "manager-yl01"), "小家电维修", now=utcnow())
    client = login("cashier-yl01")
    page = client.get("/outreach/services").get_data(as_text=True)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    data = {"type_id": str(repair.id), "idempotency_key": key, "count": "1", "member_code": ""}
    assert client.post("/outreach/services", data=data).status_code == 302
    assert client.post("/outreach/services", data=data).status_code == 302  # the double tap
    assert session.query(ServiceLog).count() == 1
    assert "今日 1 次" in client.get("/outreach/services").get_data(as_text=True)
    resp = client.post("/outreach/services", data={"count": "1"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "请选择服务类型" in html
    assert f'value="{repair.id}" aria-invalid="true"' in html
    resp = client.post("/outreach/services", data={"type_id": str(repair.id), "count": "999"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and re.search(r'name="count"[^>]*value="999"[^>]*aria-invalid="true"', html)
    manager = login("manager-yl01")
    resp = manager.post(f"/outreach/services/types/{repair.id}/toggle", data={})
    assert resp.status_code == 422 and 'class="alert"' in resp.get_data(as_text=True)


def test_event_form_refuses_a_fake_photo_and_keeps_the_values(app, session, world, login):
    client = login("cashier-yl01")
    day = (utcnow() - timedelta(days=1)).date().isoformat()
    resp = client.post("/outreach/events", content_type="multipart/form-data", data={
        "held_on": day, "kind": "school", "title": "进校园", "photos": (io.BytesIO(b"%PDF-1.4 fake"), "a.png")})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "进校园" in body and "JPEG" in body
    resp = client.post("/outreach/events", content_type="multipart/form-data", data={
        "held_on": day, "kind": "school", "title": "进校园", "photos": (io.BytesIO(png()), "a.png")})
    assert resp.status_code == 302
    event = session.scalar(select(PublicityEvent))
    photo = event.photos[0]
    assert client.get(f"/outreach/files/{photo.id}").data == png()
    other = app.test_client()
    other.post("/login", data={"username": "cashier-yl02", "password": "changsha2023"})
    assert other.get(f"/outreach/files/{photo.id}").status_code == 404


def test_profile_page_saves_zones_hours_and_a_rule_document(app, session, world, login):
    from .helpers import pdf

    client = login("manager-yl01")
    assert client.post("/outreach/profile/basics", data={"floor_area_m2": "75", "legal_form": "charity_org",
                                                         "operator_name": "岳麓区慈善会",
                                                         "zones": ["intake", "sales"]}).status_code == 302
    assert client.post("/outreach/profile/hours", data={"day0_open": "09:00", "day0_close": "17:30"}
                       ).status_code == 302
    resp = client.post("/outreach/profile/hours", data={"day1_open": "18:00", "day1_close": "09:00"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "关门时间须晚于开门时间" in html
    assert re.search(r'name="day1_open" value="18:00"[^>]*aria-invalid="true"', html), html
    resp = client.post("/outreach/profile/hours", data={"day2_open": "09:00"})
    assert re.search(r'name="day2_close"[^>]*aria-invalid="true"', resp.get_data(as_text=True))
    resp = client.post("/outreach/profile/hours", data={"day3_open": "nine", "day3_close": "17:00"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and html.count('aria-invalid="true"') == 1
    assert re.search(r'name="day3_open" value="nine"[^>]*aria-invalid="true"', html)
    resp = client.post("/outreach/profile/documents", content_type="multipart/form-data",
                       data={"kind": "rule", "code": "finance"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "请选择文件" in html and html.count('aria-invalid="true"') == 1
    assert re.search(r'name="code" value="finance">\s*<input type="file"[^>]*aria-invalid="true"', html)
    assert client.post("/outreach/profile/documents", content_type="multipart/form-data", data={
        "kind": "rule", "code": "finance", "file": (io.BytesIO(pdf()), "财务制度.pdf")}).status_code == 302
    view = service.get_profile(session, world.actor(session, "manager-yl01"))
    assert view.profile.floor_area_m2 == 75 and view.present("zone", "sales") and view.present("rule", "finance")
    assert view.weekly_hours == 8.5
    cashier = login("cashier-yl01")
    assert cashier.post("/outreach/profile/basics", data={"floor_area_m2": "1"}).status_code == 403


def test_an_overseer_picks_a_store_profile_within_scope(app, session, world, login):
    client = login("auditor-yl")
    listing = client.get("/outreach/profile").get_data(as_text=True)
    assert "门店标记YL01" in listing and "门店标记FR01" not in listing
    assert client.get(f"/outreach/profile?store_id={world.stores['YL02'].id}").status_code == 200
    assert client.get(f"/outreach/profile?store_id={world.stores['FR01'].id}").status_code == 404


def test_store_home_shows_todays_services_and_waiting_complaints(app, session, world, login):
    kind = service.add_service_type(session, world.actor(session, "manager-yl01"), "代缴费", now=utcnow())
    service.log_service(session, world.actor(session, "cashier-yl01"), kind.id, count=4, now=utcnow())
    service.record_complaint(session, world.actor(session, "cashier-yl01"), channel="phone", category="goods",
                             text="x", now=utcnow())
    body = login("manager-yl01").get(f"/stores/{world.stores['YL01'].id}").get_data(as_text=True)
    assert "今日便民服务" in body and "待答复投诉" in body
