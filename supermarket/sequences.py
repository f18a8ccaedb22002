"""Gapless counters (receipt numbers per store and day, donation serials per store and year, item codes).

A number is claimed inside the caller's transaction with an upsert that takes the row lock, so two tablets
never get the same number, and a rolled-back action gives its number back: no gaps.
"""
from __future__ import annotations

from sqlalchemy import Integer, String, bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from .extensions import db


class Sequence(db.Model):
    __tablename__ = "sequences"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


def _claim_statement(insert):
    table = Sequence.__table__
    return (insert(table).values(key=bindparam("k"), last_value=1)
            .on_conflict_do_update(index_elements=[table.c.key], set_={"last_value": table.c.last_value + 1})
            .returning(table.c.last_value))


# The upsert per dialect, built once (every sale claims a receipt number).
_CLAIM = {"postgresql": _claim_statement(postgresql.insert), "sqlite": _claim_statement(sqlite.insert)}


def next_number(session: Session, key: str) -> int:
    """Claim the next number of counter `key` (1, 2, 3, … without gaps). Never commits."""
    conn = session.connection()
    return conn.execute(_CLAIM[conn.dialect.name], {"k": key}).scalar_one()


def peek(session: Session, key: str) -> int:
    """The last number claimed (0 when none)."""
    return session.scalar(select(Sequence.last_value).where(Sequence.key == key)) or 0
