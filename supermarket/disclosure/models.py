"""Frozen monthly disclosures (versioned) and the tokens that open a donation's trace page."""
from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import CreatedAt, StoreOwned, UTCDateTime, UUIDPk

STATUSES = ("published", "superseded")
REVIEW_STATUSES = ("pending", "accepted", "returned")


class Disclosure(UUIDPk, CreatedAt, StoreOwned, db.Model):
    """One version of a store's monthly disclosure (收支公示). Never edited once written, except its status
    (published → superseded when a correction replaces it) and the auditor's review of it.

    `figures` is the canonical JSON of the month's figures and `figures_sha256` its digest; `chain_head_hash` and
    `chain_event_count` are the store's audit chain head at the close, so anyone can check later that the events
    up to it are unchanged (`flask audit verify --store CODE --against HASH`)."""

    __tablename__ = "disclosures"
    __table_args__ = (
        UniqueConstraint("store_id", "month", "version", name="uq_disclosures_store_month_version"),
        Index("ix_disclosures_month_status", "month", "status"),
    )

    month: Mapped[date] = mapped_column(Date, nullable=False)  # the first day of the month
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="published")
    figures: Mapped[str] = mapped_column(Text, nullable=False)
    figures_sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    chain_head_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    chain_event_count: Mapped[int] = mapped_column(Integer, nullable=False)
    closed_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    closed_by_name: Mapped[str] = mapped_column(String(64), nullable=False)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    due_on: Mapped[date] = mapped_column(Date, nullable=False)
    # A correction says why, and what changed against the version it replaces (JSON list of figure paths).
    reason: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    changes: Mapped[str] = mapped_column(Text, nullable=False, default="[]")
    supersedes_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("disclosures.id"))
    review_status: Mapped[str] = mapped_column(String(16), nullable=False, default="pending")
    review_note: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    reviewed_by_name: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    store = relationship("Store")


class TraceToken(UUIDPk, CreatedAt, StoreOwned, db.Model):
    """The unguessable token on a donation receipt's QR code. Revoking sets `revoked_at`; a reissue makes a new row
    (one live token per donation)."""

    __tablename__ = "donation_trace_tokens"

    donation_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("donations.id"), nullable=False, index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_name: Mapped[str] = mapped_column(String(64), nullable=False, default="")
