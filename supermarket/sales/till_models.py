"""Tables of the till's day (issue 17): carts parked during a shift, and returns made without the original
receipt. Imported by models.py, so the domain's tables are all registered from one place."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import CreatedAt, StoreOwned, UTCDateTime, UUIDPk

HELD_STATUSES = ("parked", "recalled", "discarded")


class HeldSale(UUIDPk, CreatedAt, StoreOwned, db.Model):
    """A cart parked at the till: its lines as the cashier had them (quantities, approved price changes).
    Never touches stock. Recalled into the till (then sold like any cart) or discarded before the close."""

    __tablename__ = "held_sales"
    __table_args__ = (
        CheckConstraint("status IN ('parked', 'recalled', 'discarded')", name="status_known"),
        CheckConstraint("(status = 'parked') = (ended_at IS NULL)", name="ended_unless_parked"),
        Index("ix_held_sales_shift_status", "shift_id", "status"),
    )

    shift_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("shifts.id"), nullable=False)
    cashier_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"), nullable=False)
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="parked")
    # [{"item_id", "qty", "unit_price_fen"?, "override_reason"?, "pay_with_points"?}] (JSON text)
    lines: Mapped[str] = mapped_column(Text, nullable=False)
    line_count: Mapped[int] = mapped_column(Integer, nullable=False)
    total_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    # A word to tell carts apart ("穿红衣服的阿姨"), optional.
    label: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    # The manager who approved the cart's price changes when it was parked (checked then).
    approver_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
    parked_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(String(200), nullable=False, default="")

    cashier = relationship("User", foreign_keys=[cashier_id])
    ended_by = relationship("User", foreign_keys=[ended_by_id])


class OpenReturn(UUIDPk, CreatedAt, StoreOwned, db.Model):
    """Goods taken back without the original receipt: refunded in cash from the shift's drawer, approved by a
    manager on the spot, the units back in stock as an `open_return` movement. Append-only."""

    __tablename__ = "open_returns"
    __table_args__ = (
        CheckConstraint("qty > 0", name="qty_positive"),
        CheckConstraint("unit_price_fen >= 0 AND unit_price_fen <= list_price_fen", name="price_within_list"),
        CheckConstraint("refund_fen = unit_price_fen * qty", name="refund_matches"),
        Index("ix_open_returns_returned_at", "returned_at"),
    )

    number: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    shift_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("shifts.id"), nullable=False, index=True)
    cashier_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"), nullable=False)
    approver_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"), nullable=False)
    item_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("items.id"), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    qty: Mapped[int] = mapped_column(Integer, nullable=False)
    list_price_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    unit_price_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    refund_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    reason: Mapped[str] = mapped_column(String(200), nullable=False)
    returned_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    idempotency_key: Mapped[uuid.UUID | None] = mapped_column(Uuid, unique=True)

    cashier = relationship("User", foreign_keys=[cashier_id])
    approver = relationship("User", foreign_keys=[approver_id])


class OpenReturnLimit(db.Model):
    """A store's ceiling on one return without receipt (no row: the default)."""

    __tablename__ = "open_return_limits"
    __table_args__ = (CheckConstraint("limit_fen >= 0", name="limit_not_negative"),)

    store_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("stores.id"), primary_key=True)
    limit_fen: Mapped[int] = mapped_column(Integer, nullable=False)
