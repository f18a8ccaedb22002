"""The app's schema around the bulk load: its keys, unique constraints, foreign keys and indexes are taken off
the empty tables before the rows arrive and put back, exactly as the migrations made them, afterwards.

Building an index once over sorted rows is many times faster than inserting tens of millions of random uuids
into it one by one, and re-adding the constraints checks every key and reference of the generated rows.
Definitions are read from the catalog (pg_get_constraintdef / pg_get_indexdef), so whatever a later migration
adds comes back too. Check constraints stay in place: they cost little per row.
"""
from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import psycopg

KEEP = ("alembic_version",)


@dataclass(frozen=True)
class Saved:
    constraints: list[tuple[str, str, str, str]]  # (table, name, type p/u/f, definition)
    indexes: list[tuple[str, str, str]]           # (table, name, CREATE INDEX …)


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def capture(conn: psycopg.Connection) -> Saved:
    cons = conn.execute("""
        SELECT c.conrelid::regclass::text, c.conname, c.contype::text, pg_get_constraintdef(c.oid)
        FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
        WHERE t.relnamespace = 'public'::regnamespace AND c.contype IN ('p', 'u', 'f')
          AND t.relname <> ALL(%s)
        ORDER BY c.conrelid::regclass::text, c.conname""", (list(KEEP),)).fetchall()
    idx = conn.execute("""
        SELECT t.relname, i.relname, pg_get_indexdef(x.indexrelid)
        FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
        WHERE t.relnamespace = 'public'::regnamespace AND t.relname <> ALL(%s)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid AND c.contype IN ('p', 'u'))
        ORDER BY t.relname, i.relname""", (list(KEEP),)).fetchall()
    return Saved([tuple(r) for r in cons], [tuple(r) for r in idx])


def drop(conn: psycopg.Connection, saved: Saved) -> None:
    with conn.transaction():
        for table, name, kind, _d in saved.constraints:
            if kind == "f":
                conn.execute(f"ALTER TABLE {table} DROP CONSTRAINT {_ident(name)}")
        for table, name, kind, _d in saved.constraints:
            if kind != "f":
                conn.execute(f"ALTER TABLE {table} DROP CONSTRAINT {_ident(name)}")
        for _table, name, _d in saved.indexes:
            conn.execute(f"DROP INDEX {_ident(name)}")


def restore(conninfo: str, saved: Saved, progress, *, workers: int = 2) -> None:
    """Keys and unique constraints first (the foreign keys need them), then the other indexes and the foreign
    keys, spread over `workers` connections, biggest tables first. A duplicate key or a dangling reference in
    the generated rows fails here, loudly."""
    sizes = _table_sizes(conninfo)
    keys = [(t, f"ALTER TABLE {t} ADD CONSTRAINT {_ident(n)} {d}") for t, n, k, d in saved.constraints if k != "f"]
    others = [(t, d) for t, _n, d in saved.indexes]
    fks = [(t, f"ALTER TABLE {t} ADD CONSTRAINT {_ident(n)} {d}") for t, n, k, d in saved.constraints if k == "f"]
    for label, statements in (("keys and unique constraints", keys), ("indexes", others),
                              ("foreign keys", fks)):
        started = time.monotonic()
        # One table's statements stay on one connection, in order: two ALTERs of one table would queue anyway.
        by_table: dict[str, list[str]] = {}
        for table, sql in statements:
            by_table.setdefault(table, []).append(sql)
        jobs = sorted(by_table.items(), key=lambda kv: -sizes.get(kv[0].strip('"'), 0))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for done in pool.map(lambda job: _run(conninfo, job[1]), jobs):
                pass
        progress.say(f"schema: {len(statements)} {label} in {time.monotonic() - started:.1f}s")


def _run(conninfo: str, statements: list[str]) -> int:
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '512MB'")
        conn.execute("SET max_parallel_maintenance_workers = 0")
        for sql in statements:
            conn.execute(sql)
    return len(statements)


def _table_sizes(conninfo: str) -> dict[str, int]:
    with psycopg.connect(conninfo) as conn:
        return dict(conn.execute("SELECT relname, pg_relation_size(oid) FROM pg_class "
                                 "WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'").fetchall())
