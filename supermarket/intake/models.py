"""Donors, pledges and their follow-ups, donations (goods lines and money lines), the donation-fund ledger and
donation photos.

Donations, their lines, money lines and fund entries are ledger rows: written once, never edited. A donation's
receipt serial is gapless per store and year (sequences.next_number).
"""
from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, LargeBinary, String,
                        UniqueConstraint, Uuid)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.expression import false as sa_false

from ..extensions import db
from ..models import CreatedAt, StoreOwned, UTCDateTime, UUIDPk

DONOR_KINDS = ("person", "organisation")
PLEDGE_KINDS = ("money", "goods")
PLEDGE_STATUSES = ("open", "cancelled")
VALUATION_BASES = ("invoice", "market", "appraisal", "declared", "unvalued")
MONEY_METHODS = ("cash", "wechat", "alipay", "bank_transfer")
INTAKE_ITEM_KINDS = ("donated_new", "donated_used")
LINE_VALUE_RULE = ("(weight_g IS NULL AND line_value_fen = qty * unit_value_fen) OR (weight_g IS NOT NULL AND "
                   "line_value_fen = (CAST(unit_value_fen AS BIGINT) * weight_g + 500) / 1000)")


class Donor(UUIDPk, CreatedAt, StoreOwned, db.Model):
    """A person or an organisation that gives. Owned by the store that recorded it.

    `match_key` is a keyed hash of the phone, ID number or organisation name, so the same donor recorded at
    several stores can be recognised for their city-wide history without comparing raw personal data.
    """

    __tablename__ = "donors"
    __table_args__ = (CheckConstraint("kind IN ('person', 'organisation')", name="kind_valid"),)

    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    contact_person: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    phone: Mapped[str] = mapped_column(String(32), nullable=False, default="")
    address: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    id_hmac: Mapped[str | None] = mapped_column(String(64))
    id_last4: Mapped[str] = mapped_column(String(4), nullable=False, default="")
    match_key: Mapped[str | None] = mapped_column(String(64), index=True)
    note: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
    # The donor agreed that their name may appear on the public pages (捐赠去向); without it they are 匿名.
    publish_name: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default=sa_false())

    store = relationship("Store")


class Pledge(UUIDPk, CreatedAt, StoreOwned, db.Model):
    """A promise (认捐) of money or goods worth `amount_fen`, due on `due_date`; fulfilled by linked donations.

    `fulfilled_fen` caches the sum of the linked donations, moved in the same transaction as each donation.
    """

    __tablename__ = "pledges"
    __table_args__ = (
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        CheckConstraint("fulfilled_fen >= 0", name="fulfilled_not_negative"),
        Index("ix_pledges_store_status_due", "store_id", "status", "due_date"),
    )

    donor_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("donors.id"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    amount_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    description: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    pledged_on: Mapped[date] = mapped_column(Date, nullable=False)
    due_date: Mapped[date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="open")
    fulfilled_fen: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    cancel_reason: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    created_by_name: Mapped[str] = mapped_column(String(64), nullable=False, default="")

    donor: Mapped[Donor] = relationship()
    follow_ups: Mapped[list["PledgeFollowUp"]] = relationship(order_by="PledgeFollowUp.contacted_at.desc()")

    @property
    def outstanding_fen(self) -> int:
        return max(self.amount_fen - self.fulfilled_fen, 0)

    @property
    def fulfilled(self) -> bool:
        return self.fulfilled_fen >= self.amount_fen


class PledgeFollowUp(UUIDPk, CreatedAt, StoreOwned, db.Model):
    """One contact with a donor about an unpaid pledge (append-only)."""

    __tablename__ = "pledge_follow_ups"

    pledge_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("pledges.id"), nullable=False, index=True)
    contacted_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    note: Mapped[str] = mapped_column(String(500), nullable=False)
    next_contact_on: Mapped[date | None] = mapped_column(Date)
    actor_name: Mapped[str] = mapped_column(String(64), nullable=False)


class Donation(UUIDPk, CreatedAt, StoreOwned, db.Model):
    """One intake with its receipt: goods lines and/or money lines, counted by a receiver and a checker."""

    __tablename__ = "donations"
    __table_args__ = (
        UniqueConstraint("store_id", "serial_year", "serial_no", name="uq_donations_serial_per_store_year"),
        CheckConstraint("receiver_id <> checker_id", name="two_people"),
        CheckConstraint("total_value_fen = goods_value_fen + money_fen", name="total_adds_up"),
        Index("ix_donations_store_received", "store_id", "received_at"),
        Index("ix_donations_received_at", "received_at"),  # a day of every store (the daily facts)
    )

    serial: Mapped[str] = mapped_column(String(40), unique=True, nullable=False)
    serial_year: Mapped[int] = mapped_column(Integer, nullable=False)
    serial_no: Mapped[int] = mapped_column(Integer, nullable=False)
    idempotency_key: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True, nullable=False)
    donor_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("donors.id"), index=True)
    anonymous: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    pledge_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("pledges.id"), index=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    receiver_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"), nullable=False)
    receiver_name: Mapped[str] = mapped_column(String(64), nullable=False)
    checker_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"), nullable=False)
    checker_name: Mapped[str] = mapped_column(String(64), nullable=False)
    goods_value_fen: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    money_fen: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    total_value_fen: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    unit_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    has_near_expiry: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    has_unvalued: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    has_photo: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    note: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    # Receipts printed so far: the first is the original, every later one is a 补打 (reprint).
    print_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    store = relationship("Store")
    donor: Mapped[Donor | None] = relationship()
    pledge: Mapped[Pledge | None] = relationship()
    lines: Mapped[list["DonationLine"]] = relationship(order_by="DonationLine.line_no",
                                                       back_populates="donation")
    money_lines: Mapped[list["MoneyLine"]] = relationship(order_by="MoneyLine.line_no")


class DonationLine(UUIDPk, StoreOwned, db.Model):
    """One donated item: quantity, value and how it was valued, expiry for food, and its intake movement.

    Decision for an item sold by weight: the line is one weighing, `qty` 1 and `weight_g` its grams (what the
    stock received), `unit_value_fen` the value of one kg; so unit counts and per-unit labels count it once.
    """

    __tablename__ = "donation_lines"
    __table_args__ = (
        CheckConstraint("qty > 0", name="qty_positive"),
        CheckConstraint("unit_value_fen >= 0", name="value_not_negative"),
        # A counted line is qty × unit value exactly; a weighed line (weight_g set, qty 1) is the value of one kg
        # × grams / 1000 rounded half up (sales.weighed.price_fen), in 64 bits so no product overflows.
        CheckConstraint(LINE_VALUE_RULE, name="line_value_adds_up"),
        CheckConstraint("weight_g IS NULL OR (weight_g > 0 AND qty = 1)", name="weighed_line_shape"),
        UniqueConstraint("donation_id", "line_no", name="uq_donation_lines_donation_line_no"),
    )

    donation_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("donations.id"), nullable=False, index=True)
    line_no: Mapped[int] = mapped_column(Integer, nullable=False)
    item_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("items.id"), nullable=False, index=True)
    # The category at intake, so the monthly report by category does not move when an item is re-filed.
    category_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("categories.id"), nullable=False)
    qty: Mapped[int] = mapped_column(Integer, nullable=False)
    weight_g: Mapped[int | None] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(16), nullable=False, default="件")
    unit_value_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    line_value_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    valuation_basis: Mapped[str] = mapped_column(String(16), nullable=False)
    # Goods whose value cannot be set are registered at zero and are not counted as donation income.
    value_unknown: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    condition_grade: Mapped[str | None] = mapped_column(String(1))
    expiry_date: Mapped[date | None] = mapped_column(Date)
    near_expiry: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    item_created: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    movement_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("stock_movements.id"), nullable=False)

    donation: Mapped[Donation] = relationship(back_populates="lines")
    item = relationship("Item")
    category = relationship("Category")
    movement = relationship("StockMovement")


class MoneyLine(UUIDPk, StoreOwned, db.Model):
    """Money given with a donation: method (cash, WeChat, Alipay, bank transfer), amount and reference."""

    __tablename__ = "donation_money_lines"
    __table_args__ = (
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        CheckConstraint("method IN ('cash', 'wechat', 'alipay', 'bank_transfer')", name="method_valid"),
    )

    donation_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("donations.id"), nullable=False, index=True)
    line_no: Mapped[int] = mapped_column(Integer, nullable=False)
    method: Mapped[str] = mapped_column(String(16), nullable=False)
    amount_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    reference: Mapped[str] = mapped_column(String(64), nullable=False, default="")


class DonationFundEntry(UUIDPk, CreatedAt, StoreOwned, db.Model):
    """The donation fund's own ledger (捐赠资金), kept apart from sales income as the standard requires.

    Append-only: a correction is a reversing entry pointing at the original.
    """

    __tablename__ = "donation_fund_entries"
    __table_args__ = (
        CheckConstraint("amount_fen <> 0", name="amount_not_zero"),
        Index("ix_donation_fund_entries_store_at", "store_id", "occurred_at"),
        Index("ix_donation_fund_entries_occurred_at", "occurred_at"),  # a day of every store (the daily facts)
    )

    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    amount_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    method: Mapped[str] = mapped_column(String(16), nullable=False)
    donation_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("donations.id"), nullable=False, index=True)
    money_line_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("donation_money_lines.id"), nullable=False)
    reverses_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("donation_fund_entries.id"))
    actor_name: Mapped[str] = mapped_column(String(64), nullable=False)

    money_line: Mapped[MoneyLine] = relationship()


class DonationPhoto(UUIDPk, CreatedAt, StoreOwned, db.Model):
    """Evidence photo of a donation (the goods, a handover list), kept with the donation in one transaction."""

    __tablename__ = "donation_photos"

    donation_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("donations.id"), nullable=False, unique=True)
    content_type: Mapped[str] = mapped_column(String(32), nullable=False)
    size_bytes: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    data: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)

    donation: Mapped[Donation] = relationship()
