"""Discounts at the till: a line's own discount and a basket discount, each a percentage or an amount.

Rules (the checkout re-applies them to the request's percentages and amounts; the client's figures are never
read):
- A percentage is a whole number 1–100 of what it applies to, rounded half up to the fen; an amount is fen,
  at most what it applies to. A line discount applies to qty × unit price (a weighed line: its total by weight);
  the basket discount to the money lines' totals after their own discounts. Points lines are never discounted
  (nor share a basket discount).
- Each role has a limit per store (`till_discount_limits`, defaults below): a discount is within it when it
  is at most `max_percent` of what it applies to AND at most `max_fen`. Above the seller's limit a store
  manager (not the seller) approves on the spot, up to the managers' limit; above that nobody may.
- The basket discount is apportioned to the money lines in proportion to their totals by largest remainder
  (ties to the earlier line): the shares sum to the basket discount exactly, no share exceeds its line, so
  every line's total, and with it the income of each fund, stays exact and the lines sum to the sale total.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import audit
from ..auth.errors import ApprovalFailed
from ..auth.models import User
from ..auth.permissions import Actor, Role, require
from ..auth.service import Approval, verify_approver
from ..errors import InvalidInput
from ..i18n import yuan
from ..stores import service as stores_service
from ..uow import unit_of_work
from .errors import ApprovalRequired
from .models import DiscountLimit

ROLES = ("cashier", "store_manager")
MAX_LIMIT_FEN = 1_000_000  # ¥10,000: a limit field's upper bound


@dataclass(frozen=True)
class Discount:
    """As the cashier typed it: a whole percentage, or an amount in fen (exactly one of them)."""
    percent: int | None = None
    amount_fen: int | None = None


@dataclass(frozen=True)
class Limit:
    max_percent: int
    max_fen: int

    def allows(self, discount: Discount, base_fen: int, amount_fen: int) -> bool:
        if amount_fen > self.max_fen:
            return False
        if discount.percent is not None:
            return discount.percent <= self.max_percent
        return amount_fen * 100 <= self.max_percent * base_fen


# A cashier up to 10 % and ¥20 on one discount; a store manager up to 50 % and ¥500.
DEFAULT_LIMITS = {"cashier": Limit(10, 2000), "store_manager": Limit(50, 50000)}


def limits_of(session: Session, store_id) -> dict[str, Limit]:
    rows = session.scalars(select(DiscountLimit).where(DiscountLimit.store_id == store_id)).all()
    return {**DEFAULT_LIMITS, **{r.role: Limit(r.max_percent, r.max_fen) for r in rows}}


def seller_role(actor: Actor) -> str:
    return "store_manager" if actor.role is Role.STORE_MANAGER else "cashier"


def amount_of(discount: Discount, base_fen: int) -> int:
    if discount.percent is not None:
        return (base_fen * discount.percent + 50) // 100
    return discount.amount_fen or 0


def describe(discount: Discount, item_name: str | None = None) -> str:
    """What an approval approves, in the cashier's words: 整单折扣 10%, “面包”折扣 ¥2.00."""
    how = f"{discount.percent}%" if discount.percent is not None else yuan(discount.amount_fen or 0)
    if item_name is None:
        return _("整单折扣 %(how)s", how=how)
    return _("“%(name)s”折扣 %(how)s", name=item_name, how=how)


def _bad(field: str, msg: str):
    return InvalidInput(msg, fields={field: [msg]})


def checked_amount(discount: Discount, base_fen: int, field: str) -> int:
    """The discount in fen, or InvalidInput at `field`: not exactly one of percent and amount, a percentage
    outside 1–100, an amount of 0 or below or above what it applies to."""
    if (discount.percent is None) == (discount.amount_fen is None):
        raise _bad(field, _("折扣请填写百分比或金额（只填一项）"))
    if discount.percent is not None and not 1 <= discount.percent <= 100:
        raise _bad(field, _("折扣百分比须为 1 到 100 之间的整数"))
    if discount.amount_fen is not None and discount.amount_fen <= 0:
        raise _bad(field, _("折扣金额必须大于 0"))
    amount = amount_of(discount, base_fen)
    if amount > base_fen:
        raise _bad(field, _("折扣不能超过金额 %(base)s", base=yuan(base_fen)))
    return amount


def apportion(amount_fen: int, weights: list[int]) -> list[int]:
    """`amount_fen` split in proportion to `weights` (each ≥ 0, amount ≤ their sum) by largest remainder, ties
    to the earlier weight. The shares sum to the amount and none exceeds its weight."""
    whole = sum(weights)
    if amount_fen == 0 or whole == 0:
        return [0] * len(weights)
    shares = [amount_fen * w // whole for w in weights]
    order = sorted(range(len(weights)), key=lambda i: (-(amount_fen * weights[i] % whole), i))
    for i in order[:amount_fen - sum(shares)]:
        shares[i] += 1
    return shares


@dataclass(frozen=True)
class Given:
    """One discount the checkout applied: for the audit event."""
    what: str
    amount_fen: int
    approved: bool


@dataclass(frozen=True)
class Outcome:
    priced: list
    given: list[Given]
    approver: User | None = None


def apply(session: Session, actor: Actor, store_id, priced: list, line_discounts: tuple, basket: Discount | None,
          approval: Approval | None) -> Outcome:
    """The priced lines with their discounts (`discount_fen`, `basket_discount_fen`, who gave and approved),
    re-checked against the store's limits. `line_discounts` holds each line's Discount or None. Raises
    InvalidInput, ApprovalRequired, ApprovalFailed; writes nothing."""
    if basket is None and not any(line_discounts):
        return Outcome(priced, [])
    limits = limits_of(session, store_id)
    own, managers = limits[seller_role(actor)], limits["store_manager"]
    given, needs = [], []
    own_fen = []
    for p, d in zip(priced, line_discounts):
        if d is None:
            own_fen.append(0)
            continue
        if p.pay_with_points:
            raise _bad("discount", _("积分兑换的商品不能打折：“%(name)s”", name=p.item.name))
        gross = p.gross_fen
        amount = checked_amount(d, gross, "discount")
        over = not own.allows(d, gross, amount)
        if over:
            needs.append((describe(d, p.item.name), managers.allows(d, gross, amount)))
        given.append(Given(describe(d, p.item.name), amount, over))
        own_fen.append(amount)
    nets = [0 if p.pay_with_points else p.gross_fen - f for p, f in zip(priced, own_fen)]
    shares = [0] * len(priced)
    if basket is not None:
        base = sum(nets)
        amount = checked_amount(basket, base, "basket_discount")
        over = not own.allows(basket, base, amount)
        if over:
            needs.append((describe(basket), managers.allows(basket, base, amount)))
        given.append(Given(describe(basket), amount, over))
        shares = apportion(amount, nets)
    approver = approve(session, actor, store_id, needs, approval)
    approver_id = approver.id if approver is not None else None
    out = []
    for p, f, share in zip(priced, own_fen, shares):
        if f or share:
            p = replace(p, discount_fen=f + share, basket_discount_fen=share, discount_by_id=actor.user_id,
                        discount_approver_id=approver_id)
        out.append(p)
    return Outcome(out, given, approver)


def approve(session: Session, actor: Actor, store_id, needs: list[tuple[str, bool]], approval: Approval | None):
    """A store manager's approval of the discounts above the seller's limit (`needs`: what, within the
    managers' limit): the approving user, None when nothing needs one."""
    if not needs:
        return None
    for what, allowed in needs:
        if not allowed:
            raise _bad("discount", _("%(what)s 超过店长的折扣上限，不能给", what=what))
    if approval is None:
        what = "、".join(w for w, _allowed in needs)
        raise ApprovalRequired(_("%(what)s 超过您的折扣权限，需店长批准", what=what),
                               fields={"discount_approval": [_("请店长输入密码或 PIN")]})
    try:
        return verify_approver(session, store_id, approval.username, approval.secret,
                               not_user_id=actor.user_id)
    except ApprovalFailed as e:
        what = "、".join(w for w, _allowed in needs)
        raise ApprovalFailed(_("批准%(what)s未通过：%(why)s", what=what, why=e.message),
                             fields={"secret": [e.message]}) from None


def check_approval(session: Session, actor: Actor, *, discount: Discount, base_fen: int, item_name: str | None,
                   approval: Approval) -> dict:
    """The till's on-the-spot check of a manager's approval, before the sale: the same limits and the same
    password/PIN check as the checkout (a wrong one counts towards the approver's lockout). Writes nothing."""
    from .shifts import can_sell

    require(can_sell(actor), _("只有门店收银员或店长可以收银"))
    field = "discount" if item_name is not None else "basket_discount"
    amount = checked_amount(discount, base_fen, field)
    limits = limits_of(session, actor.store_id)
    what = describe(discount, item_name)
    over = not limits[seller_role(actor)].allows(discount, base_fen, amount)
    user = None
    if over:
        user = approve(session, actor, actor.store_id,
                       [(what, limits["store_manager"].allows(discount, base_fen, amount))], approval)
    return {"what": what, "amount_fen": amount, "needed": over,
            "approver": user.username if user else None,
            "message": _("%(name)s 已批准%(what)s", name=user.display_name, what=what) if user
            else _("%(what)s 在您的权限内，无需批准", what=what)}


def audit_given(session: Session, actor: Actor, sale, outcome: Outcome, now: datetime) -> None:
    """The audit events of a sale's discounts: one for those given, one more for those a manager approved."""
    if not outcome.given:
        return
    total = sum(g.amount_fen for g in outcome.given)
    audit.record(session, actor, "sales.discount_given", sale,
                 {"number": sale.number, "discounts": "、".join(g.what for g in outcome.given),
                  "discount_fen": total},
                 store_id=sale.store_id, now=now)
    approved = [g for g in outcome.given if g.approved]
    if approved:
        audit.record(session, actor, "sales.discount_approved", sale,
                     {"number": sale.number, "discounts": "、".join(g.what for g in approved),
                      "discount_fen": sum(g.amount_fen for g in approved),
                      "approver": outcome.approver.username},
                     store_id=sale.store_id, now=now)


# --- the store's limits (the store manager edits them on the till settings page) -------------------------

def update_limits(session: Session, actor: Actor, store_id, limits: dict[str, Limit]) -> dict[str, Limit]:
    """Set the store's discount limits per role (percent 0–100, amount 0–¥10,000; a cashier's never above a
    manager's)."""
    from .settings import can_configure_till

    stores_service.get_store(session, actor, store_id)
    require(can_configure_till(actor, store_id))
    for role in ROLES:
        limit = limits[role]
        if not 0 <= limit.max_percent <= 100:
            raise _bad(f"{role}_percent", _("折扣百分比上限须在 0 到 100 之间"))
        if not 0 <= limit.max_fen <= MAX_LIMIT_FEN:
            raise _bad(f"{role}_amount", _("折扣金额上限须在 0 到 10000 元之间"))
    if (limits["cashier"].max_percent > limits["store_manager"].max_percent
            or limits["cashier"].max_fen > limits["store_manager"].max_fen):
        raise _bad("cashier_percent", _("收银员的折扣上限不能高于店长的"))
    before = limits_of(session, store_id)
    with unit_of_work(session):
        for role in ROLES:
            row = session.get(DiscountLimit, (store_id, role))
            if row is None:
                row = DiscountLimit(store_id=store_id, role=role)
                session.add(row)
            row.max_percent, row.max_fen = limits[role].max_percent, limits[role].max_fen
        audit.record(session, actor, "sales.discount_limits_changed", None, {
            "before": {role: [before[role].max_percent, before[role].max_fen] for role in ROLES},
            "cashier_percent": limits["cashier"].max_percent, "cashier_fen": limits["cashier"].max_fen,
            "manager_percent": limits["store_manager"].max_percent, "manager_fen": limits["store_manager"].max_fen},
            store_id=store_id, subject_type="till_settings", subject_id=store_id)
    return limits_of(session, store_id)


def refund_of(line, n: int) -> int:
    """The money back for `n` more units of a sold line: its total spread over its units so that the returns
    of a discounted line add up to exactly what was paid for it (unit price × n when it had no discount)."""
    def paid_for(k: int) -> int:
        return (2 * line.line_total_fen * k + line.qty) // (2 * line.qty)
    return paid_for(line.returned_qty + n) - paid_for(line.returned_qty)


def receipt_notes(sale) -> list[str]:
    """Who approved a sale's discounts, for its receipt."""
    if sale.kind != "sale":
        return []
    names = sorted({line.discount_approver.display_name for line in sale.lines if line.discount_approver_id})
    return [_("折扣已由 %(name)s 批准", name=name) for name in names]


@dataclass(frozen=True)
class ShiftDiscounts:
    sales_count: int
    amount_fen: int
    by_person: list[tuple[str, int, int]]  # (name, sales, fen), most first


def shift_discounts(session: Session, shift) -> ShiftDiscounts:
    """The discounts given on a shift's sales (a voided one's too: it was given), by who gave them; one query."""
    from .models import Sale, SaleLine

    rows = session.execute(
        select(User.display_name, func.count(Sale.id.distinct()), func.sum(SaleLine.discount_fen))
        .join(Sale, Sale.id == SaleLine.sale_id).join(User, User.id == SaleLine.discount_by_id)
        .where(Sale.shift_id == shift.id, Sale.kind == "sale", SaleLine.discount_fen > 0)
        .group_by(User.display_name).order_by(func.sum(SaleLine.discount_fen).desc(), User.display_name)).all()
    count = session.scalar(select(func.count(Sale.id.distinct())).join(SaleLine, SaleLine.sale_id == Sale.id)
                           .where(Sale.shift_id == shift.id, Sale.kind == "sale", SaleLine.discount_fen > 0))
    return ShiftDiscounts(count or 0, sum(int(r[2]) for r in rows), [(r[0], r[1], int(r[2])) for r in rows])
