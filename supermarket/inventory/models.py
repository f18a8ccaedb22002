"""Inventory tables: the stock ledger (StockMovement), lots and the balance caches kept in step with it; and
the documents that move stock here: stocktakes, write-offs, transfers, closed periods, store settings."""
from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (BigInteger, Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, LargeBinary, String,
                        UniqueConstraint, Uuid)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import CreatedAt, StoreOwned, UTCDateTime, UUIDPk

# Every way stock can change. The sign of qty says the direction; kind says why.
MOVEMENT_KINDS = (
    "intake", "intake_reversal", "sale", "sale_reversal", "points_redemption", "points_redemption_reversal",
    "aid_distribution", "aid_reversal", "transfer_out", "transfer_in", "write_off", "stocktake_adjustment",
    "correction", "open_return",
)


class Lot(UUIDPk, CreatedAt, StoreOwned, db.Model):
    """A batch of one item received together; food lots carry an expiry date."""

    __tablename__ = "lots"
    __table_args__ = (Index("ix_lots_store_item", "store_id", "item_id"),
                      Index("ix_lots_expiry_date", "expiry_date"))  # the dashboards' food expiring soon

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
        # qty is in both indexes so `flask inventory verify` sums them without touching the table: a linear
        # index scan instead of a random table lookup per movement (rows are never updated, so it is free).
        Index("ix_stock_movements_store_item", "store_id", "item_id", "qty"),
        Index("ix_stock_movements_lot_qty", "lot_id", "qty"),
        Index("ix_stock_movements_doc", "doc_type", "doc_id"),
        # the daily `flask inventory verify` reads only the movements since its last checkpoint, and a checkpoint
        # counts and sums the movements before it: both by created_at, qty in the index (no table lookups)
        Index("ix_stock_movements_created_qty", "created_at", "qty"),
    )

    item_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("items.id"), nullable=False)
    lot_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("lots.id"), nullable=False)
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


class InventoryCheckpoint(db.Model):
    """Where a verification found every balance equal to its ledger: the movements created before `watermark`
    (their number and the sum of their qty). The daily run starts there; `--full` checks the ledger before it
    still has that number and sum. Checkpoints are a hash chain (`hash` covers the previous one's), so one
    rewritten to match an edited ledger is itself found."""

    __tablename__ = "inventory_checkpoints"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    watermark: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    movements: Mapped[int] = mapped_column(BigInteger, nullable=False)
    qty_sum: Mapped[int] = mapped_column(BigInteger, nullable=False)
    verified_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    full: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    prev_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    hash: Mapped[str] = mapped_column(String(64), nullable=False)


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


# --- store settings and closed periods ---------------------------------------------------------------------

class StoreInventorySettings(db.Model):
    """What each store configures for its stock: the write-off approval threshold and the low-stock level."""

    __tablename__ = "store_inventory_settings"
    __table_args__ = (
        CheckConstraint("write_off_approval_fen >= 0", name="threshold_not_negative"),
        CheckConstraint("low_stock_qty >= 0", name="low_stock_not_negative"),
    )

    store_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("stores.id"), primary_key=True)
    # A write-off worth more than this (fen, at the store's price) needs a second person's approval.
    write_off_approval_fen: Mapped[int] = mapped_column(Integer, nullable=False, default=5000)
    # An item with this many units or fewer on hand is "low stock".
    low_stock_qty: Mapped[int] = mapped_column(Integer, nullable=False, default=3)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PeriodClose(UUIDPk, CreatedAt, StoreOwned, db.Model):
    """A month a store manager closed: no stock movement may be dated inside it (or any month before)."""

    __tablename__ = "period_closes"
    __table_args__ = (UniqueConstraint("store_id", "month", name="uq_period_closes_store_month"),)

    month: Mapped[date] = mapped_column(Date, nullable=False)  # the first day of the month
    closed_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    closed_by_name: Mapped[str] = mapped_column(String(64), nullable=False)
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    note: Mapped[str] = mapped_column(String(200), nullable=False, default="")


# --- stocktakes ----------------------------------------------------------------------------------------------

STOCKTAKE_STATUSES = ("counting", "posted", "cancelled")


class Stocktake(UUIDPk, CreatedAt, StoreOwned, db.Model):
    """A count of the whole store or of some categories. Only the lines actually counted are adjusted."""

    __tablename__ = "stocktakes"

    number: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="counting")
    whole_store: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    # Equals store_id while counting, NULL after: the unique index allows one open stocktake per store.
    open_store_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, unique=True)
    note: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    started_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    started_by_name: Mapped[str] = mapped_column(String(64), nullable=False)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    closed_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)   # the approving manager (or who cancelled)
    closed_by_name: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Figures frozen at posting (fen at the store's price; ratio in basis points of the counted book value).
    counted_lines: Mapped[int | None] = mapped_column(Integer)
    book_value_fen: Mapped[int | None] = mapped_column(Integer)
    variance_qty: Mapped[int | None] = mapped_column(Integer)
    variance_value_fen: Mapped[int | None] = mapped_column(Integer)
    variance_abs_value_fen: Mapped[int | None] = mapped_column(Integer)
    variance_ratio_bp: Mapped[int | None] = mapped_column(Integer)

    categories = relationship("Category", secondary="stocktake_categories", order_by="Category.code")
    lines = relationship("StocktakeLine", back_populates="stocktake", order_by="StocktakeLine.created_at")


class StocktakeCategory(db.Model):
    __tablename__ = "stocktake_categories"

    stocktake_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("stocktakes.id"), primary_key=True)
    category_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("categories.id"), primary_key=True)


class StocktakeLine(UUIDPk, CreatedAt, db.Model):
    """One counted item. The book quantity and price are frozen when the stocktake is posted."""

    __tablename__ = "stocktake_lines"
    __table_args__ = (
        UniqueConstraint("stocktake_id", "item_id", name="uq_stocktake_lines_item"),
        CheckConstraint("counted_qty >= 0", name="counted_not_negative"),
    )

    stocktake_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("stocktakes.id"), nullable=False, index=True)
    item_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("items.id"), nullable=False)
    counted_qty: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # For food found on the shelf with no lot to take its expiry date from.
    expiry_date: Mapped[date | None] = mapped_column(Date)
    book_qty: Mapped[int | None] = mapped_column(Integer)
    unit_price_fen: Mapped[int | None] = mapped_column(Integer)

    stocktake = relationship("Stocktake", back_populates="lines")
    item = relationship("Item")


class StocktakeCount(UUIDPk, db.Model):
    """Each scan or typed number, kept: who counted what (the approver must not be one of them)."""

    __tablename__ = "stocktake_counts"
    __table_args__ = (CheckConstraint("qty <> 0", name="qty_not_zero"),)

    line_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("stocktake_lines.id"), nullable=False, index=True)
    stocktake_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("stocktakes.id"), nullable=False, index=True)
    qty: Mapped[int] = mapped_column(Integer, nullable=False)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    actor_name: Mapped[str] = mapped_column(String(64), nullable=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


# --- write-offs ----------------------------------------------------------------------------------------------

WRITE_OFF_REASONS = ("damaged", "expired", "recalled", "other")


class WriteOff(UUIDPk, CreatedAt, StoreOwned, db.Model):
    """Goods taken off the books: damaged, expired, recalled or other, with a reason."""

    __tablename__ = "write_offs"
    __table_args__ = (CheckConstraint("qty > 0", name="qty_positive"),
                      # a day of every store (the central check's daily facts)
                      Index("ix_write_offs_occurred_at", "occurred_at"))

    number: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    item_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("items.id"), nullable=False)
    lot_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("lots.id"))  # when one lot was chosen
    qty: Mapped[int] = mapped_column(Integer, nullable=False)
    reason_code: Mapped[str] = mapped_column(String(16), nullable=False)
    reason: Mapped[str] = mapped_column(String(200), nullable=False)
    unit_price_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    value_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    written_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    written_by_name: Mapped[str] = mapped_column(String(64), nullable=False)
    approved_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    approved_by_name: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    item = relationship("Item")
    lot = relationship("Lot")


class WriteOffPhoto(UUIDPk, CreatedAt, db.Model):
    """The optional photo of a write-off, kept in the database so a store node can sync it like any row."""

    __tablename__ = "write_off_photos"

    write_off_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("write_offs.id"), unique=True, nullable=False)
    content_type: Mapped[str] = mapped_column(String(32), nullable=False)
    size_bytes: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    data: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)


# --- transfers -----------------------------------------------------------------------------------------------

TRANSFER_STATUSES = ("shipped", "received")


class Transfer(UUIDPk, CreatedAt, StoreOwned, db.Model):
    """Goods sent from one store (store_id) to another. Differences on arrival are recorded, not absorbed."""

    __tablename__ = "transfers"

    number: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    to_store_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("stores.id"), nullable=False, index=True)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="shipped")
    note: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    shipped_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    shipped_by_name: Mapped[str] = mapped_column(String(64), nullable=False)
    shipped_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    received_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    received_by_name: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    receive_note: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    # Units shipped but not received (shipped − received); stays visible on the transfer.
    discrepancy_qty: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    from_store = relationship("Store", foreign_keys="Transfer.store_id")
    to_store = relationship("Store", foreign_keys=[to_store_id])
    lines = relationship("TransferLine", back_populates="transfer", order_by="TransferLine.position")


class TransferLine(UUIDPk, db.Model):
    """One sending lot: the receiving store's lot keeps its expiry date."""

    __tablename__ = "transfer_lines"
    __table_args__ = (
        CheckConstraint("qty_shipped > 0", name="shipped_positive"),
        CheckConstraint("qty_received IS NULL OR (qty_received >= 0 AND qty_received <= qty_shipped)",
                        name="received_within_shipped"),
    )

    transfer_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("transfers.id"), nullable=False, index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    item_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("items.id"), nullable=False)
    from_lot_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("lots.id"), nullable=False)
    expiry_date: Mapped[date | None] = mapped_column(Date)
    qty_shipped: Mapped[int] = mapped_column(Integer, nullable=False)
    qty_received: Mapped[int | None] = mapped_column(Integer)
    to_lot_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("lots.id"))

    transfer = relationship("Transfer", back_populates="lines")
    item = relationship("Item")

    @property
    def short_qty(self) -> int:
        return 0 if self.qty_received is None else self.qty_shipped - self.qty_received
