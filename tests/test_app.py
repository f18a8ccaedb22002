"""The factory, config, health, the OpenAPI document and error rendering."""
import sqlite3

import pytest

from supermarket import create_app


def test_sqlite_file_opens_with_wal_full_sync_foreign_keys_and_busy_timeout(tmp_path):
    app = create_app("config.TestConfig", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'x.db'}")
    from supermarket.extensions import db

    with app.app_context():
        with db.engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            assert isinstance(raw, sqlite3.Connection)
            pragma = lambda name: raw.execute(f"PRAGMA {name}").fetchone()[0]  # noqa: E731
            assert pragma("journal_mode") == "wal"
            assert pragma("synchronous") == 2  # FULL
            assert pragma("foreign_keys") == 1
            assert pragma("busy_timeout") == app.config["SQLITE_BUSY_TIMEOUT_MS"]
        db.engine.dispose()


GOOD = {"SECRET_KEY": "x" * 40, "PII_HASH_KEY": "p" * 40, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
        "SQLALCHEMY_DATABASE_URI": "sqlite://"}


@pytest.mark.parametrize("key", [None, "", "dev-only-insecure-key-change-me", "short", "é" * 15])
def test_production_refuses_missing_or_default_secret(key):
    with pytest.raises(RuntimeError, match="SECRET_KEY must be set .* at least 32 bytes"):
        create_app("config.ProductionConfig", **{**GOOD, "SECRET_KEY": key})


@pytest.mark.parametrize("pii", [None, "", "short-pii-key"])
def test_production_refuses_without_its_own_pii_hash_key(pii):
    with pytest.raises(RuntimeError, match="PII_HASH_KEY must be set"):
        create_app("config.ProductionConfig", **{**GOOD, "PII_HASH_KEY": pii})


def test_production_never_falls_back_to_the_session_key_for_pii():
    import os

    import config

    assert config.ProductionConfig.PII_HASH_KEY == os.environ.get("PII_HASH_KEY")
    with pytest.raises(RuntimeError, match="PII_HASH_KEY must differ from SECRET_KEY"):
        create_app("config.ProductionConfig", **{**GOOD, "PII_HASH_KEY": GOOD["SECRET_KEY"]})


@pytest.mark.parametrize("storage", ["memory://", "", None, "memcached://localhost"])
def test_production_refuses_a_limiter_each_worker_counts_alone(storage):
    with pytest.raises(RuntimeError, match="RATELIMIT_STORAGE_URI must be a redis://"):
        create_app("config.ProductionConfig", **{**GOOD, "RATELIMIT_STORAGE_URI": storage})
    # turned off on purpose, the database login throttle alone guards logins
    create_app("config.ProductionConfig", **{**GOOD, "RATELIMIT_STORAGE_URI": storage, "RATELIMIT_ENABLED": False})


def test_every_problem_is_named_at_once():
    with pytest.raises(RuntimeError) as refused:
        create_app("config.ProductionConfig", SECRET_KEY="", PII_HASH_KEY="", RATELIMIT_STORAGE_URI="memory://",
                   SQLALCHEMY_DATABASE_URI="sqlite://")
    message = str(refused.value)
    assert all(name in message for name in ("SECRET_KEY", "PII_HASH_KEY", "RATELIMIT_STORAGE_URI"))


def test_production_starts_with_a_real_secret():
    app = create_app("config.ProductionConfig", **GOOD)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True


def test_healthz_reports_database(client):
    resp = client.get("/healthz")
    assert resp.status_code == 200
    assert resp.get_json()["database"] == "ok"


def test_openapi_document_lists_the_api(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/auth/token" in spec["paths"]
    body = spec["paths"]["/api/v1/auth/token"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body["$ref"].endswith("TokenRequest")
    assert "AuthTokenRequest" in spec["components"]["schemas"]


def test_api_errors_are_json_with_stable_code(client):
    resp = client.get("/api/v1/nothing-here")
    assert resp.status_code == 404
    assert resp.get_json() == {"error": {"code": "not_found", "message": "页面不存在"}}


def test_page_errors_are_chinese_pages(client):
    resp = client.get("/nothing-here", headers={"Accept": "text/html"})
    assert resp.status_code == 404
    assert "找不到页面" in resp.get_data(as_text=True)


def test_unexpected_error_is_a_500_page_without_trace(app, client):
    from supermarket.auth.decorators import public

    @app.get("/boom")
    @public
    def boom():
        raise RuntimeError("secret internals")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    resp = client.get("/boom", headers={"Accept": "text/html"})
    text = resp.get_data(as_text=True)
    assert resp.status_code == 500
    assert "系统错误" in text and "secret internals" not in text and "Traceback" not in text
    api = client.get("/boom", headers={"Accept": "application/json"})
    assert api.get_json()["error"]["code"] == "internal_error"


def test_oversized_upload_is_refused_with_413_json(client):
    resp = client.post("/api/v1/auth/token", data=b"x" * (6 * 1024 * 1024),
                       headers={"Content-Type": "application/json"})
    assert resp.status_code == 413
    assert resp.get_json()["error"]["code"] == "payload_too_large"


def test_language_switch_to_english_and_back(client, world):
    client.post("/login", data={"username": "cashier-yl01", "password": "changsha2023"})
    assert "首页" in client.get(f"/stores/{world.stores['YL01'].id}").get_data(as_text=True)
    client.get("/lang/en")
    page = client.get(f"/stores/{world.stores['YL01'].id}").get_data(as_text=True)
    assert "Home" in page and "首页" not in page
    client.get("/lang/zh_CN")
    assert "首页" in client.get(f"/stores/{world.stores['YL01'].id}").get_data(as_text=True)


def test_language_switch_ignores_offsite_next(client):
    resp = client.get("/lang/en?next=https://evil.example/")
    assert resp.status_code == 302 and "evil" not in resp.location


def test_printing_has_no_app_imports():
    import ast
    from pathlib import Path

    for path in Path("printing").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                assert not name.split(".")[0] in {"flask", "sqlalchemy", "supermarket", "flask_sqlalchemy"}, path
