"""Fixtures: an app per test on a fresh database, a session, clients, and the demo-shaped world.

On SQLite each test gets a new in-memory database. With TEST_DATABASE_URL (PostgreSQL) the schema is created
once per run and every table is emptied after each test, so tests may commit and use several connections.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from supermarket import create_app
from supermarket.extensions import db

from . import factories

PG = (os.environ.get("TEST_DATABASE_URL") or "").startswith("postgresql")
_schema_ready = False


def pytest_sessionstart(session):
    """Compile the message catalogues, so a bare `pytest` sees the English translations too."""
    from pathlib import Path

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in Path(__file__).resolve().parents[1].glob("supermarket/translations/*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as f:
                catalog = read_po(f)
            with mo.open("wb") as f:
                write_mo(f, catalog)


def pytest_collection_modifyitems(config, items):
    needs_pg = pytest.mark.skip(reason="needs PostgreSQL (run through tools/pg_testdb.py: TEST_DATABASE_URL)")
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
        if not PG and item.get_closest_marker("pg"):
            item.add_marker(needs_pg)


def screenshot_dir() -> Path:
    """Where a test leaves a picture for a person to look at: $SCREENSHOT_DIR, else a temporary folder (never
    the repository)."""
    import tempfile

    folder = Path(os.environ.get("SCREENSHOT_DIR") or Path(tempfile.gettempdir()) / "supermarket-screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def app():
    global _schema_ready
    app = create_app("config.TestConfig")
    with app.app_context():
        if not PG:
            db.create_all()
        elif not _schema_ready:
            db.drop_all()
            db.create_all()
            _schema_ready = True
        yield app
        db.session.remove()
        if PG:
            # Empty every table with DELETE, not TRUNCATE: TRUNCATE makes new files for each of the ~110 tables
            # (2 s a test, most of the PostgreSQL suite's time), while a test leaves a few rows in a few tables.
            # Foreign keys are not checked while emptying (session_replication_role; the test user is the
            # superuser), so the order does not matter; then every sequence starts again, as RESTART IDENTITY did.
            deletes = "; ".join(f'DELETE FROM "{t.name}"' for t in reversed(db.metadata.sorted_tables))
            with db.engine.begin() as conn:
                conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
                conn.exec_driver_sql(deletes)
                conn.exec_driver_sql(
                    "SELECT setval(c.oid, 1, false) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE c.relkind = 'S' AND n.nspname = current_schema()")
        db.engine.dispose()


@pytest.fixture
def session(app):
    return db.session


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def world(session):
    """Two districts, three stores (YL01, YL02 in YL; FR01 in FR) and one user of each role per scope."""
    return factories.make_world(session)


@pytest.fixture
def login(client):
    def do(username: str, password: str = factories.PASSWORD):
        resp = client.post("/login", data={"username": username, "password": password})
        assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
        return client
    return do


@pytest.fixture
def api_token(client):
    def do(username: str, password: str = factories.PASSWORD) -> dict:
        resp = client.post("/api/v1/auth/token", json={"username": username, "password": password})
        assert resp.status_code == 201, resp.get_json()
        return {"Authorization": f"Bearer {resp.get_json()['token']}"}
    return do
