"""Small dialect seams the detectors share, so each detector stays one portable query (SQLite and PostgreSQL)."""
from __future__ import annotations

from sqlalchemy import String, cast, func, literal_column
from sqlalchemy.orm import Session

# Monday 5 January 1970, 00:00 in Asia/Shanghai, in epoch seconds: weeks are counted from it.
MONDAY_EPOCH_S = 4 * 86400 - 8 * 3600
WEEK_S = 7 * 86400


def dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def epoch_s(session: Session, col):
    """Seconds since 1970 of a stored UTC timestamp."""
    if dialect(session) == "sqlite":
        return (func.julianday(col) - 2440587.5) * 86400.0
    return func.extract("epoch", col)


def week_index(session: Session, col):
    """The Asia/Shanghai calendar week (Monday to Sunday) a timestamp falls in, as an integer."""
    return func.floor((epoch_s(session, col) - MONDAY_EPOCH_S) / WEEK_S)


def ordered_concat(session: Session, expr, order_by):
    """An aggregate joining `expr` with commas in `order_by` order (PostgreSQL: string_agg … ORDER BY; SQLite:
    group_concat over rows the caller has already sorted)."""
    if dialect(session) == "sqlite":
        return func.group_concat(expr, ",")
    from sqlalchemy.dialects.postgresql import aggregate_order_by

    return func.string_agg(expr, aggregate_order_by(literal_column("','"), order_by))


def text_id(col):
    return cast(col, String)


def uuid_matches_text(session: Session, uuid_col, text_col):
    """A Uuid column equal to a uuid written as text with dashes (audit subject ids): SQLite stores the Uuid as
    32 hex digits, PostgreSQL casts it to the dashed form."""
    if dialect(session) == "sqlite":
        return cast(uuid_col, String) == func.replace(text_col, "-", "")
    return cast(uuid_col, String) == text_col


def month_key(session: Session, date_col):
    """'YYYY-MM' of a date column."""
    if dialect(session) == "sqlite":
        return func.strftime("%Y-%m", date_col)
    return func.to_char(date_col, "YYYY-MM")


def in_scope(p: dict, store_col):
    """The stores a run covers: every store (None), or the ids in p["store_ids"] (a district, a bench slice)."""
    from sqlalchemy import true

    ids = p.get("store_ids")
    return true() if ids is None else store_col.in_(list(ids))
