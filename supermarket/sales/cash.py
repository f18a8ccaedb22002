"""The cash drawer during a shift (issue 17, item 5): cash paid in and out, no-sale openings, and the X report
(the Z report's figures so far, the shift staying open).

Each movement locks the cashier's open shift first (as a sale does), so a payout is checked against an expected
cash that no concurrent sale or payout can change underneath it, and the close never misses a movement.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import audit
from ..auth.permissions import Actor, require
from ..auth.service import Approval, verify_approver
from ..errors import InvalidInput
from ..i18n import yuan
from ..idempotency import run_once
from ..models import utcnow
from ..uow import unit_of_work
from .errors import ApprovalRequired, CashShort
from .models import CashMovement, Shift
from .settings import till_config
from .shifts import can_sell, expected_takings, get_current_shift, lock_open_shift

MAX_CASH_MOVE_FEN = 1_000_000  # ¥10,000: more than that is a bank deposit, not a till movement


def kind_label(kind: str) -> str:
    return {"paid_in": _("收入现金"), "paid_out": _("支出现金"), "no_sale": _("开钱箱（无销售）")}.get(kind, kind)


def _check(kind: str, amount_fen: int, reason: str) -> str:
    errors = {}
    if kind not in ("paid_in", "paid_out"):
        errors["kind"] = [_("请选择收入或支出")]
    elif isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or not 0 < amount_fen <= MAX_CASH_MOVE_FEN:
        errors["amount_fen"] = [_("金额须大于 0 且不超过 %(max)s", max=yuan(MAX_CASH_MOVE_FEN))]
    reason = (reason or "").strip()
    if len(reason) < 2:
        errors["reason"] = [_("请填写原因（至少两个字）")]
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], fields=errors)
    return reason[:200]


def move_cash(session: Session, actor: Actor, *, kind: str, amount_fen: int, reason: str,
              approval: Approval | None = None, idempotency_key=None, now: datetime | None = None
              ) -> tuple[CashMovement, bool]:
    """Cash paid in or out of the actor's open shift; above the store's limit a manager approves on the spot.
    Returns (movement, replayed). Raises InvalidInput, CashShort, ApprovalRequired, ApprovalFailed, NoOpenShift."""
    require(can_sell(actor), _("只有门店收银员或店长可以操作钱箱"))
    now = now or utcnow()
    reason = _check(kind, amount_fen, reason)
    payload = {"kind": kind, "amount_fen": amount_fen, "reason": reason}
    return run_once(session, actor, kind="sales.cash_move", key=idempotency_key, payload=payload,
                    write=lambda claim: _move(session, actor, kind, amount_fen, reason, approval, now, claim),
                    load=lambda move_id: session.get(CashMovement, uuid.UUID(move_id)))


def _approver(session, actor, shift, amount_fen, approval):
    limit = till_config(session, shift.store_id).cash_approval_limit_fen
    if amount_fen <= limit:
        return None
    if approval is None or not approval.username or not approval.secret:
        message = _("超过 %(limit)s 需要店长当场批准", limit=yuan(limit))
        raise ApprovalRequired(message, fields={"approval": [message]})
    # A wrong PIN is refused here and counted toward the approver's lockout.
    return verify_approver(session, shift.store_id, approval.username, approval.secret, not_user_id=actor.user_id)


def _move(session, actor, kind, amount_fen, reason, approval, now, claim) -> CashMovement:
    shift = get_current_shift(session, actor)
    # Checked before the approval too: no PIN is spent on a payout that cannot happen.
    _check_drawer(session, shift, kind, amount_fen)
    approver = _approver(session, actor, shift, amount_fen, approval)
    with unit_of_work(session):
        lock_open_shift(session, actor, shift.store_id)
        _check_drawer(session, shift, kind, amount_fen)  # again under the lock: a sale or payout may have landed
        move = _add(session, actor, shift, kind, amount_fen, reason, approver, now)
        claim.record(session, move.id)
    return move


def _check_drawer(session, shift, kind, amount_fen) -> None:
    if kind != "paid_out":
        return
    in_drawer = expected_takings(session, shift)["cash"]
    if amount_fen > in_drawer:
        message = _("钱箱里应有现金 %(cash)s，不能支出 %(amount)s", cash=yuan(in_drawer), amount=yuan(amount_fen))
        raise CashShort(message, fields={"amount_fen": [message]})


def _add(session, actor, shift, kind, amount_fen, reason, approver, now) -> CashMovement:
    move = CashMovement(store_id=shift.store_id, shift_id=shift.id, kind=kind, amount_fen=amount_fen, reason=reason,
                        cashier_id=actor.user_id, approver_id=approver.id if approver else None, at=now)
    session.add(move)
    session.flush()
    audit.record(session, actor, f"sales.cash_{kind}", move, {
        "shift": shift.number, "amount_fen": amount_fen, "reason": reason,
        "approver": approver.username if approver else None}, store_id=shift.store_id, now=now)
    return move


def no_sale(session: Session, actor: Actor, *, reason: str, idempotency_key=None,
            now: datetime | None = None) -> tuple[CashMovement, bool]:
    """The drawer opened without a sale: logged with its reason. Returns (movement, replayed)."""
    require(can_sell(actor), _("只有门店收银员或店长可以操作钱箱"))
    now = now or utcnow()
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise InvalidInput(_("请填写原因（至少两个字）"), fields={"reason": [_("请填写原因（至少两个字）")]})
    reason = reason[:200]

    def write(claim):
        shift = get_current_shift(session, actor)
        with unit_of_work(session):
            lock_open_shift(session, actor, shift.store_id)
            move = _add(session, actor, shift, "no_sale", 0, reason, None, now)
            claim.record(session, move.id)
        return move

    return run_once(session, actor, kind="sales.no_sale", key=idempotency_key, payload={"reason": reason},
                    write=write, load=lambda move_id: session.get(CashMovement, uuid.UUID(move_id)))


def movements(session: Session, shift: Shift) -> list[CashMovement]:
    """The shift's movements, oldest first (always read through a shift already scoped to the actor)."""
    return list(session.scalars(select(CashMovement).where(CashMovement.shift_id == shift.id,
                                                           CashMovement.store_id == shift.store_id)
                                .order_by(CashMovement.at, CashMovement.created_at)))


@dataclass(frozen=True)
class CashSummary:
    paid_in_count: int = 0
    paid_in_fen: int = 0
    paid_out_count: int = 0
    paid_out_fen: int = 0
    no_sale_count: int = 0


def summary(session: Session, shift: Shift) -> CashSummary:
    rows = {kind: (n, int(total or 0)) for kind, n, total in session.execute(
        select(CashMovement.kind, func.count(), func.sum(CashMovement.amount_fen))
        .where(CashMovement.shift_id == shift.id).group_by(CashMovement.kind))}
    return CashSummary(*rows.get("paid_in", (0, 0)), *rows.get("paid_out", (0, 0)), rows.get("no_sale", (0, 0))[0])
