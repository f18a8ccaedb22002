"""The rating procedure's records. The decision is the truth of a store's star (`stores.star_level` is its
cache); an assessment keeps the auto figures frozen at its first submission (`frozen`), never recomputed."""
from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (JSON, Boolean, Date, Float, ForeignKey, Index, Integer, LargeBinary, String,
                        UniqueConstraint, Uuid)
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models import CreatedAt, StoreOwned, UTCDateTime, UUIDPk

# draft → submitted (→ returned → submitted) → onsite (4–5 stars) → publicity → decided
STATUSES = ("draft", "submitted", "returned", "onsite", "publicity", "decided")


class RatingRound(UUIDPk, CreatedAt, db.Model):
    """A round opened by a district auditor for their district, or by the federation for the city
    (`district_id` NULL)."""
    __tablename__ = "rating_rounds"
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    district_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("districts.id"), index=True)
    standard_version: Mapped[int] = mapped_column(Integer, nullable=False)
    deadline: Mapped[date] = mapped_column(Date, nullable=False)
    opened_by: Mapped[str] = mapped_column(String(64), nullable=False)
    # open → closed (after the deadline, once every submitted assessment is decided); nothing changes after.
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="open", server_default="open")
    closed_by: Mapped[str] = mapped_column(String(64), nullable=False, default="", server_default="")
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Assessment(UUIDPk, CreatedAt, StoreOwned, db.Model):
    __tablename__ = "rating_assessments"
    __table_args__ = (UniqueConstraint("round_id", "store_id", name="uq_rating_assessments_round_store"),
                      Index("ix_rating_assessments_status", "status"))
    round_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("rating_rounds.id"), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="draft")
    stars_applied: Mapped[int | None] = mapped_column(Integer)
    standard_version: Mapped[int] = mapped_column(Integer, nullable=False)
    # {as_of, rules: [RuleScore as dict, auto rules only], red_lines, functions}: written once, at the first
    # submission.
    frozen: Mapped[dict | None] = mapped_column(JSON)
    total: Mapped[float | None] = mapped_column(Float)
    stars_allowed: Mapped[int | None] = mapped_column(Integer)
    returned_items: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_due: Mapped[date | None] = mapped_column(Date)
    accepted_by: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    publicity_ends: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Answer(db.Model):
    """The store's answer to one `self` rule: the value asked (yes/no, numbers, a checklist) and the grade it
    gives."""
    __tablename__ = "rating_answers"
    assessment_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("rating_assessments.id"), primary_key=True)
    rule_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    value: Mapped[dict] = mapped_column(JSON, nullable=False)
    grade: Mapped[str] = mapped_column(String(4), nullable=False)
    answered_by: Mapped[str] = mapped_column(String(64), nullable=False)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class Evidence(UUIDPk, StoreOwned, db.Model):
    """A photo or PDF, checked by content; a replacement is a new version, the old ones are kept
    (`superseded_at` set). Owned by an answer (assessment + rule), an on-site item or a finding."""
    __tablename__ = "rating_evidence"
    __table_args__ = (Index("ix_rating_evidence_owner", "assessment_id", "rule_id"),)
    assessment_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("rating_assessments.id"))
    finding_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("rating_findings.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(16), nullable=False)  # answer | onsite | finding | response
    rule_id: Mapped[str] = mapped_column(String(16), nullable=False, default="")
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    filename: Mapped[str] = mapped_column(String(120), nullable=False, default="")
    content_type: Mapped[str] = mapped_column(String(40), nullable=False)
    size_bytes: Mapped[int] = mapped_column(Integer, nullable=False)
    width_px: Mapped[int | None] = mapped_column(Integer)
    height_px: Mapped[int | None] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    data: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    uploaded_by: Mapped[str] = mapped_column(String(64), nullable=False)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Review(UUIDPk, db.Model):
    """The district's word on one item: confirmed (same grade) or overridden (another grade, with a reason).
    Both the store's and the auditor's grades are kept."""
    __tablename__ = "rating_reviews"
    __table_args__ = (Index("ix_rating_reviews_assessment", "assessment_id"),)
    assessment_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("rating_assessments.id"), nullable=False)
    rule_id: Mapped[str] = mapped_column(String(16), nullable=False)
    store_grade: Mapped[str | None] = mapped_column(String(4))
    grade: Mapped[str] = mapped_column(String(4), nullable=False)
    reason: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    reviewed_by: Mapped[str] = mapped_column(String(64), nullable=False)
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class OnsiteVisit(UUIDPk, StoreOwned, db.Model):
    """The on-site check as the district scheduled it: the day and at least two inspectors (auditors of the
    store's district, none of the store's own staff). The store sees it; only these inspectors record the
    check. Rescheduling rewrites the row (each change is in the audit chain) until the check is recorded."""
    __tablename__ = "rating_onsite_visits"
    assessment_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("rating_assessments.id"), nullable=False,
                                                     unique=True)
    scheduled_on: Mapped[date] = mapped_column(Date, nullable=False)
    inspectors: Mapped[list] = mapped_column(JSON, nullable=False)  # usernames
    note: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    scheduled_by: Mapped[str] = mapped_column(String(64), nullable=False)
    scheduled_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class OnsiteCheck(UUIDPk, db.Model):
    """The on-site check of a 4–5 star application: the `audit` rules' grades, signed by two auditors.
    `results` keeps what the inspectors found per rule ({rule: {"result": met|partly|not_met, "note"}}; NULL on
    checks recorded before results were kept); `items` the grades they give (met A, partly C, not met D)."""
    __tablename__ = "rating_onsite_checks"
    assessment_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("rating_assessments.id"), nullable=False,
                                                     unique=True)
    visited_on: Mapped[date] = mapped_column(Date, nullable=False)
    items: Mapped[dict] = mapped_column(JSON, nullable=False)  # {rule_id: grade}
    results: Mapped[dict | None] = mapped_column(JSON)
    passed: Mapped[bool] = mapped_column(Boolean, nullable=False)
    note: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    auditor_1: Mapped[str] = mapped_column(String(64), nullable=False)
    auditor_2: Mapped[str] = mapped_column(String(64), nullable=False)
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class Objection(UUIDPk, CreatedAt, db.Model):
    """An objection from anyone during publicity (no login). The contact is never shown publicly."""
    __tablename__ = "rating_objections"
    assessment_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("rating_assessments.id"), nullable=False,
                                                     index=True)
    reference: Mapped[str] = mapped_column(String(20), nullable=False, unique=True)
    text: Mapped[str] = mapped_column(String(1000), nullable=False)
    contact: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    answer: Mapped[str] = mapped_column(String(1000), nullable=False, default="")
    answered_by: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Decision(UUIDPk, StoreOwned, db.Model):
    """Rated N stars (or not rated, `stars` 0, with the reasons). `status` follows the star's life: valid,
    suspended (RL-4), revoked (RL-2), downgraded (a newer decision replaces it), expired."""
    __tablename__ = "rating_decisions"
    assessment_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("rating_assessments.id"),
                                                            unique=True)
    number: Mapped[str] = mapped_column(String(40), nullable=False, unique=True)
    stars: Mapped[int] = mapped_column(Integer, nullable=False)
    reasons: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    decided_by: Mapped[str] = mapped_column(String(64), nullable=False)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    valid_from: Mapped[date] = mapped_column(Date, nullable=False)
    valid_until: Mapped[date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="valid")
    status_reason: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    status_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reapply_after: Mapped[date] = mapped_column(Date, nullable=False)
    # Why the decision came after the 15 days following the publicity ('' when on time).
    late_reason: Mapped[str] = mapped_column(String(300), nullable=False, default="", server_default="")
    # Opens the public verification page (the certificate's QR code); reveals nothing by itself.
    token: Mapped[str] = mapped_column(String(32), nullable=False, unique=True)


class Finding(UUIDPk, CreatedAt, StoreOwned, db.Model):
    """A finding of the auditor (during review, on site, or any time) and the store's rectification (整改)."""
    __tablename__ = "rating_findings"
    assessment_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("rating_assessments.id"))
    rule_id: Mapped[str] = mapped_column(String(16), nullable=False)
    red_line: Mapped[str] = mapped_column(String(8), nullable=False, default="")
    severity: Mapped[str] = mapped_column(String(8), nullable=False)  # minor | major | critical
    description: Mapped[str] = mapped_column(String(500), nullable=False)
    due_on: Mapped[date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="open")  # open|answered|closed
    created_by: Mapped[str] = mapped_column(String(64), nullable=False)
    response: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    responded_by: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Proposal(UUIDPk, CreatedAt, StoreOwned, db.Model):
    """A step the yearly job proposes (downgrade) or takes (revoke, suspend) for a decision; `key` makes the
    job safe to run twice (one proposal per decision, kind and period)."""
    __tablename__ = "rating_proposals"
    decision_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("rating_decisions.id"), nullable=False)
    key: Mapped[str] = mapped_column(String(80), nullable=False, unique=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)  # downgrade | yearly | checked (quarters looked at)
    reason: Mapped[str] = mapped_column(String(300), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="proposed")  # proposed|confirmed|rejected|done
    confirmed_by: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # confirmed or rejected: by whom, when
    rejection_reason: Mapped[str] = mapped_column(String(300), nullable=False, default="", server_default="")
