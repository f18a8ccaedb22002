"""The sale at the counter, as one transaction.

The sale, its lines, its payments, its stock movements (expiring lots first, expired lots refused), any points
redemption and the audit event are written together or not at all. A repeated idempotency key returns the first
sale and writes nothing new.

Locks are always taken in the same order by every till action, so two tablets never deadlock: the cashier's
shift row, the stock rows (in item order), the store's receipt counter, the store's audit chain head.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import and_, bindparam, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from .. import audit
from ..auth.permissions import Actor, require
from ..auth.service import verify_approver
from ..catalog.codes import lookup_variants
from ..catalog.errors import UnknownBarcode, UnknownItem
from ..catalog.models import Category, Item, StorePrice, fund_of
from ..errors import InvalidInput
from ..idempotency import NO_CLAIM, Claim, IdempotencyKey, run_once
from ..inventory import service as stock
from ..models import utcnow
from ..writes import insert_loaded, insert_rows, together
from ..uow import unit_of_work
from . import discounts, donations, points_hooks, weighed
from ..points.errors import NotRedeemable
from .errors import ApprovalRequired, ItemInactive, TooLarge
from .inputs import Approval, Cart, CartLine
from .models import Payment, Sale, SaleLine
from .numbers import claim_receipt_number
from .payments import Settlement, settle
from .shifts import can_sell, lock_till_for_sale
from .tenders import label

MAX_SALE_FEN = 100_000_000       # ¥1,000,000 on one receipt is a typo at a charity shop counter
MAX_SALE_POINTS = 10_000_000


@dataclass(frozen=True)
class CheckoutResult:
    sale: Sale
    replayed: bool = False


@dataclass(frozen=True)
class PricedLine:
    item: TillItem
    qty: int
    list_price_fen: int
    unit_price_fen: int
    override_reason: str
    pay_with_points: bool
    # Set by sales.discounts: the line's own discount plus its share of the basket discount.
    discount_fen: int = 0
    basket_discount_fen: int = 0
    discount_by_id: uuid.UUID | None = None
    discount_approver_id: uuid.UUID | None = None
    # A weighed item's grams (sales.weighed): unit_price_fen is then per kg and qty is 1.
    weight_g: int | None = None

    @property
    def gross_fen(self) -> int:
        """Before discounts: qty × unit price, or a weighed line's price per kg × kg rounded half up."""
        if self.weight_g is not None:
            return weighed.price_fen(self.unit_price_fen, self.weight_g)
        return self.unit_price_fen * self.qty

    @property
    def stock_qty(self) -> int:
        """What the line takes from the ledger: units, or grams for a weighed item."""
        return self.qty if self.weight_g is None else self.weight_g

    @property
    def line_total_fen(self) -> int:
        return 0 if self.pay_with_points else self.gross_fen - self.discount_fen

    @property
    def points_total(self) -> int:
        return self.item.points_price * self.qty if self.pay_with_points else 0

    @property
    def overridden(self) -> bool:
        return not self.pay_with_points and self.unit_price_fen != self.list_price_fen


def checkout(session: Session, actor: Actor, cart: Cart, *, now: datetime | None = None) -> CheckoutResult:
    """Sell a cart at the actor's till, as one transaction.

    Needs the actor's open shift. A replayed idempotency key (a double tap, a retry after a timeout, ten
    requests at once) returns the first sale unchanged. Raises ShiftClosed, UnknownBarcode, UnknownItem,
    ItemInactive, InsufficientStock, ExpiredLot, TenderNotAccepted, PaymentMismatch, ApprovalRequired,
    ApprovalFailed, InvalidInput.
    """
    require(can_sell(actor), _("只有门店收银员或店长可以收银"))
    now = now or utcnow()
    # No look-up of the key first (one round trip less per sale): a replay fails on the key's primary key, or
    # on the stock or the shift the first attempt used up, and run_once() answers the first sale then.
    sale, replayed = run_once(session, actor, kind="sales.checkout", key=cart.idempotency_key, payload=cart,
                              write=lambda claim: _checkout(session, actor, cart, claim, now),
                              load=lambda sale_id: load_sale(session, sale_id), look_first=False)
    return CheckoutResult(sale, replayed)


def load_sale(session: Session, sale_id: str) -> Sale:
    """A replay's first document (the key's scope already limits it to the actor's store)."""
    return session.get(Sale, uuid.UUID(sale_id))


# Built once (Core where it can be): the checkout runs these for every sale.
_SALES, _KEYS = Sale.__table__, IdempotencyKey.__table__
_ITEMS, _CATS, _PRICES = Item.__table__, Category.__table__, StorePrice.__table__
_ITEMS_WITH_STORE_PRICE = (select(_ITEMS.c.id, _ITEMS.c.name, _ITEMS.c.barcode, _ITEMS.c.kind, _ITEMS.c.active,
                          _ITEMS.c.default_price_fen, _ITEMS.c.points_price, _PRICES.c.price_fen,
                          _ITEMS.c.unit, _ITEMS.c.sold_by_weight, _CATS.c.name.label("cat_name"), _CATS.c.prohibited,
                          _CATS.c.prohibited_reason)
                   .join(_CATS, _CATS.c.id == _ITEMS.c.category_id)
                   .outerjoin(_PRICES, and_(_PRICES.c.item_id == _ITEMS.c.id, _PRICES.c.store_id == bindparam("store")))
                   .where(or_(_ITEMS.c.id.in_(bindparam("ids", expanding=True)),
                              _ITEMS.c.barcode.in_(bindparam("codes", expanding=True)))))


@dataclass(frozen=True)
class TillCategory:
    name: str
    prohibited: bool
    prohibited_reason: str


@dataclass(frozen=True)
class TillItem:
    """What the checkout needs of an item, read with one Core query (loading ORM items was a fifth of a sale)."""
    id: uuid.UUID
    name: str
    barcode: str
    kind: str
    active: bool
    points_price: int | None
    category: TillCategory
    unit: str = "件"  # named in the expired refusal: "面包 有 3 包已于 12月2日过期"
    sold_by_weight: bool = False

    @property
    def fund(self) -> str:
        return fund_of(self.kind)


def _checkout(session: Session, actor: Actor, cart: Cart, claim: Claim, now: datetime) -> Sale:
    store_id = actor.store_id
    # Reads and checks first: on SQLite they run before the write lock is taken, keeping it short.
    priced = price_lines(session, store_id, cart.lines)
    # Before any lock, like the overrides' approval below: a manager's approval hashes a password.
    discounted = discounts.apply(session, actor, store_id, priced, tuple(line.discount for line in cart.lines),
                                 cart.discount, cart.discount_approval)
    priced = discounted.priced
    money_total = sum(p.line_total_fen for p in priced)
    points_total = sum(p.points_total for p in priced)
    if money_total > MAX_SALE_FEN or points_total > MAX_SALE_POINTS:
        raise TooLarge(_("单笔金额过大，请检查数量和价格"))
    # Before any lock: a manager's approval hashes a password, which takes a while.
    approver_id = _held_approver(session, actor, cart, priced) or approve_overrides(session, actor, store_id, priced,
                                                                                    cart.approval)
    project = donations.check_project(session, store_id, cart.donation)  # change for charity, if offered
    sale_id = uuid.uuid4()
    # expire=False: the answer is built from what was just written, without reading it back.
    with unit_of_work(session, expire=False):
        till = lock_till_for_sale(session, actor, store_id)
        shift_id, store_code = till.shift_id, till.store_code
        settlement = donations.apply(cart.donation, money_total,
                                     settle(money_total, points_total, cart.payments, till.config.accepted))
        # The movements, the sale, its lines and payments and the audit event go out together at the end of
        # the block: one statement on PostgreSQL. Nothing inside reads them back.
        with session.no_autoflush, together(session):
            stock.take_many(session, actor, store_id=store_id, wants=[(p.item, p.stock_qty) for p in priced],
                             kind="sale", doc_type="sale", doc_id=sale_id, now=now)
            if settlement.points_payment is not None:
                points_hooks.redeem(session, actor, store_id=store_id, sale_id=sale_id,
                                    payment=settlement.points_payment, now=now)
            number, day, seq = claim_receipt_number(session, store_id, store_code, now)
            sale = insert_loaded(session, Sale, [{
                "id": sale_id, "store_id": store_id, "kind": "sale", "number": number, "business_date": day,
                "seq": seq, "shift_id": shift_id, "cashier_id": actor.user_id, "sold_at": now,
                "total_fen": money_total, "points_total": points_total, "change_fen": settlement.change_fen,
                "idempotency_key": claim.document_key, "reverses_id": None, "status": "completed",
                "approver_id": approver_id, "reason": "", "print_count": 0, "created_at": utcnow()}])[0]
            lines = insert_loaded(session, SaleLine, _lines(sale_id, priced))
            payments = insert_loaded(session, Payment, _payments(sale_id, settlement))
            if claim is not NO_CLAIM:
                insert_rows(session, _KEYS, [claim.row(sale_id, now)])
            set_committed_value(sale, "lines", lines)
            set_committed_value(sale, "payments", payments)
            _audit(session, actor, sale, priced, settlement, now)
            discounts.audit_given(session, actor, sale, discounted, now)
            if project is not None:
                donation = insert_loaded(session, donations.TillDonation, [donations.row(
                    cart.donation, project, store_id=store_id, shift_id=shift_id, sale_id=sale_id,
                    cashier_id=actor.user_id, now=now)])[0]
                set_committed_value(sale, "donation", donation)
                donations.record_event(session, actor, sale, donation, now)
            else:
                set_committed_value(sale, "donation", None)
    return sale


def _held_approver(session: Session, actor: Actor, cart: Cart, priced: list[PricedLine]):
    if cart.held_id is None or cart.approval is not None:
        return None
    from .held import approved_for  # held builds on this module

    return approved_for(session, actor, cart.held_id, priced)


def price_lines(session: Session, store_id, lines: tuple[CartLine, ...]) -> list[PricedLine]:
    """The cart's items at the store's prices (one query). Raises UnknownBarcode, UnknownItem,
    ItemInactive, NotRedeemable."""
    ids = [line.item_id for line in lines if line.item_id is not None]
    codes = [v for line in lines if line.barcode for v in lookup_variants(line.barcode)]
    rows = session.connection().execute(_ITEMS_WITH_STORE_PRICE, {"store": store_id, "ids": ids, "codes": codes}).all()
    items = {r.id: TillItem(r.id, r.name, r.barcode, r.kind, r.active, r.points_price,
                            TillCategory(r.cat_name, r.prohibited, r.prohibited_reason), r.unit,
                            r.sold_by_weight) for r in rows}
    by_id = items
    by_code = {item.barcode: item for item in items.values()}
    own_prices = {r.id: (r.price_fen if r.price_fen is not None else r.default_price_fen) for r in rows}
    priced = []
    for line in lines:
        if line.barcode:
            item = next((by_code[v] for v in lookup_variants(line.barcode) if v in by_code), None)
            if item is None:
                raise UnknownBarcode(_("未找到条码 %(code)s 对应的物品", code=line.barcode.strip()[:32]))
        else:
            item = by_id.get(line.item_id)
            if item is None:
                raise UnknownItem(_("物品不存在"))
        if not item.active:
            raise ItemInactive(_("“%(name)s”已停用，不能销售", name=item.name))
        list_price = own_prices[item.id]
        if line.pay_with_points and item.points_price is None:
            raise NotRedeemable(_("“%(name)s”不能用积分兑换", name=item.name))
        if line.pay_with_points and line.unit_price_fen is not None:
            raise InvalidInput(_("积分兑换的商品不能改价"))
        weighed.check_line(item.name, item.sold_by_weight, line.qty, line.weight_g, line.pay_with_points)
        unit = list_price if line.unit_price_fen is None else line.unit_price_fen
        priced.append(PricedLine(item, 1 if item.sold_by_weight else line.qty, list_price, unit,
                                 (line.override_reason or "").strip(), line.pay_with_points,
                                 weight_g=line.weight_g))
    return priced


def approve_overrides(session: Session, actor: Actor, store_id, priced: list[PricedLine],
                      approval: Approval | None):
    """A price other than the store's needs a reason on the line and a store manager's approval (not the
    cashier's own). Returns the approver's id, or None when nothing is overridden."""
    overridden = [p for p in priced if p.overridden]
    if not overridden:
        return None
    if any(not p.override_reason for p in overridden):
        msg = _("改价必须填写原因")
        raise InvalidInput(msg, fields={"override_reason": [msg]})
    if approval is None:
        raise ApprovalRequired(_("改价需要店长确认"))
    return verify_approver(session, store_id, approval.username, approval.secret,
                           not_user_id=actor.user_id).id


def _lines(sale_id, priced: list[PricedLine]) -> list[dict]:
    return [{"id": uuid.uuid4(), "sale_id": sale_id, "line_no": n, "item_id": p.item.id, "name": p.item.name,
             "qty": p.qty, "list_price_fen": p.list_price_fen,
             "unit_price_fen": 0 if p.pay_with_points else p.unit_price_fen, "line_total_fen": p.line_total_fen,
             "fund": p.item.fund, "pay_with_points": p.pay_with_points,
             "points_price": p.item.points_price if p.pay_with_points else None, "points_total": p.points_total,
             "override_reason": p.override_reason if p.overridden else "", "returned_qty": 0,
             "reverses_line_id": None, "discount_fen": p.discount_fen,
             "basket_discount_fen": p.basket_discount_fen, "discount_by_id": p.discount_by_id,
             "discount_approver_id": p.discount_approver_id, "weight_g": p.weight_g}
            for n, p in enumerate(priced, start=1)]


def _payments(sale_id, settlement: Settlement) -> list[dict]:
    return [{"id": uuid.uuid4(), "sale_id": sale_id, "position": n, "method": r.method, "amount_fen": r.amount_fen,
             "tendered_fen": r.tendered_fen, "points": r.points, "reference": r.reference,
             "member_code": r.member_code}
            for n, r in enumerate(settlement.rows, start=1)]


def _audit(session: Session, actor: Actor, sale: Sale, priced: list[PricedLine], settlement: Settlement,
           now: datetime) -> None:
    summary = {"number": sale.number, "total_fen": sale.total_fen, "lines": len(priced),
               "tenders": {label(r.method): r.amount_fen or r.points for r in settlement.rows},
               "change_fen": settlement.change_fen}
    if sale.points_total:
        summary["points"] = sale.points_total
    overrides = [{"item": p.item.name, "list_fen": p.list_price_fen, "charged_fen": p.unit_price_fen,
                  "reason": p.override_reason} for p in priced if p.overridden]
    audit.record(session, actor, "sales.sale_completed", sale, summary, store_id=sale.store_id, now=now)
    if overrides:
        # Its own event, so an auditor filtering on price overrides finds every one.
        audit.record(session, actor, "sales.price_overridden", sale,
                     {"number": sale.number, "approver_id": str(sale.approver_id), "lines": overrides},
                     store_id=sale.store_id, now=now)
