"""The dashboards' standing snapshot: how each store stands (stock value and age, food near expiry, pledges open,
households due for review, the points liability and the stock it can be redeemed against), taken by a periodic
job so that a page view does not value every lot of the city. A cache of the ledgers: it holds nothing that the
ledgers do not, and `standing.take` replaces it whole."""
from __future__ import annotations

from sqlalchemy import BigInteger, Column, Date, ForeignKey, Table, Uuid

from ..extensions import db
from ..models import UTCDateTime

STANDING_KEYS = (
    "pledges_open", "pledges_open_fen", "pledges_overdue", "pledges_overdue_fen", "review_due", "points_liability",
    "points_stock", "stock_fen", "age30_fen", "age90_fen", "age180_fen", "age_over_fen", "expiring7",
    "expiring7_fen", "expiring30", "expiring30_fen",
)


class StandingSnapshot(db.Model):
    """One store's standing as of `as_of` (the Asia/Shanghai day it was taken), taken at `taken_at`."""
    __table__ = Table(
        "oversight_standing", db.metadata,
        Column("store_id", Uuid, ForeignKey("stores.id"), primary_key=True),
        Column("as_of", Date, nullable=False),
        Column("taken_at", UTCDateTime, nullable=False),
        *(Column(key, BigInteger, nullable=False, default=0) for key in STANDING_KEYS),
    )
