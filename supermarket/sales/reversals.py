"""Voids and returns: new documents that reverse an earlier sale, approved by a store manager on the tablet.

A void cancels a whole sale of a shift that is still open (a mistake at the counter); a return takes back some
lines of an earlier sale (the customer comes back). Both write reversal lines, reversal payments (money going
back), reversing stock movements into the same lots and any points refund, in one transaction with their own
receipt number. The original is never edited; its cached status and returned quantities move with guarded
UPDATEs, so a second void, a void racing a return, or two returns of the last unit cannot both succeed.
"""
from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .. import audit
from ..auth.permissions import Actor, require
from ..auth.service import verify_approver
from ..errors import InvalidInput, NotFound
from ..inventory import service as stock
from ..models import utcnow
from ..uow import unit_of_work
from . import discounts, points_hooks
from ..idempotency import run_once
from .checkout import CheckoutResult, load_sale
from .errors import AlreadyVoided, ApprovalRequired, HasReturns, NotReversible, ReturnExceeds
from .inputs import Approval, Refund, ReturnLine
from .models import Payment, Sale, SaleLine
from .numbers import claim_receipt_number
from .payments import check_accepted, check_reference
from .queries import get_sale
from .settings import till_config
from .shifts import can_sell, lock_open_shift, lock_shift
from .tenders import TENDERS


def can_reverse(actor: Actor, sale: Sale) -> bool:
    """The store's own cashiers and managers start a void or return (a manager then approves it)."""
    return can_sell(actor) and actor.store_id == sale.store_id


def _approve(session: Session, actor: Actor, sale: Sale, approval: Approval | None, what: str):
    if approval is None:
        raise ApprovalRequired(_("%(what)s需要店长确认", what=what))
    return verify_approver(session, sale.store_id, approval.username, approval.secret, not_user_id=actor.user_id)


def _check_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("请填写原因"), fields={"reason": [_("请填写原因")]})
    return reason[:200]


def _sale_movements(session: Session, sale: Sale) -> list:
    return stock.movements_of(session, doc_type="sale", doc_id=sale.id, kind="sale")


def _original(session: Session, actor: Actor, sale_id, what: str) -> Sale:
    """The sale to void or take back: of the actor's store, a sale (not a void or a return), not voided."""
    sale = get_sale(session, actor, sale_id)
    require(can_reverse(actor, sale), _("只有本店收银员或店长可以办理%(what)s", what=what))
    if sale.kind != "sale":
        raise NotReversible(_("作废单和退货单不能再办理%(what)s", what=what))
    if sale.status == "voided":
        raise AlreadyVoided(_("该销售已经作废"))
    return sale


def void_sale(session: Session, actor: Actor, sale_id, *, approval: Approval | None, reason: str,
              now: datetime | None = None, idempotency_key: uuid.UUID | None = None) -> Sale:
    """Void a whole sale of a shift that is still open. Returns the void document (the first one, for a
    replayed idempotency key).

    Raises NotFound (another store's sale), NotReversible (a void or a return), AlreadyVoided, HasReturns,
    ShiftClosed (the sale's shift was closed: make a return instead), ApprovalRequired, ApprovalFailed.
    """
    return void(session, actor, sale_id, approval=approval, reason=reason, now=now,
                idempotency_key=idempotency_key).sale


def void(session: Session, actor: Actor, sale_id, *, approval: Approval | None, reason: str,
         now: datetime | None = None, idempotency_key: uuid.UUID | None = None) -> CheckoutResult:
    """void_sale(), telling whether the answer is a replay (for the API's replay header)."""
    now = now or utcnow()
    # The approval is who allowed it, not what was asked: a retry with another manager is the same void.
    payload = {"sale_id": sale_id, "reason": reason}
    doc, replayed = run_once(session, actor, kind="sales.void", key=idempotency_key, payload=payload,
                             write=lambda claim: _void(session, actor, sale_id, approval, reason, now, claim),
                             load=lambda doc_id: load_sale(session, doc_id))
    return CheckoutResult(doc, replayed)


def _void(session, actor, sale_id, approval, reason, now, claim) -> Sale:
    sale = _original(session, actor, sale_id, _("作废"))
    if sale.status != "completed":
        raise HasReturns(_("该销售已有退货，不能整单作废；请对其余商品办理退货"))
    reason = _check_reason(reason)
    approver = _approve(session, actor, sale, approval, _("作废"))
    void_id = uuid.uuid4()
    with unit_of_work(session):
        lock_shift(session, sale.shift_id)
        table = Sale.__table__
        if session.execute(update(table).where(table.c.id == sale.id, table.c.status == "completed")
                           .values(status="voided")).rowcount != 1:
            raise AlreadyVoided(_("该销售已经作废或已有退货"))
        movements = _sale_movements(session, sale)
        stock.lock_stock(session, sale.store_id, [m.item_id for m in movements])
        for movement in movements:
            stock.reverse(session, actor, movement=movement, kind="sale_reversal", doc_type="sale",
                           doc_id=void_id, now=now)
        if sale.points_total:
            points_hooks.refund(session, actor, sale_id=sale.id, points=sale.points_total, now=now)
        number, day, seq = claim_receipt_number(session, sale.store_id, sale.store.code, now)
        void = Sale(id=void_id, store_id=sale.store_id, kind="void", number=number, business_date=day, seq=seq,
                    shift_id=sale.shift_id, cashier_id=actor.user_id, sold_at=now, total_fen=-sale.total_fen,
                    points_total=-sale.points_total, change_fen=0, idempotency_key=claim.document_key,
                    reverses_id=sale.id, approver_id=approver.id, reason=reason)
        session.add(void)
        claim.record(session, void_id)
        session.add_all(SaleLine(sale_id=void_id, line_no=line.line_no, item_id=line.item_id, name=line.name,
                                 qty=-line.qty, list_price_fen=line.list_price_fen,
                                 unit_price_fen=line.unit_price_fen, line_total_fen=-line.line_total_fen,
                                 fund=line.fund, pay_with_points=line.pay_with_points, points_price=line.points_price,
                                 points_total=-line.points_total, reverses_line_id=line.id,
                                 weight_g=-line.weight_g if line.weight_g else None) for line in sale.lines)
        session.add_all(Payment(sale_id=void_id, position=p.position, method=p.method, amount_fen=-p.amount_fen,
                                points=-p.points, reference=p.reference, member_code=p.member_code)
                        for p in sale.payments)
        session.flush()
        audit.record(session, actor, "sales.sale_voided", void, {
            "number": number, "original": sale.number, "total_fen": sale.total_fen, "reason": reason,
            "approver": approver.username}, store_id=sale.store_id, now=now)
    session.expire(sale)
    return void


def return_items(session: Session, actor: Actor, sale_id, lines: list[ReturnLine], *, refund: Refund,
                 approval: Approval | None, reason: str, now: datetime | None = None,
                 idempotency_key: uuid.UUID | None = None) -> Sale:
    """Take back some lines of an earlier sale; the money goes back through `refund` from the actor's open
    shift. Returns the return document (the first one, for a replayed idempotency key).

    Raises NotFound, NotReversible, AlreadyVoided, ReturnExceeds (more than sold minus earlier returns),
    ShiftClosed (no open shift), TenderNotAccepted, ApprovalRequired, ApprovalFailed, InvalidInput.
    """
    return take_back(session, actor, sale_id, lines, refund=refund, approval=approval, reason=reason, now=now,
                     idempotency_key=idempotency_key).sale


def take_back(session: Session, actor: Actor, sale_id, lines: list[ReturnLine], *, refund: Refund,
              approval: Approval | None, reason: str, now: datetime | None = None,
              idempotency_key: uuid.UUID | None = None) -> CheckoutResult:
    """return_items(), telling whether the answer is a replay (for the API's replay header)."""
    now = now or utcnow()
    payload = {"sale_id": sale_id, "lines": lines, "refund": refund, "reason": reason}
    doc, replayed = run_once(session, actor, kind="sales.return", key=idempotency_key, payload=payload,
                             write=lambda claim: _return(session, actor, sale_id, lines, refund, approval, reason,
                                                         now, claim),
                             load=lambda doc_id: load_sale(session, doc_id))
    return CheckoutResult(doc, replayed)


def _return(session, actor, sale_id, lines, refund, approval, reason, now, claim) -> Sale:
    sale = _original(session, actor, sale_id, _("退货"))
    wanted = _merge(sale, lines)
    money = sum(discounts.refund_of(line, n) for line, n in wanted if not line.pay_with_points)
    points = sum((line.points_price or 0) * n for line, n in wanted if line.pay_with_points)
    if money:
        check_accepted(refund.method, till_config(session, sale.store_id).accepted)
        if TENDERS[refund.method].pays_in != "money":
            raise InvalidInput(fields={"refund_method": [_("退款方式无效")]})
        check_reference(refund.method, refund.reference, "refund_reference")
    reason = _check_reason(reason)
    approver = _approve(session, actor, sale, approval, _("退货"))
    return_id = uuid.uuid4()
    with unit_of_work(session):
        shift_id = lock_open_shift(session, actor, sale.store_id)
        sales, sale_lines = Sale.__table__, SaleLine.__table__
        if session.execute(update(sales).where(sales.c.id == sale.id,
                                               sales.c.status.in_(("completed", "partly_returned")))
                           .values(status="partly_returned")).rowcount != 1:
            raise AlreadyVoided(_("该销售已经作废，不能退货"))
        for line, n in wanted:
            if session.execute(update(sale_lines).where(
                    sale_lines.c.id == line.id, sale_lines.c.returned_qty + n <= sale_lines.c.qty)
                    .values(returned_qty=sale_lines.c.returned_qty + n)).rowcount != 1:
                raise ReturnExceeds(_("“%(name)s”退货数量超过可退数量", name=line.name))
        _reverse_stock(session, actor, sale, wanted, return_id, now)
        if points:
            points_hooks.refund(session, actor, sale_id=sale.id, points=points, now=now)
        left = session.scalar(select(SaleLine.id).where(SaleLine.sale_id == sale.id,
                                                        SaleLine.returned_qty < SaleLine.qty).limit(1))
        if left is None:
            session.execute(update(sales).where(sales.c.id == sale.id).values(status="returned"))
        number, day, seq = claim_receipt_number(session, sale.store_id, sale.store.code, now)
        ret = Sale(id=return_id, store_id=sale.store_id, kind="return", number=number, business_date=day, seq=seq,
                   shift_id=shift_id, cashier_id=actor.user_id, sold_at=now, total_fen=-money,
                   points_total=-points, change_fen=0, idempotency_key=claim.document_key, reverses_id=sale.id,
                   approver_id=approver.id, reason=reason)
        session.add(ret)
        claim.record(session, return_id)
        session.add_all(SaleLine(sale_id=return_id, line_no=k, item_id=line.item_id, name=line.name, qty=-n,
                                 list_price_fen=line.list_price_fen, unit_price_fen=line.unit_price_fen,
                                 line_total_fen=-discounts.refund_of(line, n) if not line.pay_with_points else 0,
                                 fund=line.fund, pay_with_points=line.pay_with_points, points_price=line.points_price,
                                 points_total=-(line.points_price or 0) * n if line.pay_with_points else 0,
                                 reverses_line_id=line.id, weight_g=-line.weight_g * n if line.weight_g else None)
                        for k, (line, n) in enumerate(wanted, start=1))
        position = 1
        if money:
            session.add(Payment(sale_id=return_id, position=position, method=refund.method, amount_fen=-money,
                                reference=refund.reference.strip()))
            position += 1
        if points:
            points_payment = next((p for p in sale.payments if p.points), None)
            session.add(Payment(sale_id=return_id, position=position, method="points", points=-points,
                                member_code=points_payment.member_code if points_payment else ""))
        session.flush()
        audit.record(session, actor, "sales.items_returned", ret, {
            "number": number, "original": sale.number, "refund_fen": money, "refund_method": refund.method,
            "points": points, "lines": {line.name: n for line, n in wanted}, "reason": reason,
            "approver": approver.username}, store_id=sale.store_id, now=now)
    session.expire(sale)
    return ret


def _merge(sale: Sale, lines: list[ReturnLine]) -> list[tuple[SaleLine, int]]:
    """The sale's lines to take back with their quantities; pre-checks what the guarded UPDATE enforces."""
    if not lines:
        raise InvalidInput(_("请选择要退的商品"), fields={"lines": [_("请选择要退的商品")]})
    by_id = {line.id: line for line in sale.lines}
    qty: dict = defaultdict(int)
    for r in lines:
        if r.sale_line_id not in by_id:
            raise NotFound(_("该销售中没有这一行商品"))
        qty[r.sale_line_id] += r.qty
    wanted = []
    for line_id, n in qty.items():
        line = by_id[line_id]
        if n <= 0 or n > line.qty - line.returned_qty:
            raise ReturnExceeds(_("“%(name)s”最多还能退 %(left)d 件", name=line.name,
                                  left=line.qty - line.returned_qty))
        wanted.append((line, n))
    return sorted(wanted, key=lambda w: w[0].line_no)


def _reverse_stock(session: Session, actor: Actor, sale: Sale, wanted, return_id, now: datetime) -> None:
    """Put the returned units back into the lots they came from (any of the sale's lots of that item); a weighed
    line (qty 1) gives back its grams."""
    movements: dict = defaultdict(list)
    for m in _sale_movements(session, sale):
        movements[m.item_id].append(m)
    stock.lock_stock(session, sale.store_id, [line.item_id for line, _n in wanted])
    for line, n in sorted(wanted, key=lambda w: w[0].item_id):
        n = n * line.weight_g if line.weight_g else n
        for m in movements[line.item_id]:
            left = abs(m.qty) - stock.reversed_qty(session, m.id)
            if left <= 0:
                continue
            k = min(n, left)
            stock.reverse(session, actor, movement=m, kind="sale_reversal", doc_type="sale", doc_id=return_id,
                           now=now, qty=k)
            n -= k
            if n == 0:
                break
