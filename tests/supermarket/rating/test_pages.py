"""The rating pages: the manager answers with a photo and submits on the page; the auditor sees the queue (an
overdue review in red), returns, reviews with an override; refused forms keep their messages by the fields."""
from __future__ import annotations

import io
from datetime import date, timedelta

from sqlalchemy import select

from supermarket.clock import utcnow
from supermarket.rating import service
from supermarket.rating.models import Assessment
from tests.supermarket.rating.helpers import SELF_ANSWERS, png


def _round(session, world):
    service.open_round(session, world.actor(session, "auditor-yl"), name="2026年度星级评定",
                       deadline=date.today() + timedelta(days=30))
    return session.scalar(select(Assessment).where(Assessment.store_id == world.stores["YL01"].id))


def test_manager_answers_and_submits_on_the_page(session, world, client, login):
    a = _round(session, world)
    login("manager-yl01")
    r = client.get("/rating")
    assert r.status_code == 302 and r.location.endswith("/rating/stores/YL01")
    page = client.get("/rating/stores/YL01").get_data(as_text=True)
    assert "目前没有有效星级" in page
    page = client.get(f"/rating/assessments/{a.id}").get_data(as_text=True)
    assert "按现有数据的预估总分" in page and "C-01" in page

    bad = client.post(f"/rating/assessments/{a.id}/answer/C-01", data={"area_m2": "80", "zones": "6",
                      "evidence": (io.BytesIO(b"%PDF-1.4 no end"), "x.pdf")}, content_type="multipart/form-data")
    assert bad.status_code == 422 and 'aria-invalid="true"' in bad.get_data(as_text=True)
    for rule, value in SELF_ANSWERS.items():
        data = {"evidence": (io.BytesIO(png()), f"{rule}.png")}
        data.update({k: str(v) for k, v in value.items() if k != "checked"})
        if "checked" in value:
            data["checked"] = value["checked"]
        r = client.post(f"/rating/assessments/{a.id}/answer/{rule}", data=data, content_type="multipart/form-data")
        assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    r = client.post(f"/rating/assessments/{a.id}/submit", data={"stars_applied": "2"})
    assert r.status_code == 302
    session.expire_all()
    assert session.get(Assessment, a.id).status == "submitted"
    page = client.get(f"/rating/assessments/{a.id}").get_data(as_text=True)
    assert "自动项数据冻结于" in page and 'action="/rating/assessments/%s/answer' % a.id not in page


def test_auditor_queue_overdue_return_and_override(session, world, client, login):
    a = _round(session, world)
    manager = world.actor(session, "manager-yl01")
    for rule, value in SELF_ANSWERS.items():
        service.answer(session, manager, a.id, rule, value, [service.Upload("p.png", png())])
    service.submit(session, manager, a.id, stars_applied=2, now=utcnow() - timedelta(days=40))
    login("auditor-yl")
    page = client.get("/rating").get_data(as_text=True)
    assert "YL01" in page and "已逾期" in page and "late-row" in page
    assert "FR01" not in page
    r = client.post(f"/rating/assessments/{a.id}/return", data={"reason": ""})
    assert r.status_code == 422 and "请指明退回的自评项" in r.get_data(as_text=True)
    r = client.post(f"/rating/assessments/{a.id}/accept", data={"reviews.C-01.grade": "C"})
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and "改判 C-01 须写明理由" in html and 'aria-invalid="true"' in html
    r = client.post(f"/rating/assessments/{a.id}/accept", data={"reviews.C-01.grade": "C",
                                                                "reviews.C-01.reason": "实测面积不足"})
    assert r.status_code == 302
    page = client.get(f"/rating/assessments/{a.id}").get_data(as_text=True)
    assert "实测面积不足" in page and "公示期至" in page
    other = world.stores["FR01"]
    fr = service.list_assessments(session, world.actor(session, "admin"), store="FR01")
    assert not fr or client.get(f"/rating/assessments/{fr[0][0].id}").status_code == 404
    assert client.get("/rating/stores/FR01").status_code == 404 and other is not None


def test_public_publicity_takes_an_objection_without_login(session, world, client):
    a = _round(session, world)
    manager, auditor = world.actor(session, "manager-yl01"), world.actor(session, "auditor-yl")
    for rule, value in SELF_ANSWERS.items():
        service.answer(session, manager, a.id, rule, value, [service.Upload("p.png", png())])
    service.submit(session, manager, a.id, stars_applied=1)
    service.accept(session, auditor, a.id)
    page = client.get("/public/rating").get_data(as_text=True)
    assert world.stores["YL01"].name in page and "manager-yl01" not in page
    r = client.post(f"/public/rating/assessments/{a.id}/object", data={"text": "短"})
    assert r.status_code == 422
    r = client.post(f"/public/rating/assessments/{a.id}/object", data={"text": "公示栏内容与实际不符，请核实。"})
    assert r.status_code == 302
    page = client.get("/public/rating").get_data(as_text=True)
    assert "受理编号 YY" in page
