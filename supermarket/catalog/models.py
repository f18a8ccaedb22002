"""Categories, items and per-store prices. Shared by the whole city."""
from __future__ import annotations

import uuid

from sqlalchemy import false as sa_false
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import CreatedAt, UUIDPk

ITEM_KINDS = ("donated_new", "donated_used", "purchased")
CONDITION_GRADES = ("A", "B", "C")
BARCODE_KINDS = ("ean13", "upc", "ean8", "internal")


def fund_of(kind: str) -> str:
    """Which fund a sale of goods of this kind belongs to: charity sale of donated goods, or goods bought for
    resale (the standard requires the two to be accounted apart)."""
    return "purchased" if kind == "purchased" else "donated"

class Category(UUIDPk, CreatedAt, db.Model):
    __tablename__ = "categories"

    code: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(64), nullable=False)
    # Nothing in a prohibited category may be taken in or sold (medicines, used underwear, home-made food…).
    prohibited: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    prohibited_reason: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    is_food: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # Lots expiring within this many days show on the near-expiry list.
    near_expiry_days: Mapped[int] = mapped_column(Integer, nullable=False, default=7)
    quick_key: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)


class Item(UUIDPk, CreatedAt, db.Model):
    __tablename__ = "items"
    __table_args__ = (
        CheckConstraint("default_price_fen >= 0", name="price_not_negative"),
        CheckConstraint("points_price IS NULL OR points_price > 0", name="points_price_positive"),
        # Points are a price per unit; a weighed item has no unit to redeem.
        CheckConstraint("NOT sold_by_weight OR points_price IS NULL", name="weighed_not_redeemable"),
    )

    name: Mapped[str] = mapped_column(String(100), nullable=False)
    pinyin: Mapped[str] = mapped_column(String(100), nullable=False, default="", index=True)
    category_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("categories.id"), nullable=False, index=True)
    unit: Mapped[str] = mapped_column(String(16), nullable=False, default="件")
    barcode: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    barcode_kind: Mapped[str] = mapped_column(String(16), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    condition_grade: Mapped[str | None] = mapped_column(String(1))
    is_food: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    default_price_fen: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # Points one unit costs when paid with volunteer points; None = not redeemable.
    points_price: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    # Sold by weight (散装): default_price_fen and the store prices are per kg, and the stock ledger, which stays
    # integer, keeps this item's stock, lots and movements in grams (a till line carries weight_g).
    sold_by_weight: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default=sa_false())
    # The store that created an internal code (None for manufacturer codes).
    origin_store_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("stores.id"))

    category: Mapped[Category] = relationship()

    @property
    def fund(self) -> str:
        """Which fund a sale of this item belongs to: charity sale of donated goods, or goods bought for resale."""
        return fund_of(self.kind)


class StorePrice(db.Model):
    """A store's own price for an item (overrides the default price)."""

    __tablename__ = "store_prices"
    __table_args__ = (CheckConstraint("price_fen >= 0", name="price_not_negative"),)

    store_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("stores.id"), primary_key=True)
    item_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("items.id"), primary_key=True)
    price_fen: Mapped[int] = mapped_column(Integer, nullable=False)
