"""Login page, next redirects, logout, CSRF, tokens over HTTP, user pages."""
import pytest

from supermarket import create_app
from supermarket.extensions import db


def test_login_page_is_chinese(client):
    page = client.get("/login").get_data(as_text=True)
    assert "登录" in page and "用户名" in page and "密码" in page


def test_wrong_password_shows_chinese_error(client, world):
    resp = client.post("/login", data={"username": "cashier-yl01", "password": "nope"})
    assert resp.status_code == 401
    assert "用户名或密码错误" in resp.get_data(as_text=True)


def test_login_lands_on_own_store_home(client, world):
    resp = client.post("/login", data={"username": "cashier-yl01", "password": "changsha2023"})
    home = client.get(resp.location)
    assert home.status_code == 302 and str(world.stores["YL01"].id) in home.location
    page = client.get(home.location).get_data(as_text=True)
    assert "门店标记YL01" in page and "今日概况" in page


@pytest.mark.parametrize("username, target", [("auditor-yl", "/dashboard"), ("admin", "/dashboard")])
def test_oversight_roles_land_on_their_home(client, world, username, target):
    client.post("/login", data={"username": username, "password": "changsha2023"})
    assert target in client.get("/").location


@pytest.mark.parametrize("next_url, ok", [
    ("/users", True), ("https://evil.example/x", False), ("//evil.example", False), ("/\\evil.example", False),
    ("javascript:alert(1)", False)])
def test_next_redirect_only_to_this_site(client, world, next_url, ok):
    resp = client.post("/login", data={"username": "admin", "password": "changsha2023", "next": next_url})
    assert resp.status_code == 302
    assert (resp.location == next_url) is ok
    if not ok:
        assert "evil" not in resp.location and "javascript" not in resp.location


def test_pages_need_login(client, world):
    resp = client.get(f"/stores/{world.stores['YL01'].id}")
    assert resp.status_code == 302 and "/login" in resp.location


def test_logout(login, world):
    client = login("cashier-yl01")
    resp = client.post("/logout")
    assert resp.status_code == 302
    assert "/login" in client.get("/").location


def test_too_many_failures_page_says_wait(client, world):
    for _ in range(5):
        client.post("/login", data={"username": "cashier-yl02", "password": "nope"})
    resp = client.post("/login", data={"username": "cashier-yl02", "password": "changsha2023"})
    assert "分钟后再试" in resp.get_data(as_text=True)


def test_csrf_required_on_forms_and_cookie_api_calls():
    app = create_app("config.TestConfig", WTF_CSRF_ENABLED=True)
    with app.app_context():
        db.create_all()
        client = app.test_client()
        resp = client.post("/login", data={"username": "x", "password": "y"})
        assert resp.status_code == 400 and "页面已过期" in resp.get_data(as_text=True)
        api = client.post("/api/v1/auth/token/revoke", json={})
        assert api.status_code in (400, 401)
        db.engine.dispose()


def test_token_api_flow(client, world):
    resp = client.post("/api/v1/auth/token", json={"username": "cashier-yl01", "password": "changsha2023"})
    assert resp.status_code == 201
    body = resp.get_json()
    assert set(body) == {"token", "token_id", "expires_at"}
    headers = {"Authorization": f"Bearer {body['token']}"}
    me = client.get("/api/v1/auth/me", headers=headers)
    assert me.get_json()["username"] == "cashier-yl01"
    stores = client.get("/api/v1/stores", headers=headers).get_json()["stores"]
    assert [s["code"] for s in stores] == ["YL01"]
    assert client.post("/api/v1/auth/token/revoke", headers=headers).status_code == 200
    again = client.get("/api/v1/auth/me", headers=headers)
    assert again.status_code == 401
    assert again.get_json()["error"]["code"] == "auth.unauthorized"


def test_token_api_errors(client, world):
    bad = client.post("/api/v1/auth/token", json={"username": "cashier-yl01", "password": "x"})
    assert bad.status_code == 401 and bad.get_json()["error"]["code"] == "auth.invalid_credentials"
    missing = client.post("/api/v1/auth/token", json={"username": "cashier-yl01"})
    assert missing.status_code == 422 and missing.get_json()["error"]["code"] == "invalid_input"
    assert "password" in missing.get_json()["error"]["fields"]
    wrong_type = client.post("/api/v1/auth/token", json=["not", "an", "object"])
    assert wrong_type.status_code == 422


def test_bearer_token_does_not_open_pages(client, world, api_token):
    headers = api_token("cashier-yl01")
    resp = client.get(f"/stores/{world.stores['YL01'].id}", headers=headers)
    assert resp.status_code == 302 and "/login" in resp.location


def test_manager_user_pages(login, world):
    client = login("manager-yl01")
    page = client.get("/users").get_data(as_text=True)
    assert "cashier-yl01" in page and "cashier-yl02" not in page
    resp = client.post("/users/new", data={"username": "cashier-new", "display_name": "新收银员",
                                           "password": "abcdefgh9", "role": "cashier"})
    assert resp.status_code == 302
    bad = client.post("/users/new", data={"username": "x", "display_name": "", "password": "1", "role": "cashier"})
    assert bad.status_code == 422 and "输入有误" in bad.get_data(as_text=True)
