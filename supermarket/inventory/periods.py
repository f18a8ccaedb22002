"""Closed periods: a store manager closes a month, and no stock movement may be dated inside it.

Closing month M closes it and every month before it (a store's books are closed in order), so the guard only
needs the latest closed month. Corrections of a closed month are new movements dated today that point at what
they correct (see corrections.py).
"""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..clock import local_today, month_start, next_month
from .. import audit
from ..auth.permissions import Actor
from ..errors import InvalidInput
from ..uow import plain_session, unit_of_work
from .closed_periods import closed_through, closed_through_of, remember_closed_through  # noqa: F401  (re-exported)
from .common import require_manager, store_for
from .errors import PeriodClosed
from .models import PeriodClose


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
