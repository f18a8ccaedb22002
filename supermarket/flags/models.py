"""A flag (one anomaly a detector found, with its evidence rows and the people involved), the people index the
board filters by and a manager is kept away from, and the thresholds the federation edits."""
from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import UTCDateTime, UUIDPk

STATUSES = ("open", "explained", "confirmed", "closed")
PERSON_TYPES = ("user", "resident", "household", "donor")


class Flag(UUIDPk, db.Model):
    """One anomaly. `subject` names what it is about (a cashier, a store, a pledge …) so a later flag about the
    same subject links to the earlier one; `fingerprint` (kind + subject + evidence ids) makes raising idempotent.
    Evidence rows are {table, id, label, endpoint, url_kwargs}; people are {type, id}."""

    __tablename__ = "flags"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'explained', 'confirmed', 'closed')", name="status_known"),
        CheckConstraint("severity BETWEEN 1 AND 3", name="severity_range"),
        Index("ix_flags_kind_subject", "kind", "subject"),
        Index("ix_flags_status_store", "status", "store_id"),
    )

    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    store_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("stores.id"), nullable=False, index=True)
    severity: Mapped[int] = mapped_column(Integer, nullable=False)
    period_start: Mapped[date] = mapped_column(Date, nullable=False)
    period_end: Mapped[date] = mapped_column(Date, nullable=False)
    subject: Mapped[str] = mapped_column(String(120), nullable=False)
    fingerprint: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    detail: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    people: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    evidence: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    previous_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("flags.id"))
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="open")
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    resolution_note: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by: Mapped[str] = mapped_column(String(64), nullable=False, default="")

    store = relationship("Store")
    previous: Mapped["Flag | None"] = relationship(remote_side="Flag.id")


class FlagPerson(db.Model):
    """Who a flag is about, one row per person: the board's person filter, a person's flag history, and the
    rule that a manager never sees a flag about themselves read this index."""

    __tablename__ = "flag_people"

    flag_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("flags.id"), primary_key=True)
    person_type: Mapped[str] = mapped_column(String(12), primary_key=True)
    person_id: Mapped[str] = mapped_column(String(36), primary_key=True, index=True)


class FlagThreshold(db.Model):
    """A detector's thresholds as the federation set them (missing keys take the documented defaults)."""

    __tablename__ = "flag_thresholds"

    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    params: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    enabled: Mapped[bool] = mapped_column(db.Boolean, nullable=False, default=True)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_by: Mapped[str] = mapped_column(String(64), nullable=False, default="")
