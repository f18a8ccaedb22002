"""Training sessions with their attendees, and the people on each opening session (C-04).

Attendees are the store's users and resident volunteers (by member code). The people of an opening session are
known already: the staff who ran a till shift that day, and the volunteers whose service there was approved.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import case, distinct, func, select
from sqlalchemy.orm import Session, selectinload

from ..audit import service as audit
from ..auth.models import User
from ..auth.permissions import Actor, scope
from ..clock import local_today
from ..errors import InvalidInput
from ..points.models import PointsCredit, Resident
from ..sales.models import Shift
from ..uow import unit_of_work
from .common import store_for, writable_store
from .errors import UnknownAttendee, UnknownMember
from .models import Training, TrainingAttendee

# Volunteer service that counts as being there: approved (on notice or credited), not refused or reversed.
PRESENT_CREDIT_STATUSES = ("published", "credited")


@dataclass(frozen=True)
class TrainingInput:
    held_on: date
    topic: str
    trainer: str
    minutes: int = 60
    user_ids: tuple = ()
    member_codes: tuple[str, ...] = ()
    store_id: object = None


def record_training(session: Session, actor: Actor, data: TrainingInput, *, now: datetime) -> Training:
    """Record a training with its attendees. Raises UnknownAttendee (a user of another store), UnknownMember,
    InvalidInput (a future date, nobody attending)."""
    store_id = writable_store(actor, data.store_id)
    if data.held_on > local_today(now):
        raise InvalidInput(_("培训日期不能晚于今天"), fields={"held_on": [_("培训日期不能晚于今天")]})
    user_ids = list(dict.fromkeys(data.user_ids))
    codes = list(dict.fromkeys(c.strip() for c in data.member_codes if c.strip()))
    if not user_ids and not codes:
        raise InvalidInput(_("请选择参训人员"), fields={"user_ids": [_("请选择参训人员")]})
    found = set(session.scalars(select(User.id).where(User.id.in_(user_ids), User.store_id == store_id))) \
        if user_ids else set()
    if len(found) != len(user_ids):
        raise UnknownAttendee(fields={"user_ids": [_("参训人员不属于本店")]})
    residents = dict(session.execute(select(Resident.member_code, Resident.id)
                                     .where(Resident.member_code.in_(codes))).all()) if codes else {}
    missing = [c for c in codes if c not in residents]
    if missing:
        raise UnknownMember(_("找不到会员码：%(codes)s", codes="、".join(missing)),
                            fields={"member_codes": [_("找不到该会员码对应的居民")]})
    with unit_of_work(session):
        row = Training(store_id=store_id, held_on=data.held_on, topic=data.topic.strip(),
                       trainer=data.trainer.strip(), minutes=data.minutes, created_by_id=actor.user_id,
                       created_at=now)
        session.add(row)
        session.flush()
        for uid in user_ids:
            session.add(TrainingAttendee(training_id=row.id, user_id=uid))
        for code in codes:
            session.add(TrainingAttendee(training_id=row.id, resident_id=residents[code]))
        audit.record(session, actor, "outreach.training_recorded", row,
                     {"held_on": data.held_on.isoformat(), "topic": row.topic, "users": len(user_ids),
                      "volunteers": len(codes)}, store_id=store_id, now=now)
    return row


def list_trainings(session: Session, actor: Actor, *, store_id=None, limit: int = 100) -> list[Training]:
    stmt = scope(select(Training), actor, Training).options(selectinload(Training.attendees))
    if store_id is not None:
        stmt = stmt.where(Training.store_id == store_for(actor, store_id))
    return list(session.scalars(stmt.order_by(Training.held_on.desc()).limit(limit)))


def store_people(session: Session, actor: Actor, store_id=None) -> list[User]:
    """The store's users, for the attendee checklist."""
    store_id = store_for(actor, store_id)
    return list(session.scalars(select(User).where(User.store_id == store_id).order_by(User.username)))


@dataclass
class Session_:
    """One opening session (a local day with a till shift) and how many were there."""

    day: str            # the local day, YYYY-MM-DD
    staff: int = 0      # distinct users who ran a till shift that day
    volunteers: int = 0  # distinct residents whose service there that day was approved

    @property
    def people(self) -> int:
        return self.staff + self.volunteers


def local_day(session: Session, column):
    """The Asia/Shanghai calendar day of a UTC timestamp column, in SQL, as YYYY-MM-DD text. China keeps no
    daylight saving, so on SQLite (UTC strings) a fixed +8 hours is exact."""
    if session.get_bind().dialect.name == "sqlite":
        return func.date(column, "+8 hours")
    return func.to_char(func.timezone("Asia/Shanghai", column), "YYYY-MM-DD")


def _session_days(session: Session, store_ids, start: datetime, end: datetime):
    """The two grouped SELECTs behind opening sessions: (store, local day, distinct cashiers) of the shifts
    opened in [start, end), and (store, local day, distinct residents) of the approved volunteer service."""
    shift_day = local_day(session, Shift.opened_at)
    shifts = (select(Shift.store_id, shift_day.label("day"), func.count(distinct(Shift.cashier_id)).label("n"))
              .where(Shift.opened_at >= start, Shift.opened_at < end).group_by(Shift.store_id, shift_day))
    credit_day = local_day(session, PointsCredit.occurred_at)
    credits = (select(PointsCredit.store_id, credit_day.label("day"),
                      func.count(distinct(PointsCredit.resident_id)).label("n"))
               .where(PointsCredit.occurred_at >= start, PointsCredit.occurred_at < end,
                      PointsCredit.status.in_(PRESENT_CREDIT_STATUSES), PointsCredit.store_id.is_not(None))
               .group_by(PointsCredit.store_id, credit_day))
    if store_ids is not None:
        shifts = shifts.where(Shift.store_id.in_(list(store_ids)))
        credits = credits.where(PointsCredit.store_id.in_(list(store_ids)))
    return shifts, credits


def opening_session_counts(session: Session, store_ids, start: datetime, end: datetime,
                           min_people: int) -> dict:
    """{store_id: (opening sessions, those with at least `min_people` people)}: opening_sessions counted in the
    database, one row per store (at 1,000 stores the per-day rows cost seconds to bring into Python)."""
    shifts, credits = _session_days(session, store_ids, start, end)
    sd, cd = shifts.subquery("sd"), credits.subquery("cd")
    people = sd.c.n + func.coalesce(cd.c.n, 0)
    stmt = (select(sd.c.store_id, func.count(), func.sum(case((people >= min_people, 1), else_=0)))
            .select_from(sd.outerjoin(cd, (cd.c.store_id == sd.c.store_id) & (cd.c.day == sd.c.day)))
            .group_by(sd.c.store_id))
    return {store_id: (int(n), int(ok or 0)) for store_id, n, ok in session.connection().execute(stmt)}


def opening_sessions(session: Session, store_ids, start: datetime, end: datetime) -> dict:
    """{store_id: {local day: Session_}} for the shifts opened in [start, end), with the approved volunteer
    service of those days. Two grouped queries for all stores at once (store_ids None = every store)."""
    shifts, credits = _session_days(session, store_ids, start, end)
    out: dict = {}
    for store_id, day, n in session.execute(shifts):
        out.setdefault(store_id, {})[str(day)] = Session_(str(day), staff=int(n))
    for store_id, day, n in session.execute(credits):
        days = out.get(store_id)
        if days and str(day) in days:  # service on a day the store did not open is not an opening session's
            days[str(day)].volunteers = int(n)
    return out
