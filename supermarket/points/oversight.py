"""Oversight of points, per store and city-wide: issued, redeemed, expired; liability against redeemable stock;
(the flags auditors look at — breached caps, bulk entries, one approver approving most, frequent redeemers — are
on the anomaly board now: supermarket/flags/detectors/points.py).

Figures come from grouped SQL aggregates over the period (one query per figure for all stores at once).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, aliased

from ..auth.permissions import Actor, Role, require
from .models import PointsEntry, Resident
from ..clock import local_date, month_bounds_utc
from .rules import current_table_or_none

@dataclass
class StoreFigures:
    issued: int = 0
    redeemed: int = 0
    expired: int = 0
    adjusted: int = 0
    stock_points: int | None = None


@dataclass
class Overview:
    month: date
    point_value_fen: int
    by_store: dict = field(default_factory=dict)   # store_id (None: city platform) -> StoreFigures
    total: StoreFigures = field(default_factory=StoreFigures)
    liability_points: int = 0

    @property
    def liability_fen(self) -> int:
        return self.liability_points * self.point_value_fen

    @property
    def stock_fen(self) -> int:
        return (self.total.stock_points or 0) * self.point_value_fen

    @property
    def coverage_ratio(self) -> str | None:
        """Liability over redeemable stock (≤ 1.00 means the stock covers the points outstanding)."""
        if not self.total.stock_points:
            return None
        return f"{self.liability_points / self.total.stock_points:.2f}"


def _hours(minutes: int) -> str:
    return f"{minutes / 60:g}"


def can_oversee(actor: Actor) -> bool:
    return actor.role in (Role.STORE_MANAGER, Role.DISTRICT_AUDITOR, Role.FEDERATION_ADMIN)


def _in_scope(column, store_ids):
    return True if store_ids is None else column.in_(store_ids)


def _figures(session: Session, store_ids, start: datetime, end: datetime) -> dict:
    original = aliased(PointsEntry)
    redeem_refund = and_(PointsEntry.kind == "reverse", original.kind == "redeem")
    rows = session.execute(
        select(PointsEntry.store_id,
               func.sum(case((PointsEntry.kind == "earn", PointsEntry.points), else_=0)),
               func.sum(case((PointsEntry.kind == "redeem", -PointsEntry.points),
                             (redeem_refund, -PointsEntry.points), else_=0)),
               func.sum(case((PointsEntry.kind == "expire", -PointsEntry.points), else_=0)),
               func.sum(case((PointsEntry.kind == "adjust", PointsEntry.points), else_=0)))
        .outerjoin(original, original.id == PointsEntry.reverses_id)
        .where(_in_scope(PointsEntry.store_id, store_ids), PointsEntry.created_at >= start,
               PointsEntry.created_at < end)
        .group_by(PointsEntry.store_id)).all()
    return {sid: StoreFigures(int(i or 0), int(r or 0), int(x or 0), int(a or 0)) for sid, i, r, x, a in rows}


def _stock(session: Session, store_ids) -> dict:
    """Points each store's redeemable stock could absorb: on-hand quantity × the item's points price."""
    from ..catalog.models import Item
    from ..inventory.models import StockBalance

    rows = session.execute(
        select(StockBalance.store_id, func.sum(StockBalance.qty * Item.points_price))
        .join(Item, Item.id == StockBalance.item_id)
        .where(Item.points_price.is_not(None), StockBalance.qty > 0, _in_scope(StockBalance.store_id, store_ids))
        .group_by(StockBalance.store_id)).all()
    return {sid: int(points or 0) for sid, points in rows}


def overview(session: Session, actor: Actor, *, month: date, store_ids=None, now: datetime) -> Overview:
    """The month's figures for `store_ids` (None: all the actor may see; city-wide for the federation).

    Liability is city-wide: residents spend at any store, so no store owns a share of it.
    """
    require(can_oversee(actor), _("您无权查看积分监管"))
    if store_ids is None:
        store_ids = None if actor.all_stores else set(actor.store_ids)
    else:
        store_ids = {s for s in store_ids if actor.can_see_store(s)}
    start, end = month_bounds_utc(month)
    table = current_table_or_none(session, now)
    result = Overview(month=month, point_value_fen=table.point_value_fen if table else 100)
    result.by_store = _figures(session, store_ids, start, end)
    stock = _stock(session, store_ids)
    for sid, points in stock.items():
        result.by_store.setdefault(sid, StoreFigures()).stock_points = points
    for fig in result.by_store.values():
        for name in ("issued", "redeemed", "expired", "adjusted"):
            setattr(result.total, name, getattr(result.total, name) + getattr(fig, name))
    result.total.stock_points = sum(stock.values())
    result.liability_points = session.scalar(select(func.coalesce(func.sum(Resident.balance), 0))) or 0
    return result


def today_figures(session: Session, store_id, start: datetime, end: datetime) -> list:
    """The store home page's points figures for the day (wiring.HOME_FIGURES)."""
    from ..stores.service import Figure

    fig = _figures(session, {store_id}, start, end).get(store_id, StoreFigures())
    return [Figure(_("今日兑换积分"), str(fig.redeemed)), Figure(_("今日发放积分"), str(fig.issued))]


def month_of(value: str | None, now: datetime) -> date:
    """'2026-06' → 1 June 2026; anything else → this month (Asia/Shanghai)."""
    try:
        year, month = (int(p) for p in (value or "").split("-"))
        return date(year, month, 1)
    except ValueError:
        return local_date(now).replace(day=1)
