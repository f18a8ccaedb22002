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
                        Uuid)
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

    sale: Mapped[Sale] = relationship(back_populates="lines")

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


from .till_models import HeldSale, OpenReturn, OpenReturnLimit  # noqa: E402,F401  (registered with the rest)
