"""Reading sales: one sale, a day's sales, the totals of a shift or a day (by tender, by fund, voids, returns,
cash variance), and the void rate of many stores at once. Totals are SQL aggregates, never a loop of queries."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, selectinload

from ..auth.permissions import Actor, get_scoped, scope
from ..clock import day_bounds_utc
from .models import Payment, Sale, SaleLine, Shift, ShiftCount

FUND_LABELS = {"donated": _l("义卖（捐赠物品）"), "purchased": _l("采购商品")}
KIND_LABELS = {"sale": _l("销售"), "void": _l("作废"), "return": _l("退货")}
STATUS_LABELS = {"completed": _l("已完成"), "voided": _l("已作废"), "partly_returned": _l("部分退货"),
                 "returned": _l("已全部退货")}


def get_sale(session: Session, actor: Actor, sale_id) -> Sale:
    """One sale, void or return the actor may see; NotFound for other stores' ids."""
    return get_scoped(session, actor, Sale, sale_id)


def reversals_of(session: Session, sale: Sale) -> list[Sale]:
    return list(session.scalars(select(Sale).where(Sale.reverses_id == sale.id).order_by(Sale.sold_at)))


def _sales_stmt(actor: Actor, store_id, day: date):
    start, end = day_bounds_utc(day)
    stmt = scope(select(Sale), actor, Sale).where(Sale.store_id == store_id, Sale.sold_at >= start,
                                                   Sale.sold_at < end)
    return stmt.options(selectinload(Sale.payments), selectinload(Sale.cashier)) \
        .order_by(Sale.sold_at.desc(), Sale.seq.desc())


def list_sales(session: Session, actor: Actor, store_id, day: date, *, limit: int = 500) -> list[Sale]:
    """The store's receipts of one Asia/Shanghai day, newest first."""
    return list(session.scalars(_sales_stmt(actor, store_id, day).limit(limit)))


class SaleRow(NamedTuple):
    """One receipt of the list's download: plain values, not an ORM object (100,000 of them must be cheap)."""

    number: str
    sold_at: datetime
    kind: str
    cashier_name: str
    methods: tuple
    total_fen: int
    status: str


def iter_sales(session: Session, actor: Actor, store_id, day: date):
    """The same receipts as list_sales (same filters, scope and order), all of them, read in batches of 2,000
    with their tenders fetched per batch (the list's download)."""
    from ..auth.models import User

    start, end = day_bounds_utc(day)
    stmt = (scope(select(Sale.id, Sale.number, Sale.sold_at, Sale.kind, User.display_name, Sale.total_fen,
                         Sale.status).outerjoin(User, User.id == Sale.cashier_id), actor, Sale)
            .where(Sale.store_id == store_id, Sale.sold_at >= start, Sale.sold_at < end)
            .order_by(Sale.sold_at.desc(), Sale.seq.desc()))
    for batch in session.execute(stmt.execution_options(yield_per=2000)).partitions():
        methods: dict = {}
        for sale_id, method in session.execute(select(Payment.sale_id, Payment.method)
                                               .where(Payment.sale_id.in_([r[0] for r in batch]))
                                               .order_by(Payment.sale_id, Payment.position)):
            methods.setdefault(sale_id, []).append(method)
        for sid, number, sold_at, kind, cashier, total, status in batch:
            yield SaleRow(number, sold_at, kind, cashier or "", tuple(methods.get(sid, ())), total, status)


@dataclass
class Totals:
    """Sales figures of a day or a shift. Amounts are net: voids and returns are negative documents."""

    sales_count: int = 0
    net_fen: int = 0
    points: int = 0
    void_count: int = 0
    void_fen: int = 0
    return_count: int = 0
    return_fen: int = 0
    by_tender: dict = field(default_factory=dict)   # method -> net fen (points: net points)
    by_fund: dict = field(default_factory=dict)     # fund -> (sales with that fund, net fen)
    variance_fen: int = 0
    closed_shifts: int = 0

    @property
    def void_rate(self) -> float:
        return self.void_count / self.sales_count if self.sales_count else 0.0


def _totals(session: Session, where) -> Totals:
    t = Totals()
    for kind, n, total, points in session.execute(
            select(Sale.kind, func.count(), func.sum(Sale.total_fen), func.sum(Sale.points_total))
            .where(*where).group_by(Sale.kind)):
        t.net_fen += int(total or 0)
        t.points += int(points or 0)
        if kind == "sale":
            t.sales_count = n
        elif kind == "void":
            t.void_count, t.void_fen = n, -int(total or 0)
        else:
            t.return_count, t.return_fen = n, -int(total or 0)
    for method, amount, points in session.execute(
            select(Payment.method, func.sum(Payment.amount_fen), func.sum(Payment.points))
            .join(Sale, Sale.id == Payment.sale_id).where(*where).group_by(Payment.method)):
        t.by_tender[method] = int(points or 0) if method == "points" else int(amount or 0)
    sold = case((Sale.kind == "sale", Sale.id))
    for fund, n, amount in session.execute(
            select(SaleLine.fund, func.count(sold.distinct()), func.sum(SaleLine.line_total_fen))
            .join(Sale, Sale.id == SaleLine.sale_id).where(*where).group_by(SaleLine.fund)):
        t.by_fund[fund] = (n, int(amount or 0))
    return t


def shift_totals(session: Session, shift: Shift) -> Totals:
    """Everything booked to one shift (a void is booked to the shift of the sale it cancels)."""
    t = _totals(session, (Sale.shift_id == shift.id,))
    t.variance_fen = shift.variance_fen if shift.status == "closed" else 0
    return t


def day_totals(session: Session, store_id, start: datetime, end: datetime) -> Totals:
    """A store's day: receipts by time, and the variance of the shifts closed that day."""
    t = _totals(session, (Sale.store_id == store_id, Sale.sold_at >= start, Sale.sold_at < end))
    closed, variance = session.execute(
        select(func.count(Shift.id.distinct()), func.sum(ShiftCount.counted_fen - ShiftCount.expected_fen))
        .join(ShiftCount, ShiftCount.shift_id == Shift.id)
        .where(Shift.store_id == store_id, Shift.closed_at >= start, Shift.closed_at < end)).one()
    t.closed_shifts, t.variance_fen = closed, int(variance or 0)
    return t


def day_summary(session: Session, actor: Actor, store_id, day: date) -> Totals:
    """The store's daily summary for one Asia/Shanghai day (sales by tender, by fund, voids, variance)."""
    from ..stores.service import get_store

    get_store(session, actor, store_id)
    return day_totals(session, store_id, *day_bounds_utc(day))


def void_stats(session: Session, store_ids, start: datetime, end: datetime) -> dict:
    """{store_id: (sales, voids)} for many stores in one query, for the void-rate rule of the standard."""
    rows = session.execute(
        select(Sale.store_id, func.sum(case((Sale.kind == "sale", 1), else_=0)),
               func.sum(case((Sale.kind == "void", 1), else_=0)))
        .where(Sale.store_id.in_(list(store_ids)), Sale.sold_at >= start, Sale.sold_at < end)
        .group_by(Sale.store_id))
    return {store_id: (int(sales or 0), int(voids or 0)) for store_id, sales, voids in rows}


def home_figures(session: Session, store_id, start: datetime, end: datetime) -> list:
    """The store home's till figures for today (wiring.HOME_FIGURES)."""
    from ..i18n import yuan
    from ..stores.service import Figure
    from .tenders import label

    t = day_totals(session, store_id, start, end)
    figures = [Figure(_("今日销售额（净额）"), yuan(t.net_fen)), Figure(_("今日销售笔数"), str(t.sales_count))]
    figures += [Figure(label(m), f"{v} {_('分')}" if m == "points" else yuan(v)) for m, v in sorted(t.by_tender.items())]
    figures += [Figure(str(FUND_LABELS[f]), yuan(amount)) for f, (_n, amount) in sorted(t.by_fund.items())]
    figures.append(Figure(_("作废"), _("%(n)d 笔 %(amount)s", n=t.void_count, amount=yuan(t.void_fen))))
    figures.append(Figure(_("退货"), _("%(n)d 笔 %(amount)s", n=t.return_count, amount=yuan(t.return_fen))))
    if t.closed_shifts:
        figures.append(Figure(_("结班差异（实收−应收）"), yuan(t.variance_fen)))
    return figures
