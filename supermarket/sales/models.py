"""Sales documents (sale, void, return), their lines and payments, cashier shifts, per-store till settings.

A sale document is never edited: a void or a return is a new document of kind "void"/"return" pointing at the
original (`reverses_id`), with negative quantities and amounts, its own receipt number and its own reversing
stock movements. Two cached counters on the original keep concurrent reversals honest: `Sale.status` (a void
and a return cannot both happen) and `SaleLine.returned_qty` (never more returned than sold), both moved with
guarded UPDATEs inside the reversing transaction.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, UniqueConstraint,
                        Uuid, text)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import CreatedAt, StoreOwned, UTCDateTime, UUIDPk

SALE_KINDS = ("sale", "void", "return")
# Only documents of kind "sale" move through these; voids and returns are born "completed" and stay so.
SALE_STATUSES = ("completed", "voided", "partly_returned", "returned")
FUNDS = ("donated", "purchased")
ROLL_WIDTHS = (58, 80)


class TillSettings(db.Model):
    """A store's till: which tenders it accepts and the width of its receipt roll. No row = the defaults."""

    __tablename__ = "till_settings"
    __table_args__ = (CheckConstraint("receipt_width_mm IN (58, 80)", name="roll_width"),)

    store_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("stores.id"), primary_key=True)
    # Comma-separated tender methods (see sales.tenders.TENDERS).
    accepted_tenders: Mapped[str] = mapped_column(String(200), nullable=False)
    receipt_width_mm: Mapped[int] = mapped_column(Integer, nullable=False, default=58)
    # A shift closing further off than this (any tender, either way) needs a reason before the countersign.
    variance_limit_fen: Mapped[int] = mapped_column(Integer, nullable=False, default=1000, server_default="1000")
    # Cash paid in or out above this needs a manager's approval on the spot.
    cash_approval_limit_fen: Mapped[int] = mapped_column(Integer, nullable=False, default=20000,
                                                         server_default="20000")


PRINTER_KINDS = ("receipt", "label")


class TillPrinter(UUIDPk, CreatedAt, StoreOwned, db.Model):
    """A network thermal printer of the store that speaks ESC/POS (raw TCP, usually port 9100): a receipt
    printer at a till, or a label printer. Settings, not a ledger: the manager adds and removes them (audited)."""

    __tablename__ = "till_printers"
    __table_args__ = (
        UniqueConstraint("store_id", "name"),  # one "前台" per store
        CheckConstraint("paper_mm IN (58, 80)", name="paper_known"),
        CheckConstraint("kind IN ('receipt', 'label')", name="kind_known"),
        CheckConstraint("port BETWEEN 1 AND 65535", name="port_range"),
    )

    name: Mapped[str] = mapped_column(String(40), nullable=False)
    # An IP address (checked by the service): a name would be resolved at every print, and could be pointed
    # anywhere later.
    host: Mapped[str] = mapped_column(String(45), nullable=False)
    port: Mapped[int] = mapped_column(Integer, nullable=False, default=9100)
    paper_mm: Mapped[int] = mapped_column(Integer, nullable=False, default=58)
    kind: Mapped[str] = mapped_column(String(8), nullable=False, default="receipt")


class Shift(UUIDPk, CreatedAt, StoreOwned, db.Model):
    """A cashier's shift at the till: opened with a cash float, closed with counted takings and a countersign."""

    __tablename__ = "shifts"
    __table_args__ = (
        CheckConstraint("float_fen >= 0", name="float_not_negative"),
        CheckConstraint("status IN ('open', 'closed')", name="status_known"),
        CheckConstraint("(status = 'open') = (open_cashier_id IS NOT NULL)", name="open_key_matches"),
        # The central check's daily facts: the shifts of every store opened or closed on a day.
        Index("ix_shifts_opened_at", "opened_at"),
        Index("ix_shifts_closed_at", "closed_at"),
    )

    number: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    cashier_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"), nullable=False, index=True)
    # The cashier's id while the shift is open, NULL once closed: the unique constraint allows one open
    # shift per cashier on SQLite and PostgreSQL alike (NULLs never collide).
    open_cashier_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, unique=True)
    status: Mapped[str] = mapped_column(String(8), nullable=False, default="open")
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    float_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
    # The store manager who countersigned the close.
    approver_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(String(200), nullable=False, default="")

    cashier = relationship("User", foreign_keys=[cashier_id])
    approver = relationship("User", foreign_keys=[approver_id])
    counts: Mapped[list["ShiftCount"]] = relationship(order_by="ShiftCount.method", back_populates="shift")
    store = relationship("Store")

    @property
    def variance_fen(self) -> int:
        return sum(c.counted_fen - c.expected_fen for c in self.counts)


class ShiftCount(db.Model):
    """Takings of one tender at the close: expected from the ledger, counted (cash) or settled (mobile pay)."""

    __tablename__ = "shift_counts"

    shift_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("shifts.id"), primary_key=True)
    method: Mapped[str] = mapped_column(String(16), primary_key=True)
    expected_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    counted_fen: Mapped[int] = mapped_column(Integer, nullable=False)

    shift: Mapped[Shift] = relationship(back_populates="counts")


CASH_MOVE_KINDS = ("paid_in", "paid_out", "no_sale")


class CashMovement(UUIDPk, CreatedAt, StoreOwned, db.Model):
    """Cash put into or taken out of the drawer outside a sale, or the drawer opened with no sale. Append-only:
    a mistake is corrected by the opposite movement, never by editing one."""

    __tablename__ = "till_cash_movements"
    __table_args__ = (
        CheckConstraint("kind IN ('paid_in', 'paid_out', 'no_sale')", name="kind_known"),
        CheckConstraint("(kind = 'no_sale' AND amount_fen = 0) OR (kind <> 'no_sale' AND amount_fen > 0)",
                        name="amount_matches_kind"),
    )

    shift_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("shifts.id"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(8), nullable=False)
    amount_fen: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    reason: Mapped[str] = mapped_column(String(200), nullable=False)
    cashier_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"), nullable=False)
    approver_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)

    cashier = relationship("User", foreign_keys=[cashier_id])
    approver = relationship("User", foreign_keys=[approver_id])


class Sale(UUIDPk, CreatedAt, StoreOwned, db.Model):
    """A sale, a void or a return: one receipt. Amounts are negative on voids and returns."""

    __tablename__ = "sales"
    __table_args__ = (
        CheckConstraint("kind IN ('sale', 'void', 'return')", name="kind_known"),
        CheckConstraint("(kind = 'sale') = (reverses_id IS NULL)", name="reversal_points_back"),
        CheckConstraint("change_fen >= 0", name="change_not_negative"),
        UniqueConstraint("store_id", "business_date", "seq", name="uq_sales_store_day_seq"),
        Index("ix_sales_store_sold_at", "store_id", "sold_at"),
        # The central check's daily facts read one business day of every store at once.
        Index("ix_sales_business_date", "business_date"),
    )

    kind: Mapped[str] = mapped_column(String(8), nullable=False, default="sale")
    number: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    # The Asia/Shanghai date the receipt number belongs to, and its place in that day's gapless series.
    business_date: Mapped[date] = mapped_column(Date, nullable=False)
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    shift_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("shifts.id"), nullable=False, index=True)
    cashier_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
    sold_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    total_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    points_total: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    change_fen: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    idempotency_key: Mapped[uuid.UUID | None] = mapped_column(Uuid, unique=True)
    reverses_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("sales.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="completed")
    # The manager who approved a void, a return or a price override.
    approver_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    # How often the receipt was printed: the first print is the original, every later one a 副本.
    print_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    lines: Mapped[list["SaleLine"]] = relationship(order_by="SaleLine.line_no", back_populates="sale")
    payments: Mapped[list["Payment"]] = relationship(order_by="Payment.position", back_populates="sale")
    shift: Mapped[Shift] = relationship()
    cashier = relationship("User", foreign_keys=[cashier_id])
    approver = relationship("User", foreign_keys=[approver_id])
    original: Mapped["Sale | None"] = relationship(remote_side="Sale.id")
    # The change the customer gave to a charity project with this sale (sales.donations), if any.
    donation = relationship("TillDonation", uselist=False, viewonly=True)
    store = relationship("Store")


class SaleLine(UUIDPk, db.Model):
    """One item on a receipt, with the fund its income belongs to and, when paid in points, its points price."""

    __tablename__ = "sale_lines"
    __table_args__ = (
        CheckConstraint("qty <> 0", name="qty_not_zero"),
        CheckConstraint("unit_price_fen >= 0 AND list_price_fen >= 0", name="prices_not_negative"),
        CheckConstraint("fund IN ('donated', 'purchased')", name="fund_known"),
        # Never more returned than sold; reversal lines (negative qty) are never returned themselves.
        CheckConstraint("returned_qty >= 0 AND (returned_qty = 0 OR returned_qty <= qty)",
                        name="returned_within_sold"),
        CheckConstraint("basket_discount_fen >= 0 AND basket_discount_fen <= discount_fen",
                        name="basket_share_within_discount"),
        # The few lines sold at an overridden price (the anomaly board's sales.override_share and the cashier
        # facts read them); on PostgreSQL with the prices and the points flag, so that reading them needs no
        # visit of the table (an index-only scan: 5 ms for the 1,000-store city's 24,000 lines, not 100).
        Index("ix_sale_lines_overridden", "sale_id", postgresql_where=text("override_reason <> ''"),
              sqlite_where=text("override_reason <> ''"),
              postgresql_include=["unit_price_fen", "list_price_fen", "pay_with_points"]),
        # A weighed line is one weighing: qty 1 (-1 on its reversal) and its grams, negative when given back.
        CheckConstraint("weight_g IS NULL OR (weight_g <> 0 AND qty IN (1, -1))", name="weighed_line_shape"),
    )

    sale_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("sales.id"), nullable=False, index=True)
    line_no: Mapped[int] = mapped_column(Integer, nullable=False)
    item_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("items.id"), nullable=False, index=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    qty: Mapped[int] = mapped_column(Integer, nullable=False)
    # The store's price at the time, and the price charged (different only with an approved override).
    list_price_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    unit_price_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    line_total_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    fund: Mapped[str] = mapped_column(String(16), nullable=False)
    pay_with_points: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    points_price: Mapped[int | None] = mapped_column(Integer)
    points_total: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    override_reason: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    returned_qty: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # On a void or return line: the line of the original sale it reverses.
    reverses_line_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("sale_lines.id"))
    # Taken off qty × unit price (sales.discounts): the line's own discount plus its share of a basket
    # discount (`basket_discount_fen` of it), so line_total_fen = unit_price_fen × qty − discount_fen.
    discount_fen: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    basket_discount_fen: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    discount_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
    discount_approver_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
    # A weighed item's line (catalog sold_by_weight): its grams; unit_price_fen is then the price per kg and
    # line_total_fen = round_half_up(unit_price_fen × weight_g / 1000) − discount_fen. Stock moved in grams.
    weight_g: Mapped[int | None] = mapped_column(Integer)

    sale: Mapped[Sale] = relationship(back_populates="lines")
    discount_approver = relationship("User", foreign_keys=[discount_approver_id])

    @property
    def overridden(self) -> bool:
        return self.unit_price_fen != self.list_price_fen and not self.pay_with_points


class Payment(UUIDPk, db.Model):
    """One tender on a receipt. `amount_fen` is what it pays of the total (cash: given minus change);
    `tendered_fen` the cash handed over. Negative on voids and returns (money going back)."""

    __tablename__ = "sale_payments"

    sale_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("sales.id"), nullable=False, index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    method: Mapped[str] = mapped_column(String(16), nullable=False)
    amount_fen: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    tendered_fen: Mapped[int | None] = mapped_column(Integer)
    points: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    reference: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    member_code: Mapped[str] = mapped_column(String(32), nullable=False, default="")

    sale: Mapped[Sale] = relationship(back_populates="payments")


# --- the offline till -------------------------------------------------------------------------------------------

OFFLINE_PROBLEMS = ("stock_short", "shift_closed", "stale")


class OfflineBlock(UUIDPk, CreatedAt, StoreOwned, db.Model):
    """Provisional receipt numbers reserved, while online, for one tablet (device) and cashier: the till numbers
    the sales it makes offline from it, YL01-L0007-0001 … -0300, unique per store and gapless within the block."""

    __tablename__ = "offline_blocks"
    __table_args__ = (
        UniqueConstraint("store_id", "block_no", name="uq_offline_blocks_store_no"),
        CheckConstraint("size > 0", name="size_positive"),
    )

    block_no: Mapped[int] = mapped_column(Integer, nullable=False)
    prefix: Mapped[str] = mapped_column(String(24), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    # The tablet's own random id (kept in its local storage): a block used from another tablet is refused.
    device_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    cashier_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"), nullable=False)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class OfflineSale(CreatedAt, StoreOwned, db.Model):
    """A sale the till made offline and uploaded later: its provisional number, the time it was made (the
    sale's sold_at) and when it landed, and what the server could not do normally. Problems are settled by the
    store's manager (resolved_*), never by editing the sale or its stock movements."""

    __tablename__ = "offline_sales"
    __table_args__ = (
        UniqueConstraint("block_id", "seq", name="uq_offline_sales_block_seq"),
        Index("ix_offline_sales_store_open", "store_id", "needs_review", "resolved_at"),
    )

    sale_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("sales.id"), primary_key=True)
    block_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("offline_blocks.id"), nullable=False)
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    provisional_number: Mapped[str] = mapped_column(String(40), nullable=False)
    landed_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    # Comma-separated codes of OFFLINE_PROBLEMS ("" when it landed as an ordinary sale).
    problems: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    needs_review: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
    resolution: Mapped[str] = mapped_column(String(200), nullable=False, default="")

    sale: Mapped[Sale] = relationship()
    block: Mapped[OfflineBlock] = relationship()
    shortfalls: Mapped[list["OfflineShortfall"]] = relationship(order_by="OfflineShortfall.item_id")


class OfflineShortfall(UUIDPk, db.Model):
    """Units an offline sale sold that the books no longer held when it landed (sold meanwhile at another
    tablet): a "sold while offline" negative correction waiting for the manager. It is not a stock movement,
    because the ledger never goes below zero; the sale line says what left the shop, the movements say what the
    books could give, and this row is the difference until a stocktake or the manager's finding settles it."""

    __tablename__ = "offline_shortfalls"
    __table_args__ = (CheckConstraint("qty > 0", name="qty_positive"),)

    sale_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("offline_sales.sale_id"), nullable=False, index=True)
    store_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("stores.id"), nullable=False, index=True)
    item_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("items.id"), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    qty: Mapped[int] = mapped_column(Integer, nullable=False)


class DiscountLimit(db.Model):
    """How far a role may discount at a store's till without a manager on the spot: at most `max_percent` of
    what the discount applies to AND at most `max_fen`. No row = the defaults (sales.discounts.DEFAULT_LIMITS)."""

    __tablename__ = "till_discount_limits"
    __table_args__ = (
        CheckConstraint("role IN ('cashier', 'store_manager')", name="role_known"),
        CheckConstraint("max_percent >= 0 AND max_percent <= 100", name="percent_range"),
        CheckConstraint("max_fen >= 0", name="fen_not_negative"),
    )

    store_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("stores.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(16), primary_key=True)
    max_percent: Mapped[int] = mapped_column(Integer, nullable=False)
    max_fen: Mapped[int] = mapped_column(Integer, nullable=False)


from .till_models import HeldSale, OpenReturn, OpenReturnLimit  # noqa: E402,F401  (registered with the rest)
from .donation_models import TillDonation  # noqa: E402,F401
