"""Every list loads what it shows in a constant number of statements: a page with 5 rows of its data and the same
page with 500 run the same number of SQL statements (no N+1, no per-row lookups in templates).

The world gets one object of every kind the route matrix knows how to make (tests/route_matrix.py SAMPLES, for
store YL01), then every table holding rows is grown to 5 and then 500 rows by copying its rows (new keys, unique
columns made unique, the same parents: a resident's credits, a store's sales and a district's flags all grow).
Every GET page without path parameters, or whose parameters the samples fill, is then read as each role.
"""
from __future__ import annotations

import itertools
import re
import uuid
from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import Date, DateTime, Integer, String, Uuid, event, func, insert, select

from supermarket.extensions import db

from . import factories
from .route_matrix import SAMPLES, SKIP

_copy_no: dict = {}
_originals: dict = {}
_copied: dict = {}
ROLES = ("admin", "auditor-yl", "manager-yl01", "cashier-yl01")
# Tables that are configuration or identity rather than list data: copying them changes what the pages mean
# (a second current points table, a second store with the same people) rather than how long a list is.
KEEP = {"districts", "stores", "alembic_version", "points_tables", "points_activities", "aid_categories",
        "app_settings", "flag_thresholds", "sequences", "idempotency_keys", "login_attempts", "api_tokens",
        "aid_public_pdfs", "audit_checkpoints", "inventory_checkpoints"}
# Documents (one object's PDF, a label, an image) are not lists; the exports have their own tests.
DOCUMENT = re.compile(r"\.(pdf|png|jpg|csv|xlsx|zip|json|js)$|/files/|/photos?/")
# Pages whose count legitimately depends on the data by design, each with why.
EXEMPT = {
    "static": "files",
}


def _unique_columns(table) -> set[str] | None:
    """The columns to vary in a copy: each key or unique set gets one non-foreign-key column (a copy keeps its
    parents). None when a unique set is only foreign keys (a one-to-one table cannot grow)."""
    sets = [[c for c in table.primary_key.columns]]
    sets += [list(c.columns) for c in table.constraints if c.__class__.__name__ == "UniqueConstraint"]
    sets += [[c for c in i.columns if hasattr(c, "name")] for i in table.indexes if i.unique]
    sets += [[c] for c in table.columns if c.unique]
    names = set()
    for columns in sets:
        free = [c for c in columns if not c.foreign_keys]
        if columns and not free:
            return None
        names |= {c.name for c in free}
    return names


def _varied(column, value, n: int):
    """`value` made different for copy `n` (keys and unique columns only)."""
    if value is None:
        return None
    if isinstance(column.type, Uuid):
        return uuid.uuid4()
    if isinstance(column.type, String):
        suffix = f"~{n}"
        limit = column.type.length or 64
        return (str(value)[: max(1, limit - len(suffix))] + suffix) if limit > len(suffix) else str(n)[-limit:]
    if isinstance(column.type, Integer):
        return value + 100_000 * n
    if isinstance(column.type, Date):
        return value - timedelta(days=n)
    if isinstance(column.type, (DateTime,)) or isinstance(value, datetime):
        return value - timedelta(seconds=n)
    return value


def grow(session, rows: int) -> dict[str, int]:
    """Copy the rows of every list table until it holds at least `rows` rows; returns the sizes reached."""
    sizes = {}
    for table in db.metadata.sorted_tables:
        if table.name in KEEP:
            continue
        have = session.execute(select(func.count()).select_from(table)).scalar()
        # copies are made of the rows the world had first, so two copies never vary the same way twice
        existing = _originals.setdefault(table.name, [dict(r._mapping) for r in session.execute(select(table))])
        if not existing or have >= rows:
            continue
        unique = _unique_columns(table)
        if unique is None:
            continue
        copies = []
        counter = _copy_no.setdefault(table.name, itertools.count(1))
        pk = list(table.primary_key.columns)
        parents = {c.name: next(iter(c.foreign_keys)).column for c in table.columns if c.foreign_keys}
        while have + len(copies) < rows:
            base = existing[len(copies) % len(existing)]
            n = next(counter)
            row = {k: (_varied(table.c[k], v, n) if k in unique else v) for k, v in base.items()}
            # a copy belongs to copies of its parents (its own resident, household, user…), so a page that
            # looks up each row's parent one by one shows as many statements as rows
            for name, target in parents.items():
                made = _copied.get((target.table.name, target.name, base[name]))
                if made and name not in unique:
                    row[name] = made[n % len(made)]
            if len(pk) == 1:
                _copied.setdefault((table.name, pk[0].name, base[pk[0].name]), []).append(row[pk[0].name])
            copies.append(row)
        session.execute(insert(table), copies)
        sizes[table.name] = have + len(copies)
    session.commit()
    return sizes


def _urls(app, session, world) -> list[str]:
    from flask import url_for

    store = world.stores["YL01"]
    for make in SAMPLES.values():  # one object of every kind, whether or not a page takes it as a parameter
        make(session, world, store)
    urls = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or rule.endpoint in SKIP or rule.endpoint in EXEMPT:
            continue
        if rule.endpoint.startswith("api.") or rule.rule.startswith("/api/"):
            continue
        if any(arg not in SAMPLES for arg in rule.arguments) or DOCUMENT.search(rule.rule):
            continue
        values = {arg: SAMPLES[arg](session, world, store) for arg in rule.arguments}
        with app.test_request_context():
            urls.append(url_for(rule.endpoint, **values))
    session.commit()
    return urls


def _counts(app, urls) -> dict[tuple[str, str], tuple[int, int]]:
    counter = Counter()

    def count(*_args, **_kw):
        counter["n"] += 1

    found = {}
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        for username in ROLES:
            client = app.test_client()
            assert client.post("/login", data={"username": username,
                                               "password": factories.PASSWORD}).status_code == 302
            for url in urls:
                counter["n"] = 0
                r = client.get(url, headers={"Accept": "text/html"})
                found[(username, url)] = (r.status_code, counter["n"])
                db.session.rollback()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return found


def test_list_pages_run_as_many_statements_with_500_rows_as_with_5(app, session, world):
    _copy_no.clear()
    _originals.clear()
    _copied.clear()
    urls = _urls(app, session, world)
    assert len(urls) > 80
    grow(session, 5)
    small = _counts(app, urls)
    sizes = grow(session, 500)
    assert sizes.get("users", 0) >= 500 and sizes.get("points_credits", 0) >= 500
    assert sizes.get("distributions", 0) >= 500
    large = _counts(app, urls)
    grew = []
    for key, (status, statements) in small.items():
        status_large, statements_large = large[key]
        # (copied rows are not always consistent with each other: a page refusing them is not compared)
        if status == 200 and status_large == 200 and statements_large > statements:
            grew.append(f"{key[0]} {key[1]}: {statements} -> {statements_large}")
    compared = sum(1 for k, (st, _n) in small.items() if st == 200 and large[k][0] == 200)
    assert compared > 200
    assert not grew, "statement counts grow with the data:\n" + "\n".join(grew)
