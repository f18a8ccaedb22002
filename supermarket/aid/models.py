"""Aid: household categories, households, entitlements, distributions and their usage cache, campaigns,
stored images (signatures, photographed sheets), views of household records and reviewed auditor flags."""
from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (Boolean, CheckConstraint, Column, Date, ForeignKey, Index, Integer, LargeBinary, String,
                        Table, Uuid, text)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import CreatedAt, StoreOwned, UTCDateTime, UUIDPk

HOUSEHOLD_STATUSES = ("active", "suspended", "expired")
PERIODS = ("month", "quarter", "year")
CAMPAIGN_STATUSES = ("open", "closed")
FILE_KINDS = ("signature", "sheet_photo")


class AidCategory(db.Model):
    """An eligibility category (低保, 特困, …). The list is data the federation edits."""

    __tablename__ = "aid_categories"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(32), nullable=False)
    # Months from verification to the next review (12 by default, 3 for temporary hardship).
    review_months: Mapped[int] = mapped_column(Integer, nullable=False, default=12)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class Household(UUIDPk, CreatedAt, StoreOwned, db.Model):
    """A registered household. `store_id` is the store that registered it and holds its record; it may be
    served at any store of the city. The ID number is kept only as a keyed hash and its last four characters."""

    __tablename__ = "households"
    __table_args__ = (
        # One ID number, one live household in the whole city (a suspended one still holds its number, so a
        # suspension cannot be dodged by registering again elsewhere).
        Index("uq_households_live_id_hmac", "id_hmac", unique=True,
              sqlite_where=text("status <> 'expired'"), postgresql_where=text("status <> 'expired'")),
        CheckConstraint("members >= 1 AND members <= 30", name="members_range"),
        CheckConstraint("status IN ('active', 'suspended', 'expired')", name="status_known"),
    )

    code: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    head_name: Mapped[str] = mapped_column(String(32), nullable=False, index=True)
    id_hmac: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    id_last4: Mapped[str] = mapped_column(String(4), nullable=False, index=True)
    phone: Mapped[str] = mapped_column(String(20), nullable=False, default="")
    community: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    address: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    # The address without spaces and punctuation, for the "several households at one address" flag.
    address_key: Mapped[str] = mapped_column(String(200), nullable=False, default="", index=True)
    members: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    category_code: Mapped[str] = mapped_column(String(32), ForeignKey("aid_categories.code"), nullable=False)
    proof_ref: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    verified_by: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    verified_on: Mapped[date] = mapped_column(Date, nullable=False)
    review_due: Mapped[date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="active")
    status_reason: Mapped[str] = mapped_column(String(200), nullable=False, default="")

    category: Mapped[AidCategory] = relationship()
    store = relationship("Store")

    def validity(self, today: date) -> str:
        """active, suspended or expired (a record past its review date counts as expired)."""
        if self.status == "active" and self.review_due < today:
            return "expired"
        return self.status


entitlement_goods = Table(
    "aid_entitlement_goods", db.metadata,
    Column("entitlement_id", Uuid, ForeignKey("aid_entitlements.id"), primary_key=True),
    Column("category_id", Uuid, ForeignKey("categories.id"), primary_key=True),
)


class Entitlement(UUIDPk, CreatedAt, db.Model):
    """What a household of one category may receive per period, city-wide, between two dates."""

    __tablename__ = "aid_entitlements"
    __table_args__ = (
        CheckConstraint("value_cap_fen IS NOT NULL OR item_cap IS NOT NULL", name="has_a_cap"),
        CheckConstraint("value_cap_fen IS NULL OR value_cap_fen > 0", name="value_cap_positive"),
        CheckConstraint("item_cap IS NULL OR item_cap > 0", name="item_cap_positive"),
        CheckConstraint("effective_to IS NULL OR effective_to > effective_from", name="dates_ordered"),
    )

    category_code: Mapped[str] = mapped_column(String(32), ForeignKey("aid_categories.code"), nullable=False,
                                               index=True)
    period: Mapped[str] = mapped_column(String(16), nullable=False, default="month")
    value_cap_fen: Mapped[int | None] = mapped_column(Integer)
    item_cap: Mapped[int | None] = mapped_column(Integer)
    effective_from: Mapped[date] = mapped_column(Date, nullable=False)
    # Exclusive; None = open-ended.
    effective_to: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(200), nullable=False, default="")

    category: Mapped[AidCategory] = relationship()
    # Empty = any goods; otherwise only items of these catalog categories.
    goods_categories = relationship("Category", secondary=entitlement_goods, order_by="Category.code")


class AidUsage(db.Model):
    """What a household has received in one period at every store: a cache of its distributions, moved with a
    guarded UPDATE inside the hand-out's transaction so two stores can never together exceed the cap."""

    __tablename__ = "aid_usage"
    __table_args__ = (
        CheckConstraint("value_fen >= 0", name="value_not_negative"),
        CheckConstraint("items >= 0", name="items_not_negative"),
    )

    household_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("households.id"), primary_key=True)
    period_key: Mapped[str] = mapped_column(String(16), primary_key=True)
    value_fen: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    items: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class AidFile(UUIDPk, CreatedAt, StoreOwned, db.Model):
    """An image kept in the database (signatures, photographed sign-off sheets), so it travels with the
    ledger to central and into backups; only validated PNG/JPEG bytes of bounded size are accepted."""

    __tablename__ = "aid_files"

    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    content_type: Mapped[str] = mapped_column(String(32), nullable=False)
    data: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    size_bytes: Mapped[int] = mapped_column(Integer, nullable=False)
    width: Mapped[int] = mapped_column(Integer, nullable=False)
    height: Mapped[int] = mapped_column(Integer, nullable=False)
    campaign_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("aid_campaigns.id"), index=True)
    uploaded_by: Mapped[str] = mapped_column(String(64), nullable=False, default="")


class Campaign(UUIDPk, CreatedAt, StoreOwned, db.Model):
    """A hand-out event of one store (e.g. 春节送温暖): a standard pack for a list of households."""

    __tablename__ = "aid_campaigns"

    serial: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(64), nullable=False)
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="open")
    # Festival packs are usually on top of the monthly entitlement; set to count them against it.
    counts_toward_entitlement: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_by: Mapped[str] = mapped_column(String(64), nullable=False, default="")

    pack = relationship("CampaignPackLine", order_by="CampaignPackLine.position", cascade="all, delete-orphan")
    store = relationship("Store")


class CampaignPackLine(db.Model):
    __tablename__ = "aid_campaign_pack"
    __table_args__ = (CheckConstraint("qty > 0", name="qty_positive"),)

    campaign_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("aid_campaigns.id"), primary_key=True)
    item_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("items.id"), primary_key=True)
    qty: Mapped[int] = mapped_column(Integer, nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    item = relationship("Item")


class CampaignHousehold(db.Model):
    """A household on a campaign's list; `distribution_id` is set (once, guarded) when it receives the pack."""

    __tablename__ = "aid_campaign_households"

    campaign_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("aid_campaigns.id"), primary_key=True)
    household_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("households.id"), primary_key=True)
    distribution_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("distributions.id"), unique=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    household: Mapped[Household] = relationship()


class Distribution(UUIDPk, CreatedAt, StoreOwned, db.Model):
    """One hand-out (at the counter or in a campaign). Never edited or deleted."""

    __tablename__ = "distributions"
    __table_args__ = (
        CheckConstraint("value_fen >= 0", name="value_not_negative"),
        CheckConstraint("items > 0", name="items_positive"),
        Index("ix_distributions_household_day", "household_id", "handed_out_on"),
        # the public list reads a store's month
        Index("ix_distributions_store_day", "store_id", "handed_out_on"),
    )

    serial: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    household_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("households.id"), nullable=False)
    category_code: Mapped[str] = mapped_column(String(32), nullable=False)
    period_key: Mapped[str] = mapped_column(String(16), nullable=False)
    entitlement_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("aid_entitlements.id"))
    counts_toward_entitlement: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    handed_out_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    # The business day in Asia/Shanghai: the public list and the auditor flags group by it.
    handed_out_on: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    value_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    items: Mapped[int] = mapped_column(Integer, nullable=False)
    operator_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    operator_name: Mapped[str] = mapped_column(String(64), nullable=False)
    witness_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    witness_name: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    signature_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("aid_files.id"))
    proxy_name: Mapped[str] = mapped_column(String(32), nullable=False, default="")
    proxy_relation: Mapped[str] = mapped_column(String(32), nullable=False, default="")
    campaign_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("aid_campaigns.id"), index=True)
    override: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    override_reason: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    override_by: Mapped[str] = mapped_column(String(64), nullable=False, default="")

    household: Mapped[Household] = relationship()
    lines = relationship("DistributionLine", order_by="DistributionLine.position")
    store = relationship("Store")
    campaign = relationship("Campaign")


class DistributionLine(UUIDPk, db.Model):
    __tablename__ = "distribution_lines"
    __table_args__ = (CheckConstraint("qty > 0", name="qty_positive"),)

    distribution_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("distributions.id"), nullable=False,
                                                       index=True)
    item_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("items.id"), nullable=False)
    # Name and unit as handed out (the catalog may be renamed later; the public list keeps what happened).
    item_name: Mapped[str] = mapped_column(String(100), nullable=False)
    unit: Mapped[str] = mapped_column(String(16), nullable=False, default="")
    qty: Mapped[int] = mapped_column(Integer, nullable=False)
    unit_value_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    value_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class HouseholdView(UUIDPk, db.Model):
    """Who opened a household's full record, and when (read-access log; the district auditor reviews it)."""

    __tablename__ = "aid_household_views"

    household_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("households.id"), nullable=False, index=True)
    # The household's store, so the log is scoped like the record.
    store_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("stores.id"), nullable=False, index=True)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    actor_name: Mapped[str] = mapped_column(String(64), nullable=False)
    role: Mapped[str] = mapped_column(String(32), nullable=False, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, index=True)
    via: Mapped[str] = mapped_column(String(16), nullable=False, default="page")



class PublicListPdf(db.Model):
    """A store month's public list as a PDF, rendered once per published version (the version changes only when
    a hand-out is added): the public download serves these bytes, so nobody can make the server render a long
    list again and again."""

    __tablename__ = "aid_public_pdfs"

    store_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("stores.id"), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    version: Mapped[str] = mapped_column(String(64), nullable=False)
    rows: Mapped[int] = mapped_column(Integer, nullable=False)
    pdf: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    rendered_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
