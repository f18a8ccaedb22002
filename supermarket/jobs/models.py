"""The record of every job run (append-only but for the run's own row, finished when it ends)."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models import UTCDateTime, UUIDPk

JOB_STATUSES = ("running", "ok", "failed")


class JobRun(UUIDPk, db.Model):
    __tablename__ = "job_runs"
    __table_args__ = (
        # At most one run of a job at a time, on SQLite and PostgreSQL alike: a second `flask jobs run` started
        # while the first still runs a job skips that job instead of doing it twice.
        Index("uq_job_runs_one_running", "name", unique=True, sqlite_where=text("status = 'running'"),
              postgresql_where=text("status = 'running'")),
        Index("ix_job_runs_name_started", "name", "started_at"),
    )

    id: Mapped[uuid.UUID]
    name: Mapped[str] = mapped_column(String(64), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    summary: Mapped[str] = mapped_column(Text, nullable=False, default="{}")
    error: Mapped[str] = mapped_column(Text, nullable=False, default="")
