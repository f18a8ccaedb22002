"""The restore drill: back the database up while sales are being written, restore into an empty database, and
find every sale committed before the backup began, no half-written one, and both verifications passing."""
from __future__ import annotations

import os
import threading
import time
import uuid

import psycopg
import pytest
from sqlalchemy import select

from supermarket import create_app
from supermarket.extensions import db
from supermarket.sales.models import Sale
from tests import factories
from tests.conftest import PG
from tests.supermarket.sales.factories import stocked_item


class SalesLoad:
    """A till selling one item at a time through the API, from its own thread, until stopped."""

    def __init__(self, app, items):
        self.app, self.barcodes = app, [item.barcode for item in items]
        self.committed: list[str] = []
        self.errors: list[str] = []
        self.stop = threading.Event()
        client = app.test_client()
        resp = client.post("/api/v1/auth/token", json={"username": "cashier-yl01", "password": factories.PASSWORD})
        self.headers = {"Authorization": f"Bearer {resp.get_json()['token']}"}
        assert client.post("/api/v1/shifts", json={"float_fen": 1000}, headers=self.headers).status_code == 201
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        client = self.app.test_client()
        for n in range(400):  # bounded: at most 400 sales
            if self.stop.is_set():
                return
            barcode = self.barcodes[n % len(self.barcodes)]
            resp = client.post("/api/v1/sales", headers=self.headers, json={
                "idempotency_key": str(uuid.uuid4()), "lines": [{"barcode": barcode, "qty": 1}],
                "payments": [{"method": "cash", "amount_fen": 500}]})
            if resp.status_code == 201:
                self.committed.append(resp.get_json()["id"])
            else:
                self.errors.append(f"{resp.status_code} {resp.get_data(as_text=True)[:200]}")

    def wait_for(self, n: int, timeout_s: float = 60):
        deadline = time.monotonic() + timeout_s
        while len(self.committed) < n and time.monotonic() < deadline and self.thread.is_alive():
            time.sleep(0.02)
        assert len(self.committed) >= n, self.errors[:3]


def run_drill(source_app, target_app, backup_path):
    with source_app.app_context():
        world = factories.make_world(db.session)
        items = [stocked_item(db.session, world, qty=500, price_fen=500, name=f"脸盆{i}") for i in range(3)]
        load = SalesLoad(source_app, items)
        load.thread.start()
        try:
            load.wait_for(10)
            before = set(load.committed)  # committed before the backup began: each must be in the copy
            result = source_app.test_cli_runner().invoke(args=["backup", "create", str(backup_path)])
            assert result.exit_code == 0, result.output
            load.wait_for(len(before) + 10)  # the till kept selling while the copy was made
        finally:
            load.stop.set()
            load.thread.join(60)
        assert load.errors == []
        written = set(load.committed)
        db.session.remove()
    runner = target_app.test_cli_runner()
    with target_app.app_context():
        result = runner.invoke(args=["backup", "restore", str(backup_path)])
        assert result.exit_code == 0, result.output
        restored = {str(i) for i in db.session.scalars(select(Sale.id))}
        assert before <= restored <= written
        for command in (["inventory", "verify"], ["audit", "verify"]):
            result = runner.invoke(args=command)
            assert result.exit_code == 0, (command, result.output)
        again = runner.invoke(args=["backup", "restore", str(backup_path)])
        assert again.exit_code != 0 and "不是空的" in again.output
        db.session.remove()
        db.engine.dispose()
    return before, restored, written


def test_sqlite_backup_under_load_restores_every_committed_sale(tmp_path):
    if PG:
        pytest.skip("the SQLite drill (the PostgreSQL one is test_postgresql_backup_under_load_…)")
    source = create_app("config.TestConfig", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'live.db'}")
    with source.app_context():
        db.create_all()
    target = create_app("config.TestConfig", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'restored.db'}")
    before, restored, written = run_drill(source, target, tmp_path / "backups" / "nightly.sqlite")
    assert len(restored) >= len(before) >= 10
    with source.app_context():
        db.engine.dispose()


def test_a_backup_never_overwrites_and_memory_databases_are_refused(app, runner, tmp_path):
    if PG:
        pytest.skip("SQLite only")
    result = runner.invoke(args=["backup", "create", str(tmp_path / "x.sqlite")])
    assert result.exit_code != 0 and "内存中的 SQLite" in result.output
    (tmp_path / "y.sqlite").write_bytes(b"")
    file_app = create_app("config.TestConfig", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'f.db'}")
    result = file_app.test_cli_runner().invoke(args=["backup", "create", str(tmp_path / "y.sqlite")])
    assert result.exit_code != 0 and "已存在" in result.output


@pytest.mark.pg
def test_postgresql_backup_under_load_restores_every_committed_sale(tmp_path):
    base = os.environ["TEST_DATABASE_URL"].rsplit("/", 1)[0].replace("postgresql+psycopg://", "postgresql://")
    names = [f"sm_drill_{uuid.uuid4().hex[:8]}", f"sm_restore_{uuid.uuid4().hex[:8]}"]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        for name in names:
            conn.execute(f'CREATE DATABASE "{name}"')
    try:
        url = base.replace("postgresql://", "postgresql+psycopg://")
        source = create_app("config.TestConfig", SQLALCHEMY_DATABASE_URI=f"{url}/{names[0]}")
        with source.app_context():
            db.create_all()
        target = create_app("config.TestConfig", SQLALCHEMY_DATABASE_URI=f"{url}/{names[1]}")
        before, restored, _written = run_drill(source, target, tmp_path / "nightly.dump")
        assert len(restored) >= len(before) >= 10
        with source.app_context():
            db.engine.dispose()
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            for name in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
