"""The seam to printing/: till receipts and Z reports as plain data, localised to Asia/Shanghai.

The first print of a receipt is the original; every later one is marked 副本 (the count is a guarded counter
on the sale, so two tablets printing at once still give one original). Each print is an audit event.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

import printing

from .. import audit
from ..auth.permissions import Actor
from ..clock import SHANGHAI
from ..errors import InvalidInput
from ..i18n import yuan
from ..models import utcnow
from ..points.models import PointsEntry
from ..points.service import redeem_key
from . import cash, discounts, donations, points_hooks
from ..uow import unit_of_work
from .errors import ShiftStillOpen
from .models import ROLL_WIDTHS, Sale, Shift
from .queries import FUND_LABELS, STATUS_LABELS, get_sale, shift_totals
from .settings import till_config
from .shifts import expected_takings, get_current_shift, get_shift
from .tenders import TENDERS, label

MARKERS = {"void": "作废", "return": "退货"}


def _name(user) -> str:
    return user.display_name if user is not None else ""


def points_balance_after(session: Session, sale: Sale) -> int | None:
    """The resident's points left right after this sale's redemption (its ledger entry's balance_after), for
    the receipt; None when the sale took no points."""
    if sale.kind != "sale" or not any(p.method == "points" and p.points for p in sale.payments):
        return None
    return session.scalar(select(PointsEntry.balance_after).where(
        PointsEntry.idempotency_key == redeem_key(points_hooks.REF_TYPE, sale.id)))


def receipt_data(sale: Sale, *, reprint: bool = False, reprinted_at: datetime | None = None,
                 points_balance: int | None = None) -> printing.ReceiptData:
    """A sale, void or return as the receipt printer sees it."""
    lines = []
    for line in sale.lines:
        name = line.name
        if line.pay_with_points:
            name = _("%(name)s（积分兑换）", name=name)
        elif line.unit_price_fen != line.list_price_fen:
            name = _("%(name)s（原价 %(price)s）", name=name, price=yuan(line.list_price_fen))
        lines.append(printing.ReceiptLine(name, line.qty, line.unit_price_fen, line.line_total_fen,
                                          points_price=line.points_price if line.pay_with_points else None,
                                          discount_fen=line.discount_fen if sale.kind == "sale" else 0,
                                          weight_g=line.weight_g))
    payments = [printing.ReceiptPayment(label(p.method),
                                        p.tendered_fen if p.tendered_fen is not None else p.amount_fen,
                                        points=p.points if p.method == "points" else None, reference=p.reference)
                for p in sale.payments]
    notes = []
    if sale.kind != "sale":
        notes.append(_("原单号 %(number)s", number=sale.original.number))
        notes.append(_("原因 %(reason)s", reason=sale.reason))
        notes.append(_("审批 %(name)s", name=_name(sale.approver)))
    elif any(line.unit_price_fen != line.list_price_fen and not line.pay_with_points for line in sale.lines):
        notes.append(_("改价已由 %(name)s 审批", name=_name(sale.approver)))
    notes += discounts.receipt_notes(sale)
    if sale.kind == "sale" and sale.status != "completed":
        notes.append(_("本单状态：%(status)s", status=_status(sale.status)))
    return printing.ReceiptData(
        store_name=sale.store.name, store_code=sale.store.code, receipt_no=sale.number,
        sold_at=sale.sold_at.astimezone(SHANGHAI), cashier_name=_name(sale.cashier), lines=tuple(lines),
        total_fen=sale.total_fen, payments=tuple(payments), change_fen=sale.change_fen,
        marker=MARKERS.get(sale.kind, ""), notes=tuple(notes), reprint=reprint,
        reprinted_at=reprinted_at.astimezone(SHANGHAI) if reprinted_at else None,
        store_address=sale.store.address, store_phone=sale.store.phone, points_balance=points_balance,
        basket_discount_fen=sum(line.basket_discount_fen for line in sale.lines) if sale.kind == "sale" else 0,
        **_donation(sale))


def _donation(sale: Sale) -> dict:
    """The change the customer gave to charity, printed on the sale's own receipt (not on its void or return)."""
    given = sale.donation if sale.kind == "sale" else None
    return {"donation_fen": given.amount_fen, "donation_project": given.project_title} if given else {}


def _status(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def _width(session: Session, store_id, width_mm: int | None) -> int:
    width = width_mm or till_config(session, store_id).receipt_width_mm
    if width not in ROLL_WIDTHS:
        raise InvalidInput(_("小票宽度只能是 58 或 80 毫米"), fields={"width": [_("请选择 58 或 80 毫米")]})
    return width


def print_receipt(session: Session, actor: Actor, sale_id, *, width_mm: int | None = None,
                  now: datetime | None = None) -> tuple[Sale, bytes]:
    """The receipt PDF on the store's roll (or `width_mm`); the first print is the original, later ones 副本."""
    now = now or utcnow()
    sale = get_sale(session, actor, sale_id)
    width = _width(session, sale.store_id, width_mm)
    table = Sale.__table__
    with unit_of_work(session):
        count = session.execute(update(table).where(table.c.id == sale.id)
                                .values(print_count=table.c.print_count + 1).returning(table.c.print_count)).scalar_one()
        audit.record(session, actor, "sales.receipt_printed", sale, {"number": sale.number, "copy": count > 1,
                                                                     "width_mm": width},
                     store_id=sale.store_id, now=now)
    session.expire(sale, ["print_count"])
    reprint = count > 1
    pdf = printing.render_receipt(receipt_data(sale, reprint=reprint, reprinted_at=now if reprint else None,
                                               points_balance=points_balance_after(session, sale)),
                                  width_mm=width)
    return sale, pdf


def ordered(counts):
    """Shift counts in the registry's order (cash first)."""
    order = list(TENDERS)
    return sorted(counts, key=lambda c: order.index(c.method) if c.method in order else len(order))


def z_report_data(session: Session, shift: Shift, *, reprint: bool = False) -> printing.ZReportData:
    """A closed shift as the Z report shows it; an open one as the X report does (expected so far, nothing
    counted)."""
    totals = shift_totals(session, shift)
    moves = cash.summary(session, shift)
    given = discounts.shift_discounts(session, shift)
    donated_n, donated_fen = donations.shift_donations(session, shift.id)
    interim = shift.status == "open"
    if interim:
        tenders = tuple(printing.ZTender(label(m), fen, 0) for m, fen in expected_takings(session, shift).items())
    else:
        tenders = tuple(printing.ZTender(label(c.method), c.expected_fen, c.counted_fen) for c in ordered(shift.counts))
    return printing.ZReportData(
        store_name=shift.store.name, store_code=shift.store.code, shift_no=shift.number,
        cashier_name=_name(shift.cashier), opened_at=shift.opened_at.astimezone(SHANGHAI),
        closed_at=(shift.closed_at or utcnow()).astimezone(SHANGHAI), float_fen=shift.float_fen,
        sales_count=totals.sales_count,
        tenders=tenders, interim=interim, paid_in_count=moves.paid_in_count, paid_in_fen=moves.paid_in_fen,
        paid_out_count=moves.paid_out_count, paid_out_fen=moves.paid_out_fen, no_sale_count=moves.no_sale_count,
        void_count=totals.void_count, void_fen=totals.void_fen, return_count=totals.return_count,
        return_fen=totals.return_fen,
        funds=tuple(printing.ZFund(str(FUND_LABELS[f]), n, amount) for f, (n, amount) in sorted(totals.by_fund.items())),
        manager_name="" if interim else _name(shift.approver),
        notes=tuple(n for n in (shift.note, _("积分支付合计 %(points)d 积分", points=totals.points) if totals.points else "",
                                _open_returns_note(session, shift)) if n) + offline_notes(session, shift),
        reprint=reprint, discount_count=given.sales_count, discount_fen=given.amount_fen,
        discounts_by=tuple(printing.ZDiscountBy(name, n, fen) for name, n, fen in given.by_person),
        donation_count=donated_n, donation_fen=donated_fen)


def offline_notes(session: Session, shift: Shift) -> tuple[str, ...]:
    """The shift's sales recorded offline, listed apart: how many and how much, then each with its provisional
    number and problems (they are already in the totals above, like any sale)."""
    from .offline import problem_label
    from .models import OfflineSale

    rows = session.execute(select(OfflineSale.provisional_number, Sale.number, Sale.total_fen, OfflineSale.problems)
                           .join(Sale, Sale.id == OfflineSale.sale_id).where(Sale.shift_id == shift.id)
                           .order_by(OfflineSale.provisional_number)).all()
    if not rows:
        return ()
    head = _("离线销售 %(n)d 笔，合计 %(amount)s", n=len(rows), amount=yuan(sum(r[2] for r in rows)))
    return (head,) + tuple(
        f"{prov} → {number} {yuan(total)}" + (f"（{'、'.join(problem_label(p) for p in problems.split(','))}）"
                                               if problems else "")
        for prov, number, total, problems in rows)


def _open_returns_note(session: Session, shift: Shift) -> str:
    """Returns without receipt of the shift (their cash is already out of the expected cash)."""
    from .till_models import OpenReturn

    n, fen = session.execute(select(func.count(), func.coalesce(func.sum(OpenReturn.refund_fen), 0))
                             .where(OpenReturn.shift_id == shift.id)).one()
    return _("无小票退货 %(n)d 笔，退现金 %(amount)s", n=n, amount=yuan(int(fen))) if n else ""


def z_report_pdf(session: Session, actor: Actor, shift_id, *, width_mm: int | None = None) -> tuple[Shift, bytes]:
    """The Z report of a closed shift, on the store's roll."""
    shift = get_shift(session, actor, shift_id)
    if shift.status != "closed":
        raise ShiftStillOpen(_("班次尚未结班，还没有 Z 报表"))
    width = _width(session, shift.store_id, width_mm)
    return shift, printing.render_z_report(z_report_data(session, shift), width_mm=width)


def x_report_pdf(session: Session, actor: Actor, *, width_mm: int | None = None) -> tuple[Shift, bytes]:
    """The X report of the actor's open shift: the Z report's figures so far, the shift staying open."""
    shift = get_current_shift(session, actor)
    width = _width(session, shift.store_id, width_mm)
    return shift, printing.render_z_report(z_report_data(session, shift), width_mm=width)
