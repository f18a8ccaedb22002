"""The projects and livestreams API: shapes, scoping, the 409 beyond the balance, the order import."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from tests.factories import PASSWORD

from .factories import order_csv

START = (datetime.now(timezone.utc) + timedelta(hours=2)).astimezone(timezone(timedelta(hours=8)))


def _project(client, headers):
    resp = client.post("/api/v1/projects", headers=headers, json={
        "title": "助学项目", "purpose": "资助学生", "beneficiaries": "本区20名困难学生", "target_fen": 500000,
        "starts_on": "2026-09-01", "ends_on": "2027-08-31", "open": True})
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


def test_projects_and_expenditures_over_the_api(app, session, world, client, api_token):
    manager = api_token("manager-yl01")
    body = _project(client, manager)
    assert (body["target_fen"], body["raised_fen"], body["balance_fen"], body["ledger"]) == (500000, 0, 0, [])
    cashier = api_token("cashier-yl01")
    spend = {"amount_fen": 100, "payee": "文具店", "purpose": "文具", "spent_on": "2026-11-20",
             "approval": {"username": "manager-yl01", "secret": PASSWORD}}
    resp = client.post(f"/api/v1/projects/{body['id']}/expenditures", headers=cashier, json=spend)
    assert resp.status_code == 409 and resp.get_json()["error"]["code"] == "projects.insufficient_balance"
    assert "余额不足" in resp.get_json()["error"]["message"]
    other = api_token("manager-fr01")
    assert client.get(f"/api/v1/projects/{body['id']}", headers=other).status_code == 404
    assert client.post(f"/api/v1/projects/{body['id']}/expenditures", headers=other, json=spend).status_code == 404
    assert body["id"] not in [p["id"] for p in client.get("/api/v1/projects", headers=other).get_json()["projects"]]
    got = client.get(f"/api/v1/projects/{body['id']}", headers=cashier).get_json()
    assert got["spent_fen"] == 0 and got["months_missing"]


def test_livestream_register_import_twice_and_reconcile_over_the_api(app, session, world, client, api_token):
    project = _project(client, api_token("manager-yl01"))
    cashier = api_token("cashier-yl01")
    resp = client.post("/api/v1/livestreams", headers=cashier, json={
        "project_id": project["id"], "title": "助学直播", "platform": "douyin", "host": "小李",
        "starts_at": START.isoformat(), "ends_at": (START + timedelta(hours=2)).isoformat()})
    assert resp.status_code == 201, resp.get_json()
    sid = resp.get_json()["id"]
    at = (START + timedelta(minutes=30)).strftime("%Y-%m-%d %H:%M:%S")
    data = order_csv([("X1", "12.00", at, "已完成"), ("X2", "8.00", at, "已完成")])
    first = client.post(f"/api/v1/livestreams/{sid}/orders", headers=cashier, data=data,
                        content_type="text/csv")
    assert first.status_code == 201 and first.get_json()["added"] == 2
    again = client.post(f"/api/v1/livestreams/{sid}/orders", headers=cashier, data=data, content_type="text/csv")
    assert again.status_code == 200 and again.get_json()["added"] == 0
    bad = client.post(f"/api/v1/livestreams/{sid}/orders", headers=cashier,
                      data=order_csv([("X3", "oops", at, "")]), content_type="text/csv")
    assert bad.status_code == 422 and bad.get_json()["error"]["code"] == "projects.bad_order_file"
    assert "rows.2" in bad.get_json()["error"]["fields"]
    rec = client.get(f"/api/v1/livestreams/{sid}/reconciliation", headers=cashier).get_json()
    assert (rec["orders_fen"], rec["platform_total_fen"]) == (2000, None)
    assert client.get(f"/api/v1/livestreams/{sid}/reconciliation",
                      headers=api_token("cashier-fr01")).status_code == 404
    assert client.get(f"/api/v1/projects/{project['id']}", headers=cashier).get_json()["raised_fen"] == 2000
