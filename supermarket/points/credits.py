"""Crediting points for volunteer service (志愿服务): shifts entered at a store, records from the city platform.

A shift is entered by store staff and approved by someone who is neither the volunteer nor the person who entered
it. A record from the city's volunteer platform (or its CSV export) was approved there and lands directly. Either
way the points follow the points table in force on the day of service, within its caps and back-dating limit;
when the table asks for it, approved credits are first posted (公示) for N days, objections are recorded, and
only then do they land in the ledger.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload

from .. import audit, idempotency
from ..auth.permissions import Actor, Role, is_manager_of, is_store_staff, require
from ..errors import InvalidInput, NotFound
from ..stores.models import Store
from ..uow import unit_of_work
from . import ledger
from .errors import (Backdated, CapExceeded, InvalidState, OverlappingShift, ResidentInactive, SelfApproval,
                     UnknownActivity)
from .ledger import Context
from .models import CreditObjection, PointsActivity, PointsCredit, PointsTable
from .queries import get_visible
from .residents import find_by_code, lock_resident
from ..clock import local_date, local_midnight_utc, month_bounds_utc
from .rules import activity_by_code, expiry_for, points_for_minutes, table_for

COUNTED = ("pending", "published", "credited")  # credits that count toward the caps
CLOCK_SKEW = timedelta(minutes=5)
MAX_SHIFT = timedelta(hours=24)


@dataclass(frozen=True)
class Claim:
    """What a credit asks for, before the points table prices it."""

    member_code: str
    activity_code: str
    occurred_at: datetime
    minutes: int | None = None        # hourly activities
    points: int | None = None         # per-occurrence activities: a multiple of the item's points
    started_at: datetime | None = None
    ended_at: datetime | None = None
    note: str = ""


def minutes_from_hours(hours: Decimal) -> int:
    return int(hours * 60)


def claim_from_input(data: dict) -> Claim:
    """A Claim from a loaded CreditInSchema (the platform's API and CSV rows)."""
    return Claim(member_code=data["member_code"], activity_code=data["activity"], occurred_at=data["occurred_at"],
                 minutes=minutes_from_hours(data["hours"]) if data["hours"] is not None else None,
                 points=data["points"])


def _price(activity: PointsActivity, claim: Claim) -> tuple[int, int | None, int | None]:
    """(points, minutes, occurrences) for a claim under its activity; InvalidInput or CapExceeded."""
    if activity.kind == "deduction":
        raise UnknownActivity(_("扣分项目请通过积分调整登记"), fields={"activity": [_("扣分项目不能用于计分")]})
    if activity.kind == "hourly":
        if not claim.minutes or claim.points is not None:
            raise InvalidInput(_("该项目按小时计分，请填写服务时长"), fields={"hours": [_("请填写服务时长")]})
        if activity.max_hours_per_shift and claim.minutes > activity.max_hours_per_shift * 60:
            raise CapExceeded(_("%(name)s 单次最多计 %(h)d 小时", name=activity.name,
                                h=activity.max_hours_per_shift))
        points = points_for_minutes(activity, claim.minutes)
        if points <= 0:
            raise InvalidInput(_("服务时长不足以获得积分"), fields={"hours": [_("服务时长不足以获得积分")]})
        return points, claim.minutes, None
    if not claim.points or claim.minutes is not None:
        raise InvalidInput(_("该项目按次计分，请填写积分"), fields={"points": [_("请填写积分")]})
    if claim.points % activity.points:
        raise InvalidInput(_("积分须为该项目每次 %(p)d 分的整数倍", p=activity.points),
                           fields={"points": [_("积分须为每次分值的整数倍")]})
    return claim.points, None, claim.points // activity.points


def _check_window(table: PointsTable, claim: Claim, now: datetime) -> None:
    if claim.started_at is not None:
        if claim.ended_at is None or claim.ended_at <= claim.started_at:
            raise InvalidInput(_("签退时间须晚于签到时间"), fields={"ended_at": [_("签退时间须晚于签到时间")]})
        if claim.ended_at - claim.started_at > MAX_SHIFT:
            raise InvalidInput(_("一次服务不能超过 24 小时"), fields={"ended_at": [_("一次服务不能超过 24 小时")]})
    last = claim.ended_at or claim.occurred_at
    if last > now + CLOCK_SKEW:
        raise InvalidInput(_("服务时间不能晚于现在"), fields={"occurred_at": [_("服务时间不能晚于现在")]})
    earliest = local_midnight_utc(local_date(now) - timedelta(days=table.backdate_days))
    if claim.occurred_at < earliest:
        raise Backdated(_("只能补录 %(n)d 天内的服务", n=table.backdate_days),
                        fields={"occurred_at": [_("超过补录期限")]})


def _counted(resident_id):
    return (PointsCredit.resident_id == resident_id, PointsCredit.status.in_(COUNTED))


def _check_caps(session: Session, resident_id, table: PointsTable, activity: PointsActivity, claim: Claim,
                points: int, minutes: int | None) -> None:
    """Day, month and per-activity caps, and overlapping shifts; the caller holds the resident's row lock."""
    day = local_date(claim.occurred_at)
    if minutes:
        start = local_midnight_utc(day)
        used = session.scalar(select(func.coalesce(func.sum(PointsCredit.minutes), 0)).where(
            *_counted(resident_id), PointsCredit.occurred_at >= start,
            PointsCredit.occurred_at < start + timedelta(days=1)))
        if used + minutes > table.max_hours_per_day * 60:
            used_hours = f"{used / 60:g}"
            raise CapExceeded(_("超过每日服务时长上限 %(h)d 小时（当日已登记 %(used)s 小时）",
                                h=table.max_hours_per_day, used=used_hours))
    m_start, m_end = month_bounds_utc(day)
    in_month = (*_counted(resident_id), PointsCredit.occurred_at >= m_start, PointsCredit.occurred_at < m_end)
    if table.max_points_per_month:
        used = session.scalar(select(func.coalesce(func.sum(PointsCredit.points), 0)).where(*in_month))
        if used + points > table.max_points_per_month:
            raise CapExceeded(_("超过每月积分上限 %(cap)d 分（本月已登记 %(used)d 分）",
                                cap=table.max_points_per_month, used=used))
    if activity.max_points_per_month:
        used = session.scalar(select(func.coalesce(func.sum(PointsCredit.points), 0))
                              .join(PointsActivity, PointsActivity.id == PointsCredit.activity_id)
                              .where(*in_month, PointsActivity.code == activity.code))
        if used + points > activity.max_points_per_month:
            raise CapExceeded(_("%(name)s 每月最多 %(cap)d 分（本月已登记 %(used)d 分）", name=activity.name,
                                cap=activity.max_points_per_month, used=used))
    if claim.started_at is not None and session.scalar(select(PointsCredit.id).where(
            *_counted(resident_id), PointsCredit.started_at < claim.ended_at,
            PointsCredit.ended_at > claim.started_at).limit(1)):
        raise OverlappingShift(_("该居民在这段时间已有服务记录"))


def _new_credit(session: Session, actor: Actor, claim: Claim, *, source: str, key: str, store_id,
                now: datetime) -> tuple[PointsCredit, PointsTable]:
    """Validate a claim against the rules and add it (status pending). Writes nothing but the no-op row lock
    before every check has passed, so a failed claim leaves no trace even inside a larger transaction."""
    resident = find_by_code(session, claim.member_code)
    if resident.status != "active":
        raise ResidentInactive()
    if source == "shift" and resident.user_id is not None and resident.user_id == actor.user_id:
        raise SelfApproval(_("不能为自己登记服务时长"))
    table = table_for(session, local_date(claim.occurred_at))
    activity = activity_by_code(table, claim.activity_code)
    if activity is None:
        raise UnknownActivity(_("积分标准中没有项目 %(code)s", code=claim.activity_code),
                              fields={"activity": [_("未知的积分项目")]})
    points, minutes, occurrences = _price(activity, claim)
    _check_window(table, claim, now)
    lock_resident(session, resident.id)
    _check_caps(session, resident.id, table, activity, claim, points, minutes)
    credit = PointsCredit(
        idempotency_key=key, resident_id=resident.id, table_id=table.id, activity_id=activity.id, source=source,
        store_id=store_id, occurred_at=claim.occurred_at, started_at=claim.started_at, ended_at=claim.ended_at,
        minutes=minutes, occurrences=occurrences, points=points, status="pending", entered_by_id=actor.user_id,
        entered_by_name=actor.username[:64], note=claim.note[:200], created_at=now)
    session.add(credit)
    session.flush()
    return credit, table


def _approved(session: Session, actor: Actor, credit: PointsCredit, table: PointsTable, now: datetime) -> None:
    """After approval: post for N days when the table asks for it, otherwise land now."""
    credit.approved_at = now
    credit.approved_by_name = actor.username[:64]
    if table.publication_days > 0:
        credit.status = "published"
        credit.publish_until = now + timedelta(days=table.publication_days)
    else:
        _land(session, actor, credit, table, now)


def _land(session: Session, actor: Actor, credit: PointsCredit, table: PointsTable, now: datetime) -> None:
    ctx = Context(actor, now, credit.store_id, "credit", str(credit.id), credit.activity.name)
    entry = ledger.credit(session, ctx, credit.resident_id, "earn", credit.points, f"credit:{credit.id}",
                          expiry_for(table, credit.occurred_at))
    credit.status, credit.entry_id = "credited", entry.id


def credit_by_key(session: Session, key: str) -> PointsCredit | None:
    return session.scalar(select(PointsCredit).where(PointsCredit.idempotency_key == key))


def enter_shift(session: Session, actor: Actor, claim: Claim, *, store_id, idempotency_key: str,
                now: datetime) -> PointsCredit:
    """Store staff enter a volunteer shift (sign-in and sign-out); it waits for an approver.

    The same idempotency key returns the first shift. Raises UnknownMember, UnknownActivity, Backdated,
    CapExceeded, OverlappingShift, SelfApproval, InvalidInput.
    """
    if actor.role in (Role.CASHIER, Role.STORE_MANAGER):
        store_id = actor.store_id
    require(is_store_staff(actor, store_id) or actor.role is Role.FEDERATION_ADMIN, _("您无权登记服务时长"))
    if store_id is None or session.get(Store, store_id) is None:
        raise InvalidInput(fields={"store_id": [_("请选择门店")]})
    def write(key_claim):
        key = f"shift:{key_claim.document_key or uuid.uuid4()}"
        with unit_of_work(session):
            credit, _table = _new_credit(session, actor, claim, source="shift", key=key, store_id=store_id, now=now)
            key_claim.record(session, credit.id)
            audit.record(session, actor, "points.shift_entered", credit,
                         {"member_code": claim.member_code, "activity": claim.activity_code,
                          "minutes": credit.minutes, "points": credit.points}, store_id=store_id, now=now)
        return credit

    return idempotency.run_once(session, actor, kind="points.shift", key=idempotency_key,
                                payload={"claim": claim, "store_id": store_id}, write=write,
                                load=lambda credit_id: session.get(PointsCredit, uuid.UUID(credit_id)))[0]


# The volunteer platform's credit ids are one key space, whether they come through the API (any integration
# token of the platform) or a federation administrator's CSV import of the same credits.
PLATFORM_SCOPE = "integration:volunteer-platform"


def platform_claim(claim: Claim, idempotency_key: str) -> idempotency.Claim:
    return idempotency.Claim(PLATFORM_SCOPE, str(idempotency_key), "points.credit", idempotency.fingerprint(claim))


def post_credit(session: Session, actor: Actor, claim: Claim, *, idempotency_key: str, source: str = "integration",
                now: datetime) -> tuple[PointsCredit, bool]:
    """A credit from the city's volunteer platform (already approved there): lands, or is posted first.

    Returns (credit, created). A replayed idempotency key returns the first credit and writes nothing.
    """
    require(actor.role in (Role.INTEGRATION, Role.FEDERATION_ADMIN), _("您无权登记积分"))

    def write(_key_claim):
        with unit_of_work(session):
            return post_credit_in_tx(session, actor, claim, idempotency_key=idempotency_key, source=source, now=now)

    credit, replayed = idempotency.run_once(
        session, actor, kind="points.credit", key=idempotency_key, payload=claim, scope=PLATFORM_SCOPE,
        write=write, load=lambda credit_id: session.get(PointsCredit, uuid.UUID(credit_id)))
    return credit, not replayed


def post_credit_in_tx(session: Session, actor: Actor, claim: Claim, *, idempotency_key: str, source: str,
                      now: datetime) -> PointsCredit:
    """post_credit's work inside the caller's transaction (the CSV import runs many in one)."""
    credit, table = _new_credit(session, actor, claim, source=source, key=idempotency_key, store_id=None, now=now)
    platform_claim(claim, idempotency_key).record(session, credit.id)
    _approved(session, actor, credit, table, now)
    audit.record(session, actor, "points.credit_posted", credit,
                 {"key": idempotency_key, "member_code": claim.member_code, "activity": claim.activity_code,
                  "points": credit.points, "source": source, "status": credit.status}, now=now)
    return credit


# --- approval, objections, landing ------------------------------------------------------------------------

def get_credit(session: Session, actor: Actor, credit_id) -> PointsCredit:
    """A credit the actor may see: store staff their store's, the district its stores', the federation all."""
    return get_visible(session, actor, PointsCredit, credit_id)


def can_approve(actor: Actor, credit: PointsCredit) -> bool:
    return actor.role is Role.FEDERATION_ADMIN or (credit.store_id is not None
                                                    and is_manager_of(actor, credit.store_id))


def approve_credit(session: Session, actor: Actor, credit_id, *, now: datetime) -> PointsCredit:
    """Approve a pending shift: a store manager of its store (or the federation), never the volunteer or the
    person who entered it. Raises SelfApproval, InvalidState, Forbidden."""
    credit = get_credit(session, actor, credit_id)
    require(can_approve(actor, credit), _("只有本店店长可以审核"))
    if credit.status != "pending":
        raise InvalidState(_("该记录不在待审核状态"))
    if credit.entered_by_id is not None and credit.entered_by_id == actor.user_id:
        raise SelfApproval(_("审核人不能是录入人"))
    if credit.resident.user_id is not None and credit.resident.user_id == actor.user_id:
        raise SelfApproval(_("审核人不能是志愿者本人"))
    with unit_of_work(session):
        credit.approved_by_id = actor.user_id
        _approved(session, actor, credit, session.get(PointsTable, credit.table_id), now)
        audit.record(session, actor, "points.credit_approved", credit,
                     {"points": credit.points, "status": credit.status}, store_id=credit.store_id, now=now)
    return credit


def reject_credit(session: Session, actor: Actor, credit_id, *, reason: str, now: datetime) -> PointsCredit:
    """Refuse a pending or posted credit, with a reason; nothing reaches the ledger."""
    credit = get_credit(session, actor, credit_id)
    require(can_approve(actor, credit), _("只有本店店长可以审核"))
    if credit.status not in ("pending", "published"):
        raise InvalidState(_("该记录已入账或已处理"))
    if not (reason or "").strip():
        raise InvalidInput(_("请填写原因"), fields={"reason": [_("请填写原因")]})
    with unit_of_work(session):
        credit.status = "rejected"
        audit.record(session, actor, "points.credit_rejected", credit, {"reason": reason.strip()},
                     store_id=credit.store_id, now=now)
    return credit


def object_to_credit(session: Session, actor: Actor, credit_id, *, raised_by: str, reason: str,
                     now: datetime) -> CreditObjection:
    """Record an objection to a credit on public notice; it will not land until the objection is resolved."""
    credit = get_credit(session, actor, credit_id)
    require(can_approve(actor, credit) or is_store_staff(actor, credit.store_id), _("您无权登记异议"))
    if credit.status != "published":
        raise InvalidState(_("只有公示中的记录可以提出异议"))
    if not (raised_by or "").strip() or not (reason or "").strip():
        raise InvalidInput(_("请填写异议人和理由"))
    with unit_of_work(session):
        objection = CreditObjection(credit_id=credit.id, raised_by=raised_by.strip()[:64],
                                    reason=reason.strip()[:200], recorded_by_id=actor.user_id, created_at=now)
        session.add(objection)
        session.flush()
        audit.record(session, actor, "points.objection_raised", objection,
                     {"credit": str(credit.id), "reason": reason.strip()}, store_id=credit.store_id, now=now)
    return objection


def resolve_objection(session: Session, actor: Actor, credit_id, objection_id, *, upheld: bool, note: str,
                      now: datetime) -> CreditObjection:
    """Uphold an objection (the credit is rejected) or dismiss it (the credit lands when its notice ends)."""
    credit = get_credit(session, actor, credit_id)
    require(can_approve(actor, credit), _("只有本店店长可以处理异议"))
    objection = session.get(CreditObjection, objection_id)
    if objection is None or objection.credit_id != credit.id:
        raise NotFound()
    if objection.resolution is not None:
        raise InvalidState(_("该异议已处理"))
    with unit_of_work(session):
        objection.resolution = "upheld" if upheld else "dismissed"
        objection.resolution_note = (note or "").strip()[:200]
        objection.resolved_by_id, objection.resolved_at = actor.user_id, now
        if upheld and credit.status == "published":
            credit.status = "rejected"
        audit.record(session, actor, "points.objection_resolved", objection,
                     {"credit": str(credit.id), "resolution": objection.resolution}, store_id=credit.store_id,
                     now=now)
    return objection


def land_due_credits(session: Session, actor: Actor, *, now: datetime) -> int:
    """Land every posted credit whose notice period is over and that has no open objection (one transaction
    each; safe to run twice). Returns how many landed."""
    require(actor.role is Role.FEDERATION_ADMIN)
    open_objection = select(CreditObjection.id).where(CreditObjection.credit_id == PointsCredit.id,
                                                      CreditObjection.resolution.is_(None)).exists()
    due = list(session.scalars(select(PointsCredit.id).where(
        PointsCredit.status == "published", PointsCredit.publish_until <= now, ~open_objection)))
    landed = 0
    for credit_id in due:
        try:
            with unit_of_work(session):
                credit = session.get(PointsCredit, credit_id)
                if credit.status != "published":
                    continue
                _land(session, actor, credit, session.get(PointsTable, credit.table_id), now)
                audit.record(session, actor, "points.credit_landed", credit, {"points": credit.points},
                             store_id=credit.store_id, now=now)
                landed += 1
        except IntegrityError:
            pass  # landed by a parallel run
    return landed


def list_credits(session: Session, actor: Actor, *, status: str | None = None, store_id=None,
                 limit: int = 100, offset: int = 0) -> list[PointsCredit]:
    # The list shows each row's resident, activity and objections: loaded with the page, not one by one.
    stmt = select(PointsCredit).options(
        joinedload(PointsCredit.resident), joinedload(PointsCredit.activity),
        selectinload(PointsCredit.objections)).order_by(PointsCredit.occurred_at.desc(), PointsCredit.id)
    if not actor.all_stores:
        stmt = stmt.where(PointsCredit.store_id.in_(actor.store_ids))
    if store_id:
        stmt = stmt.where(PointsCredit.store_id == store_id)
    if status:
        stmt = stmt.where(PointsCredit.status == status)
    return list(session.scalars(stmt.limit(limit).offset(offset)))


def on_notice(session: Session, now: datetime) -> list[PointsCredit]:
    """Credits on public notice now (for the public 公示 page)."""
    return list(session.scalars(select(PointsCredit).where(
        PointsCredit.status == "published", PointsCredit.publish_until > now)
        .order_by(PointsCredit.publish_until)))


def credits_of(session: Session, resident_id, *, limit: int = 50) -> list[PointsCredit]:
    return list(session.scalars(select(PointsCredit).where(PointsCredit.resident_id == resident_id)
                                .order_by(PointsCredit.occurred_at.desc()).limit(limit)))

