"""The exception rows of the outreach and projects rules (O-01, O-02, O-03, O-05) for one store, each with the
page of its record (endpoint + url_kwargs). The conditions are the domains' metrics' own (outreach.metrics,
projects.metrics), read here row by row for the one store."""
from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from ..clock import month_start, next_month
from ..outreach.complaints import ANSWER_DAYS
from ..outreach.models import Complaint, OutreachFile, PublicityEvent
from ..projects.livestream import PUBLISH_WITHIN
from ..projects.models import LiveSession, ProgressUpdate, Project
from .results import ExceptionRow


def complaints(ctx, store_id, limit):
    """O-05: complaints due in the window not answered within 15 days (overdue ones first)."""
    answer = timedelta(days=ANSWER_DAYS)
    rows = ctx.session.scalars(
        select(Complaint).where(Complaint.store_id == store_id, Complaint.received_at >= ctx.t0,
                                Complaint.received_at < ctx.t1,
                                (Complaint.received_at < ctx.t1 - answer) | Complaint.answered_at.is_not(None))
        .order_by(Complaint.received_at))
    out = []
    for c in rows:
        if c.answered_at is None:
            detail = _("超过%(days)d日未答复", days=ANSWER_DAYS)
        elif c.answered_at - c.received_at > answer:
            detail = _("%(days)d 日后才答复", days=(c.answered_at - c.received_at).days)
        else:
            continue
        out.append(ExceptionRow(c.received_at, _("投诉 %(ref)s", ref=c.reference), detail,
                                "outreach.complaints.complaint", {"complaint_id": c.id}))
        if len(out) >= limit:
            break
    return out


def project_months(ctx, store_id, limit):
    """O-02: the store's project-months (ended months, within each project's dates) without a progress update."""
    first, last = ctx.first_day, ctx.as_of
    rows = ctx.session.execute(
        select(Project.id, Project.title, Project.starts_on, Project.ends_on)
        .where(Project.store_id == store_id, Project.status != "draft", Project.starts_on <= last,
               Project.ends_on >= first).order_by(Project.starts_on)).all()
    done = set(ctx.session.execute(
        select(ProgressUpdate.project_id, ProgressUpdate.month)
        .where(ProgressUpdate.project_id.in_([p.id for p in rows]), ProgressUpdate.month >= month_start(first),
               ProgressUpdate.month <= last)).all()) if rows else set()
    out = []
    for p in rows:
        month = month_start(max(first, p.starts_on))
        while month <= min(last, p.ends_on) and next_month(month) <= last:
            if (p.id, month) not in done:
                out.append(ExceptionRow(None, _("项目 %(title)s", title=p.title),
                                        _("%(month)s 无月度进展", month=month.strftime("%Y-%m")), "projects.project",
                                        {"project_id": p.id}))
            month = next_month(month)
    return out[:limit]


def live_sessions(ctx, store_id, limit):
    """O-03: sessions ended in the window and due for publication that are not reconciled, closed and published
    within 15 days of the close."""
    rows = ctx.session.scalars(
        select(LiveSession).where(LiveSession.store_id == store_id, LiveSession.ends_at >= ctx.t0,
                                  LiveSession.ends_at < ctx.t1 - PUBLISH_WITHIN).order_by(LiveSession.ends_at))
    out = []
    for s in rows:
        problems = []
        if s.platform_total_fen is None or s.received_fen is None:
            problems.append(_("未对账"))
        if s.status != "closed":
            problems.append(_("未结束"))
        if s.published_at is None:
            problems.append(_("未公布结果"))
        elif s.closed_at is not None and s.published_at > s.closed_at + PUBLISH_WITHIN:
            problems.append(_("结果晚于15日公布"))
        if problems:
            out.append(ExceptionRow(s.ends_at, _("直播 %(title)s", title=s.title), "；".join(problems),
                                    "projects.livestream", {"session_id": s.id}))
        if len(out) >= limit:
            break
    return out


def publicity_months(ctx, store_id, limit):
    """O-01: the window's months without a publicity event that has a photo."""
    first, last = ctx.first_day, ctx.as_of
    with_photo = select(OutreachFile.event_id).where(OutreachFile.event_id.is_not(None))
    held = {(d.year, d.month) for d in ctx.session.scalars(
        select(PublicityEvent.held_on).where(PublicityEvent.store_id == store_id, PublicityEvent.held_on >= first,
                                             PublicityEvent.held_on <= last, PublicityEvent.id.in_(with_photo)))}
    out, month = [], month_start(first)
    while month <= last:
        if (month.year, month.month) not in held:
            out.append(ExceptionRow(None, _("缺少宣传"), _("%(month)s 无带照片的宣传活动", month=month.strftime("%Y-%m")),
                                    "outreach.events", {}))
        month = next_month(month)
    return out[:limit]


FINDERS = {"complaints": complaints, "projects": project_months, "livestreams": live_sessions,
           "publicity_events": publicity_months}
