"""The stock ledger (StockMovement), lots, and the balance caches kept in step with it."""
from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import CreatedAt, StoreOwned, UTCDateTime, UUIDPk

# Every way stock can change. The sign of qty says the direction; kind says why.
MOVEMENT_KINDS = (
    "intake", "intake_reversal", "sale", "sale_reversal", "points_redemption", "points_redemption_reversal",
    "aid_distribution", "aid_reversal", "transfer_out", "transfer_in", "write_off", "stocktake_adjustment",
    "correction",
)


class Lot(UUIDPk, CreatedAt, StoreOwned, db.Model):
    """A batch of one item received together; food lots carry an expiry date."""

    __tablename__ = "lots"
    __table_args__ = (Index("ix_lots_store_item", "store_id", "item_id"),)

    item_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("items.id"), nullable=False)
    expiry_date: Mapped[date | None] = mapped_column(Date)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    # The document that brought the lot in (a donation, a transfer, …), for tracing donor → shelf → buyer.
    source_type: Mapped[str] = mapped_column(String(32), nullable=False, default="")
    source_id: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    unit_cost_fen: Mapped[int | None] = mapped_column(Integer)

    item = relationship("Item")

    @property
    def label(self) -> str:
        """A short, readable lot name for messages and labels."""
        return f"{self.id.hex[:8].upper()}" + (f"（保质期至 {self.expiry_date.isoformat()}）" if self.expiry_date else "")


class StockMovement(UUIDPk, CreatedAt, StoreOwned, db.Model):
    """One change of stock. Never edited or deleted: a mistake is reversed by a movement pointing at it."""

    __tablename__ = "stock_movements"
    __table_args__ = (
        CheckConstraint("qty <> 0", name="qty_not_zero"),
        Index("ix_stock_movements_store_item", "store_id", "item_id"),
        Index("ix_stock_movements_doc", "doc_type", "doc_id"),
    )

    item_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("items.id"), nullable=False)
    lot_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("lots.id"), nullable=False, index=True)
    qty: Mapped[int] = mapped_column(Integer, nullable=False)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    doc_type: Mapped[str] = mapped_column(String(32), nullable=False)
    doc_id: Mapped[str] = mapped_column(String(64), nullable=False)
    reverses_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("stock_movements.id"), index=True)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    actor_name: Mapped[str] = mapped_column(String(64), nullable=False)
    # The business time of the movement (period closing checks this), distinct from created_at.
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, index=True)
    note: Mapped[str] = mapped_column(String(200), nullable=False, default="")

    lot = relationship("Lot")
    item = relationship("Item")


class StockBalance(db.Model):
    """Cached on-hand quantity per store and item; equals the sum of its movements (`flask inventory verify`)."""

    __tablename__ = "stock_balances"
    __table_args__ = (CheckConstraint("qty >= 0", name="qty_not_negative"),)

    store_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("stores.id"), primary_key=True)
    item_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("items.id"), primary_key=True)
    qty: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    item = relationship("Item")


class LotBalance(db.Model):
    """Cached on-hand quantity per lot."""

    __tablename__ = "lot_balances"
    __table_args__ = (
        CheckConstraint("qty >= 0", name="qty_not_negative"),
        Index("ix_lot_balances_store_item", "store_id", "item_id"),
    )

    lot_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("lots.id"), primary_key=True)
    store_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("stores.id"), nullable=False)
    item_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("items.id"), nullable=False)
    qty: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    lot = relationship("Lot")
