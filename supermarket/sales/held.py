"""Held sales (挂单, issue 17 item 4): the cashier parks the cart in front of them, serves the next customer and
recalls the parked cart later in the same shift.

A parked cart is a note of lines, never a document: it takes no stock, claims no receipt number and moves no
money. Its price changes were approved by a manager when it was parked (the approval is checked then, and
counted toward lockout like any other); the sale of a recalled cart reuses that approval for exactly those
lines and prices. A shift cannot close while carts are parked: each is recalled or discarded (who, when, why).
"""
from __future__ import annotations

import json
import uuid
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from .. import audit
from ..auth.permissions import Actor, require
from ..catalog.models import Item
from ..errors import Conflict, InvalidInput, NotFound
from ..inventory import service as stock
from ..models import utcnow
from ..uow import unit_of_work
from .checkout import PricedLine, approve_overrides, price_lines
from .inputs import Approval, CartLine
from .lookup import TillItem
from .shifts import can_sell, get_current_shift
from .till_models import HeldSale

MAX_PARKED = 20  # per shift: more is a queue, not a counter


class HeldNotFound(NotFound):
    code = "sales.held_not_found"


class HeldElsewhere(Conflict):
    """A cart parked in another shift (another cashier's, or one already closed)."""
    code = "sales.held_other_shift"


class HeldNotParked(Conflict):
    code = "sales.held_not_parked"


class HeldSalesOpen(Conflict):
    """The shift still has parked carts: recall or discard them before the close."""
    code = "sales.held_sales_open"


def _line_json(p: PricedLine) -> dict:
    line = {"item_id": str(p.item.id), "qty": p.qty}
    if p.weight_g is not None:
        line["weight_g"] = p.weight_g
    if p.pay_with_points:
        line["pay_with_points"] = True
    elif p.overridden:
        line.update(unit_price_fen=p.unit_price_fen, override_reason=p.override_reason)
    return line


def park(session: Session, actor: Actor, lines: tuple[CartLine, ...], *, label: str = "",
         approval: Approval | None = None, now: datetime | None = None) -> HeldSale:
    """Park the cart on the actor's open shift. Raises NoOpenShift, InvalidInput (an empty cart, too many
    parked), UnknownItem, ItemInactive, ApprovalRequired/ApprovalFailed (a price change without a valid
    approval: checked now, not when the cart is recalled)."""
    require(can_sell(actor), _("只有门店收银员或店长可以挂单"))
    now = now or utcnow()
    if not lines:
        raise InvalidInput(_("购物车是空的，不需要挂单"), fields={"lines": [_("购物车是空的，不需要挂单")]})
    shift = get_current_shift(session, actor)
    priced = price_lines(session, shift.store_id, lines)
    approver_id = approve_overrides(session, actor, shift.store_id, priced, approval)
    if parked_count(session, shift.id) >= MAX_PARKED:
        msg = _("本班次已有 %(n)d 张挂单，请先取回或作废", n=MAX_PARKED)
        raise InvalidInput(msg, fields={"lines": [msg]})
    label = (label or "").strip()[:40]
    with unit_of_work(session):
        held = HeldSale(store_id=shift.store_id, shift_id=shift.id, cashier_id=actor.user_id, status="parked",
                        lines=json.dumps([_line_json(p) for p in priced]), line_count=len(priced),
                        total_fen=sum(p.line_total_fen for p in priced), label=label, approver_id=approver_id,
                        parked_at=now)
        session.add(held)
        session.flush()
        audit.record(session, actor, "sales.sale_parked", held, {
            "shift": shift.number, "lines": held.line_count, "total_fen": held.total_fen, "label": label},
            store_id=shift.store_id, now=now)
    return held


def parked_count(session: Session, shift_id) -> int:
    return session.scalar(select(func.count()).select_from(HeldSale)
                          .where(HeldSale.shift_id == shift_id, HeldSale.status == "parked"))


def parked(session: Session, shift) -> list[HeldSale]:
    """The shift's parked carts, oldest first (the shift was already scoped to the actor)."""
    return list(session.scalars(select(HeldSale).where(HeldSale.shift_id == shift.id,
                                                       HeldSale.store_id == shift.store_id,
                                                       HeldSale.status == "parked")
                                .options(selectinload(HeldSale.cashier))
                                .order_by(HeldSale.parked_at, HeldSale.created_at)))


def _own(session: Session, actor: Actor, held_id, shift) -> HeldSale:
    """A parked cart of the actor's open shift. Another store's cart is not found; another shift's is refused
    by name, so the cashier knows to ask its own cashier."""
    held = session.get(HeldSale, held_id)
    if held is None or held.store_id != actor.store_id:
        raise HeldNotFound(_("找不到这张挂单（不是本店的挂单）"))
    if held.shift_id != shift.id:
        raise HeldElsewhere(_("这张挂单属于另一个班次（%(name)s 的班次），不能在本班次取回",
                              name=held.cashier.display_name if held.cashier else ""))
    if held.status != "parked":
        raise HeldNotParked(_("这张挂单已经取回或作废"))
    return held


def _end(session: Session, held: HeldSale, status: str, actor: Actor, reason: str, now: datetime) -> None:
    """Parked -> recalled/discarded with a guarded UPDATE: two taps on two tablets end it once."""
    table = HeldSale.__table__
    done = session.execute(update(table).where(table.c.id == held.id, table.c.status == "parked")
                           .values(status=status, ended_at=now, ended_by_id=actor.user_id, reason=reason)
                           .returning(table.c.id)).first()
    if done is None:
        raise HeldNotParked(_("这张挂单已经取回或作废"))


def recall(session: Session, actor: Actor, held_id, *, now: datetime | None = None
           ) -> tuple[HeldSale, list[dict]]:
    """Take a parked cart back into the till: its lines with today's item data (price, stock) for the page.
    Raises HeldNotFound, HeldElsewhere, HeldNotParked, NoOpenShift."""
    require(can_sell(actor), _("只有门店收银员或店长可以取回挂单"))
    now = now or utcnow()
    shift = get_current_shift(session, actor)
    held = _own(session, actor, held_id, shift)
    with unit_of_work(session):
        _end(session, held, "recalled", actor, "", now)
        audit.record(session, actor, "sales.held_sale_recalled", held, {
            "shift": shift.number, "lines": held.line_count, "total_fen": held.total_fen},
            store_id=held.store_id, now=now)
    session.expire(held)
    return held, _till_lines(session, held, now)


def _till_lines(session: Session, held: HeldSale, now: datetime) -> list[dict]:
    raw = json.loads(held.lines)
    ids = [uuid.UUID(line["item_id"]) for line in raw]
    items = list(session.scalars(select(Item).where(Item.id.in_(ids))))
    found = {s.item.id: TillItem(s.item.id, s.item.name, s.item.barcode, s.item.unit, s.price_fen,
                                 s.item.points_price, s.on_hand, s.item.fund, s.item.category.name, s.sellable,
                                 s.expired, s.expired_on, sold_by_weight=s.item.sold_by_weight)
             for s in stock.in_store(session, items, held.store_id, now=now)}
    return [{"item": found[uuid.UUID(line["item_id"])], "qty": line["qty"],
             "unit_price_fen": line.get("unit_price_fen"), "override_reason": line.get("override_reason", ""),
             "pay_with_points": bool(line.get("pay_with_points")), "weight_g": line.get("weight_g")}
            for line in raw if uuid.UUID(line["item_id"]) in found]


def discard(session: Session, actor: Actor, held_id, *, reason: str, now: datetime | None = None) -> HeldSale:
    """Give up a parked cart (the customer left): recorded with who, when and why. Raises InvalidInput (no
    reason), HeldNotFound, HeldElsewhere, HeldNotParked."""
    require(can_sell(actor), _("只有门店收银员或店长可以作废挂单"))
    now = now or utcnow()
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise InvalidInput(_("请填写作废原因（至少两个字）"), fields={"reason": [_("请填写作废原因（至少两个字）")]})
    shift = get_current_shift(session, actor)
    held = _own(session, actor, held_id, shift)
    with unit_of_work(session):
        _end(session, held, "discarded", actor, reason[:200], now)
        audit.record(session, actor, "sales.held_sale_discarded", held, {
            "shift": shift.number, "lines": held.line_count, "total_fen": held.total_fen, "reason": reason[:200]},
            store_id=held.store_id, now=now)
    session.expire(held)
    return held


def check_none_parked(session: Session, shift) -> None:
    """The close refuses while carts are parked. Raises HeldSalesOpen."""
    n = parked_count(session, shift.id)
    if n:
        raise HeldSalesOpen(_("还有 %(n)d 张挂单：请先取回结账或作废，才能结班", n=n))


def approved_for(session: Session, actor: Actor, held_id, priced: list[PricedLine]):
    """The approver of a recalled cart's price changes, when the sale carries exactly them (same item, same
    price, same reason) and the cart was recalled in the actor's open shift; else None (approve again)."""
    if held_id is None:
        return None
    held = session.get(HeldSale, held_id)
    if held is None or held.store_id != actor.store_id or held.status != "recalled" or held.approver_id is None:
        return None
    if held.ended_by_id != actor.user_id or get_current_shift(session, actor).id != held.shift_id:
        return None
    approved = {(line["item_id"], line["unit_price_fen"], line["override_reason"])
                for line in json.loads(held.lines) if "unit_price_fen" in line}
    wanted = {(str(p.item.id), p.unit_price_fen, p.override_reason) for p in priced if p.overridden}
    return held.approver_id if wanted and wanted <= approved else None
