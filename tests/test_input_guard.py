"""A NUL byte anywhere in a request is refused with one stable error, on SQLite and PostgreSQL alike."""
from __future__ import annotations

from supermarket.auth.models import LoginAttempt
from tests import factories


def test_nul_in_json_body_is_refused_before_any_query(client, world):
    resp = client.post("/api/v1/auth/token", json={"username": "cashier-yl01\x00", "password": "x"})
    assert resp.status_code == 422
    assert resp.get_json()["error"]["code"] == "invalid_characters"


def test_nul_nested_in_json_is_refused(client, api_token, world):
    headers = api_token("cashier-yl01")
    resp = client.get("/api/v1/items?q=kqs", headers=headers)
    assert resp.status_code == 200
    resp = client.post("/api/v1/auth/token", json={"username": "a", "extra": [{"k": "v\x00"}]})
    assert resp.get_json()["error"]["code"] == "invalid_characters"


def test_nul_in_query_and_path_is_refused(client, api_token, world):
    headers = api_token("cashier-yl01")
    assert client.get("/api/v1/items?q=%00", headers=headers).get_json()["error"]["code"] == "invalid_characters"
    assert client.get("/api/v1/items/%00", headers=headers).status_code == 422


def test_nul_in_a_form_gets_a_chinese_page_and_changes_nothing(client, session, world):
    resp = client.post("/login", data={"username": "cashier-yl01\x00", "password": factories.PASSWORD})
    assert resp.status_code == 422
    assert "控制字符" in resp.get_data(as_text=True)
    assert session.query(LoginAttempt).count() == 0
