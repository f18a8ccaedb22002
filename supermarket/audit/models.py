"""Audit events and the head of each hash chain."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, Index, Integer, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models import UTCDateTime, UUIDPk

GLOBAL_CHAIN = "global"


class AuditEvent(UUIDPk, db.Model):
    """One state change. `hash` = SHA-256(prev_hash + canonical content); editing or deleting any row breaks it."""

    __tablename__ = "audit_events"
    __table_args__ = (UniqueConstraint("chain", "seq"),)

    chain: Mapped[str] = mapped_column(String(40), nullable=False)
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, index=True)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    actor_name: Mapped[str] = mapped_column(String(64), nullable=False)
    role: Mapped[str] = mapped_column(String(32), nullable=False, default="")
    # No foreign key: the log must outlive anything it mentions.
    store_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    action: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    subject_type: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    subject_id: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    summary: Mapped[str] = mapped_column(Text, nullable=False, default="{}")
    prev_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    hash: Mapped[str] = mapped_column(String(64), nullable=False)


class AuditChainHead(db.Model):
    """The last link of each chain. Its row lock serialises appends to one chain (one store)."""

    __tablename__ = "audit_chain_heads"

    chain: Mapped[str] = mapped_column(String(40), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    hash: Mapped[str] = mapped_column(String(64), nullable=False)


class AuditCheckpoint(db.Model):
    """Where a verification found a chain whole: (chain, seq, the event's hash). The next daily run starts there
    instead of at the chain's first event. Checkpoints are themselves chained (`hash` covers the previous
    checkpoint's hash), so a forged checkpoint that skips a broken stretch is itself found."""

    __tablename__ = "audit_checkpoints"
    __table_args__ = (Index("ix_audit_checkpoints_chain_seq", "chain", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    chain: Mapped[str] = mapped_column(String(40), nullable=False)
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    event_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    verified_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    full: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    prev_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    hash: Mapped[str] = mapped_column(String(64), nullable=False)
