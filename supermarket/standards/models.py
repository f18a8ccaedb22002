"""Standard versions, N/A decisions, daily facts and score snapshots.

A standard version's body is the whole standard as JSON (the StandardDoc shape): a published version is never
updated (the service refuses), so every stored score can always be explained by the version it names. The one
draft (status 'draft', version NULL) is the federation's working copy.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (JSON, BigInteger, Column, Date, Float, ForeignKey, Index, Integer, String, Table,
                        UniqueConstraint, Uuid, text)
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models import CreatedAt, UTCDateTime, UUIDPk

VERSION_STATUSES = ("draft", "published")


class StandardVersion(UUIDPk, CreatedAt, db.Model):
    __tablename__ = "standards_versions"
    __table_args__ = (
        # At most one draft at a time, on SQLite and PostgreSQL alike.
        Index("uq_standards_versions_one_draft", "status", unique=True, sqlite_where=text("status = 'draft'"),
              postgresql_where=text("status = 'draft'")),
    )
    version: Mapped[int | None] = mapped_column(Integer, unique=True)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    effective_from: Mapped[date | None] = mapped_column(Date)
    body: Mapped[dict] = mapped_column(JSON, nullable=False)
    created_by: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by: Mapped[str] = mapped_column(String(64), nullable=False, default="")


class NotApplicable(db.Model):
    """A rule declared not applicable to a store, with the reason and who decided (cleared = row deleted; the
    audit chain keeps both events)."""
    __tablename__ = "standards_not_applicable"
    store_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("stores.id"), primary_key=True)
    rule_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    reason: Mapped[str] = mapped_column(String(200), nullable=False)
    decided_by: Mapped[str] = mapped_column(String(64), nullable=False)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


# The figures kept per store and day (one column each; see facts.py for how each is aggregated). One wide row
# per store and day keeps the table at stores × days rows, whatever the number of figures.
FACT_KEYS: tuple[str, ...] = (
    "open_days",
    "shift_minutes",
    "staffed_days",
    "shifts_closed",
    "shifts_reconciled",
    "sales",
    "voids",
    "reversals",
    "reversals_approved",
    "sale_lines",
    "sale_lines_fund",
    "overrides",
    "overrides_approved",
    "expired_out",
    "donations",
    "donations_two_person",
    "intake_lines",
    "intake_lines_complete",
    "food_lines",
    "food_lines_expiry",
    "prohibited_lines",
    "dists",
    "dists_signed",
    "credits",
    "credits_shift",
    "credits_shift_ok",
    "credits_rule",
    "credits_landed",
    "credits_landed_published",
    "credits_approved",
    "credits_breach",
    "redemptions",
    "audit_events",
    "audit_gaps",
    # The dashboards' money (supermarket/oversight/): sales net of voids and returns by fund and by tender.
    "income_donated_fen",
    "income_purchased_fen",
    "income_other_fen",
    "tender_cash_fen",
    "tender_wechat_fen",
    "tender_alipay_fen",
    "tender_other_fen",
    # The dashboards' monthly trends: goods donated (the documents' totals) and aid handed out, by value.
    "goods_value_fen",
    "aid_value_fen",
    # The dashboards' other flows, so that a period of any length is one read of the facts (supermarket/oversight/):
    # goods donations and their units, items handed out, money donated by method (the donation fund and the change
    # given at the till), write-offs, points issued, redeemed and expired, closed shifts with a cash difference.
    "goods_donations",
    "goods_units",
    "aid_items",
    "money_cash_fen",
    "money_wechat_fen",
    "money_alipay_fen",
    "money_bank_transfer_fen",
    "money_other_fen",
    "writeoffs",
    "writeoffs_fen",
    "points_issued",
    "points_redeemed",
    "points_expired",
    "cash_diff_shifts",
    "cash_diff_abs_fen",
    # Donors whose first donation at the store fell on the day: a period's new donors are the sum of its days'.
    "donors_first",
)


class DailyFact(db.Model):
    """The additive figures of one store on one Asia/Shanghai day, aggregated from the raw ledgers."""
    __table__ = Table(
        "standards_daily_facts", db.metadata,
        Column("store_id", Uuid, ForeignKey("stores.id"), primary_key=True),
        Column("day", Date, primary_key=True),
        *(Column(key, BigInteger, nullable=False, default=0) for key in FACT_KEYS),
        Index("ix_standards_daily_facts_day", "day"),
    )


CASHIER_FACT_KEYS = ("sales", "voids", "returns", "overrides", "cash_diff_shifts", "cash_diff_abs_fen")


class CashierFact(db.Model):
    """The till figures of one cashier at one store on one Asia/Shanghai day (the dashboards' cashier table): sales,
    the voids and returns of their sales, their price overrides, their closed shifts with a cash difference. A
    surrogate key, since a sale synced without a cashier counts under none (cashier_id NULL)."""
    __table__ = Table(
        "standards_cashier_facts", db.metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("store_id", Uuid, ForeignKey("stores.id"), nullable=False),
        Column("day", Date, nullable=False),
        Column("cashier_id", Uuid),
        *(Column(key, BigInteger, nullable=False, default=0) for key in CASHIER_FACT_KEYS),
        Index("ix_standards_cashier_facts_day", "day"),
        Index("ix_standards_cashier_facts_store_day", "store_id", "day"),
    )


class GoodsCategoryFact(db.Model):
    """Donated goods by category of one store on one Asia/Shanghai day (the dashboards' goods by category)."""
    __table__ = Table(
        "standards_goods_category_facts", db.metadata,
        Column("store_id", Uuid, ForeignKey("stores.id"), primary_key=True),
        Column("day", Date, primary_key=True),
        Column("category_id", Uuid, ForeignKey("categories.id"), primary_key=True),
        Column("units", BigInteger, nullable=False, default=0),
        Column("value_fen", BigInteger, nullable=False, default=0),
        Index("ix_standards_goods_category_facts_day", "day"),
    )


class RefreshState(db.Model):
    """How far the daily facts reach: every day up to `last_day` is aggregated (`last_day` itself is redone
    on the next refresh, since records may still arrive for it)."""
    __tablename__ = "standards_refresh_state"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    first_day: Mapped[date] = mapped_column(Date, nullable=False)
    last_day: Mapped[date] = mapped_column(Date, nullable=False)
    refreshed_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class ScoreSnapshot(UUIDPk, db.Model):
    """A store's score on one day under one standard version, with every rule's result (`rules`: a list of
    {id, category, weight, grade, points, value, numerator, denominator, note, exceptions}). Kept for history:
    a new version adds new rows and never rewrites these."""
    __tablename__ = "standards_scores"
    __table_args__ = (UniqueConstraint("store_id", "version", "as_of", name="uq_standards_scores_store_version_day"),
                      Index("ix_standards_scores_as_of", "as_of", "version"))
    store_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("stores.id"), nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    as_of: Mapped[date] = mapped_column(Date, nullable=False)
    total: Mapped[float] = mapped_column(Float, nullable=False)
    stars: Mapped[int] = mapped_column(Integer, nullable=False)
    categories: Mapped[dict] = mapped_column(JSON, nullable=False)
    red_lines: Mapped[list] = mapped_column(JSON, nullable=False)
    functions: Mapped[dict] = mapped_column(JSON, nullable=False)
    next_star: Mapped[dict | None] = mapped_column(JSON)
    rules: Mapped[list] = mapped_column(JSON, nullable=False)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
