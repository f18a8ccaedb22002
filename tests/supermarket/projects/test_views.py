"""The pages: every one renders in Chinese for its roles, forms keep values and show errors beside fields, other
stores' ids are 404."""
from __future__ import annotations

import io

from tests.factories import PASSWORD

from .factories import PDF, open_project, png, register


def test_project_pages_and_the_expenditure_form(session, world, login):
    project = open_project(session, world)
    client = login("cashier-yl01")
    page = client.get("/projects").get_data(as_text=True)
    assert "山区小学过冬衣物" in page and "慈善项目" in page
    page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "缺少月度进展" in page and "余额" in page
    resp = client.post(f"/projects/{project.id}/expenditures/new", data={
        "amount_yuan": "10", "payee": "服装厂", "purpose": "冬衣", "spent_on": "2026-11-20",
        "approver": "manager-yl01", "approver_secret": PASSWORD, "voucher": (io.BytesIO(PDF), "v.pdf")},
        content_type="multipart/form-data")
    assert resp.status_code == 409 and "余额不足" in resp.get_data(as_text=True)
    assert 'value="服装厂"' in resp.get_data(as_text=True)
    resp = client.post(f"/projects/{project.id}/updates", data={"text": "已采购", "photo": (io.BytesIO(png()), "a.png")},
                       content_type="multipart/form-data")
    assert resp.status_code == 302
    page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "已采购" in page and "/projects/files/" in page


def test_new_project_form_shows_errors_beside_fields(session, world, login):
    client = login("manager-yl01")
    assert client.get("/projects/new").status_code == 200
    resp = client.post("/projects/new", data={"title": "助老", "purpose": "x", "beneficiaries": "老人",
                                              "target_yuan": "abc", "starts_on": "2026-11-01",
                                              "ends_on": "2026-12-31"})
    assert resp.status_code == 422 and 'value="助老"' in resp.get_data(as_text=True)
    resp = client.post("/projects/new", data={"title": "助老", "purpose": "x", "beneficiaries": "老人",
                                              "target_yuan": "5000", "starts_on": "2026-11-01",
                                              "ends_on": "2026-12-31", "open": "on"})
    assert resp.status_code == 302


def test_livestream_pages(session, world, login):
    project = open_project(session, world)
    live = register(session, world, project)
    client = login("manager-yl01")
    assert "周末爱心直播" in client.get("/livestreams").get_data(as_text=True)
    assert "导入平台订单" in client.get(f"/livestreams/{live.id}").get_data(as_text=True)
    page = client.get(f"/livestreams/{live.id}/reconciliation").get_data(as_text=True)
    assert "平台结算总额" in page and "结束对账" in page
    resp = client.post(f"/livestreams/{live.id}/totals", data={"platform_total_yuan": "10", "received_yuan": "9"})
    assert resp.status_code == 302
    resp = client.post(f"/livestreams/{live.id}/close", data={"explanation": ""})
    assert resp.status_code == 422 and "须说明原因" in resp.get_data(as_text=True)
    resp = client.post(f"/livestreams/{live.id}/close", data={"explanation": "平台扣除服务费"})
    assert resp.status_code == 302
    page = client.get(f"/livestreams/{live.id}/reconciliation").get_data(as_text=True)
    assert "平台扣除服务费" in page and "登记结果公示" in page
    assert client.get("/livestreams/new").status_code == 200
    other = login("manager-fr01")
    assert other.get(f"/livestreams/{live.id}").status_code == 404
    assert other.get(f"/projects/{project.id}").status_code == 404


def test_a_manager_sets_a_category_share_from_the_project_page(session, world, login):
    from tests.supermarket.catalog.factories import make_category

    project = open_project(session, world)
    books = make_category(session, "BOOK", "图书")
    client = login("manager-yl01")
    assert "设置品类销售分成" in client.get(f"/projects/{project.id}").get_data(as_text=True)
    resp = client.post(f"/projects/{project.id}/shares", data={"category_id": str(books.id), "share_percent": "150"})
    assert resp.status_code == 422
    resp = client.post(f"/projects/{project.id}/shares", data={"category_id": str(books.id), "share_percent": "20"})
    assert resp.status_code == 302
    assert "图书 · 20.0%" in client.get(f"/projects/{project.id}").get_data(as_text=True)
