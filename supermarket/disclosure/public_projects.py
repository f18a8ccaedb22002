"""Read models of the public pages' projects and livestream results (no login).

Live figures (raised / spent / balance now, from the project's ledger), unlike a month's frozen disclosure. Only
what a project publishes about itself: title, purpose, the beneficiaries as a group, target, dates, status, its
money and its monthly progress updates; never a payee, an approver, a host or whoever typed anything. Drafts are
not public. A session shows once reconciled and closed: what was recorded, reported and received.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..clock import local_date
from ..projects import ledger
from ..projects.importer import PLATFORM_LABELS
from ..projects.models import LiveSession, ProgressUpdate, Project

UPDATES_SHOWN = 3
SESSIONS_SHOWN = 10


@dataclass(frozen=True)
class PublicProject:
    title: str
    purpose: str
    beneficiaries: str
    level: str
    status: str
    target_fen: int
    starts_on: date
    ends_on: date
    raised_fen: int
    spent_fen: int
    balance_fen: int
    updates: list  # [(month, text)], newest first


@dataclass(frozen=True)
class PublicSession:
    title: str
    platform: str
    project: str
    held_on: date
    recorded_fen: int
    platform_total_fen: int
    received_fen: int


def projects(session: Session, *, store_id=None, district_id=None) -> list[PublicProject]:
    """The open and closed projects of a store, of a district (its own, not its stores'), or of the city
    (neither given), newest first; fixed number of queries."""
    stmt = select(Project).where(Project.status != "draft")
    if store_id is not None:
        stmt = stmt.where(Project.store_id == store_id)
    elif district_id is not None:
        stmt = stmt.where(Project.store_id.is_(None), Project.district_id == district_id)
    else:
        stmt = stmt.where(Project.store_id.is_(None), Project.district_id.is_(None))
    rows = list(session.scalars(stmt.order_by(Project.starts_on.desc(), Project.id)))
    if not rows:
        return []
    money = ledger.figures(session, [p.id for p in rows])
    updates: dict = {}
    for u in session.scalars(select(ProgressUpdate).where(ProgressUpdate.project_id.in_([p.id for p in rows]))
                             .order_by(ProgressUpdate.month.desc())):
        shown = updates.setdefault(u.project_id, [])
        if len(shown) < UPDATES_SHOWN:
            shown.append((u.month, u.text))
    return [PublicProject(p.title, p.purpose, p.beneficiaries,
                          "store" if p.store_id else ("district" if p.district_id else "city"), p.status,
                          p.target_fen, p.starts_on, p.ends_on, money[p.id].raised_fen, money[p.id].spent_fen,
                          money[p.id].balance_fen, updates.get(p.id, [])) for p in rows]


def sessions(session: Session, store_id) -> list[PublicSession]:
    """The store's reconciled and closed sessions, newest first."""
    rows = list(session.execute(
        select(LiveSession, Project.title).join(Project, Project.id == LiveSession.project_id)
        .where(LiveSession.store_id == store_id, LiveSession.status == "closed")
        .order_by(LiveSession.starts_at.desc()).limit(SESSIONS_SHOWN)))
    recorded = ledger.session_recorded(session, [s.id for s, _t in rows])
    return [PublicSession(s.title, str(PLATFORM_LABELS.get(s.platform, s.platform)), title, local_date(s.starts_at),
                          sum(recorded[s.id]), s.platform_total_fen or 0, s.received_fen or 0) for s, title in rows]


def etag_part(items: list) -> str:
    """A short digest of what the page shows (live figures change the page, so they are in its ETag)."""
    return hashlib.sha256(repr(items).encode()).hexdigest()[:16]
