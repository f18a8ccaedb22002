"""Volunteer points: residents, the points table (积分标准), credits from volunteer service, the ledger and its lots.

The ledger (`PointsEntry`) is append-only; `Resident.balance` and `PointsLot.remaining` are caches updated in the
same transaction with guarded statements, so neither can go negative. A lot is a parcel of earned points with
one expiry date; every debit records which lots it used (`PointsLotUse`), so a refund can give back exactly
those points with their original expiry.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, UniqueConstraint,
                        Uuid)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import CreatedAt, UTCDateTime, UUIDPk

RESIDENT_STATUSES = ("active", "suspended", "closed")
ACTIVITY_KINDS = ("hourly", "occurrence", "deduction")
EXPIRY_POLICIES = ("end_of_following_year", "months", "never")
CREDIT_SOURCES = ("shift", "integration", "import")
# pending: waiting for an approver; published: approved, on public notice until publish_until;
# credited: in the ledger; rejected: refused or objection upheld; reversed: credited, then taken back.
CREDIT_STATUSES = ("pending", "published", "credited", "rejected", "reversed")
ENTRY_KINDS = ("earn", "redeem", "expire", "adjust", "reverse")


class Resident(UUIDPk, CreatedAt, db.Model):
    """A resident of the city who volunteers and spends points at any store; not owned by a store."""

    __tablename__ = "residents"
    __table_args__ = (CheckConstraint("balance >= 0", name="balance_not_negative"),)

    member_code: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(64), nullable=False)
    phone: Mapped[str] = mapped_column(String(20), unique=True, nullable=False)
    # Only a keyed hash of the ID-card number and its last four characters are kept.
    id_hmac: Mapped[str | None] = mapped_column(String(64), unique=True)
    id_last4: Mapped[str | None] = mapped_column(String(4))
    community: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="active")
    pin_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    # Bumped when the PIN changes or the resident is suspended, so their phone sessions end.
    session_version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    balance: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # When the resident is also a staff member: they may never approve their own hours.
    user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"), unique=True)
    registered_store_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("stores.id"), index=True)


class PinAttempt(UUIDPk, db.Model):
    """A PIN tried at a till or on the resident login; failures within a window lock the key."""

    __tablename__ = "points_pin_attempts"
    __table_args__ = (Index("ix_points_pin_attempts_key_at", "key", "at"),)

    key: Mapped[str] = mapped_column(String(80), nullable=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    success: Mapped[bool] = mapped_column(Boolean, nullable=False)
    channel: Mapped[str] = mapped_column(String(16), nullable=False, default="till")  # till | phone


class PointsTable(UUIDPk, CreatedAt, db.Model):
    """One version of the points table (积分标准), in force from `effective_from` until the next version."""

    __tablename__ = "points_tables"

    version: Mapped[int] = mapped_column(Integer, unique=True, nullable=False)
    effective_from: Mapped[date] = mapped_column(Date, unique=True, nullable=False)
    point_value_fen: Mapped[int] = mapped_column(Integer, nullable=False, default=100)
    expiry_policy: Mapped[str] = mapped_column(String(32), nullable=False, default="end_of_following_year")
    expiry_months: Mapped[int | None] = mapped_column(Integer)
    max_hours_per_day: Mapped[int] = mapped_column(Integer, nullable=False, default=8)
    max_points_per_month: Mapped[int | None] = mapped_column(Integer)
    backdate_days: Mapped[int] = mapped_column(Integer, nullable=False, default=7)
    # 0: credits land as soon as they are approved; N: they are posted (公示) for N days first.
    publication_days: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    daily_redeem_cap: Mapped[int | None] = mapped_column(Integer)
    adjust_approval_threshold: Mapped[int] = mapped_column(Integer, nullable=False, default=50)
    note: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    created_by: Mapped[str] = mapped_column(String(64), nullable=False, default="")

    activities: Mapped[list["PointsActivity"]] = relationship(
        back_populates="table", order_by="PointsActivity.code", cascade="all, delete-orphan")


class PointsActivity(UUIDPk, db.Model):
    """An item of the points table: `points` per `per_hours` hours, per occurrence, or deducted per occurrence."""

    __tablename__ = "points_activities"
    __table_args__ = (UniqueConstraint("table_id", "code"),
                      CheckConstraint("points > 0", name="points_positive"),
                      CheckConstraint("per_hours > 0", name="per_hours_positive"))

    table_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("points_tables.id"), nullable=False, index=True)
    code: Mapped[str] = mapped_column(String(40), nullable=False)
    name: Mapped[str] = mapped_column(String(64), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    points: Mapped[int] = mapped_column(Integer, nullable=False)
    per_hours: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    max_hours_per_shift: Mapped[int | None] = mapped_column(Integer)
    max_points_per_month: Mapped[int | None] = mapped_column(Integer)

    table: Mapped[PointsTable] = relationship(back_populates="activities")


class PointsEntry(UUIDPk, CreatedAt, db.Model):
    """One change of a resident's points; never edited. `points` is signed; `balance_after` is the balance then."""

    __tablename__ = "points_entries"
    __table_args__ = (CheckConstraint("points <> 0", name="points_not_zero"),
                      CheckConstraint("balance_after >= 0", name="balance_after_not_negative"),
                      Index("ix_points_entries_ref", "ref_type", "ref_id"),
                      Index("ix_points_entries_resident_created", "resident_id", "created_at"),
                      # the oversight pages and the home page's figures read a time window of every resident
                      Index("ix_points_entries_created_at", "created_at"))

    resident_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("residents.id"), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    points: Mapped[int] = mapped_column(Integer, nullable=False)
    balance_after: Mapped[int] = mapped_column(Integer, nullable=False)
    idempotency_key: Mapped[str] = mapped_column(String(160), unique=True, nullable=False)
    # Where it happened; None for the volunteer platform, imports and the expiry job.
    store_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("stores.id"), index=True)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
    actor_name: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    ref_type: Mapped[str] = mapped_column(String(32), nullable=False, default="")
    ref_id: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    reverses_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("points_entries.id"), index=True)
    reason: Mapped[str] = mapped_column(String(200), nullable=False, default="")

    resident: Mapped[Resident] = relationship()


class PointsLot(UUIDPk, CreatedAt, db.Model):
    """Points that arrived together and expire together. Redemption takes the soonest-expiring first."""

    __tablename__ = "points_lots"
    __table_args__ = (CheckConstraint("remaining >= 0", name="remaining_not_negative"),
                      CheckConstraint("remaining <= points", name="remaining_within_points"),
                      Index("ix_points_lots_resident_expires", "resident_id", "expires_at"))

    resident_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("residents.id"), nullable=False)
    entry_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("points_entries.id"), nullable=False, index=True)
    points: Mapped[int] = mapped_column(Integer, nullable=False)
    remaining: Mapped[int] = mapped_column(Integer, nullable=False)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A lot made by a refund points at the lot its points first came from (same expiry).
    origin_lot_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("points_lots.id"), index=True)


class PointsLotUse(UUIDPk, db.Model):
    """How many points of which lot a debit (redeem, expire, negative adjust, reversal) took."""

    __tablename__ = "points_lot_uses"
    __table_args__ = (CheckConstraint("points > 0", name="points_positive"),)

    entry_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("points_entries.id"), nullable=False, index=True)
    lot_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("points_lots.id"), nullable=False, index=True)
    points: Mapped[int] = mapped_column(Integer, nullable=False)
    seq: Mapped[int] = mapped_column(Integer, nullable=False, default=0)  # order of use within the debit


class PointsCredit(UUIDPk, CreatedAt, db.Model):
    """Points claimed for volunteer service: a shift entered at a store, or a record from the city platform."""

    __tablename__ = "points_credits"
    __table_args__ = (CheckConstraint("points > 0", name="points_positive"),
                      Index("ix_points_credits_resident_occurred", "resident_id", "occurred_at"),
                      Index("ix_points_credits_occurred_at", "occurred_at"),  # a day of every store (facts)
                      Index("ix_points_credits_created_at", "created_at"))

    idempotency_key: Mapped[str] = mapped_column(String(120), unique=True, nullable=False)
    resident_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("residents.id"), nullable=False)
    table_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("points_tables.id"), nullable=False)
    activity_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("points_activities.id"), nullable=False)
    source: Mapped[str] = mapped_column(String(16), nullable=False)
    store_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("stores.id"), index=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    minutes: Mapped[int | None] = mapped_column(Integer)
    occurrences: Mapped[int | None] = mapped_column(Integer)
    points: Mapped[int] = mapped_column(Integer, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, index=True)
    entered_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
    entered_by_name: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    approved_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
    approved_by_name: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    publish_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    entry_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("points_entries.id"))
    note: Mapped[str] = mapped_column(String(200), nullable=False, default="")

    resident: Mapped[Resident] = relationship()
    activity: Mapped[PointsActivity] = relationship()
    objections: Mapped[list["CreditObjection"]] = relationship(
        back_populates="credit", order_by="CreditObjection.created_at")


class CreditObjection(UUIDPk, CreatedAt, db.Model):
    """An objection raised against a credit while it is on public notice, and how it was resolved."""

    __tablename__ = "points_credit_objections"

    credit_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("points_credits.id"), nullable=False,
                                                 index=True)
    raised_by: Mapped[str] = mapped_column(String(64), nullable=False)
    reason: Mapped[str] = mapped_column(String(200), nullable=False)
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
    resolution: Mapped[str | None] = mapped_column(String(16))  # upheld | dismissed
    resolution_note: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    resolved_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    credit: Mapped[PointsCredit] = relationship(back_populates="objections")
