"""Stocktakes, review side: the variance of the counted lines (quantity, value at the store's price, and its
ratio to the book value), approved by a manager who did not count, then posted as adjustment movements.

How a variance becomes movements, per lot:
- counted < book (units missing): taken out expiring-first, expired lots first of all, because expired and
  soon-expiring goods are the likeliest to have been thrown away without a write-off. Non-food lots go
  oldest-received first. (ledger.take with allow_expired=True.)
- counted > book (units found): received into a new lot of source "stocktake". Found food gets the expiry of
  the item's lot in the store that expires first without having expired yet (the cautious guess: it is sold
  or written off first); when the store has no such lot, the counter types the date on the line.

The variance ratio is |variance value| summed over lines ÷ book value of the counted lines, in basis points
(1/100 of a percent), frozen on the stocktake with the other figures for the standard to score.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..clock import local_today
from .. import audit
from ..auth import service as auth_service
from ..auth.permissions import Actor, Role
from ..catalog.models import Item
from ..uow import unit_of_work
from . import ledger
from .common import require_manager
from .errors import CounterCannotApprove, NeedsExpiry, StaleReview
from .models import Lot, StockBalance, Stocktake, StocktakeLine
from .queries import in_store
from .stocktakes import claim_open, counted_lines, counter_ids, counter_names, get_stocktake


@dataclass
class ReviewLine:
    line: StocktakeLine
    item: Item
    book_qty: int
    counted_qty: int
    unit_price_fen: int
    needs_expiry: bool = False

    @property
    def variance(self) -> int:
        return self.counted_qty - self.book_qty

    @property
    def variance_value_fen(self) -> int:
        return self.variance * self.unit_price_fen


@dataclass
class Review:
    stocktake: Stocktake
    lines: list[ReviewLine]
    uncounted_in_scope: int
    counters: list[str] = field(default_factory=list)

    @property
    def book_value_fen(self) -> int:
        return sum(r.book_qty * r.unit_price_fen for r in self.lines)

    @property
    def variance_qty(self) -> int:
        return sum(r.variance for r in self.lines)

    @property
    def variance_value_fen(self) -> int:
        return sum(r.variance_value_fen for r in self.lines)

    @property
    def variance_abs_value_fen(self) -> int:
        return sum(abs(r.variance_value_fen) for r in self.lines)

    @property
    def ratio_bp(self) -> int | None:
        return ratio_bp(self.variance_abs_value_fen, self.book_value_fen)

    @property
    def digest(self) -> str:
        """What the reviewer saw: approval is refused when counts or book quantities moved since."""
        text = ";".join(f"{r.line.id}:{r.counted_qty}:{r.book_qty}"
                        for r in sorted(self.lines, key=lambda r: str(r.line.id)))
        return hashlib.sha256(text.encode()).hexdigest()[:32]


def ratio_bp(variance_abs_fen: int, book_fen: int) -> int | None:
    """Rounded basis points (1 bp = 0.01 %); None when there is no book value to compare with."""
    if book_fen <= 0:
        return None
    return (variance_abs_fen * 10_000 + book_fen // 2) // book_fen


def reference_expiry(session: Session, store_id, item_id, today: date) -> date | None:
    """The expiry date found food joins: the soonest unexpired expiry among the item's lots here."""
    return session.scalar(select(Lot.expiry_date).where(Lot.store_id == store_id, Lot.item_id == item_id,
                                                        Lot.expiry_date >= today)
                          .order_by(Lot.expiry_date).limit(1))


def _uncounted(session: Session, take: Stocktake, counted_ids: set) -> int:
    rows = session.execute(select(StockBalance.item_id, Item.category_id).join(Item, Item.id == StockBalance.item_id)
                           .where(StockBalance.store_id == take.store_id, StockBalance.qty > 0))
    scope_ids = None if take.whole_store else {c.id for c in take.categories}
    return sum(1 for item_id, cat in rows if item_id not in counted_ids and (scope_ids is None or cat in scope_ids))


def review_stocktake(session: Session, actor: Actor, stocktake_id, *, today: date, lock: bool = False) -> Review:
    """The variance of every counted line against the book now (or as frozen, once posted)."""
    take = get_stocktake(session, actor, stocktake_id)
    lines = counted_lines(session, actor, take.id)
    if take.status == "posted":
        rows = [ReviewLine(ln, ln.item, ln.book_qty or 0, ln.counted_qty, ln.unit_price_fen or 0) for ln in lines]
        return Review(take, rows, 0, counter_names(session, take.id))
    return _live_review(session, take, lines, today=today, lock=lock)


def _live_review(session: Session, take: Stocktake, lines: list[StocktakeLine], *, today: date,
                 lock: bool) -> Review:
    book_stmt = select(StockBalance.item_id, StockBalance.qty).where(
        StockBalance.store_id == take.store_id, StockBalance.item_id.in_([ln.item_id for ln in lines]))
    if lock:  # PostgreSQL: hold the counted items' balances until the adjustments are posted
        book_stmt = book_stmt.order_by(StockBalance.item_id).with_for_update()
    book = dict(session.execute(book_stmt).all()) if lines else {}
    prices = {s.item.id: s.price_fen for s in in_store(session, [ln.item for ln in lines], take.store_id)}
    rows = []
    for ln in lines:
        row = ReviewLine(ln, ln.item, book.get(ln.item_id, 0), ln.counted_qty, prices[ln.item_id])
        row.needs_expiry = (ln.item.is_food and row.variance > 0 and ln.expiry_date is None
                            and reference_expiry(session, take.store_id, ln.item_id, today) is None)
        rows.append(row)
    return Review(take, rows, _uncounted(session, take, {ln.item_id for ln in lines}),
                  counter_names(session, take.id))


def approve_stocktake(session: Session, actor: Actor, stocktake_id, *, approver_username: str,
                      approver_secret: str, digest: str, now: datetime) -> Stocktake:
    """A manager of the store who did not count approves (password or PIN on the tablet); the variances are
    posted as stocktake_adjustment movements and the figures frozen, all in one transaction.

    Raises ApprovalFailed, CounterCannotApprove, StaleReview (counts or stock moved since the review),
    NeedsExpiry, StocktakeNotOpen, PeriodClosed (via the ledger guard).
    """
    take = get_stocktake(session, actor, stocktake_id)
    require_manager(actor, take.store_id)
    approver = auth_service.verify_approver(session, take.store_id, approver_username, approver_secret,
                                            roles=(Role.STORE_MANAGER,))
    if approver.id in counter_ids(session, take.id):
        raise CounterCannotApprove(_("%(name)s 参与了盘点，不能审批本盘点单；请由未参与盘点的店长审批",
                                     name=approver.username))
    today = local_today(now)
    with unit_of_work(session):
        # Claim the stocktake first: concurrent counts queue behind this row lock, then find it posted.
        claim_open(session, take)
        review = _live_review(session, take, counted_lines(session, actor, take.id), today=today, lock=True)
        if review.digest != digest:
            raise StaleReview(_("核对期间盘点数或账面库存有变动，请刷新后重新核对"))
        missing = [r.item.name for r in review.lines if r.needs_expiry]
        if missing:
            raise NeedsExpiry(_("以下食品没有可参照的批次，请在盘点行填写保质期：%(names)s", names="、".join(missing)))
        ledger.lock_stock(session, take.store_id, [r.item.id for r in review.lines if r.variance])
        for r in review.lines:
            _post_line(session, actor, take, r, now=now, today=today)
            r.line.book_qty, r.line.unit_price_fen = r.book_qty, r.unit_price_fen
        take.status, take.open_store_id = "posted", None
        take.closed_by_id, take.closed_by_name, take.closed_at = approver.id, approver.username, now
        take.counted_lines, take.book_value_fen = len(review.lines), review.book_value_fen
        take.variance_qty, take.variance_value_fen = review.variance_qty, review.variance_value_fen
        take.variance_abs_value_fen, take.variance_ratio_bp = review.variance_abs_value_fen, review.ratio_bp
        audit.record(session, actor, "inventory.stocktake_posted", take,
                     {"number": take.number, "approver": approver.username, "lines": len(review.lines),
                      "variance_qty": review.variance_qty, "variance_value_fen": review.variance_value_fen,
                      "ratio_bp": review.ratio_bp}, store_id=take.store_id, now=now)
    return take


def _post_line(session: Session, actor: Actor, take: Stocktake, r: ReviewLine, *, now: datetime,
               today: date) -> None:
    common = dict(store_id=take.store_id, item=r.item, kind="stocktake_adjustment", doc_type="stocktake",
                  doc_id=take.id, now=now, note=take.number)
    if r.variance < 0:
        ledger.take(session, actor, qty=-r.variance, allow_expired=True, **common)
    elif r.variance > 0:
        expiry = None
        if r.item.is_food:
            expiry = r.line.expiry_date or reference_expiry(session, take.store_id, r.item.id, today)
        ledger.receive(session, actor, qty=r.variance, expiry_date=expiry, **common)
