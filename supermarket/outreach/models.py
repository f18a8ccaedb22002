"""Outreach tables: publicity events, convenience-service types and their log, complaints, training sessions and
attendees, the store profile (area, zones, signage, rules, operator, opening hours) and the uploaded files.

Events, service logs, trainings and files are append-only facts. A complaint gains its answer once; the profile
is the store's current self-declaration, every change of which is audited.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime, time

from sqlalchemy import (Boolean, CheckConstraint, Date, ForeignKey, Integer, LargeBinary, String, Text, Time,
                        UniqueConstraint, Uuid)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import CreatedAt, StoreOwned, UTCDateTime, UUIDPk

EVENT_KINDS = ("day", "community", "school", "media", "online")  # 宣传日, 进社区, 学校, 媒体报道, 线上
COMPLAINT_CATEGORIES = ("service", "goods", "price", "aid", "points", "suggestion", "other")
COMPLAINT_CHANNELS = ("web", "phone", "visit")
FILE_PURPOSES = ("event_photo", "signage_photo", "rule_document", "agreement")
PROFILE_KINDS = ("zone", "signage", "rule")
# C-01's six functional zones, C-02's seven signage items, C-05's eight operating rules.
ZONES = ("intake", "sales", "distribution", "volunteer", "display", "storage")
SIGNAGE = ("logo_plaque", "purpose", "scope", "methods", "address_phone", "complaint_phone", "rules_posted")
RULES = ("intake", "stock", "distribution", "finance", "volunteers", "points", "complaints", "disclosure")
LEGAL_FORMS = ("charity_org", "social_org", "enterprise", "community", "entrusted")


class OutreachFile(UUIDPk, CreatedAt, StoreOwned, db.Model):
    """An uploaded photo or PDF, checked by content, kept in the database with its SHA-256."""

    __tablename__ = "outreach_files"

    purpose: Mapped[str] = mapped_column(String(24), nullable=False)
    filename: Mapped[str] = mapped_column(String(120), nullable=False, default="")
    content_type: Mapped[str] = mapped_column(String(40), nullable=False)
    size_bytes: Mapped[int] = mapped_column(Integer, nullable=False)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    data: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    uploaded_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
    event_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("outreach_publicity_events.id"),
                                                       index=True)


class PublicityEvent(UUIDPk, CreatedAt, StoreOwned, db.Model):
    """A charity publicity event or campaign (O-01)."""

    __tablename__ = "outreach_publicity_events"
    __table_args__ = (CheckConstraint("people_reached >= 0", name="people_reached_not_negative"),)

    held_on: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    title: Mapped[str] = mapped_column(String(100), nullable=False)
    place: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    people_reached: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    note: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))

    photos: Mapped[list[OutreachFile]] = relationship(order_by="OutreachFile.created_at")


class ServiceType(UUIDPk, CreatedAt, StoreOwned, db.Model):
    """A convenience service a store offers (小家电维修, 代缴费, …)."""

    __tablename__ = "outreach_service_types"
    __table_args__ = (UniqueConstraint("store_id", "name"),)

    name: Mapped[str] = mapped_column(String(40), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)


class ServiceLog(UUIDPk, CreatedAt, StoreOwned, db.Model):
    """Convenience services given (O-04): `count` times the type, optionally for a resident."""

    __tablename__ = "outreach_service_logs"
    __table_args__ = (CheckConstraint("count >= 1", name="count_positive"),)

    type_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("outreach_service_types.id"), nullable=False,
                                               index=True)
    count: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    served_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, index=True)
    resident_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("residents.id"))
    entered_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
    idempotency_key: Mapped[uuid.UUID | None] = mapped_column(Uuid, unique=True)

    type: Mapped[ServiceType] = relationship()


class Complaint(UUIDPk, CreatedAt, StoreOwned, db.Model):
    """A complaint or feedback (O-05), from the public page or entered by staff; answered once."""

    __tablename__ = "outreach_complaints"

    reference: Mapped[str] = mapped_column(String(16), unique=True, nullable=False)
    channel: Mapped[str] = mapped_column(String(8), nullable=False)
    category: Mapped[str] = mapped_column(String(16), nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    # Optional, given by the complainant for a call back; shown masked, never on a public page.
    contact: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    # A keyed hash of the sender's address: enough to refuse a flood, nothing to identify anyone.
    source_hash: Mapped[str] = mapped_column(String(64), nullable=False, default="", index=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, index=True)
    entered_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
    answer: Mapped[str] = mapped_column(Text, nullable=False, default="")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))


class Training(UUIDPk, CreatedAt, StoreOwned, db.Model):
    """A training session for the store's staff and volunteers (C-04)."""

    __tablename__ = "outreach_trainings"
    __table_args__ = (CheckConstraint("minutes > 0", name="minutes_positive"),)

    held_on: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    topic: Mapped[str] = mapped_column(String(100), nullable=False)
    trainer: Mapped[str] = mapped_column(String(64), nullable=False)
    minutes: Mapped[int] = mapped_column(Integer, nullable=False, default=60)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))

    attendees: Mapped[list["TrainingAttendee"]] = relationship(back_populates="training")


class TrainingAttendee(UUIDPk, db.Model):
    """One person at a training: a user of the store or a resident volunteer."""

    __tablename__ = "outreach_training_attendees"
    __table_args__ = (
        UniqueConstraint("training_id", "user_id"),
        UniqueConstraint("training_id", "resident_id"),
        CheckConstraint("(user_id IS NULL) <> (resident_id IS NULL)", name="one_person"),
    )

    training_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("outreach_trainings.id"), nullable=False,
                                                   index=True)
    user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
    resident_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("residents.id"))

    training: Mapped[Training] = relationship(back_populates="attendees")


class StoreProfile(CreatedAt, db.Model):
    """The store's declared construction facts (C-01, C-05): area, operator and its agreement."""

    __tablename__ = "outreach_store_profiles"

    store_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("stores.id"), primary_key=True)
    floor_area_m2: Mapped[int | None] = mapped_column(Integer)
    legal_form: Mapped[str] = mapped_column(String(16), nullable=False, default="")
    operator_name: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    agreement_file_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("outreach_files.id"))
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))


class ProfileItem(UUIDPk, StoreOwned, db.Model):
    """One checklist item of the profile: a zone (C-01), a signage item (C-02) or a rule document (C-05)."""

    __tablename__ = "outreach_profile_items"
    __table_args__ = (UniqueConstraint("store_id", "kind", "code"),)

    kind: Mapped[str] = mapped_column(String(8), nullable=False)
    code: Mapped[str] = mapped_column(String(24), nullable=False)
    present: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    file_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("outreach_files.id"))
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class OpeningHours(UUIDPk, StoreOwned, db.Model):
    """The regular opening of one weekday (0 = Monday), local time; C-03 compares shifts with it."""

    __tablename__ = "outreach_opening_hours"
    __table_args__ = (UniqueConstraint("store_id", "weekday"),
                      CheckConstraint("weekday >= 0 AND weekday <= 6", name="weekday_range"),
                      CheckConstraint("opens_at < closes_at", name="opens_before_closes"))

    weekday: Mapped[int] = mapped_column(Integer, nullable=False)
    opens_at: Mapped[time] = mapped_column(Time, nullable=False)
    closes_at: Mapped[time] = mapped_column(Time, nullable=False)
