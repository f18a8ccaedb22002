"""The demo city, loaded once per test run and copied into each test's fresh database.

`flask demo` writes some three thousand transactions through the real services (about 25 s of CPU); a dozen
test modules look at what it made. Loading it for each of them was a quarter of the suite's time, so the first
test that asks for it loads it for real (`supermarket.demo.load_demo`, unchanged), its rows are kept, and every
later test gets an identical copy of those rows in its own database:

- SQLite (each test has its own in-memory database on one connection, StaticPool): the whole database file is
  kept as bytes (`sqlite3.Connection.serialize`) and put back with `deserialize`;
- PostgreSQL (one database, emptied after each test): each table's rows are kept in COPY's text format, copied
  back in dependency order, and the identity sequences moved past the highest id.

The DemoContext that `load_demo` returns holds ORM objects of the first test's session; the copy holds
(class, primary key) references instead, fetched again from the current session when a test asks.
`tests/test_demo_hashes.py` and `tests/supermarket/audit/test_cli.py` still load the demo for real, since they
test loading it.
"""
from __future__ import annotations

import sqlite3

from sqlalchemy import inspect as sa_inspect

from supermarket.demo import DemoContext, load_demo
from supermarket.extensions import db

_snapshot: dict | None = None


class _Ref:
    __slots__ = ("cls", "pk")

    def __init__(self, cls, pk):
        self.cls, self.pk = cls, pk


def _freeze(value):
    if isinstance(value, dict):
        return {k: _freeze(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_freeze(v) for v in value)
    mapper = getattr(type(value), "__mapper__", None)
    if mapper is not None:
        return _Ref(type(value), sa_inspect(value).identity)
    return value


def _thaw(value, session):
    if isinstance(value, dict):
        return {k: _thaw(v, session) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_thaw(v, session) for v in value)
    if isinstance(value, _Ref):
        return session.get(value.cls, value.pk)
    return value


def _is_sqlite() -> bool:
    return db.engine.dialect.name == "sqlite"


def _dump_sqlite() -> bytes:
    raw = db.engine.raw_connection()
    try:
        return raw.driver_connection.serialize()
    finally:
        raw.close()


def _restore_sqlite(data: bytes) -> None:
    raw = db.engine.raw_connection()
    try:
        conn: sqlite3.Connection = raw.driver_connection
        conn.deserialize(data)
        conn.execute("PRAGMA foreign_keys=ON")
    finally:
        raw.close()


def _dump_pg() -> list[tuple[str, bytes]]:
    tables = []
    raw = db.engine.raw_connection()
    try:
        with raw.driver_connection.cursor() as cur:
            for table in db.metadata.sorted_tables:
                buf = bytearray()
                with cur.copy(f'COPY "{table.name}" TO STDOUT') as copy:
                    for chunk in copy:
                        buf += chunk
                tables.append((table.name, bytes(buf)))
        raw.driver_connection.commit()
    finally:
        raw.close()
    return tables


def _restore_pg(tables: list[tuple[str, bytes]]) -> None:
    raw = db.engine.raw_connection()
    try:
        conn = raw.driver_connection
        with conn.cursor() as cur:
            for name, data in tables:
                if data:
                    with cur.copy(f'COPY "{name}" FROM STDIN') as copy:
                        copy.write(data)
            cur.execute(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND (is_identity = 'YES' OR column_default LIKE 'nextval%%')")
            for table_name, column in cur.fetchall():
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table_name}\"', '{column}'), "
                    f"COALESCE((SELECT max(\"{column}\") FROM \"{table_name}\"), 0) + 1, false)")
        conn.commit()
    finally:
        raw.close()


def demo_world() -> DemoContext:
    """The demo city in the current app's (empty) database; call inside an app context."""
    global _snapshot
    session = db.session
    if _snapshot is None:
        ctx = load_demo()
        session.commit()
        _snapshot = {
            "sqlite": _is_sqlite(),
            "rows": _dump_sqlite() if _is_sqlite() else _dump_pg(),
            "ctx": _freeze({"stores": ctx.stores, "districts": ctx.districts, "users": ctx.users,
                            "extra": ctx.extra}),
        }
        return ctx
    db.session.remove()
    if _snapshot["sqlite"]:
        _restore_sqlite(_snapshot["rows"])
    else:
        _restore_pg(_snapshot["rows"])
    session.expire_all()
    parts = _thaw(_snapshot["ctx"], db.session)
    return DemoContext(stores=parts["stores"], districts=parts["districts"], users=parts["users"],
                       extra=parts["extra"])


def reset_cache() -> None:
    global _snapshot
    _snapshot = None

