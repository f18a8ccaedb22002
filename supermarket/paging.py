"""One way to cut a list into pages: every list says how many rows it has and reaches every one of them.

Two kinds of page, same `Page` for the templates (`_macros/paging.html` draws the pager):
- `offset_page`: numbered pages (`?page=3`), for lists that stay short enough that the offset is cheap
  (users of a store, the near-expiry lots of one store, a month's public list of one store);
- `keyset_page`: "older" links carrying the last row's key (`?after=<time>~<id>`), for lists that grow without
  bound (shifts, flags): the database seeks to the key through its index instead of skipping rows.
The total is one `count(*)` over the same filtered statement, so a page costs two statements whatever its size.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

PER_PAGE = 50
# A page number or cursor comes from the address bar: anything odd falls back to the first page.
MAX_PAGE = 100_000


@dataclass(frozen=True)
class Page:
    items: list
    total: int
    number: int = 1
    per_page: int = PER_PAGE
    # keyset pages: the cursor of the next (older) page, and whether this page is not the first
    next_after: str | None = None
    keyset: bool = False
    after: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.after is not None if self.keyset else self.number > 1

    @property
    def has_next(self) -> bool:
        return self.next_after is not None if self.keyset else self.number < self.pages

    @property
    def first_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.items and not self.keyset else 0

    @property
    def last_index(self) -> int:
        return self.first_index + len(self.items) - 1 if self.items and not self.keyset else 0

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def page_number(value) -> int:
    try:
        number = int(value or 1)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


def count(session: Session, stmt) -> int:
    return session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0


def offset_page(session: Session, stmt, *, page=1, per_page: int = PER_PAGE, scalars: bool = True,
                total: int | None = None) -> Page:
    """Page `page` (1-based, clamped to the last page) of `stmt`, which must be ordered with a unique tie-break."""
    total = count(session, stmt) if total is None else total
    number = min(page_number(page), max(1, -(-total // per_page)))
    limited = stmt.limit(per_page).offset((number - 1) * per_page)
    items = list(session.scalars(limited).unique()) if scalars else list(session.execute(limited).all())
    return Page(items, total, number, per_page)


def encode_cursor(moment: datetime, row_id) -> str:
    return f"{moment.isoformat()}~{row_id}"


def decode_cursor(value: str | None) -> tuple[datetime, uuid.UUID] | None:
    if not value or "~" not in value:
        return None
    moment, _, row_id = value.partition("~")
    try:
        return datetime.fromisoformat(moment), uuid.UUID(row_id)
    except ValueError:
        return None


def keyset_page(session: Session, stmt, *, time_col, id_col, after: str | None, per_page: int = PER_PAGE,
                scalars: bool = True, key=None, total: int | None = None) -> Page:
    """The page of `stmt` (newest first by (time_col, id_col)) just after the cursor `after`.

    `key(item) -> (time, id)` reads the cursor of an item (default: the attributes named like the columns)."""
    total = count(session, stmt) if total is None else total
    cursor = decode_cursor(after)
    ordered = stmt.order_by(None).order_by(time_col.desc(), id_col.desc())
    if cursor is not None:
        moment, row_id = cursor
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        ordered = ordered.where(or_(time_col < moment, and_(time_col == moment, id_col < row_id)))
    limited = ordered.limit(per_page + 1)
    rows = list(session.scalars(limited).unique()) if scalars else list(session.execute(limited).all())
    items = rows[:per_page]
    if key is None:
        def key(item):
            return getattr(item, time_col.key), getattr(item, id_col.key)
    next_after = encode_cursor(*key(items[-1])) if len(rows) > per_page else None
    return Page(items, total, 1, per_page, next_after=next_after, keyset=True,
                after=after if cursor is not None else None)


def page_url(**changes) -> str:
    """The current page's address with some query values changed (None drops one): the pager's links."""
    from flask import request, url_for

    args = request.args.to_dict()
    for name, value in changes.items():
        if value is None:
            args.pop(name, None)
        else:
            args[name] = value
    return url_for(request.endpoint, **(request.view_args or {}), **args)
