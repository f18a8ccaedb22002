"""Settling a cart: do the tenders handed over pay exactly what is due, and how much change goes back?

Pure functions of plain values, so every rule is tested without a database.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from ..errors import InvalidInput
from ..i18n import yuan
from .errors import PaymentMismatch, TenderNotAccepted
from .inputs import Tendered
from .tenders import TENDERS, label


@dataclass(frozen=True)
class PaymentRow:
    """A payment as written: `amount_fen` is what it pays of the total."""

    method: str
    amount_fen: int
    tendered_fen: int | None = None
    points: int = 0
    reference: str = ""
    member_code: str = ""


@dataclass(frozen=True)
class Settlement:
    rows: tuple[PaymentRow, ...]
    change_fen: int
    points_payment: Tendered | None = None


def check_accepted(method: str, accepted: tuple[str, ...]) -> None:
    """Raises TenderNotAccepted for a tender the store does not take (or whose back end is not there yet)."""
    t = TENDERS.get(method)
    if t is None or method not in accepted:
        raise TenderNotAccepted(_("本店不接受“%(tender)s”支付", tender=label(method)))
    if not t.available:
        raise TenderNotAccepted(_("“%(tender)s”支付暂未开通", tender=label(method)))


def check_reference(method: str, reference: str, field: str = "reference") -> None:
    if TENDERS[method].needs_reference and len((reference or "").strip()) < 4:
        msg = _("%(tender)s 需要填写交易单号（至少 4 位）", tender=label(method))
        raise InvalidInput(msg, fields={field: [msg]})


def settle(money_total: int, points_total: int, payments: tuple[Tendered, ...],
           accepted: tuple[str, ...]) -> Settlement:
    """Check the tenders against what is due and work out the change.

    Money lines are paid by money tenders: those without change (WeChat, Alipay) may not exceed the total, cash
    covers the rest and gets change. Points lines are paid by exactly one points payment of exactly their
    points. Raises TenderNotAccepted, InvalidInput (missing reference, two cash payments), PaymentMismatch.
    """
    for p in payments:
        check_accepted(p.method, accepted)
    for p in payments:
        check_reference(p.method, p.reference)
    points = [p for p in payments if TENDERS[p.method].pays_in == "points"]
    money = [p for p in payments if TENDERS[p.method].pays_in == "money"]
    cash = [p for p in money if TENDERS[p.method].gives_change]
    if len(points) > 1 or len(cash) > 1:
        raise InvalidInput(_("同一种支付方式只能填写一笔"))
    points_payment = points[0] if points else None
    if points_total and points_payment is None:
        raise PaymentMismatch(_("积分商品需要用积分支付（共 %(n)d 积分）", n=points_total))
    if points_payment is not None and points_payment.points != points_total:
        raise PaymentMismatch(_("积分支付应为 %(n)d 积分，实际 %(got)d 积分", n=points_total,
                                got=points_payment.points))
    exact = sum(p.amount_fen for p in money if not TENDERS[p.method].gives_change)
    if exact > money_total:
        raise PaymentMismatch(_("扫码支付金额 %(paid)s 超过应付金额 %(due)s", paid=yuan(exact), due=yuan(money_total)))
    due_in_cash = money_total - exact
    given = cash[0].amount_fen if cash else 0
    if given < due_in_cash:
        raise PaymentMismatch(_("支付金额不足：应付 %(due)s，还差 %(short)s", due=yuan(money_total),
                                short=yuan(due_in_cash - given)))
    if cash and due_in_cash == 0:
        raise PaymentMismatch(_("已经付清，不需要再收现金"))
    change = given - due_in_cash
    rows = []
    for p in money:
        if TENDERS[p.method].gives_change:
            rows.append(PaymentRow(p.method, p.amount_fen - change, tendered_fen=p.amount_fen))
        else:
            rows.append(PaymentRow(p.method, p.amount_fen, reference=p.reference.strip()))
    if points_payment is not None:
        rows.append(PaymentRow(points_payment.method, 0, points=points_payment.points,
                               member_code=points_payment.member_code.strip()))
    return Settlement(tuple(rows), change, points_payment)
