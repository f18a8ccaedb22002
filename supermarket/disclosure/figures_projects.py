"""The projects group of a month's figures (慈善项目与直播义买), for many stores at once, read from the projects
domain's ledgers in a fixed number of set-based queries.

A month's project figures are what entered the books in that month: a designation when it was made, change
given at the till when it was given, a till sale when it was sold (a void or return when it was recorded), a platform order when its file was imported, an
expenditure when it was recorded (not the date typed on it). So a published month does not move when a late
order file or a back-dated expenditure is recorded later: that money is in the month it was booked.

Per store, `projects` lists:
- the store's own projects with money to date: raised and spent this month, raised and spent to the month's
  end and the balance then (their whole money is the store's: a store project is raised for only there);
- a district's or the city's project that raised money at the store this month: what it raised here (its
  spending and balance are the district's or the city's, not the store's).
`sessions` lists the livestream / charity-sale sessions the store closed (reconciled) in the month, with what
was recorded, what the platform reported and what was received. Month amounts are to-date at the end minus
to-date at the start, so a category share's rounding never makes the months disagree with the project's total.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import and_, func, or_, select, union_all
from sqlalchemy.orm import Session

from ..catalog.models import Item
from ..clock import local_date
from ..projects import ledger
from ..projects.models import (CategoryShare, Designation, Expenditure, LiveOrder, LiveSession, OrderImport,
                               Project)
from ..sales.donation_models import TillDonation
from ..sales.models import Sale, SaleLine

_TILL_GIFTS = TillDonation.__table__


def empty() -> dict:
    return {"raised_fen": 0, "spent_fen": 0, "projects": [], "sessions": []}


def _raised_to(session: Session, ids: list, hi: datetime) -> dict:
    """{(store_id, project_id): fen} raised at each store up to `hi` (exclusive)."""
    out: dict = defaultdict(int)
    ex = session.execute
    # Designated money lines and the change given at the till, in one statement.
    gifts = union_all(
        select(Designation.store_id, Designation.project_id, Designation.amount_fen)
        .where(Designation.store_id.in_(ids), Designation.designated_at < hi),
        select(_TILL_GIFTS.c.store_id, _TILL_GIFTS.c.project_id, _TILL_GIFTS.c.amount_fen)
        .where(_TILL_GIFTS.c.store_id.in_(ids), _TILL_GIFTS.c.donated_at < hi)).subquery("gifts")
    for sid, pid, amount in ex(select(gifts.c.store_id, gifts.c.project_id, func.sum(gifts.c.amount_fen))
                               .group_by(gifts.c.store_id, gifts.c.project_id)):
        out[(sid, pid)] += int(amount or 0)
    t = ledger.tagged_documents()
    for sid, pid, amount in ex(select(LiveSession.store_id, t.c.project_id, func.sum(t.c.total_fen))
                               .join(LiveSession, LiveSession.id == t.c.session_id)
                               .where(LiveSession.store_id.in_(ids), t.c.sold_at < hi)
                               .group_by(LiveSession.store_id, t.c.project_id)):
        out[(sid, pid)] += int(amount or 0)
    for sid, pid, amount in ex(select(LiveSession.store_id, LiveSession.project_id, func.sum(LiveOrder.amount_fen))
                               .join(LiveSession, LiveSession.id == LiveOrder.session_id)
                               .join(OrderImport, OrderImport.id == LiveOrder.import_id)
                               .where(LiveSession.store_id.in_(ids), LiveOrder.counted.is_(True),
                                      OrderImport.created_at < hi)
                               .group_by(LiveSession.store_id, LiveSession.project_id)):
        out[(sid, pid)] += int(amount or 0)
    # A category's share: the sales (and their voids and returns, in force by the original sale's time) booked
    # before `hi`, summed per share setting and then cut to the share, as the project's own ledger does.
    doc, original = Sale.__table__.alias("d"), Sale.__table__.alias("o")
    sold_at = func.coalesce(original.c.sold_at, doc.c.sold_at)
    lines, items = SaleLine.__table__, Item.__table__
    for sid, pid, bp, total in ex(
            select(CategoryShare.store_id, CategoryShare.project_id, CategoryShare.share_bp,
                   func.sum(lines.c.line_total_fen))
            .select_from(CategoryShare)
            .join(doc, doc.c.store_id == CategoryShare.store_id)
            .outerjoin(original, original.c.id == doc.c.reverses_id)
            .join(lines, lines.c.sale_id == doc.c.id)
            .join(items, and_(items.c.id == lines.c.item_id, items.c.category_id == CategoryShare.category_id))
            .where(CategoryShare.store_id.in_(ids), doc.c.sold_at < hi, sold_at >= CategoryShare.starts_at,
                   or_(CategoryShare.ends_at.is_(None), sold_at < CategoryShare.ends_at))
            .group_by(CategoryShare.id, CategoryShare.store_id, CategoryShare.project_id, CategoryShare.share_bp)):
        out[(sid, pid)] += ledger.share_of(int(total or 0), bp)
    return out


def _spent_to(session: Session, ids: list, hi: datetime) -> dict:
    """{(store_id, project_id): fen} spent by each store's own projects up to `hi`."""
    return {(sid, pid): int(amount or 0) for sid, pid, amount in session.execute(
        select(Project.store_id, Expenditure.project_id, func.sum(Expenditure.amount_fen))
        .join(Project, Project.id == Expenditure.project_id)
        .where(Project.store_id.in_(ids), Expenditure.created_at < hi)
        .group_by(Project.store_id, Expenditure.project_id))}


def _level(project: Project) -> str:
    return "store" if project.store_id else ("district" if project.district_id else "city")


def month_projects(session: Session, ids: list, start: datetime, end: datetime) -> dict:
    """{store_id: the projects group} for `ids` over [start, end)."""
    out = {sid: empty() for sid in ids}
    if not ids:
        return out
    r0, r1 = _raised_to(session, ids, start), _raised_to(session, ids, end)
    s0, s1 = _spent_to(session, ids, start), _spent_to(session, ids, end)
    pids = {pid for _sid, pid in (*r1, *s1)}
    projects = {p.id: p for p in session.scalars(select(Project).where(Project.id.in_(pids)))} if pids else {}
    for key in sorted(set(r1) | set(s1), key=lambda k: (str(k[0]), str(k[1]))):
        sid, pid = key
        project = projects[pid]
        own = project.store_id == sid
        raised, spent = r1.get(key, 0) - r0.get(key, 0), s1.get(key, 0) - s0.get(key, 0)
        if not own and not raised:
            continue
        row = {"code": str(pid), "name": project.title, "level": _level(project), "raised_fen": raised,
               "spent_fen": spent if own else 0, "raised_to_date_fen": r1.get(key, 0)}
        if own:
            row["spent_to_date_fen"] = s1.get(key, 0)
            row["balance_fen"] = r1.get(key, 0) - s1.get(key, 0)
        group = out[sid]
        group["projects"].append(row)
        group["raised_fen"] += raised
        group["spent_fen"] += row["spent_fen"]
    closed = list(session.execute(
        select(LiveSession, Project.title).join(Project, Project.id == LiveSession.project_id)
        .where(LiveSession.store_id.in_(ids), LiveSession.status == "closed", LiveSession.closed_at >= start,
               LiveSession.closed_at < end)))
    recorded = ledger.session_recorded(session, [s.id for s, _t in closed])
    for s, title in closed:
        till, orders = recorded[s.id]
        out[s.store_id]["sessions"].append({
            "code": str(s.id), "title": s.title, "platform": s.platform, "project": title,
            "held_on": local_date(s.starts_at).isoformat(), "recorded_fen": till + orders,
            "platform_total_fen": s.platform_total_fen or 0, "received_fen": s.received_fen or 0})
    for group in out.values():
        group["projects"].sort(key=lambda r: (r["level"] != "store", r["name"], r["code"]))
        group["sessions"].sort(key=lambda r: (r["held_on"], r["code"]))
    return out
