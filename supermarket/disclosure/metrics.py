"""The standard's F-04 (信息公开 by the disclosure calendar), for every store at once (two queries).

A month is due on the 10th of the next month (`service.due_on`). For the months due in the window, counted from
the store's first published month on (before it, the store did not run its books here), a store scores the
share published on time: version 1 published by the due date. A due month not published at all counts as not
on time. A store that never published is left out (the standard then shows 无记录, grade D). Named in
wiring.STANDARD_DISCLOSURES: the standard sits below this domain.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..clock import local_date, month_start, next_month, previous_month
from .models import Disclosure
from .service import due_on


def months_due(first_day: date, last_day: date) -> list[date]:
    """The months whose due date falls in [first_day, last_day]."""
    out, month = [], previous_month(month_start(first_day))
    while due_on(month) <= last_day:
        if due_on(month) >= first_day:
            out.append(month)
        month = next_month(month)
    return out


def f04(session: Session, store_ids, first_day: date, last_day: date) -> dict:
    """{store_id: (share on time, on time, due)} for the stores (None: every store) with a month due."""
    due = months_due(first_day, last_day)
    if not due:
        return {}
    stmt = select(Disclosure.store_id, func.min(Disclosure.month))
    if store_ids is not None:
        stmt = stmt.where(Disclosure.store_id.in_(list(store_ids)))
    started = dict(session.execute(stmt.group_by(Disclosure.store_id)).all())
    if not started:
        return {}
    first_published: dict = {}
    for sid, month, at in session.execute(
            select(Disclosure.store_id, Disclosure.month, func.min(Disclosure.published_at))
            .where(Disclosure.store_id.in_(list(started)), Disclosure.month.in_(due))
            .group_by(Disclosure.store_id, Disclosure.month)):
        first_published[(sid, month)] = local_date(at)
    counts: dict = defaultdict(lambda: [0, 0])
    for sid, since in started.items():
        for month in due:
            if month < since:
                continue
            counts[sid][1] += 1
            day = first_published.get((sid, month))
            counts[sid][0] += day is not None and day <= due_on(month)
    return {sid: (n / d, n, d) for sid, (n, d) in counts.items() if d}
