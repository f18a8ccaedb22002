"""Every ledger row under the audit chain.

Each audit event carries, in its summary under "rows", a short digest of every ledger row its action wrote:
{table: {row id: digest}}. The summary is hashed into the chain, so `flask audit verify` (verify_rows) can
recompute each row's digest and name the table and row that was changed, added (a row no event vouches for)
or deleted (a row an event vouches for that is gone).

Rows are noted as they are written, in Python, from the values being inserted (no extra round trip): Core
inserts through `writes.insert_rows()` (the till's hot path) and ORM inserts at flush (a session listener);
`record()` takes the rows noted since the last event of the transaction. A transaction that writes ledger
rows and commits without a later event gets one from `cover_leftovers()` before it commits, so no ledger row
is ever outside the chain.

Ledger tables are append-only; the only columns left out of a row's digest are caches that legitimately move
after the row is written (a sale line's returned quantity).
"""
from __future__ import annotations

import hashlib
from hashlib import sha256
import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

# table name -> columns left out of the digest (caches that move after the row is written)
LEDGER_TABLES: dict[str, frozenset] = {
    "stock_movements": frozenset(),
    "sale_lines": frozenset({"returned_qty"}),
    "sale_payments": frozenset(),
    "points_entries": frozenset(),
    "points_lot_uses": frozenset(),
    "distribution_lines": frozenset(),
    "donation_lines": frozenset(),
    "donation_fund_entries": frozenset(),
    "till_donations": frozenset(),
}
ROWS_KEY = "rows"          # the summary's key
PENDING = "audit.rows"     # session.info key: {table: {id: digest}} noted since the last event
_COLUMNS: dict = {}        # table name -> the digested column keys, in table order (filled on first use)


def _columns(table) -> tuple:
    cols = _COLUMNS.get(table.name)
    if cols is None:
        cols = tuple(c.key for c in table.columns if c.key not in LEDGER_TABLES[table.name])
        _COLUMNS[table.name] = cols
    return cols


def _utc(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    elif value.utcoffset():
        value = value.astimezone(timezone.utc)
    return value.replace(tzinfo=None).isoformat()


# One text form per value, whether it comes from the inserting code or back from either database (by exact type:
# this runs for every row of every sale).
_CANON = {uuid.UUID: str, datetime: _utc, date: date.isoformat, Decimal: str,
          bytes: lambda v: hashlib.sha256(v).hexdigest()}
_PLAIN = (type(None), bool, int, str)


def _canon(value):
    kind = type(value)
    if kind in _PLAIN:
        return value
    convert = _CANON.get(kind)
    if convert is not None:
        return convert(value)
    if isinstance(value, datetime):
        return _utc(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    return str(value)


def row_digest(table_name: str, columns: tuple, get) -> str:
    """16 hex characters of SHA-256 over the table's name and the row's digested values (`get(column key)`)."""
    text = json.dumps([table_name, [_canon(get(c)) for c in columns]], ensure_ascii=False, separators=(",", ":"))
    return sha256(text.encode()).hexdigest()[:16]


def digest_of(table, row: dict) -> str:
    """A row's digest from the dict of values being inserted (the synthetic city uses this too)."""
    return row_digest(table.name, _columns(table), row.get)


def _pending(session: Session) -> dict:
    from ..uow import plain_session

    return plain_session(session).info.setdefault(PENDING, {})


def note_rows(session: Session, table, rows: list[dict]) -> None:
    """Note Core-inserted rows of a ledger table (called by writes.insert_rows)."""
    if table.name not in LEDGER_TABLES or not rows:
        return
    cols, noted = _columns(table), _pending(session).setdefault(table.name, {})
    for row in rows:
        noted[str(row["id"])] = row_digest(table.name, cols, row.get)


def after_flush(session: Session, _flush_context) -> None:
    """Note the ledger rows an ORM flush has just inserted (values as written, defaults included)."""
    for obj in session.new:
        table = getattr(type(obj), "__table__", None)
        if table is None or table.name not in LEDGER_TABLES:
            continue
        state = obj.__dict__
        _pending(session).setdefault(table.name, {})[str(state["id"])] = row_digest(
            table.name, _columns(table), state.get)


def take_rows(session: Session) -> dict | None:
    """The rows noted since the last event (flushing ORM rows not yet written), for the next event's summary."""
    from ..uow import plain_session

    plain = plain_session(session)
    if any(getattr(type(o), "__table__", None) is not None and type(o).__table__.name in LEDGER_TABLES
           for o in plain.new):
        plain.flush()
    noted = plain.info.pop(PENDING, None)
    return noted or None


def forget_rows(session: Session, *_args) -> None:
    """A rolled-back transaction's rows were never written."""
    session.info.pop(PENDING, None)


def cover_leftovers(session: Session) -> None:
    """Before a commit: ledger rows written after the transaction's last event (or with none) get an event of
    their own on the global chain, so no committed ledger row is outside the chain."""
    if not session.info.get(PENDING):
        return
    from ..auth.permissions import system_actor
    from .service import record

    record(session, system_actor(), "audit.ledger_rows", summary={})


def install(session_class) -> None:
    """Register the listeners (once, when the app is built)."""
    from sqlalchemy import event

    for name, fn in (("after_flush", after_flush), ("after_rollback", forget_rows),
                     ("after_soft_rollback", forget_rows), ("before_commit", cover_leftovers)):
        if not event.contains(session_class, name, fn):
            event.listen(session_class, name, fn)


# --- verification -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RowProblem:
    table: str
    row_id: str
    problem: str            # "changed", "added" or "deleted"
    event_id: str | None    # the event that vouches for the row (None for an added row)

    @property
    def message(self) -> str:
        if self.problem == "changed":
            return f"{self.table} 行 {self.row_id} 已被改动（与审计事件 {self.event_id} 记录的摘要不符）"
        if self.problem == "deleted":
            return f"{self.table} 行 {self.row_id} 已被删除（审计事件 {self.event_id} 记录了它）"
        return f"{self.table} 行 {self.row_id} 不在审计链下（没有任何审计事件记录它：被人为添加）"


def vouched_rows(session: Session) -> dict:
    """{(table, row id): (digest, event id)} from every event's summary."""
    from .models import AuditEvent

    out: dict = {}
    stmt = select(AuditEvent.id, AuditEvent.summary).where(AuditEvent.summary.like(f'%"{ROWS_KEY}":%'))
    for event_id, summary in session.execute(stmt):
        rows = json.loads(summary).get(ROWS_KEY)
        if not isinstance(rows, dict):  # another action's own "rows" figure (a count), not row digests
            continue
        for table_name, by_id in rows.items():
            for row_id, digest in by_id.items():
                out[(table_name, row_id)] = (digest, str(event_id))
    return out


def _row_key(row_id: str) -> int:
    """A row id (a UUID as text, with or without dashes) as the integer _vouched_compact keys rows by."""
    return int(row_id.replace("-", ""), 16)


def _vouched_compact(session: Session, tables) -> tuple[dict, list]:
    """What every event vouches for, compactly: ({table: {row id as int: digest int << 32 | event index}},
    [event ids by index]). A city's ledgers hold tens of millions of rows; the plain form of vouched_rows costs
    about 450 bytes a row (strings and tuples), which exhausted 23 GB at 1,000 stores. Integers cost about a
    quarter of that, and the events are read in batches rather than all at once."""
    from .models import AuditEvent

    wanted = set(tables)
    by_table: dict = {name: {} for name in wanted}
    events: list = []
    stmt = (select(AuditEvent.id, AuditEvent.summary).where(AuditEvent.summary.like(f'%"{ROWS_KEY}":%'))
            .execution_options(yield_per=5000))
    for event_id, summary in session.execute(stmt):
        rows = json.loads(summary).get(ROWS_KEY)
        if not isinstance(rows, dict):  # another action's own "rows" figure (a count), not row digests
            continue
        index = len(events)
        events.append(event_id)
        for table_name, by_id in rows.items():
            target = by_table.get(table_name)
            if target is None:
                continue
            for row_id, digest in by_id.items():
                target[_row_key(row_id)] = (int(digest, 16) << 32) | index
    return by_table, events


def verify_rows(session: Session, *, tables=None) -> list[RowProblem]:
    """Recompute every ledger row's digest against the events that vouch for it (`tables`: only these).
    Streams each table (a server-side cursor on PostgreSQL) and keeps only integers per row (_vouched_compact)."""
    from ..extensions import db

    names = list(tables or LEDGER_TABLES)
    by_table, events = _vouched_compact(session, names)
    problems: list[RowProblem] = []
    tables_by_name = {t.name: t for t in db.metadata.sorted_tables if t.name in LEDGER_TABLES}
    for name in names:
        table = tables_by_name[name]
        cols = _columns(table)
        want_of = by_table.pop(name)
        stmt = select(*[table.c[c] for c in cols]).execution_options(yield_per=10_000)
        for row in session.execute(stmt).mappings():
            row_id = row["id"]
            key = row_id.int if isinstance(row_id, uuid.UUID) else _row_key(str(row_id))
            want = want_of.pop(key, None)  # what is left at the end was deleted
            if want is None:
                problems.append(RowProblem(name, str(row_id), "added", None))
            elif int(row_digest(name, cols, row.get), 16) != want >> 32:
                problems.append(RowProblem(name, str(row_id), "changed", str(events[want & 0xFFFFFFFF])))
        problems.extend(RowProblem(name, str(uuid.UUID(int=key)), "deleted", str(events[want & 0xFFFFFFFF]))
                        for key, want in want_of.items())
    return problems


def verify_vouched(session: Session, vouched: dict) -> list[RowProblem]:
    """The rows `vouched` names (the rows of the events a daily run read): each must exist with its digest. Rows
    no event vouches for ("added") are the full run's to find: that needs every row of every ledger table."""
    from ..extensions import db

    by_name = {t.name: t for t in db.metadata.sorted_tables if t.name in LEDGER_TABLES}
    wanted: dict = {}
    for (name, row_id), want in vouched.items():
        if name in by_name:
            wanted.setdefault(name, {})[row_id] = want
    problems: list[RowProblem] = []
    for name, rows in wanted.items():
        table, cols = by_name[name], _columns(by_name[name])
        ids = list(rows)
        seen = set()
        for start in range(0, len(ids), 1000):
            chunk = [uuid.UUID(i) for i in ids[start:start + 1000]]
            for row in session.execute(select(*[table.c[c] for c in cols]).where(table.c.id.in_(chunk))).mappings():
                row_id = str(row["id"])
                seen.add(row_id)
                if row_digest(name, cols, row.get) != rows[row_id][0]:
                    problems.append(RowProblem(name, row_id, "changed", rows[row_id][1]))
        problems.extend(RowProblem(name, row_id, "deleted", want[1])
                        for row_id, want in rows.items() if row_id not in seen)
    return problems
