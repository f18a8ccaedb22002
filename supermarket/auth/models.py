"""User accounts, API tokens and login attempts."""
from __future__ import annotations

import uuid
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import CreatedAt, UTCDateTime, UUIDPk


class User(UUIDPk, CreatedAt, UserMixin, db.Model):
    __tablename__ = "users"

    username: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    display_name: Mapped[str] = mapped_column(String(64), nullable=False)
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    # A short PIN for approvals on the tablet (a manager's countersign); optional.
    pin_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(32), nullable=False)
    store_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("stores.id"), index=True)
    district_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("districts.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    # Bumped on password change or deactivation so old sessions stop working.
    session_version: Mapped[int] = mapped_column(nullable=False, default=1)

    store = relationship("Store")
    district = relationship("District")

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active


class ApiToken(UUIDPk, CreatedAt, db.Model):
    """A bearer token for tablets and integrations; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"), nullable=False, index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    label: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = relationship("User")


class LoginAttempt(UUIDPk, db.Model):
    """Every login try, so repeated failures can slow an account or an address down."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_username_at", "username", "at"),
        Index("ix_login_attempts_address_at", "address", "at"),
    )

    username: Mapped[str] = mapped_column(String(64), nullable=False)
    address: Mapped[str] = mapped_column(String(64), nullable=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    success: Mapped[bool] = mapped_column(Boolean, nullable=False)
