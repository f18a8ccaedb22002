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


def insert_rows(session: Session, table, rows: list[dict], *, columns=None, ignore_conflict_on: str | None = None,
                returning=None) -> list:
    """INSERT every row in ONE statement, however many there are: the rows travel as a single JSON parameter and
    are unpacked by the database (PostgreSQL json_to_recordset, SQLite json_each). An executemany is split into
    pages (1,000 rows, or the driver's parameter limit), so its statement count would grow with the city.
    `columns` (default: the first row's keys) lets an empty list still be one statement that inserts nothing;
    `ignore_conflict_on` names a unique column whose duplicates are skipped; `returning` a column to return."""
    import json

    from sqlalchemy import text

    wanted = set(columns or rows[0])
    cols = [c for c in table.columns if c.name in wanted]
    names = ", ".join(c.name for c in cols)
    if dialect(session) == "postgresql":
        shape = ", ".join(f"{c.name} {c.type.compile(dialect=session.get_bind().dialect)}" for c in cols)
        payload = json.dumps(rows, default=str, ensure_ascii=False)
        select_sql = f"SELECT {names} FROM json_to_recordset(CAST(:rows AS json)) AS r({shape})"
    else:
        # SQLite: each value already in its stored form (the column type's own bind processing: a Uuid as 32 hex
        # digits, a datetime as text, JSON as its text), then read back out of the JSON array.
        d = session.get_bind().dialect
        procs = {c.name: c.type.dialect_impl(d).bind_processor(d) for c in cols}
        payload = json.dumps([{k: (procs[k](v) if procs.get(k) and v is not None else v) for k, v in row.items()}
                              for row in rows], default=str, ensure_ascii=False)
        select_sql = f"SELECT {', '.join(f'json_extract(value, {chr(39)}$.{c.name}{chr(39)})' for c in cols)} " \
                     "FROM json_each(:rows) WHERE true"  # WHERE: SQLite's parser needs it before ON CONFLICT
    sql = f"INSERT INTO {table.name} ({names}) {select_sql}"
    if ignore_conflict_on:
        sql += f" ON CONFLICT ({ignore_conflict_on}) DO NOTHING"
    stmt = text(sql)
    if returning is not None:
        stmt = text(sql + f" RETURNING {returning.name}").columns(returning)
        return list(session.scalars(stmt, {"rows": payload}))
    session.execute(stmt, {"rows": payload})
    return []
