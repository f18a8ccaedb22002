"""Points detectors: bursts of entered shifts, one approver approving most, frequent redeemers, the monthly
cap, volunteer hours over the daily cap, and a resident's PIN reset at a store followed soon after by a redemption at that same store
(someone who learned the new PIN spends the resident's points)."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from ...audit.models import AuditEvent
from ...clock import local_date
from ...points.models import PointsCredit, PointsEntry
from ..candidates import Candidate, group
from ..sql import epoch_s, in_scope, month_key, uuid_matches_text


def pin_reset_then_redeem(session: Session, p: dict, *, now, since) -> list[Candidate]:
    """A `points.pin_reset` audit event at a store, then a `redeem` entry for that resident at that store
    within within_hours."""
    within_s = p["within_hours"] * 3600
    rows = session.execute(
        select(AuditEvent.id.label("event_id"), AuditEvent.at.label("reset_at"), AuditEvent.actor_id,
               AuditEvent.actor_name, PointsEntry.id, PointsEntry.resident_id, PointsEntry.store_id,
               PointsEntry.points, PointsEntry.created_at, PointsEntry.actor_id.label("redeemed_by"))
        .join(PointsEntry, and_(PointsEntry.store_id == AuditEvent.store_id, PointsEntry.kind == "redeem",
                                uuid_matches_text(session, PointsEntry.resident_id, AuditEvent.subject_id)))
        .where(AuditEvent.action == "points.pin_reset", AuditEvent.at >= since, AuditEvent.at <= now,
               in_scope(p, AuditEvent.store_id),
               PointsEntry.created_at >= AuditEvent.at,
               epoch_s(session, PointsEntry.created_at) - epoch_s(session, AuditEvent.at) <= within_s)
        .order_by(AuditEvent.at, PointsEntry.created_at)).all()
    out = []
    for (event_id, resident_id, store_id), entries in group(
            rows, lambda r: (r.event_id, r.resident_id, r.store_id)).items():
        first = entries[0]
        day = local_date(first.reset_at)
        c = Candidate("points.pin_reset_then_redeem", store_id, f"resident:{resident_id}:reset:{event_id}", day,
                      local_date(entries[-1].created_at), detail={"points": -sum(r.points for r in entries)})
        c.add_person("resident", resident_id)
        c.add_person("user", first.actor_id)
        for r in entries:
            c.add_person("user", r.redeemed_by)
        c.add_evidence("audit_events", event_id, f"PIN {first.actor_name}", None)
        for r in entries:
            c.add_evidence("points_entries", r.id, f"{r.points:+d}", "points.staff.resident", resident_id=resident_id)
        out.append(c)
    return out


def bulk_entries(session: Session, p: dict, *, now, since) -> list[Candidate]:
    """≥ min_entries volunteer shifts entered by one person at one store within window_minutes."""
    n, window_s = p["min_entries"], p["window_minutes"] * 60
    t = epoch_s(session, PointsCredit.created_at)
    entered = (select(PointsCredit.id, PointsCredit.store_id, PointsCredit.entered_by_id,
                      PointsCredit.resident_id, PointsCredit.points, PointsCredit.created_at, t.label("t"),
                      func.lag(t, n - 1).over(partition_by=(PointsCredit.store_id, PointsCredit.entered_by_id),
                                              order_by=PointsCredit.created_at).label("t0"))
               .where(PointsCredit.source == "shift", PointsCredit.store_id.is_not(None),
                      PointsCredit.entered_by_id.is_not(None), PointsCredit.created_at >= since,
                      PointsCredit.created_at <= now, in_scope(p, PointsCredit.store_id)).cte("entered"))
    hits = select(entered.c.store_id, entered.c.entered_by_id, entered.c.t0, entered.c.t).where(
        entered.c.t0.is_not(None), entered.c.t - entered.c.t0 < window_s).cte("hits")
    rows = session.execute(
        select(entered.c.id, entered.c.store_id, entered.c.entered_by_id, entered.c.resident_id,
               entered.c.points, entered.c.created_at, entered.c.t).distinct()
        .join(hits, and_(hits.c.store_id == entered.c.store_id, hits.c.entered_by_id == entered.c.entered_by_id,
                         entered.c.t >= hits.c.t0, entered.c.t <= hits.c.t))
        .order_by(entered.c.store_id, entered.c.entered_by_id, entered.c.t)).all()
    out = []
    for (store_id, user_id, day), credits in group(rows, lambda r: (r.store_id, r.entered_by_id,
                                                                     local_date(r.created_at))).items():
        c = Candidate("points.bulk_entries", store_id, f"user:{user_id}", day, day, detail={"count": len(credits)})
        c.add_person("user", user_id)
        for r in credits:
            c.add_evidence("points_credits", r.id, f"+{r.points}", "points.staff.resident", resident_id=r.resident_id)
        out.append(c)
    return out


def approver_share(session: Session, p: dict, *, now, since) -> list[Candidate]:
    """One person approving ≥ min_percent of a store's volunteer shifts in the window (≥ min_approvals of them),
    at a store with at least two active managers (a store with one manager is staffed that way, no pattern)."""
    from ...auth.models import User

    start = now - timedelta(days=p["window_days"])
    managers = (select(User.store_id, func.count().label("managers"))
                .where(User.role == "store_manager", User.active.is_(True), User.store_id.is_not(None))
                .group_by(User.store_id).cte("managers"))
    per = (select(PointsCredit.store_id, PointsCredit.approved_by_id, func.count().label("n"),
                  func.sum(func.count()).over(partition_by=PointsCredit.store_id).label("total"))
           .where(PointsCredit.source == "shift", PointsCredit.approved_by_id.is_not(None),
                  PointsCredit.approved_at >= start, PointsCredit.approved_at <= now, in_scope(p, PointsCredit.store_id))
           .group_by(PointsCredit.store_id, PointsCredit.approved_by_id).cte("per"))
    rows = session.execute(
        select(PointsCredit.id, PointsCredit.resident_id, PointsCredit.points, per.c.store_id,
               per.c.approved_by_id, per.c.n, per.c.total)
        .join(per, and_(per.c.store_id == PointsCredit.store_id, per.c.approved_by_id == PointsCredit.approved_by_id))
        .join(managers, managers.c.store_id == per.c.store_id)
        .where(managers.c.managers >= 2, per.c.total >= p["min_approvals"], per.c.n * 100 >= p["min_percent"] * per.c.total,
               PointsCredit.source == "shift", PointsCredit.approved_at >= start, PointsCredit.approved_at <= now)
        .order_by(per.c.store_id, PointsCredit.approved_at)).all()
    first, last = local_date(start), local_date(now)
    out = []
    for (store_id, user_id), credits in group(rows, lambda r: (r.store_id, r.approved_by_id)).items():
        c = Candidate("points.approver_share", store_id, f"store:{store_id}:approver:{user_id}", first, last,
                      detail={"count": int(credits[0].n), "total": int(credits[0].total)})
        c.add_person("user", user_id)
        for r in credits:
            c.add_evidence("points_credits", r.id, f"+{r.points}", "points.staff.resident", resident_id=r.resident_id)
        out.append(c)
    return out


def frequent_redeemer(session: Session, p: dict, *, now, since) -> list[Candidate]:
    """A resident redeeming at one store ≥ min_redemptions times in the window and ≥ factor × the lower median
    of every (resident, store) pair's count in the city (the lower median, so one outlier cannot raise its own
    bar)."""
    start = now - timedelta(days=p["window_days"])
    in_window = and_(PointsEntry.kind == "redeem", PointsEntry.store_id.is_not(None),
                     PointsEntry.created_at >= start, PointsEntry.created_at <= now)
    per = (select(PointsEntry.resident_id, PointsEntry.store_id, func.count().label("n"))
           .where(in_window).group_by(PointsEntry.resident_id, PointsEntry.store_id).cte("per"))
    ranked = select(per.c.n, func.row_number().over(order_by=per.c.n).label("rn"),
                    func.count().over().label("cnt")).cte("ranked")
    median = select(func.max(ranked.c.n)).where(ranked.c.rn == (ranked.c.cnt + 1) // 2).scalar_subquery()
    rows = session.execute(
        select(PointsEntry.id, PointsEntry.points, PointsEntry.created_at, per.c.resident_id, per.c.store_id,
               per.c.n)
        .join(per, and_(per.c.resident_id == PointsEntry.resident_id, per.c.store_id == PointsEntry.store_id))
        .where(in_window, per.c.n >= p["min_redemptions"], per.c.n >= p["factor"] * median,
               in_scope(p, PointsEntry.store_id))
        .order_by(per.c.store_id, per.c.resident_id, PointsEntry.created_at)).all()
    first, last = local_date(start), local_date(now)
    out = []
    for (store_id, resident_id), entries in group(rows, lambda r: (r.store_id, r.resident_id)).items():
        c = Candidate("points.frequent_redeemer", store_id, f"resident:{resident_id}:store:{store_id}", first, last,
                      detail={"count": len(entries)})
        c.add_person("resident", resident_id)
        for r in entries:
            c.add_evidence("points_entries", r.id, f"{r.points:+d}", "points.staff.resident", resident_id=resident_id)
        out.append(c)
    return out


def month_cap(session: Session, p: dict, *, now, since) -> list[Candidate]:
    """A resident who earned more than the points table's monthly cap in a calendar month (earn and positive
    adjustments; raised at the store where they earned most of it)."""
    from ...points.rules import current_table_or_none

    table = current_table_or_none(session, now)
    if table is None or not table.max_points_per_month:
        return []
    from ...clock import local_midnight_utc

    month_start = local_midnight_utc(local_date(since).replace(day=1))   # a month is summed whole
    month = month_key(session, PointsEntry.created_at)
    earned = and_(PointsEntry.points > 0, PointsEntry.kind.in_(("earn", "adjust")), PointsEntry.store_id.is_not(None),
                  PointsEntry.created_at >= month_start, PointsEntry.created_at <= now, in_scope(p, PointsEntry.store_id))
    marked = (select(PointsEntry.id, PointsEntry.resident_id, PointsEntry.store_id, PointsEntry.points,
                     PointsEntry.created_at, month.label("month"),
                     func.sum(PointsEntry.points).over(partition_by=(PointsEntry.resident_id, month)).label("total"))
              .where(earned).cte("marked"))
    rows = session.execute(select(marked).where(marked.c.total > table.max_points_per_month)
                           .order_by(marked.c.resident_id, marked.c.created_at)).all()
    out = []
    for (resident_id, month_text), entries in group(rows, lambda r: (r.resident_id, r.month)).items():
        stores: dict = {}
        for r in entries:
            stores[r.store_id] = stores.get(r.store_id, 0) + r.points
        store_id = max(stores, key=stores.get)
        c = Candidate("points.month_cap", store_id, f"resident:{resident_id}:{month_text}",
                      local_date(entries[0].created_at), local_date(entries[-1].created_at),
                      detail={"points": int(entries[0].total), "cap": table.max_points_per_month})
        c.add_person("resident", resident_id)
        for r in entries:
            c.add_evidence("points_entries", r.id, f"+{r.points}", "points.staff.resident", resident_id=resident_id)
        out.append(c)
    return out


def day_hours_cap(session: Session, p: dict, *, now, since) -> list[Candidate]:
    """A resident credited more volunteer hours on one Changsha calendar day than the points table's daily cap
    (max_hours_per_day of the table in force now, as the points overview judged it before the board): the
    credits that count toward the caps (pending, on notice, credited), raised at the store that entered most of
    those minutes. Entering refuses a shift over the cap, so this catches a cap the federation has since lowered
    and any credit that reached the ledger around the check."""
    from ...clock import local_midnight_utc
    from ...points.credits import COUNTED
    from ...points.rules import current_table_or_none

    table = current_table_or_none(session, now)
    if table is None:
        return []
    day = func.floor((epoch_s(session, PointsCredit.occurred_at) + 8 * 3600) / 86400)   # Changsha days
    counted = and_(PointsCredit.minutes > 0, PointsCredit.status.in_(COUNTED),
                   PointsCredit.occurred_at >= local_midnight_utc(local_date(since)),   # a day is summed whole
                   PointsCredit.occurred_at <= now, in_scope(p, PointsCredit.store_id))
    marked = (select(PointsCredit.id, PointsCredit.resident_id, PointsCredit.store_id, PointsCredit.minutes,
                     PointsCredit.occurred_at, PointsCredit.entered_by_id, day.label("day"),
                     func.sum(PointsCredit.minutes).over(partition_by=(PointsCredit.resident_id, day)).label("total"))
              .where(counted).cte("marked"))
    rows = session.execute(select(marked).where(marked.c.total > table.max_hours_per_day * 60)
                           .order_by(marked.c.resident_id, marked.c.occurred_at)).all()
    out = []
    for (resident_id, _day), credits in group(rows, lambda r: (r.resident_id, int(r.day))).items():
        stores: dict = {}
        for r in credits:
            if r.store_id is not None:
                stores[r.store_id] = stores.get(r.store_id, 0) + r.minutes
        if not stores:
            continue   # platform credits only: no store's board to raise it on
        on = local_date(credits[0].occurred_at)
        c = Candidate("points.day_hours_cap", max(stores, key=stores.get), f"resident:{resident_id}:{on}", on, on,
                      detail={"minutes": int(credits[0].total), "cap_hours": table.max_hours_per_day})
        c.add_person("resident", resident_id)
        for r in credits:
            c.add_person("user", r.entered_by_id)
            c.add_evidence("points_credits", r.id, f"{r.minutes // 60}:{r.minutes % 60:02d}", "points.staff.resident",
                           resident_id=resident_id)
        out.append(c)
    return out
