"""Charity projects (慈善项目) and livestream / charity-sale sessions (直播义买).

A project's money is never typed in: what it raised is read from the rows that link money to it (a money
donation designated to it, a till sale made while the till was in a session's mode, a platform order imported
for a session, a store's share of a category's sales), and what it spent from its expenditures. Every one of
those rows is written once and never edited (a mistake is corrected by a new row), so the figures are sums of
ledgers and can always be followed back to a receipt.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, LargeBinary, String,
                        UniqueConstraint, Uuid)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import CreatedAt, StoreOwned, UTCDateTime, UUIDPk

PROJECT_STATUSES = ("draft", "open", "closed")
PLATFORMS = ("douyin", "kuaishou", "channels", "other")
SESSION_STATUSES = ("registered", "closed")
FILE_KINDS = ("voucher", "update_photo")


class Project(UUIDPk, CreatedAt, db.Model):
    """A project owned by a store (store_id), a district (district_id) or the city (neither)."""

    __tablename__ = "projects"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'open', 'closed')", name="status_known"),
        CheckConstraint("target_fen > 0", name="target_positive"),
        CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
        CheckConstraint("store_id IS NULL OR district_id IS NOT NULL", name="store_has_district"),
    )

    store_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("stores.id"), index=True)
    district_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("districts.id"), index=True)
    title: Mapped[str] = mapped_column(String(100), nullable=False)
    purpose: Mapped[str] = mapped_column(String(1000), nullable=False)
    # Who benefits, described as a group ("山区小学的120名学生"), never by name.
    beneficiaries: Mapped[str] = mapped_column(String(300), nullable=False)
    target_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(8), nullable=False, default="draft")
    created_by_name: Mapped[str] = mapped_column(String(64), nullable=False, default="")

    store = relationship("Store")
    district = relationship("District")


class Designation(UUIDPk, CreatedAt, StoreOwned, db.Model):
    """A money donation's line given to a project (定向捐赠). One line goes to at most one project."""

    __tablename__ = "project_designations"

    project_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("projects.id"), nullable=False, index=True)
    money_line_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("donation_money_lines.id"), nullable=False,
                                                     unique=True)
    donation_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("donations.id"), nullable=False)
    amount_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    designated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    actor_name: Mapped[str] = mapped_column(String(64), nullable=False)


class CategoryShare(UUIDPk, CreatedAt, StoreOwned, db.Model):
    """A store's setting: `share_bp` (basis points) of its sales in a category go to a project, from
    `starts_at` until `ends_at` (open-ended while NULL). A change is a new row; the old one is ended."""

    __tablename__ = "project_category_shares"
    __table_args__ = (CheckConstraint("share_bp > 0 AND share_bp <= 10000", name="share_in_range"),)

    project_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("projects.id"), nullable=False, index=True)
    category_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("categories.id"), nullable=False)
    share_bp: Mapped[int] = mapped_column(Integer, nullable=False)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Voucher(UUIDPk, CreatedAt, db.Model):
    """An uploaded file (an expenditure's voucher, a progress update's photo), checked by content, kept with
    its SHA-256 and served only to those who may see its project."""

    __tablename__ = "project_files"
    __table_args__ = (CheckConstraint("kind IN ('voucher', 'update_photo')", name="kind_known"),)

    project_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("projects.id"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    filename: Mapped[str] = mapped_column(String(120), nullable=False, default="")
    content_type: Mapped[str] = mapped_column(String(32), nullable=False)
    size_bytes: Mapped[int] = mapped_column(Integer, nullable=False)
    width_px: Mapped[int | None] = mapped_column(Integer)
    height_px: Mapped[int | None] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    data: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)


class Expenditure(UUIDPk, CreatedAt, db.Model):
    """Money spent by a project, entered by one person and approved by another. `over_balance` marks a spend
    beyond the balance, allowed only under an approved advance."""

    __tablename__ = "project_expenditures"
    __table_args__ = (
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        CheckConstraint("approver_id <> entered_by_id", name="two_people"),
        Index("ix_project_expenditures_project_spent", "project_id", "spent_on"),
    )

    project_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("projects.id"), nullable=False)
    amount_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    payee: Mapped[str] = mapped_column(String(100), nullable=False)
    purpose: Mapped[str] = mapped_column(String(300), nullable=False)
    spent_on: Mapped[date] = mapped_column(Date, nullable=False)
    voucher_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("project_files.id"))
    entered_by_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"), nullable=False)
    entered_by_name: Mapped[str] = mapped_column(String(64), nullable=False)
    approver_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"), nullable=False)
    approver_name: Mapped[str] = mapped_column(String(64), nullable=False)
    over_balance: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    voucher: Mapped[Voucher | None] = relationship()


class Advance(UUIDPk, CreatedAt, db.Model):
    """An approved advance (垫支): lets the project spend up to `amount_fen` more than it has raised."""

    __tablename__ = "project_advances"
    __table_args__ = (
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        CheckConstraint("approver_id <> entered_by_id", name="two_people"),
    )

    project_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("projects.id"), nullable=False, index=True)
    amount_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    reason: Mapped[str] = mapped_column(String(300), nullable=False)
    entered_by_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"), nullable=False)
    entered_by_name: Mapped[str] = mapped_column(String(64), nullable=False)
    approver_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"), nullable=False)
    approver_name: Mapped[str] = mapped_column(String(64), nullable=False)


class ProgressUpdate(UUIDPk, CreatedAt, db.Model):
    """The monthly progress update (月度进展): one per project and month; its photos are project files."""

    __tablename__ = "project_updates"
    __table_args__ = (UniqueConstraint("project_id", "month", name="uq_project_updates_project_month"),)

    project_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("projects.id"), nullable=False)
    month: Mapped[date] = mapped_column(Date, nullable=False)  # the first day of the month
    text: Mapped[str] = mapped_column(String(2000), nullable=False)
    photo_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("project_files.id"))
    author_name: Mapped[str] = mapped_column(String(64), nullable=False)
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class LiveSession(UUIDPk, CreatedAt, StoreOwned, db.Model):
    """A livestream or charity-sale session, registered before it starts, raising for one project."""

    __tablename__ = "live_sessions"
    __table_args__ = (
        CheckConstraint("platform IN ('douyin', 'kuaishou', 'channels', 'other')", name="platform_known"),
        CheckConstraint("status IN ('registered', 'closed')", name="status_known"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        Index("ix_live_sessions_store_starts", "store_id", "starts_at"),
    )

    project_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("projects.id"), nullable=False, index=True)
    title: Mapped[str] = mapped_column(String(100), nullable=False)
    platform: Mapped[str] = mapped_column(String(16), nullable=False)
    host: Mapped[str] = mapped_column(String(64), nullable=False)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="registered")
    registered_by_name: Mapped[str] = mapped_column(String(64), nullable=False)
    # Reconciliation, typed in from the platform's settlement and the bank; the recorded sales are summed.
    platform_total_fen: Mapped[int | None] = mapped_column(Integer)
    received_fen: Mapped[int | None] = mapped_column(Integer)
    explanation: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_name: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    publication: Mapped[str] = mapped_column(String(300), nullable=False, default="")

    project: Mapped[Project] = relationship()
    store = relationship("Store")
    allocations: Mapped[list["Allocation"]] = relationship(order_by="Allocation.line_no")


class Allocation(UUIDPk, db.Model):
    """Goods set aside from the store's stock for a session."""

    __tablename__ = "live_session_goods"
    __table_args__ = (CheckConstraint("qty > 0", name="qty_positive"),)

    session_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("live_sessions.id"), nullable=False, index=True)
    line_no: Mapped[int] = mapped_column(Integer, nullable=False)
    item_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("items.id"), nullable=False)
    qty: Mapped[int] = mapped_column(Integer, nullable=False)

    item = relationship("Item")


class TillMode(UUIDPk, StoreOwned, db.Model):
    """A till in a session's mode: sales of `shift_id` sold in [started_at, ended_at) are the session's.

    Kept beside the shift rather than written on each sale, so the checkout's statements stay as they are; the
    sales are found by a set-based join on shift and time (see ledger.py).
    """

    __tablename__ = "live_till_modes"
    __table_args__ = (Index("ix_live_till_modes_shift", "shift_id", "started_at"),)

    session_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("live_sessions.id"), nullable=False, index=True)
    shift_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("shifts.id"), nullable=False)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The shift while the mode is on, NULL once off: one mode at a time per shift (NULLs never collide).
    open_shift_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, unique=True)
    actor_name: Mapped[str] = mapped_column(String(64), nullable=False)


class ColumnMap(db.Model):
    """How a store reads its platform's order export: the header of each needed column (mapped once)."""

    __tablename__ = "live_column_maps"

    store_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("stores.id"), primary_key=True)
    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    order_col: Mapped[str] = mapped_column(String(64), nullable=False)
    amount_col: Mapped[str] = mapped_column(String(64), nullable=False)
    time_col: Mapped[str] = mapped_column(String(64), nullable=False)
    status_col: Mapped[str] = mapped_column(String(64), nullable=False, default="")


class OrderImport(UUIDPk, CreatedAt, db.Model):
    """One imported order file; the same file (by SHA-256) is taken once per session."""

    __tablename__ = "live_order_imports"
    __table_args__ = (UniqueConstraint("session_id", "sha256", name="uq_live_order_imports_session_sha256"),)

    session_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("live_sessions.id"), nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    filename: Mapped[str] = mapped_column(String(120), nullable=False, default="")
    row_count: Mapped[int] = mapped_column(Integer, nullable=False)
    added_count: Mapped[int] = mapped_column(Integer, nullable=False)
    total_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    actor_name: Mapped[str] = mapped_column(String(64), nullable=False)


class LiveOrder(UUIDPk, db.Model):
    """One platform order of a session. A platform's order id is taken once, whatever file it comes in."""

    __tablename__ = "live_orders"
    __table_args__ = (
        UniqueConstraint("platform", "order_no", name="uq_live_orders_platform_order_no"),
        CheckConstraint("amount_fen >= 0", name="amount_not_negative"),
    )

    session_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("live_sessions.id"), nullable=False, index=True)
    import_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("live_order_imports.id"), nullable=False)
    platform: Mapped[str] = mapped_column(String(16), nullable=False)
    order_no: Mapped[str] = mapped_column(String(64), nullable=False)
    amount_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    ordered_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    # A refunded or cancelled order is kept (it was in the file) but raises nothing.
    counted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
