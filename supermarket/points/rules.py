"""The points table (积分标准): versions with effective dates, edited by the federation as data.

A version is never changed once saved; the federation publishes a new one from a date that is not in the past,
so every credit keeps the rules it was earned under (a credit uses the version in force on the day of service).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from .. import audit
from ..auth.permissions import Actor, Role, require
from ..clock import add_months, local_date, local_midnight_utc
from ..errors import InvalidInput, NotFound
from ..uow import unit_of_work
from .errors import InvalidState, NoPointsTable
from .models import ACTIVITY_KINDS, EXPIRY_POLICIES, PointsActivity, PointsTable



@dataclass(frozen=True)
class ActivityInput:
    code: str
    name: str
    kind: str
    points: int
    per_hours: int = 1
    max_hours_per_shift: int | None = None
    max_points_per_month: int | None = None


@dataclass(frozen=True)
class TableInput:
    effective_from: date
    activities: tuple[ActivityInput, ...]
    point_value_fen: int = 100
    expiry_policy: str = "end_of_following_year"
    expiry_months: int | None = None
    max_hours_per_day: int = 8
    max_points_per_month: int | None = None
    backdate_days: int = 7
    publication_days: int = 0
    daily_redeem_cap: int | None = None
    adjust_approval_threshold: int = 50
    note: str = ""


def expiry_for(table: PointsTable, earned_at: datetime) -> datetime | None:
    """When points earned at `earned_at` expire under `table` (an instant; None means never).

    end_of_following_year: points earned any day of 2026 expire at the end of 31 Dec 2027 (Asia/Shanghai).
    months: N months after the day they were earned, at the end of that day.
    """
    day = local_date(earned_at)
    if table.expiry_policy == "never":
        return None
    if table.expiry_policy == "months":
        return local_midnight_utc(add_months(day, table.expiry_months or 12) + timedelta(days=1))
    return local_midnight_utc(date(day.year + 2, 1, 1))


def table_for(session: Session, day: date) -> PointsTable:
    """The version in force on `day` (the latest whose effective_from is not after it)."""
    table = session.scalar(select(PointsTable).where(PointsTable.effective_from <= day)
                           .order_by(PointsTable.effective_from.desc()).limit(1)
                           .options(selectinload(PointsTable.activities)))
    if table is None:
        raise NoPointsTable()
    return table


def current_table(session: Session, now: datetime) -> PointsTable:
    return table_for(session, local_date(now))


def current_table_or_none(session: Session, now: datetime) -> PointsTable | None:
    try:
        return current_table(session, now)
    except NoPointsTable:
        return None


def list_tables(session: Session) -> list[PointsTable]:
    return list(session.scalars(select(PointsTable).order_by(PointsTable.version.desc())
                                .options(selectinload(PointsTable.activities))))


def get_table(session: Session, table_id) -> PointsTable:
    table = session.get(PointsTable, table_id)
    if table is None:
        raise NotFound()
    return table


def activity_by_code(table: PointsTable, code: str) -> PointsActivity | None:
    return next((a for a in table.activities if a.code == code), None)


def _check_table(data: TableInput, today: date) -> None:
    errors: dict[str, list[str]] = {}
    if data.effective_from < today:
        errors["effective_from"] = [_("生效日期不能早于今天（历史版本不可修改）")]
    if data.expiry_policy not in EXPIRY_POLICIES:
        errors["expiry_policy"] = [_("有效期规则无效")]
    if data.expiry_policy == "months" and not (data.expiry_months and 1 <= data.expiry_months <= 120):
        errors["expiry_months"] = [_("请填写 1–120 个月")]
    codes = [a.code for a in data.activities]
    if not data.activities:
        errors["activities"] = [_("至少需要一个积分项目")]
    elif len(set(codes)) != len(codes):
        errors["activities"] = [_("积分项目代码不能重复")]
    for a in data.activities:
        if a.kind not in ACTIVITY_KINDS or a.points <= 0 or a.per_hours <= 0:
            errors["activities"] = [_("积分项目 %(code)s 的设置无效", code=a.code)]
    if errors:
        raise InvalidInput(_("积分标准有误，请检查标出的内容"), fields=errors)


def publish_table(session: Session, actor: Actor, data: TableInput, *, now: datetime) -> PointsTable:
    """Save a new version of the points table, in force from `data.effective_from` (today or later).

    Federation only. Raises InvalidInput, InvalidState (a version already starts that day).
    """
    require(actor.role is Role.FEDERATION_ADMIN, _("只有市慈善总会可以修改积分标准"))
    _check_table(data, local_date(now))
    if session.scalar(select(PointsTable.id).where(PointsTable.effective_from == data.effective_from)):
        raise InvalidState(_("%(day)s 已有一个版本生效，请换一个日期", day=data.effective_from.isoformat()))
    with unit_of_work(session):
        version = (session.scalar(select(func.max(PointsTable.version))) or 0) + 1
        table = PointsTable(
            version=version, effective_from=data.effective_from, point_value_fen=data.point_value_fen,
            expiry_policy=data.expiry_policy,
            expiry_months=data.expiry_months if data.expiry_policy == "months" else None,
            max_hours_per_day=data.max_hours_per_day, max_points_per_month=data.max_points_per_month,
            backdate_days=data.backdate_days, publication_days=data.publication_days,
            daily_redeem_cap=data.daily_redeem_cap, adjust_approval_threshold=data.adjust_approval_threshold,
            note=data.note, created_by=actor.username, created_at=now)
        table.activities = [PointsActivity(
            code=a.code, name=a.name, kind=a.kind, points=a.points,
            per_hours=a.per_hours if a.kind == "hourly" else 1,
            max_hours_per_shift=a.max_hours_per_shift if a.kind == "hourly" else None,
            max_points_per_month=a.max_points_per_month if a.kind != "deduction" else None)
            for a in data.activities]
        session.add(table)
        session.flush()
        audit.record(session, actor, "points.table_published", table,
                     {"version": version, "effective_from": data.effective_from.isoformat(),
                      "activities": [a.code for a in data.activities]}, now=now)
    return table


def points_for_minutes(activity: PointsActivity, minutes: int) -> int:
    """Whole points for `minutes` of an hourly activity (`points` per `per_hours` hours, rounded down)."""
    return (minutes * activity.points) // (activity.per_hours * 60)
