"""Change given to charity at the till (消费捐赠).

A till donation is its own ledger row, not an intake money donation: intake's money donations need a second
person to count the money (receiver ≠ checker) and go through a donation with a money line, while here the
amount is the customer's own change, agreed with one tap in front of the cashier, printed on the customer's
receipt and left in the drawer. The cashier and the printed receipt are the evidence, so no second person.
The row is written in the same transaction as its sale, is append-only and under the audit chain (audit/rows.py
LEDGER_TABLES); it counts in the shift's expected cash, in the money into the donation fund (disclosure,
oversight) and in the project's raised figure, and never as sales income.
"""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models import CreatedAt, StoreOwned, UTCDateTime, UUIDPk

DONATION_KINDS = ("change", "round_up")


class TillDonation(UUIDPk, CreatedAt, StoreOwned, db.Model):
    """The change (or the round-up to the next yuan) of one sale, given to a charity project. Append-only."""

    __tablename__ = "till_donations"
    __table_args__ = (
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        CheckConstraint("kind IN ('change', 'round_up')", name="kind_known"),
        CheckConstraint("method = 'cash'", name="cash_only"),
        Index("ix_till_donations_project_id", "project_id"),
        Index("ix_till_donations_donated_at", "donated_at"),
    )

    # One donation per sale: a replayed checkout cannot land it twice.
    sale_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("sales.id"), nullable=False, unique=True)
    shift_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("shifts.id"), nullable=False, index=True)
    project_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("projects.id"), nullable=False)
    cashier_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"), nullable=False)
    kind: Mapped[str] = mapped_column(String(12), nullable=False)
    # Cash only: the donated change stays in the drawer (the shift's expected cash counts it).
    method: Mapped[str] = mapped_column(String(16), nullable=False, default="cash")
    amount_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    # Copied from the project when given, as the receipt printed it.
    project_title: Mapped[str] = mapped_column(String(100), nullable=False)
    donated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
