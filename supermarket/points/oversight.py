"""Oversight of points, per store and city-wide: issued, redeemed, expired; liability against redeemable stock;
and the flags auditors look at (breached caps, bulk entries, one approver approving most, frequent redeemers).

Figures come from grouped SQL aggregates over the period (one query per figure for all stores at once); the flags
read the period's rows once and look for patterns in Python.
"""
from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, aliased

from ..auth.permissions import Actor, Role, require
from ..privacy import mask_name
from .models import PointsCredit, PointsEntry, Resident
from ..clock import local_date, month_bounds_utc
from .rules import current_table_or_none

# Flag thresholds (V-05 in the research note: bulk-entry alert; caps per day and month).
BULK_ENTRIES = 10            # shifts entered by one person ...
BULK_WINDOW = timedelta(minutes=10)   # ... within this many minutes
APPROVER_SHARE = 0.8         # one approver with this share of a store's approvals ...
APPROVER_MIN = 10            # ... out of at least this many
REDEEM_MIN = 8               # a resident redeeming at least this often in the month ...
REDEEM_FACTOR = 3            # ... and this many times the median redeemer


@dataclass
class StoreFigures:
    issued: int = 0
    redeemed: int = 0
    expired: int = 0
    adjusted: int = 0
    stock_points: int | None = None


@dataclass(frozen=True)
class Flag:
    kind: str
    title: str
    detail: str
    store_id: object = None


@dataclass
class Overview:
    month: date
    point_value_fen: int
    by_store: dict = field(default_factory=dict)   # store_id (None: city platform) -> StoreFigures
    total: StoreFigures = field(default_factory=StoreFigures)
    liability_points: int = 0
    flags: list = field(default_factory=list)

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
    """The month's figures and flags for `store_ids` (None: all the actor may see; city-wide for the federation).

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
    result.flags = flags(session, store_ids, start, end, table)
    return result


def flags(session: Session, store_ids, start: datetime, end: datetime, table) -> list[Flag]:
    credits = session.execute(
        select(PointsCredit.resident_id, PointsCredit.store_id, PointsCredit.occurred_at, PointsCredit.created_at,
               PointsCredit.minutes, PointsCredit.points, PointsCredit.source, PointsCredit.entered_by_name,
               PointsCredit.approved_by_name, PointsCredit.status)
        .where(_in_scope(PointsCredit.store_id, store_ids), PointsCredit.created_at >= start,
               PointsCredit.created_at < end)).all()
    return (_cap_flags(session, store_ids, start, end, table, credits)
            + _bulk_flags(credits) + _approver_flags(session, credits) + _redeemer_flags(session, store_ids, start, end))


def _who(session: Session, resident_ids) -> dict:
    rows = session.execute(select(Resident.id, Resident.name, Resident.member_code)
                           .where(Resident.id.in_(list(resident_ids)))).all()
    return {rid: f"{mask_name(name)}（{code}）" for rid, name, code in rows}


def _cap_flags(session, store_ids, start, end, table, credits) -> list[Flag]:
    if table is None:
        return []
    out: list[Flag] = []
    if table.max_points_per_month:
        earned = session.execute(
            select(PointsEntry.resident_id, func.sum(PointsEntry.points))
            .where(_in_scope(PointsEntry.store_id, store_ids), PointsEntry.created_at >= start,
                   PointsEntry.created_at < end, PointsEntry.points > 0,
                   PointsEntry.kind.in_(("earn", "adjust")))
            .group_by(PointsEntry.resident_id)
            .having(func.sum(PointsEntry.points) > table.max_points_per_month)).all()
        who = _who(session, [r for r, _n in earned])
        out += [Flag("cap", _("超过每月积分上限"),
                     _("%(who)s 本月获得 %(n)d 分，上限 %(cap)d 分", who=who[r], n=n, cap=table.max_points_per_month))
                for r, n in earned]
    hours: Counter = Counter()
    for c in credits:
        if c.minutes and c.status != "rejected":
            hours[(c.resident_id, local_date(c.occurred_at))] += c.minutes
    over = [(k, m) for k, m in hours.items() if m > table.max_hours_per_day * 60]
    who = _who(session, {k[0] for k, _m in over})
    out += [Flag("cap", _("超过每日服务时长上限"),
                 _("%(who)s 在 %(day)s 登记 %(h)s 小时", who=who[k[0]], day=k[1].isoformat(), h=_hours(m)))
            for k, m in over]
    return out


def _bulk_flags(credits) -> list[Flag]:
    by_enterer = defaultdict(list)
    for c in credits:
        if c.source == "shift":
            by_enterer[(c.store_id, c.entered_by_name)].append(c.created_at)
    out = []
    for (store_id, who), times in by_enterer.items():
        times.sort()
        lo = best = 0
        for hi in range(len(times)):
            while times[hi] - times[lo] > BULK_WINDOW:
                lo += 1
            best = max(best, hi - lo + 1)
        if best >= BULK_ENTRIES:
            out.append(Flag("bulk", _("短时间内批量录入"),
                            _("%(who)s 在 %(m)d 分钟内录入了 %(n)d 条服务记录", who=who,
                              m=int(BULK_WINDOW.total_seconds() // 60), n=best), store_id))
    return out


def _approver_flags(session: Session, credits) -> list[Flag]:
    """A store where one person approves most shifts although others could (a store with a single manager
    is not flagged for it: that is how it is staffed, not a pattern)."""
    from ..auth.models import User

    by_store = defaultdict(Counter)
    for c in credits:
        if c.source == "shift" and c.approved_by_name:
            by_store[c.store_id][c.approved_by_name] += 1
    managers = Counter(session.scalars(select(User.store_id).where(
        User.role == Role.STORE_MANAGER.value, User.active.is_(True), User.store_id.in_(list(by_store)))))
    out = []
    for store_id, counts in by_store.items():
        total = sum(counts.values())
        who, n = counts.most_common(1)[0]
        if managers[store_id] >= 2 and total >= APPROVER_MIN and n / total >= APPROVER_SHARE:
            out.append(Flag("approver", _("审核集中于一人"),
                            _("%(who)s 审核了本店 %(n)d / %(total)d 条记录", who=who, n=n, total=total), store_id))
    return out


def _redeemer_flags(session, store_ids, start, end) -> list[Flag]:
    rows = session.execute(
        select(PointsEntry.resident_id, func.count())
        .where(_in_scope(PointsEntry.store_id, store_ids), PointsEntry.kind == "redeem",
               PointsEntry.created_at >= start, PointsEntry.created_at < end)
        .group_by(PointsEntry.resident_id)).all()
    if not rows:
        return []
    counts = sorted(n for _r, n in rows)

    def others_median(n):
        """The median of everyone else's count: one outlier must not raise its own bar (O(log n))."""
        m = len(counts) - 1
        if m == 0:
            return 0
        skip = bisect.bisect_left(counts, n)
        at = [j if j < skip else j + 1 for j in ((m - 1) // 2, m // 2)]
        return (counts[at[0]] + counts[at[1]]) / 2

    often = [(r, n) for r, n in rows if n >= max(REDEEM_MIN, REDEEM_FACTOR * others_median(n))]
    who = _who(session, [r for r, _n in often])
    return [Flag("redeemer", _("兑换异常频繁"), _("%(who)s 本月兑换 %(n)d 次", who=who[r], n=n)) for r, n in often]


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
