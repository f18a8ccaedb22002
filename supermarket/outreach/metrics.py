"""The standard's measures of outreach and construction, for every store at once (ready for the standard's
engine to wire): the "active" tests of two of the seven functions (rules-research §7.2: 慈善宣传 publicity,
便民利民 convenience) and the rules C-01…C-05, O-01, O-04, O-05 (§6.2).

Every rule function has the signature `(session, store_ids or None, window_start, window_end)` with aware UTC
datetimes bounding the window [start, end), and answers `{store_id: (value, numerator, denominator)}` for every
store asked about (every store when `store_ids` is None) — a store without records gets its zero, never a gap.
Each query covers all the stores at once; nothing loops a query per store. `value` is None where the rule has
nothing to judge (O-05 with no complaint due); `denominator` is None where the value is a count.
Dates of records kept as local dates (an event's day) are compared with the window's local days.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy import Date, Integer, and_, distinct, func, select, text
from sqlalchemy.orm import Session

from ..auth.models import User
from ..auth.permissions import Role
from ..clock import local_date
from ..sales.models import Shift
from ..stores.models import Store
from .complaints import ANSWER_DAYS
from .models import (RULES, SIGNAGE, ZONES, Complaint, OpeningHours, OutreachFile, ProfileItem, PublicityEvent,
                     ServiceLog, StoreProfile, Training)
from .training import local_day, opening_session_counts

TRAINING_LOOKBACK = timedelta(days=365)
MIN_PEOPLE_PER_SESSION = 2


def _stores(session: Session, store_ids) -> list:
    if store_ids is not None:
        return list(store_ids)
    return list(session.scalars(select(Store.id)))


def _in(stmt, column, store_ids):
    return stmt if store_ids is None else stmt.where(column.in_(list(store_ids)))


def _local_days(start: datetime, end: datetime) -> tuple[date, date]:
    """The first and last local day the window touches."""
    return local_date(start), local_date(end - timedelta(microseconds=1))


def _months(first: date, last: date) -> list[tuple[int, int]]:
    months, y, m = [], first.year, first.month
    while (y, m) <= (last.year, last.month):
        months.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


# --- the two functions' "active" tests -----------------------------------------------------------------------

def publicity(session: Session, store_ids, start: datetime, end: datetime) -> dict:
    """Publicity events held in the window: (events, events, None)."""
    first, last = _local_days(start, end)
    stmt = _in(select(PublicityEvent.store_id, func.count()).where(PublicityEvent.held_on >= first,
                                                                   PublicityEvent.held_on <= last)
               .group_by(PublicityEvent.store_id), PublicityEvent.store_id, store_ids)
    counts = dict(session.execute(stmt).all())
    return {s: (float(counts.get(s, 0)), int(counts.get(s, 0)), None) for s in _stores(session, store_ids)}


def convenience(session: Session, store_ids, start: datetime, end: datetime) -> dict:
    """Convenience services logged in the window: (services given, log rows, None)."""
    stmt = _in(select(ServiceLog.store_id, func.coalesce(func.sum(ServiceLog.count), 0), func.count())
               .where(ServiceLog.served_at >= start, ServiceLog.served_at < end).group_by(ServiceLog.store_id),
               ServiceLog.store_id, store_ids)
    rows = {s: (int(n), int(r)) for s, n, r in session.execute(stmt)}
    return {s: (float(rows.get(s, (0, 0))[0]), rows.get(s, (0, 0))[1], None) for s in _stores(session, store_ids)}


def active_publicity(session: Session, store_ids, start: datetime, end: datetime) -> set:
    """§7.2 慈善宣传: at least one publicity event in the window."""
    return {s for s, (_v, n, _d) in publicity(session, store_ids, start, end).items() if n >= 1}


def active_convenience(session: Session, store_ids, start: datetime, end: datetime) -> set:
    """§7.2 便民利民: at least one logged service in the window."""
    return {s for s, (_v, n, _d) in convenience(session, store_ids, start, end).items() if n >= 1}


ACTIVE = {"publicity": active_publicity, "convenience": active_convenience}


# --- outreach rules ---------------------------------------------------------------------------------------------

def o01(session: Session, store_ids, start: datetime, end: datetime) -> dict:
    """O-01 慈善宣传每月≥1次并留档: the window's months that have an event with a photo, over the window's months."""
    first, last = _local_days(start, end)
    months = _months(first, last)
    with_photo = select(OutreachFile.event_id).where(OutreachFile.event_id.is_not(None))
    stmt = _in(select(PublicityEvent.store_id, PublicityEvent.held_on).where(
        PublicityEvent.held_on >= first, PublicityEvent.held_on <= last, PublicityEvent.id.in_(with_photo)),
        PublicityEvent.store_id, store_ids)
    covered = defaultdict(set)
    for store_id, held_on in session.execute(stmt):
        covered[store_id].add((held_on.year, held_on.month))
    return {s: (len(covered[s]) / len(months), len(covered[s]), len(months)) for s in _stores(session, store_ids)}


def o04(session: Session, store_ids, start: datetime, end: datetime) -> dict:
    """O-04 便民服务≥2类并登记: distinct service types logged in the window (value = that count)."""
    stmt = _in(select(ServiceLog.store_id, func.count(distinct(ServiceLog.type_id)))
               .where(ServiceLog.served_at >= start, ServiceLog.served_at < end).group_by(ServiceLog.store_id),
               ServiceLog.store_id, store_ids)
    kinds = dict(session.execute(stmt).all())
    return {s: (float(kinds.get(s, 0)), int(kinds.get(s, 0)), None) for s in _stores(session, store_ids)}


def o05(session: Session, store_ids, start: datetime, end: datetime) -> dict:
    """O-05 投诉15日内答复: of the complaints received in the window that were due by its end (received more than
    15 days before it, or already answered), the share answered within 15 days. value None: nothing due."""
    deadline = end - timedelta(days=ANSWER_DAYS)
    due = and_(Complaint.received_at >= start, Complaint.received_at < end,
               (Complaint.received_at < deadline) | (Complaint.answered_at.is_not(None)))
    rows = session.execute(_in(select(Complaint.store_id, Complaint.received_at, Complaint.answered_at).where(due),
                               Complaint.store_id, store_ids))
    on_time, total = defaultdict(int), defaultdict(int)
    for store_id, received, answered in rows:
        total[store_id] += 1
        if answered is not None and answered - received <= timedelta(days=ANSWER_DAYS):
            on_time[store_id] += 1
    return {s: ((on_time[s] / total[s]) if total[s] else None, on_time[s], total[s])
            for s in _stores(session, store_ids)}


# --- construction rules ----------------------------------------------------------------------------------------

def _present(session: Session, store_ids, kind: str, codes, *, with_file: bool) -> dict:
    stmt = select(ProfileItem.store_id, func.count()).where(ProfileItem.kind == kind, ProfileItem.present.is_(True),
                                                          ProfileItem.code.in_(codes))
    if with_file:
        stmt = stmt.where(ProfileItem.file_id.is_not(None))
    return dict(session.execute(_in(stmt.group_by(ProfileItem.store_id), ProfileItem.store_id, store_ids)).all())


def c01(session: Session, store_ids, start: datetime, end: datetime) -> dict:
    """C-01 场地面积及功能分区: value = floor area in m² (None when not declared), numerator = zones present of the
    six, denominator 6. (A: ≥ 60 m² and 6 zones; B: ≥ 40 and ≥ 5; C: ≥ 20 and ≥ 4 — the engine grades.)"""
    zones = _present(session, store_ids, "zone", ZONES, with_file=False)
    areas = dict(session.execute(_in(select(StoreProfile.store_id, StoreProfile.floor_area_m2),
                                     StoreProfile.store_id, store_ids)).all())
    return {s: (float(areas[s]) if areas.get(s) else None, int(zones.get(s, 0)), len(ZONES))
            for s in _stores(session, store_ids)}


def c02(session: Session, store_ids, start: datetime, end: datetime) -> dict:
    """C-02 标识与公示: signage items present with a photo, of the seven."""
    n = _present(session, store_ids, "signage", SIGNAGE, with_file=True)
    return {s: (n.get(s, 0) / len(SIGNAGE), int(n.get(s, 0)), len(SIGNAGE)) for s in _stores(session, store_ids)}


def c05(session: Session, store_ids, start: datetime, end: datetime) -> dict:
    """C-05 法人主体与制度: rule documents uploaded, of the eight; value 0 without a legal operator on record (a
    legal form, and for an entrusted store the agreement uploaded)."""
    n = _present(session, store_ids, "rule", RULES, with_file=True)
    legal = {s for s, form, agreement in session.execute(_in(
        select(StoreProfile.store_id, StoreProfile.legal_form, StoreProfile.agreement_file_id),
        StoreProfile.store_id, store_ids)) if form and (form != "entrusted" or agreement)}
    return {s: ((n.get(s, 0) / len(RULES)) if s in legal else 0.0, int(n.get(s, 0)), len(RULES))
            for s in _stores(session, store_ids)}


def _merged_hours(intervals: list[tuple[datetime, datetime]]) -> float:
    total, current = 0.0, None
    for a, b in sorted(intervals):
        if current and a <= current[1]:
            current = (current[0], max(current[1], b))
            continue
        if current:
            total += (current[1] - current[0]).total_seconds()
        current = (a, b)
    if current:
        total += (current[1] - current[0]).total_seconds()
    return total / 3600


def c03(session: Session, store_ids, start: datetime, end: datetime) -> dict:
    """C-03 固定开放时间, as seen in the till shifts: value = open hours per week (overlapping shifts counted once,
    clipped to the window), numerator = local days with a shift, denominator = days in the window (so days per
    week = 7 × numerator / denominator). A shift still open counts up to the window's end."""
    window_days = max(1, round((end - start).total_seconds() / 86400))
    weeks = window_days / 7
    if session.get_bind().dialect.name == "postgresql":
        found = {store_id: (seconds / 3600, days)
                 for store_id, seconds, days in session.connection().execute(_C03_PG, {
                     "start": start, "end": end, "all": store_ids is None, "ids": list(store_ids or [])})}
    else:
        found = _c03_python(session, store_ids, start, end)
    return {s: (found[s][0] / weeks, found[s][1], window_days) if s in found else (0.0, 0, window_days)
            for s in _stores(session, store_ids)}


# The merge of overlapping shifts in the database (gaps and islands), one row per store: at 1,000 stores the
# window's 180,000 shifts took two seconds to bring into Python. Sorted by (start, end), a shift opens a new
# island when it starts after every earlier shift of the store has ended — the rule _merged_hours applies.
_C03_PG = text("""
    WITH s AS (
        SELECT store_id, GREATEST(opened_at, :start) AS a, LEAST(COALESCE(closed_at, :end), :end) AS b
        FROM shifts
        WHERE opened_at < :end AND (closed_at IS NULL OR closed_at > :start)
          AND (CAST(:all AS boolean) OR store_id = ANY(CAST(:ids AS uuid[])))
    ), v AS (SELECT * FROM s WHERE b > a),
    m AS (SELECT store_id, a, b, MAX(b) OVER (PARTITION BY store_id ORDER BY a, b
                                             ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach FROM v),
    g AS (SELECT store_id, a, b, SUM(CASE WHEN reach IS NULL OR a > reach THEN 1 ELSE 0 END)
                                     OVER (PARTITION BY store_id ORDER BY a, b ROWS UNBOUNDED PRECEDING) AS island
          FROM m),
    i AS (SELECT store_id, MIN(a) AS a, MAX(b) AS b FROM g GROUP BY store_id, island),
    hours AS (SELECT store_id, SUM(EXTRACT(EPOCH FROM (b - a))) AS seconds FROM i GROUP BY store_id),
    days AS (SELECT store_id, COUNT(DISTINCT (a AT TIME ZONE 'Asia/Shanghai')::date) AS days FROM v
             GROUP BY store_id)
    SELECT hours.store_id, CAST(hours.seconds AS float), days.days FROM hours JOIN days USING (store_id)
""")


def _c03_python(session: Session, store_ids, start: datetime, end: datetime) -> dict:
    """{store_id: (hours, local days with a shift)}, merged in Python (SQLite)."""
    stmt = _in(select(Shift.store_id, Shift.opened_at, Shift.closed_at)
               .where(Shift.opened_at < end, (Shift.closed_at.is_(None)) | (Shift.closed_at > start)),
               Shift.store_id, store_ids)
    spans, days = defaultdict(list), defaultdict(set)
    for store_id, opened, closed in session.execute(stmt):
        a, b = max(opened, start), min(closed or end, end)
        if b > a:
            spans[store_id].append((a, b))
            days[store_id].add(local_date(a))
    return {s: (_merged_hours(spans[s]), len(days[s])) for s in spans}


def c03_declared(session: Session, store_ids, start: datetime, end: datetime) -> dict:
    """C-03 compared with the declared week: of the window's days on which the store says it opens, the share on
    which a till shift was seen. value None when no regular hours are declared. The days kept are counted in the
    database (a store's distinct shift days joined with its declared weekdays), one row per store."""
    declared = defaultdict(set)
    for store_id, weekday in session.execute(_in(select(OpeningHours.store_id, OpeningHours.weekday),
                                                 OpeningHours.store_id, store_ids)):
        declared[store_id].add(weekday)
    day = local_day(session, Shift.opened_at)
    seen = _in(select(Shift.store_id.label("store_id"), day.label("day"))
               .where(Shift.opened_at >= start, Shift.opened_at < end).distinct(),
               Shift.store_id, store_ids).subquery("seen")
    if session.get_bind().dialect.name == "postgresql":
        weekday = func.extract("isodow", func.cast(seen.c.day, Date)) - 1
    else:  # strftime('%w'): 0 = Sunday
        weekday = (func.cast(func.strftime("%w", seen.c.day), Integer) + 6) % 7
    kept = dict(session.connection().execute(
        select(seen.c.store_id, func.count())
        .join(OpeningHours, (OpeningHours.store_id == seen.c.store_id) & (OpeningHours.weekday == weekday))
        .group_by(seen.c.store_id)).all())
    first, last = _local_days(start, end)
    window = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    out = {}
    for s in _stores(session, store_ids):
        due = sum(1 for d in window if d.weekday() in declared[s])
        got = int(kept.get(s, 0))
        out[s] = ((got / due) if due else None, got, due)
    return out


def c04(session: Session, store_ids, start: datetime, end: datetime) -> dict:
    """C-04 负责人、每班≥2人、年度培训: numerator = opening sessions (days with a shift) with at least two people
    (staff on shift plus approved volunteers), denominator = opening sessions; value = that share when the store
    has an active manager and a training in the 365 days before the window's end, else 0."""
    counts = opening_session_counts(session, store_ids, start, end, MIN_PEOPLE_PER_SESSION)
    managers = set(session.scalars(_in(select(User.store_id).where(User.role == Role.STORE_MANAGER.value,
                                                                   User.active.is_(True)),
                                       User.store_id, store_ids)))
    since = local_date(end - TRAINING_LOOKBACK)
    trained = set(session.scalars(_in(select(Training.store_id).where(Training.held_on >= since,
                                                                      Training.held_on <= local_date(end)),
                                      Training.store_id, store_ids)))
    out = {}
    for s in _stores(session, store_ids):
        days, ok = counts.get(s, (0, 0))
        share = ok / days if days else 0.0
        out[s] = (share if (s in managers and s in trained) else 0.0, ok, days)
    return out


RULE_METRICS = {"C-01": c01, "C-02": c02, "C-03": c03, "C-04": c04, "C-05": c05, "O-01": o01, "O-04": o04,
                "O-05": o05}
