"""The closed-period check the stock ledger runs before writing any movement.

Kept apart from periods.py (closing a month, a manager's action) so that the ledger can call it directly without
importing the service that sits above it.
"""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from ..clock import local_today, month_start
from ..uow import plain_session
from .errors import PeriodClosed
from .models import PeriodClose

_CLOSED_THROUGH = (select(func.max(PeriodClose.__table__.c.month))
                   .where(PeriodClose.__table__.c.store_id == bindparam("store_id")))


def closed_through(session: Session, store_id) -> date | None:
    """The first day of the latest closed month of the store, or None."""
    return session.connection().execute(_CLOSED_THROUGH, {"store_id": store_id}).scalar()


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


def check_period_open(session: Session, store_id, occurred_at: datetime) -> None:
    """Refuse any movement dated in a closed month (the ledger calls this before every movement it writes).

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
