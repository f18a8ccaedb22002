"""District and Store."""
from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import CreatedAt, UUIDPk

STORE_STATUSES = ("preparing", "open", "suspended", "closed")


class District(UUIDPk, CreatedAt, db.Model):
    __tablename__ = "districts"

    code: Mapped[str] = mapped_column(String(16), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(64), nullable=False)

    stores: Mapped[list["Store"]] = relationship(back_populates="district", order_by="Store.code")


class Store(UUIDPk, CreatedAt, db.Model):
    __tablename__ = "stores"

    code: Mapped[str] = mapped_column(String(16), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    district_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("districts.id"), nullable=False, index=True)
    address: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    floor_area_m2: Mapped[int | None] = mapped_column(Integer)
    opening_hours: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    # Printed on the till's receipts with the address.
    phone: Mapped[str] = mapped_column(String(32), nullable=False, default="", server_default="")
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="open")
    # Empty until the store's first approved assessment.
    star_level: Mapped[int | None] = mapped_column(Integer)

    district: Mapped[District] = relationship(back_populates="stores")
