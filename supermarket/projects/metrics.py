"""The standard's reads of projects and sessions, for every store at once (set-based, a fixed number of queries):

- `active_projects` / `active_livestream`: §7.2 "function active in the window" (≥ 1 project progress update; ≥ 1
  registered session);
- `o02_project_display` (O-02): of the store's open projects' months in the window, the share with their progress
  update;
- `o03_livestream` (O-03): of the store's sessions whose publication was due in the window (ended at least 15 days
  before its end), the share linked to a project, closed after reconciliation and published within 15 days of the
  close.

Each rule function answers {store_id: (value, numerator, denominator)} with value in [0, 1] (0 when nothing
counts); a store with nothing to count is left out.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..clock import local_date, month_start, next_month
from .livestream import PUBLISH_WITHIN
from .models import LiveSession, ProgressUpdate, Project


def _stores(stmt, column, store_ids):
    return stmt if store_ids is None else stmt.where(column.in_(list(store_ids)))


def active_projects(session: Session, window_start: datetime, window_end: datetime) -> set:
    """Stores with at least one progress update of one of their projects posted in the window."""
    stmt = (select(Project.store_id).join(ProgressUpdate, ProgressUpdate.project_id == Project.id)
            .where(Project.store_id.is_not(None), ProgressUpdate.posted_at >= window_start,
                   ProgressUpdate.posted_at < window_end).distinct())
    return set(session.scalars(stmt))


def active_livestream(session: Session, window_start: datetime, window_end: datetime) -> set:
    """Stores with at least one session (registered for a project) starting in the window."""
    stmt = (select(LiveSession.store_id).where(LiveSession.starts_at >= window_start,
                                               LiveSession.starts_at < window_end).distinct())
    return set(session.scalars(stmt))


def _months(first: date, last: date) -> list[date]:
    out, month = [], month_start(first)
    while month <= last:
        out.append(month)
        month = next_month(month)
    return out


def o02_project_display(session: Session, store_ids, window_start: datetime, window_end: datetime) -> dict:
    """Per store: months (of its open or closed projects, within each project's dates and the window) with a
    progress update / months expected."""
    first, last = local_date(window_start), local_date(window_end)
    projects = session.execute(_stores(
        select(Project.id, Project.store_id, Project.starts_on, Project.ends_on)
        .where(Project.store_id.is_not(None), Project.status != "draft", Project.starts_on <= last,
               Project.ends_on >= first), Project.store_id, store_ids)).all()
    if not projects:
        return {}
    done = set(session.execute(
        select(ProgressUpdate.project_id, ProgressUpdate.month)
        .where(ProgressUpdate.project_id.in_([p.id for p in projects]),
               ProgressUpdate.month >= month_start(first), ProgressUpdate.month <= last)).all())
    counts: dict = defaultdict(lambda: [0, 0])
    for p in projects:
        # A month is expected once it is over (an update posted late in the month is on time); the current
        # month counts only when its update is already there.
        months = [m for m in _months(max(first, p.starts_on), min(last, p.ends_on))
                  if next_month(m) <= last or (p.id, m) in done]
        for m in months:
            counts[p.store_id][1] += 1
            counts[p.store_id][0] += (p.id, m) in done
    return {sid: ((n / d) if d else 0.0, n, d) for sid, (n, d) in counts.items()}


def o03_livestream(session: Session, store_ids, window_start: datetime, window_end: datetime) -> dict:
    """Per store: sessions ended in the window (and due for publication by its end) that were closed after
    reconciliation and published within 15 days of the close / such sessions."""
    due = window_end - PUBLISH_WITHIN
    stmt = _stores(
        select(LiveSession.store_id, LiveSession.status, LiveSession.platform_total_fen, LiveSession.received_fen,
               LiveSession.closed_at, LiveSession.published_at)
        .where(LiveSession.ends_at >= window_start, LiveSession.ends_at < due), LiveSession.store_id, store_ids)
    # The 15 days are compared here rather than in SQL: interval arithmetic differs between the dialects, and
    # the rows are already only the window's sessions.
    counts: dict = defaultdict(lambda: [0, 0])
    for row in session.execute(stmt):
        counts[row.store_id][1] += 1
        counts[row.store_id][0] += (row.status == "closed" and row.platform_total_fen is not None
                                    and row.received_fen is not None and row.published_at is not None
                                    and row.published_at <= row.closed_at + PUBLISH_WITHIN)
    return {sid: ((n / d) if d else 0.0, n, d) for sid, (n, d) in counts.items()}

