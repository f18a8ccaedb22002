"""Closed periods: a store manager closes a month, and no stock movement may be dated inside it.

Closing month M closes it and every month before it (a store's books are closed in order), so the guard only
needs the latest closed month. Corrections of a closed month are new movements dated today that point at what
they correct (see corrections.py).
"""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..clock import local_today
from .. import audit
from ..auth.permissions import Actor
from ..errors import InvalidInput
from ..uow import plain_session, unit_of_work
from . import ledger
from .common import require_manager, store_for
from .errors import PeriodClosed
from .models import PeriodClose


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(first: date) -> date:
    return date(first.year + (first.month == 12), first.month % 12 + 1, 1)


_CLOSED_THROUGH = (select(func.max(PeriodClose.__table__.c.month))
                   .where(PeriodClose.__table__.c.store_id == bindparam("s")))


def closed_through(session: Session, store_id) -> date | None:
    """The first day of the latest closed month of the store, or None."""
    return session.connection().execute(_CLOSED_THROUGH, {"s": store_id}).scalar()


def closed_through_of(store_id):
    """closed_through() as a scalar subquery, for a statement that reads it along with other things (the
    till's first statement of a sale); hand the value to remember_closed_through(). `store_id` is a value or a
    bound parameter (not another table's column: see sales.settings on unqualified RETURNING columns)."""
    t = PeriodClose.__table__
    return select(func.max(t.c.month)).where(t.c.store_id == store_id).scalar_subquery()


def _memo(session: Session) -> dict:
    """{store_id: closed_through} known in the session's current transaction (a new transaction starts empty)."""
    real = plain_session(session)
    tx = real.get_transaction()
    memo = real.info.get("closed_through")
    if memo is None or memo[0] is not tx:
        memo = real.info["closed_through"] = (tx, {})
    return memo[1]


def remember_closed_through(session: Session, store_id, closed: date | None) -> None:
    """Tell the guard what closed_through_of() read in this transaction, so it does not read it again."""
    _memo(session)[store_id] = closed


def period_guard(session: Session, store_id, occurred_at: datetime) -> None:
    """Registered in ledger.MOVEMENT_GUARDS: refuse any movement dated in a closed month.

    A sale of five lines posts five movements; the store's closed month is read once per transaction (it is
    remembered against the transaction object, so the next transaction reads it afresh).
    """
    known = _memo(session)
    if store_id in known:
        closed = known[store_id]
    else:
        closed = known[store_id] = closed_through(session, store_id)
    if closed is not None and month_start(local_today(occurred_at)) <= closed:
        raise PeriodClosed(_("%(month)s 及以前的月份已结账，不能登记该日期的库存变动；请以今天的日期登记更正",
                             month=closed.strftime("%Y-%m")))


if period_guard not in ledger.MOVEMENT_GUARDS:
    ledger.MOVEMENT_GUARDS.append(period_guard)


def list_closes(session: Session, actor: Actor, store_id) -> list[PeriodClose]:
    store_for(session, actor, store_id)
    return list(session.scalars(select(PeriodClose).where(PeriodClose.store_id == store_id)
                                .order_by(PeriodClose.month.desc())))


def close_month(session: Session, actor: Actor, store_id, *, month: date, now: datetime,
                note: str = "") -> PeriodClose:
    """Close `month` (any day in it) for the store. Only a month that has ended, and only forward.

    Raises Forbidden (not the store's manager), InvalidInput (month not over), PeriodClosed (already closed).
    """
    store_for(session, actor, store_id)
    require_manager(actor, store_id)
    first = month_start(month)
    if next_month(first) > local_today(now):
        raise InvalidInput(_("只能结账已经结束的月份"), fields={"month": [_("该月份尚未结束")]})
    closed = closed_through(session, store_id)
    if closed is not None and first <= closed:
        raise PeriodClosed(_("%(month)s 已经结账", month=closed.strftime("%Y-%m")))
    try:
        with unit_of_work(session):
            row = _close(session, actor, store_id, first, now, note)
    except IntegrityError:  # another tablet closed the same month a moment ago
        raise PeriodClosed(_("%(month)s 已经结账", month=first.strftime("%Y-%m"))) from None
    return row


def _close(session: Session, actor: Actor, store_id, first: date, now: datetime, note: str) -> PeriodClose:
    row = PeriodClose(store_id=store_id, month=first, closed_by_id=actor.user_id, closed_by_name=actor.username,
                      closed_at=now, note=(note or "")[:200])
    session.add(row)
    session.flush()
    plain_session(session).info.pop("closed_through", None)
    audit.record(session, actor, "inventory.period_closed", row, {"month": first.strftime("%Y-%m")},
                 store_id=store_id, now=now)
    return row
