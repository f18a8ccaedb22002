"""Shared column types and mixins used by every domain's models."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from sqlalchemy import DateTime, ForeignKey, Uuid, insert
from sqlalchemy.orm import Mapped, Session, declared_attr, make_transient_to_detached, mapped_column
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def new_uuid() -> uuid.UUID:
    return uuid.uuid4()


_INSERTS: dict = {}  # (table, many) -> INSERT built once, so its compiled form is cached


def insert_rows(session: Session, table, rows: list[dict]) -> None:
    """INSERT `rows` into `table` on the session's transaction as ONE statement, not one per row: on
    PostgreSQL each statement is a round trip's worth of work on both sides.

    On PostgreSQL several rows go through SQLAlchemy's "insertmanyvalues" (an INSERT … RETURNING given a list
    of parameter sets is sent as one multi-row VALUES, compiled once and cached). Building
    `insert().values(rows)` instead would compile a new statement for every call, which cost more than the
    database did. SQLite is in-process: its driver's executemany is one prepared statement run in a C loop.
    """
    if not rows:
        return
    conn = session.connection()
    many = len(rows) > 1 and conn.dialect.name == "postgresql"
    stmt = _INSERTS.get((table, many))
    if stmt is None:
        stmt = insert(table).returning(*table.primary_key.columns) if many else insert(table)
        _INSERTS[(table, many)] = stmt
    conn.execute(stmt, rows if len(rows) > 1 else rows[0])


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


class UTCDateTime(TypeDecorator):
    """Stores UTC; always hands back an aware UTC datetime, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        value = value.astimezone(timezone.utc)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class UUIDPk:
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_uuid)


class CreatedAt:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)


class StoreOwned:
    """A row owned by one store: every query a store user runs is scoped on `store_id`."""

    @declared_attr
    def store_id(cls) -> Mapped[uuid.UUID]:
        return mapped_column(Uuid, ForeignKey("stores.id"), nullable=False, index=True)
