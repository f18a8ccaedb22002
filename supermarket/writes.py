"""Writing a document's rows with as few statements as the database allows.

`insert_rows()` writes one table's rows as one statement. Inside `together(session)`, rows are held instead and
go out when the block ends: on PostgreSQL all of them, in every table, as ONE statement (each table's rows one
JSON parameter, `INSERT … SELECT * FROM json_populate_recordset(…)` in a data-modifying WITH), so a sale's movements, the sale, its lines, its
payments and its audit event cost one round trip instead of five. On SQLite (in-process, no round trips) each
table's rows are one executemany, in the order the tables were first given: give a parent's rows before its
children's.

Rows held in a block are not visible to queries run inside it: use it only around writes nobody reads back
before the block ends (the checkout).
"""
from __future__ import annotations

import json
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import bindparam, insert, update
from sqlalchemy.orm import Session, make_transient_to_detached

from .uow import plain_session

_BATCH = "writes.together"
_STATEMENTS: dict = {}  # INSERTs (and UPDATEs by key) built once, so their compiled forms are cached
_SQL: dict = {}  # the tables (and updated columns) of a batch -> its PostgreSQL text
_PROCESSORS: dict = {}  # (dialect name, table) -> {column key: (column name, bind processor)}


def insert_rows(session: Session, table, rows: list[dict]) -> None:
    """INSERT `rows` into `table` on the session's transaction as ONE statement, not one per row (or hold
    them for the end of the enclosing `together()` block).

    On PostgreSQL several rows go through SQLAlchemy's "insertmanyvalues" (an INSERT … RETURNING given a list
    of parameter sets is sent as one multi-row VALUES, compiled once and cached). Building
    `insert().values(rows)` instead would compile a new statement for every call, which cost more than the
    database did. SQLite is in-process: its driver's executemany is one prepared statement run in a C loop.
    """
    if not rows:
        return
    from .audit.rows import note_rows  # here: audit imports this module

    note_rows(session, table, rows)  # ledger rows go under the audit chain (audit/rows.py)
    batch = plain_session(session).info.get(_BATCH)
    if batch is not None:
        batch.add(table, rows)
        return
    _execute_inserts(session, table, rows)


def insert_loaded(session: Session, model, rows: list[dict]) -> list:
    """INSERT `rows` (every column given) with one Core statement on the session's transaction, and return them
    as persistent instances already loaded, as a query would have returned them.

    The same rows a flush would write, without the unit of work's bookkeeping and attribute events per object,
    which were the largest cost of a checkout after the database itself. Used where a hot path writes a
    document it then answers with (the sale at the till).
    """
    table = model.__table__
    if rows and set(rows[0]) != set(table.columns.keys()):
        raise ValueError(f"insert_loaded({table.name}): give every column and nothing else; "
                         f"differs in {sorted(set(table.columns.keys()) ^ set(rows[0]))}")
    insert_rows(session, table, rows)
    manager = model._sa_class_manager
    objs = []
    for row in rows:
        obj = manager.new_instance()
        obj.__dict__.update(row)
        make_transient_to_detached(obj)
        objs.append(obj)
    session.add_all(objs)
    return objs


@dataclass
class Batch:
    """Rows held for one statement: inserts per table, and updates of rows by their key (the last wins)."""

    inserts: dict = field(default_factory=dict)  # table -> [row]
    updates: dict = field(default_factory=dict)  # (table, key column) -> {key: {column: value}}

    def add(self, table, rows: list[dict]) -> None:
        # Whole rows only: a column left out would miss its Python-side default on PostgreSQL's path.
        if set(rows[0]) != set(table.columns.keys()):
            raise ValueError(f"together({table.name}): give every column and nothing else; "
                             f"differs in {sorted(set(table.columns.keys()) ^ set(rows[0]))}")
        self.inserts.setdefault(table, []).extend(rows)

    def set_values(self, table, key_column: str, key, values: dict) -> None:
        by_key = self.updates.setdefault((table, key_column), {})
        # One set of columns per table: PostgreSQL's path would set a column another row left out to NULL.
        if by_key and set(next(iter(by_key.values()))) != set(values):
            raise ValueError(f"together({table.name}): every update of a table sets the same columns")
        by_key[key] = values

    def pending(self, table, key_column: str, key) -> dict | None:
        """The values held for the row `key`, if an update of it is waiting in this batch."""
        return self.updates.get((table, key_column), {}).get(key)


def current_batch(session: Session) -> Batch | None:
    return plain_session(session).info.get(_BATCH)


@contextmanager
def together(session: Session):
    """Hold the rows given to insert_rows()/insert_loaded() (and updates given to the Batch) inside the block
    and write them all when it ends without an error; an error discards them (the transaction rolls back)."""
    info = plain_session(session).info
    if _BATCH in info:  # nested: the outer block writes
        yield info[_BATCH]
        return
    batch = info[_BATCH] = Batch()
    try:
        yield batch
    finally:
        del info[_BATCH]
    write(session, batch)


def write(session: Session, batch: Batch) -> None:
    if not batch.inserts and not batch.updates:
        return
    conn = session.connection()
    if conn.dialect.name != "postgresql":
        for table, rows in batch.inserts.items():
            _execute_inserts(session, table, rows)
        for (table, key_column), by_key in batch.updates.items():
            for key, values in by_key.items():
                conn.execute(_update_by_key(table, key_column, tuple(values)), {"key_": key, **values})
        return
    tables = (tuple(batch.inserts), tuple((table, key, tuple(next(iter(by_key.values()))))
                                          for (table, key), by_key in batch.updates.items()))
    sql = _SQL.get(tables) or _SQL.setdefault(tables, _postgres_sql(tables))
    params = [_json_rows(conn.dialect, table, rows) for table, rows in batch.inserts.items()]
    params += [_json_rows(conn.dialect, table, [{key: k, **values} for k, values in by_key.items()])
               for (table, key), by_key in batch.updates.items()]
    conn.exec_driver_sql(sql, tuple(params))


def _execute_inserts(session: Session, table, rows: list[dict]) -> None:
    conn = session.connection()
    many = len(rows) > 1 and conn.dialect.name == "postgresql"
    stmt = _STATEMENTS.get((table, many))
    if stmt is None:
        stmt = insert(table).returning(*table.primary_key.columns) if many else insert(table)
        _STATEMENTS[(table, many)] = stmt
    conn.execute(stmt, rows if len(rows) > 1 else rows[0])


def _update_by_key(table, key_column: str, columns: tuple):
    shape = ("update", table, key_column, columns)
    stmt = _STATEMENTS.get(shape)
    if stmt is None:
        stmt = _STATEMENTS[shape] = (update(table).where(table.c[key_column] == bindparam("key_"))
                                  .values({c: bindparam(c) for c in columns}))
    return stmt


def _json_rows(dialect, table, rows: list[dict]) -> str:
    """The rows as a JSON array keyed by column name, each value through its column type's bind processing
    (aware UTC times), in the text PostgreSQL reads back for the column's type."""
    procs = _PROCESSORS.get((dialect.name, table))
    if procs is None:
        procs = _PROCESSORS[(dialect.name, table)] = {
            c.key: (c.name, c.type.dialect_impl(dialect).bind_processor(dialect)) for c in table.columns}
    out = []
    for row in rows:
        doc = {}
        for key, value in row.items():
            name, proc = procs[key]
            doc[name] = value if proc is None or value is None else proc(value)
        out.append(doc)
    return json.dumps(out, ensure_ascii=False, separators=(",", ":"), default=_json_value)


def _json_value(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} in a batch")


def _postgres_sql(tables) -> str:
    """WITH w0 AS (INSERT INTO t0 SELECT * FROM json_populate_recordset(NULL::t0, %s)), … then the updates
    (UPDATE … FROM json_populate_recordset(…) WHERE key = …) or SELECT 1. One JSON parameter per table, so the
    text depends only on which tables are written, not on how many rows: built once, cached by the driver
    (short, few parameters) and kept prepared by the server."""
    inserts, updates = tables
    parts = [f"w{n} AS (INSERT INTO {t.name} SELECT * FROM json_populate_recordset(NULL::{t.name}, CAST(%s AS json)))"
             for n, t in enumerate(inserts)]
    statements = []
    for table, key, columns in updates:
        sets = ", ".join(f"{table.c[c].name} = v.{table.c[c].name}" for c in columns)
        statements.append(f"UPDATE {table.name} AS t SET {sets} FROM json_populate_recordset(NULL::{table.name}, "
                          f"CAST(%s AS json)) AS v WHERE t.{table.c[key].name} = v.{table.c[key].name}")
    # One primary statement; the other updates become WITH parts too (the parameters stay in text order).
    primary = statements.pop() if statements else "SELECT 1"
    parts += [f"u{n} AS ({s})" for n, s in enumerate(statements)]
    return f"WITH {', '.join(parts)} {primary}" if parts else primary
