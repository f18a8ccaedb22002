"""Spending and correcting points: redemption at the till, refunds, adjustments, reversals and expiry.

`redeem` and `refund_redemption` run inside the checkout's transaction and never commit; the others are use
cases of their own (one transaction each). Credits from volunteer service are in `credits.py`.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from .. import audit, idempotency
from ..auth.permissions import Actor, Role, is_store_staff, require, system_actor
from ..auth.service import verify_approver
from ..errors import InvalidInput
from ..clock import day_bounds_utc
from ..uow import unit_of_work
from . import ledger
from .errors import (ApprovalRequired, DailyCap, InsufficientBalance, NotRedeemable, NotReversible,
                     RefundTooLarge, ResidentInactive, SelfApproval, UnknownActivity)
from .credits import land_due_credits
from .ledger import Context
from .models import PointsCredit, PointsEntry, PointsLot, PointsLotUse, Resident
from .queries import get_visible
from .residents import find_by_code, get_resident, lock_resident, verify_pin
from ..clock import local_date
from .rules import activity_by_code, current_table, current_table_or_none, expiry_for

__all__ = ["redeem", "refund_redemption", "adjust_points", "reverse_entry", "expire_due", "NotRedeemable",
           "InsufficientBalance"]

MAX_POINTS = 1_000_000


def _check_points(points) -> None:
    if isinstance(points, bool) or not isinstance(points, int) or not 0 < points <= MAX_POINTS:
        raise InvalidInput(_("积分必须是正整数"), fields={"points": [_("积分必须是正整数")]})


def redeem_key(ref_type: str, ref_id) -> str:
    return f"redeem:{ref_type}:{ref_id}"


def redeemed_today(session: Session, resident_id, now: datetime) -> int:
    """Points the resident spent today (Asia/Shanghai), net of refunds of today's redemptions."""
    start, end = day_bounds_utc(local_date(now))
    spent = session.scalar(select(func.coalesce(func.sum(PointsEntry.points), 0)).where(
        PointsEntry.resident_id == resident_id, PointsEntry.kind == "redeem",
        PointsEntry.created_at >= start, PointsEntry.created_at < end))
    original = aliased(PointsEntry)
    refunded = session.scalar(select(func.coalesce(func.sum(PointsEntry.points), 0))
                              .join(original, original.id == PointsEntry.reverses_id).where(
        PointsEntry.resident_id == resident_id, PointsEntry.kind == "reverse", original.kind == "redeem",
        original.created_at >= start, original.created_at < end))
    return -(spent + refunded)


def redeem(session: Session, actor: Actor, *, store_id, member_code: str, pin: str | None, points: int,
           ref_type: str, ref_id, now: datetime) -> PointsEntry:
    """Spend a resident's points at a store's till, inside the caller's transaction (never commits).

    Checks the PIN (rate-limited; a wrong PIN rolls the caller's transaction back, see residents.verify_pin),
    the account status and the daily redemption cap, then takes the points from the balance with a guarded
    UPDATE and from the soonest-expiring lots. One redemption per (ref_type, ref_id).
    Raises UnknownMember, PinLocked, WrongPin, ResidentInactive, InsufficientBalance, DailyCap, InvalidInput.
    """
    require(is_store_staff(actor, store_id), _("只有本店收银员或店长可以收取积分"))
    _check_points(points)
    resident = find_by_code(session, member_code)
    verify_pin(session, resident, pin, channel="till", now=now)
    if resident.status != "active":
        raise ResidentInactive()
    ctx = Context(actor, now, store_id, ref_type, str(ref_id))
    entry = ledger.debit(session, ctx, resident.id, "redeem", points, redeem_key(ref_type, ref_id))
    # Read after the guarded UPDATE: it holds the resident's row, so parallel redemptions are counted.
    table = current_table_or_none(session, now)
    if table is not None and table.daily_redeem_cap is not None:
        used = redeemed_today(session, resident.id, now)
        if used > table.daily_redeem_cap:
            raise DailyCap(_("超过每日兑换上限 %(cap)d 分（今日已兑换 %(used)d 分）",
                             cap=table.daily_redeem_cap, used=used - points))
    audit.record(session, actor, "points.redeemed", entry,
                 {"member_code": resident.member_code, "points": points, "ref": f"{ref_type}:{ref_id}"},
                 store_id=store_id, now=now)
    return entry


def refund_redemption(session: Session, actor: Actor, *, ref_type: str, ref_id, points: int, now: datetime,
                      store_id=None) -> PointsEntry:
    """Give back `points` of the redemption made for (ref_type, ref_id), inside the caller's transaction.

    At most what that redemption took minus earlier refunds. The points go back into lots with the expiry of
    the lots they were taken from (most recently used first); points whose expiry has already passed are given
    back and expired at once, so the balance never holds points past their date. Works at any store.
    Raises NotReversible (no such redemption), RefundTooLarge, InvalidInput.
    """
    require(actor.role in (Role.CASHIER, Role.STORE_MANAGER, Role.FEDERATION_ADMIN))
    _check_points(points)
    original = ledger.entry_by_key(session, redeem_key(ref_type, ref_id))
    if original is None:
        raise NotReversible(_("该单据没有积分支付"))
    lock_resident(session, original.resident_id)
    available = sum(part[2] for part in ledger.restorable(session, original))
    if points > available:
        raise RefundTooLarge(_("退还 %(n)d 积分超过可退的 %(left)d 分", n=points, left=available))
    earlier = session.scalar(select(func.count()).select_from(PointsEntry)
                             .where(PointsEntry.reverses_id == original.id))
    ctx = Context(actor, now, store_id or actor.store_id, ref_type, str(ref_id), _("退货/作废退还积分"))
    entry = ledger.give_back(session, ctx, original, points, f"refund:{ref_type}:{ref_id}:{earlier + 1}")
    audit.record(session, actor, "points.refunded", entry,
                 {"points": points, "ref": f"{ref_type}:{ref_id}", "redemption": str(original.id)},
                 store_id=ctx.store_id, now=now)
    return entry


def adjust_points(session: Session, actor: Actor, *, resident_id, points: int | None, reason: str,
                  idempotency_key, now: datetime, store_id=None, deduction: str | None = None,
                  approver_username: str | None = None, approver_secret: str | None = None) -> PointsEntry:
    """Add or remove points by hand, with a reason; above the table's threshold a second person approves.

    `deduction` names a deduction item of the points table (扣分项): its points are taken and its name heads the
    reason. Added points form a lot with the usual expiry; removed points come from the soonest-expiring lots.
    The same idempotency key returns the first adjustment. Raises ApprovalRequired, ApprovalFailed,
    SelfApproval, InsufficientBalance, UnknownActivity, InvalidInput.
    """
    require(actor.role in (Role.STORE_MANAGER, Role.FEDERATION_ADMIN), _("只有店长和市慈善总会可以调整积分"))
    if actor.role is Role.STORE_MANAGER:
        store_id = actor.store_id
    if not (reason or "").strip():
        raise InvalidInput(_("请填写调整原因"), fields={"reason": [_("请填写调整原因")]})
    reason = reason.strip()
    table = current_table(session, now)
    if deduction:
        item = activity_by_code(table, deduction)
        if item is None or item.kind != "deduction":
            raise UnknownActivity(_("积分标准中没有扣分项 %(code)s", code=deduction),
                                  fields={"deduction": [_("未知的扣分项")]})
        points, reason = -item.points, f"{item.name}：{reason}"
    if isinstance(points, bool) or not isinstance(points, int) or points == 0 or abs(points) > MAX_POINTS:
        raise InvalidInput(fields={"points": [_("调整积分须为非零整数")]})
    payload = {"resident_id": resident_id, "points": points, "reason": reason, "store_id": store_id}
    return idempotency.run_once(
        session, actor, kind="points.adjust", key=idempotency_key, payload=payload,
        write=lambda claim: _adjust(session, actor, resident_id, points, reason, table, store_id, approver_username,
                                    approver_secret, claim, now),
        load=lambda entry_id: session.get(PointsEntry, uuid.UUID(entry_id)))[0]


def _adjust(session, actor, resident_id, points, reason, table, store_id, approver_username, approver_secret,
            claim, now) -> PointsEntry:
    key = f"adjust:{claim.document_key or uuid.uuid4()}"
    resident = get_resident(session, actor, resident_id)
    if resident.user_id is not None and resident.user_id == actor.user_id:
        raise SelfApproval(_("不能调整自己的积分"))
    approver = None
    if abs(points) > table.adjust_approval_threshold:
        if not approver_username:
            raise ApprovalRequired(_("调整超过 %(n)d 分，需要第二人确认", n=table.adjust_approval_threshold))
        approver = verify_approver(session, store_id, approver_username, approver_secret or "",
                                   roles=(Role.STORE_MANAGER,), not_user_id=actor.user_id)
        if resident.user_id is not None and approver.id == resident.user_id:
            raise SelfApproval(_("确认人不能是该居民本人"))
    ctx = Context(actor, now, store_id, "adjust", "", reason)
    with unit_of_work(session):
        if points > 0:
            entry = ledger.credit(session, ctx, resident.id, "adjust", points, key, expiry_for(table, now))
        else:
            entry = ledger.debit(session, ctx, resident.id, "adjust", -points, key)
        claim.record(session, entry.id)
        audit.record(session, actor, "points.adjusted", entry,
                     {"member_code": resident.member_code, "points": points, "reason": reason,
                      "approver": approver.username if approver else None}, store_id=store_id, now=now)
    return entry


def get_entry(session: Session, actor: Actor, entry_id) -> PointsEntry:
    """An entry the actor may see (store staff their store's, the district its stores', the federation all)."""
    return get_visible(session, actor, PointsEntry, entry_id)


def _expired_from(session: Session, lot_ids) -> int:
    return session.scalar(select(func.coalesce(func.sum(PointsLotUse.points), 0))
                          .join(PointsEntry, PointsEntry.id == PointsLotUse.entry_id)
                          .where(PointsLotUse.lot_id.in_(lot_ids), PointsEntry.kind == "expire")) or 0


def reverse_entry(session: Session, actor: Actor, entry_id, *, reason: str, now: datetime) -> PointsEntry:
    """Reverse a ledger entry once, with a reason (a store's manager for that store's entries, or the federation).

    A redemption or a negative adjustment: what is still unrefunded comes back into its original lots.
    An earning or a positive adjustment: the points still held from it are taken away (its own lot first;
    points that already expired are not taken twice); a reversed credit is marked reversed.
    Raises NotReversible, InsufficientBalance (the points were spent), InvalidInput.
    """
    require(actor.role in (Role.STORE_MANAGER, Role.FEDERATION_ADMIN), _("只有店长和市慈善总会可以冲销"))
    entry = get_entry(session, actor, entry_id)
    if not (reason or "").strip():
        raise InvalidInput(_("请填写冲销原因"), fields={"reason": [_("请填写冲销原因")]})
    key = f"reverse:{entry.id}"
    if ledger.entry_by_key(session, key) is not None:
        raise NotReversible(_("该记录已冲销"))
    ctx = Context(actor, now, actor.store_id, entry.ref_type, entry.ref_id, reason.strip())
    with unit_of_work(session):
        lock_resident(session, entry.resident_id)
        if entry.kind == "redeem" or (entry.kind == "adjust" and entry.points < 0):
            left = sum(part[2] for part in ledger.restorable(session, entry))
            if left == 0:
                raise NotReversible(_("该记录的积分已全部退还"))
            reversal = ledger.give_back(session, ctx, entry, left, key)
        elif entry.kind in ("earn", "adjust") and entry.points > 0:
            own = list(session.scalars(select(PointsLot.id).where(PointsLot.entry_id == entry.id)))
            amount = entry.points - _expired_from(session, own)
            if amount <= 0:
                raise NotReversible(_("该记录的积分已过期"))
            reversal = ledger.debit(session, ctx, entry.resident_id, "reverse", amount, key,
                                    reverses_id=entry.id, first_lot_ids=set(own))
            credit = session.scalar(select(PointsCredit).where(PointsCredit.entry_id == entry.id))
            if credit is not None:
                credit.status = "reversed"
        else:
            raise NotReversible(_("该类记录不能冲销"))
        audit.record(session, actor, "points.reversed", reversal,
                     {"entry": str(entry.id), "kind": entry.kind, "points": reversal.points,
                      "reason": reason.strip()}, store_id=actor.store_id, now=now)
    return reversal


@dataclass(frozen=True)
class ExpiryResult:
    residents: int
    lots: int
    points: int


def residents_with_due_lots(session: Session, now: datetime) -> list:
    return list(session.scalars(select(PointsLot.resident_id).where(
        PointsLot.remaining > 0, PointsLot.expires_at.is_not(None), PointsLot.expires_at <= now).distinct()))


def expire_due(session: Session, actor: Actor, *, now: datetime, progress=None) -> ExpiryResult:
    """Expire every lot whose date has passed: one transaction per resident, safe to run twice or in parallel
    (each lot's expiry entry has the lot's key; a second run finds nothing left)."""
    require(actor.role is Role.FEDERATION_ADMIN)
    residents = lots = points = 0
    for resident_id in residents_with_due_lots(session, now):
        try:
            with unit_of_work(session):
                lock_resident(session, resident_id)
                due = session.execute(select(PointsLot.id, PointsLot.remaining).where(
                    PointsLot.resident_id == resident_id, PointsLot.remaining > 0,
                    PointsLot.expires_at.is_not(None), PointsLot.expires_at <= now)).all()
                ctx = Context(actor, now, reason=_("积分到期清零"))
                done = [e for lot_id, rem in due if (e := ledger.expire_lot(session, ctx, resident_id, lot_id, rem))]
                if done:
                    total = -sum(e.points for e in done)
                    audit.record(session, actor, "points.expired", subject_type="residents",
                                 subject_id=resident_id, summary={"lots": len(done), "points": total}, now=now)
                    residents, lots, points = residents + 1, lots + len(done), points + total
        except IntegrityError:
            pass  # another run expired these lots first
        if progress:
            progress(1)
    return ExpiryResult(residents, lots, points)


def resident_balance_check(session: Session, resident_id) -> tuple[int, int, int]:
    """(cached balance, sum of the ledger, sum of lots remaining): all three are equal when the books hold."""
    cached = session.scalar(select(Resident.balance).where(Resident.id == resident_id))
    ledger_sum = session.scalar(select(func.coalesce(func.sum(PointsEntry.points), 0))
                                .where(PointsEntry.resident_id == resident_id))
    lots_sum = session.scalar(select(func.coalesce(func.sum(PointsLot.remaining), 0))
                              .where(PointsLot.resident_id == resident_id))
    return cached, ledger_sum, lots_sum


def expire_job(session: Session, now: datetime) -> dict:
    """The daily job (supermarket.wiring.JOBS): expire the points whose date has passed."""
    result = expire_due(session, system_actor("jobs"), now=now)
    return {"residents": result.residents, "lots": result.lots, "points": result.points}


def land_job(session: Session, now: datetime) -> dict:
    """The daily job: land the posted (公示) credits whose notice period is over."""
    return {"landed": land_due_credits(session, system_actor("jobs"), now=now)}
