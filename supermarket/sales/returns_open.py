"""Returns without the original receipt (无小票退货, issue 17 item 7).

The customer brings an item back but no receipt: the item is scanned, its price today found (a lower price may
be typed, never a higher one), the refund is paid in cash from the shift's drawer, and a store manager approves
every one on the spot. One return is capped by the store's limit. The units come back into stock as an
`open_return` movement (in a lot of their own, so no sold lot's history is rewritten); the cash leaves the
drawer, so the shift's expected cash goes down. Food is never taken back without a receipt: its lot and expiry
are unknown. The anomaly board watches them (flags kind `return_without_receipt`).
"""
from __future__ import annotations

import uuid
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .. import audit
from ..auth.permissions import Actor, Role, require
from ..auth.errors import ApprovalFailed
from ..auth.service import verify_approver
from ..catalog.models import Item
from ..clock import local_today
from ..errors import Conflict, InvalidInput
from ..i18n import yuan
from ..idempotency import run_once
from ..inventory import service as stock
from ..models import utcnow
from ..sequences import next_number
from ..stores.models import Store
from ..uow import unit_of_work
from .checkout import price_lines
from .errors import ApprovalRequired, CashShort
from .inputs import Approval, CartLine
from .shifts import can_sell, expected_takings, get_current_shift, lock_open_shift
from .till_models import OpenReturn, OpenReturnLimit

DEFAULT_LIMIT_FEN = 10_000      # ¥100 a return, unless the store sets its own
MAX_LIMIT_FEN = 100_000
MAX_QTY = 99


class OverLimit(InvalidInput):
    code = "sales.open_return_over_limit"


class FoodNotReturnable(Conflict):
    code = "sales.open_return_food"


def limit_fen(session: Session, store_id) -> int:
    row = session.get(OpenReturnLimit, store_id)
    return DEFAULT_LIMIT_FEN if row is None else row.limit_fen


def set_limit(session: Session, actor: Actor, store_id, fen: int, *, now: datetime | None = None) -> int:
    """A store manager sets the store's ceiling on one return without receipt."""
    require(actor.role in (Role.STORE_MANAGER, Role.FEDERATION_ADMIN) and store_id in actor.store_ids)
    if isinstance(fen, bool) or not isinstance(fen, int) or not 0 <= fen <= MAX_LIMIT_FEN:
        msg = _("限额须在 0 到 %(max)s 之间", max=yuan(MAX_LIMIT_FEN))
        raise InvalidInput(msg, fields={"limit": [msg]})
    before = limit_fen(session, store_id)
    with unit_of_work(session):
        row = session.get(OpenReturnLimit, store_id)
        if row is None:
            row = OpenReturnLimit(store_id=store_id, limit_fen=fen)
            session.add(row)
        row.limit_fen = fen
        audit.record(session, actor, "sales.open_return_limit_changed", row, {"limit_fen": fen, "before_fen": before},
                     store_id=store_id, subject_type="open_return_limit", subject_id=store_id, now=now)
    return fen


def _check(barcode: str, qty, reason: str) -> str:
    errors = {}
    if not (barcode or "").strip():
        errors["barcode"] = [_("请扫描退回商品的条码")]
    if isinstance(qty, bool) or not isinstance(qty, int) or not 1 <= qty <= MAX_QTY:
        errors["qty"] = [_("数量须为 1 到 %(max)d 之间的整数", max=MAX_QTY)]
    reason = (reason or "").strip()
    if len(reason) < 2:
        errors["reason"] = [_("请填写退货原因（至少两个字）")]
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], fields=errors)
    return reason[:200]


def take_back_without_receipt(session: Session, actor: Actor, *, barcode: str, qty: int, reason: str,
                              unit_price_fen: int | None = None, approval: Approval | None = None,
                              idempotency_key: uuid.UUID | None = None, now: datetime | None = None
                              ) -> tuple[OpenReturn, bool]:
    """Take an item back without its receipt and refund cash. Returns (return, replayed).

    Raises InvalidInput (a field), UnknownBarcode, ItemInactive, FoodNotReturnable, OverLimit, CashShort,
    ApprovalRequired, ApprovalFailed (refused at once, counted toward the approver's lockout), NoOpenShift.
    """
    require(can_sell(actor), _("只有门店收银员或店长可以办理退货"))
    now = now or utcnow()
    reason = _check(barcode, qty, reason)
    payload = {"barcode": barcode.strip(), "qty": qty, "reason": reason, "unit_price_fen": unit_price_fen}
    return run_once(session, actor, kind="sales.open_return", key=idempotency_key, payload=payload,
                    write=lambda claim: _write(session, actor, barcode, qty, reason, unit_price_fen, approval,
                                               now, claim),
                    load=lambda ret_id: session.get(OpenReturn, uuid.UUID(ret_id)))


def _price(session: Session, store_id, barcode: str, qty: int, unit_price_fen):
    priced = price_lines(session, store_id, (CartLine(qty=qty, barcode=barcode.strip()),))[0]
    item = session.get(Item, priced.item.id)
    if item.is_food:
        raise FoodNotReturnable(_("“%(name)s”是食品，没有小票不能退货", name=item.name),
                                fields={"barcode": [_("食品没有小票不能退货")]})
    list_price = priced.list_price_fen
    unit = list_price if unit_price_fen is None else unit_price_fen
    if isinstance(unit, bool) or not isinstance(unit, int) or unit < 0:
        raise InvalidInput(_("退款单价无效"), fields={"unit_price": [_("退款单价无效")]})
    if unit > list_price:
        msg = _("退款单价不能高于现价 %(price)s", price=yuan(list_price))
        raise InvalidInput(msg, fields={"unit_price": [msg]})
    return item, list_price, unit


def _write(session, actor, barcode, qty, reason, unit_price_fen, approval, now, claim) -> OpenReturn:
    shift = get_current_shift(session, actor)
    item, list_price, unit = _price(session, shift.store_id, barcode, qty, unit_price_fen)
    refund = unit * qty
    limit = limit_fen(session, shift.store_id)
    if refund > limit:
        msg = _("无小票退货每笔不能超过 %(limit)s（本店限额），本笔 %(amount)s", limit=yuan(limit), amount=yuan(refund))
        raise OverLimit(msg, fields={"qty": [msg]})
    _check_drawer(session, shift, refund)  # before the PIN: none is spent on a refund that cannot happen
    if approval is None or not approval.username or not approval.secret:
        msg = _("无小票退货需要店长当场确认")
        raise ApprovalRequired(msg, fields={"approval": [msg]})
    try:  # refused at once, counted toward the approver's lockout; the message goes beside the approval
        approver = verify_approver(session, shift.store_id, approval.username, approval.secret,
                                   not_user_id=actor.user_id)
    except ApprovalFailed as e:
        raise ApprovalFailed(e.message, fields={"approval": [e.message]}) from None
    ret_id = uuid.uuid4()
    with unit_of_work(session):
        lock_open_shift(session, actor, shift.store_id)
        _check_drawer(session, shift, refund)  # again under the lock: a payout may have landed meanwhile
        stock.lock_stock(session, shift.store_id, [item.id])  # the house's lock order: shift, then stock
        store = session.get(Store, shift.store_id)
        ymd = local_today(now).strftime("%Y%m%d")
        number = f"{store.code}-{ymd}-W{next_number(session, f'open_return:{store.id}:{ymd}'):02d}"
        ret = OpenReturn(id=ret_id, store_id=store.id, number=number, shift_id=shift.id, cashier_id=actor.user_id,
                         approver_id=approver.id, item_id=item.id, name=item.name, qty=qty, list_price_fen=list_price,
                         unit_price_fen=unit, refund_fen=refund, reason=reason, returned_at=now,
                         idempotency_key=claim.document_key)
        session.add(ret)
        session.flush()
        stock.receive(session, actor, store_id=store.id, item=item, qty=qty, kind="open_return",
                      doc_type="open_return", doc_id=ret.id, now=now, note=reason)
        audit.record(session, actor, "sales.returned_without_receipt", ret, {
            "number": number, "item": item.name, "qty": qty, "list_price_fen": list_price,
            "unit_price_fen": unit, "refund_fen": refund, "reason": reason, "approver": approver.username,
            "shift": shift.number}, store_id=store.id, now=now)
        claim.record(session, ret.id)
    return ret


def _check_drawer(session: Session, shift, refund: int) -> None:
    in_drawer = expected_takings(session, shift)["cash"]
    if refund > in_drawer:
        msg = _("钱箱里应有现金 %(cash)s，不能退款 %(amount)s", cash=yuan(in_drawer), amount=yuan(refund))
        raise CashShort(msg, fields={"qty": [msg]})


def of_shift(session: Session, shift) -> list[OpenReturn]:
    """The shift's returns without receipt, oldest first (the shift already scoped to the actor)."""
    return list(session.scalars(select(OpenReturn).where(OpenReturn.shift_id == shift.id,
                                                         OpenReturn.store_id == shift.store_id)
                                .options(selectinload(OpenReturn.approver))
                                .order_by(OpenReturn.returned_at)))
