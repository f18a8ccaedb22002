"""Read-only views of stock: the scan lookup, stock on hand with filters, one item's movement history,
near-expiry lots, and the figures on the store home page. Every function is scoped to a store the actor sees."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, bindparam, exists, false, func, or_, select
from sqlalchemy.sql.elements import False_
from sqlalchemy.orm import Session, joinedload

from ..auth.permissions import Actor
from ..catalog import service as catalog
from ..catalog.codes import lookup_variants
from ..catalog.errors import UnknownBarcode
from ..catalog.models import Category, Item, StorePrice
from ..errors import NotFound
from ..paging import Page, offset_page
from ..stores.service import Figure
from .common import store_for
from ..clock import local_today
from .models import Lot, LotBalance, StockBalance, StockMovement
from .settings import settings_of

STOCK_FILTERS = ("low", "near_expiry", "expired")


@dataclass(frozen=True)
class StockedItem:
    """An item as one store sees it: its price there and the quantity on hand there."""

    item: Item
    store_id: uuid.UUID
    price_fen: int
    on_hand: int
    # Units in lots past their expiry date (still on hand until written off, never sold) and the latest of
    # those dates: the till says "另有 3 包已过期" and names the date when it refuses them.
    expired: int = 0
    expired_on: date | None = None

    @property
    def sellable(self) -> int:
        return max(self.on_hand - self.expired, 0)


def _price():
    """The store's own price where it set one (StorePrice outer-joined for that store), else the default."""
    return func.coalesce(StorePrice.price_fen, Item.default_price_fen)


def _with_store(stmt, store_id):
    return (stmt.outerjoin(StorePrice, and_(StorePrice.item_id == Item.id, StorePrice.store_id == store_id))
            .outerjoin(StockBalance, and_(StockBalance.item_id == Item.id, StockBalance.store_id == store_id)))


def _expired_columns(store_id, today):
    """Two correlated subqueries of the same statement (no extra round trip): the units in the item's expired
    lots with stock in the store, and the latest expiry date among them."""
    where = (LotBalance.store_id == store_id, LotBalance.item_id == Item.id, LotBalance.qty > 0,
             Lot.expiry_date < today)
    joined = lambda cols: select(cols).select_from(LotBalance).join(Lot, Lot.id == LotBalance.lot_id)  # noqa: E731
    return (joined(func.coalesce(func.sum(LotBalance.qty), 0)).where(*where).correlate(Item).scalar_subquery(),
            joined(func.max(Lot.expiry_date)).where(*where).correlate(Item).scalar_subquery())


def _scan_statement():
    store_id = bindparam("store_id")
    return (select(Item, func.coalesce(StorePrice.price_fen, Item.default_price_fen), func.coalesce(StockBalance.qty, 0),
                   *_expired_columns(store_id, bindparam("today")))
            .outerjoin(StorePrice, and_(StorePrice.item_id == Item.id, StorePrice.store_id == store_id))
            .outerjoin(StockBalance, and_(StockBalance.item_id == Item.id, StockBalance.store_id == store_id))
            .options(joinedload(Item.category))
            .where(Item.barcode.in_(bindparam("codes", expanding=True))).limit(1))


# The till's hottest query, built once (a statement, no data): building it per scan cost more than running it.
_SCAN = _scan_statement()


def scan_lookup(session: Session, actor: Actor, code: str, *, store_id, now: datetime | None = None) -> StockedItem:
    """The tablet's scan: the item, its price in the store and the quantity on hand, in one query.

    Raises UnknownBarcode (404 `catalog.unknown_barcode`); NotFound for a store the actor may not see.
    """
    if not actor.can_see_store(store_id):
        raise NotFound()
    code = (code or "").strip()
    if not code or len(code) > 32:
        raise UnknownBarcode(_("未找到条码 %(code)s 对应的物品", code=code[:32]))
    row = session.execute(_SCAN, {"store_id": store_id, "codes": lookup_variants(code),
                                  "today": local_today(now)}).first()
    if row is None:
        raise UnknownBarcode(_("未找到条码 %(code)s 对应的物品", code=code))
    return StockedItem(row[0], store_id, row[1], row[2], row[3], row[4])


def in_store(session: Session, items: list[Item], store_id, *, now: datetime | None = None) -> list[StockedItem]:
    """Price, on-hand and expired units of several items in one store (one query for all of them)."""
    if not items:
        return []
    ids = [i.id for i in items]
    rows = session.execute(_with_store(select(Item.id, _price(), func.coalesce(StockBalance.qty, 0),
                                              *_expired_columns(store_id, local_today(now))),
                                       store_id).where(Item.id.in_(ids)))
    found = {r[0]: tuple(r[1:]) for r in rows}
    return [StockedItem(i, store_id, *found.get(i.id, (i.default_price_fen, 0, 0, None))) for i in items]


def search_in_store(session: Session, actor: Actor, q: str, *, store_id, limit: int = 20,
                    now: datetime | None = None) -> list[StockedItem]:
    """Search by name, barcode or pinyin initials, with the store's price and stock."""
    if not actor.can_see_store(store_id):
        raise NotFound()
    return in_store(session, catalog.search_items(session, q, limit=limit), store_id, now=now)


# --- stock on hand -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class StockRow:
    item: Item
    qty: int
    price_fen: int
    next_expiry: date | None

    @property
    def value_fen(self) -> int:
        return self.qty * self.price_fen


def _near_expiry_condition(session: Session, today: date):
    """Lot.expiry_date within its category's near-expiry days (not yet expired). Categories are few."""
    foods = session.execute(select(Category.id, Category.near_expiry_days).where(Category.is_food.is_(True))).all()
    if not foods:
        return false()
    return and_(Lot.expiry_date >= today, or_(*[
        and_(Item.category_id == cid, Lot.expiry_date <= today + timedelta(days=days)) for cid, days in foods]))


def _low_stock(session: Session, store_id):
    """At or below the store's level; a second-hand item is a one-off that nobody restocks, so it is never low."""
    return and_(StockBalance.qty <= settings_of(session, store_id).low_stock_qty, Item.kind != "donated_used")


def _lots_with_stock(store_id, *conditions):
    return (exists().where(LotBalance.store_id == store_id, LotBalance.item_id == Item.id, LotBalance.qty > 0,
                           Lot.id == LotBalance.lot_id, *conditions))


def _stock_stmt(session: Session, store_id, *, category_id, status, q, today: date):
    next_expiry = (select(func.min(Lot.expiry_date)).join(LotBalance, LotBalance.lot_id == Lot.id)
                   .where(LotBalance.store_id == store_id, LotBalance.item_id == Item.id, LotBalance.qty > 0)
                   .correlate(Item).scalar_subquery())
    stmt = (select(Item, StockBalance.qty, _price(), next_expiry)
            .join(StockBalance, and_(StockBalance.item_id == Item.id, StockBalance.store_id == store_id))
            .outerjoin(StorePrice, and_(StorePrice.item_id == Item.id, StorePrice.store_id == store_id))
            .options(joinedload(Item.category)))
    if category_id is not None:
        stmt = stmt.where(Item.category_id == category_id)
    where, _order = catalog.search_condition(q)
    if where is not None:
        stmt = stmt.where(where)
    if status == "low":
        stmt = stmt.where(_low_stock(session, store_id))
    elif status == "near_expiry":
        near = _near_expiry_condition(session, today)
        # with no food category the condition is false(), which and_() would fold together with the lot join
        # inside EXISTS (a cartesian product): say "nothing" outright instead
        stmt = stmt.where(false() if isinstance(near, False_) else _lots_with_stock(store_id, near))
    elif status == "expired":
        stmt = stmt.where(_lots_with_stock(store_id, Lot.expiry_date < today))
    else:
        stmt = stmt.where(StockBalance.qty > 0)
    return stmt


def stock_on_hand(session: Session, actor: Actor, store_id, *, today: date, category_id=None,
                  status: str | None = None, q: str | None = None, limit: int = 50,
                  offset: int = 0) -> tuple[list[StockRow], int]:
    """One page of the store's stock and the total number of rows.

    `status`: None (all items in stock), "low" (at or below the store's low-stock level, sold-out included;
    second-hand goods are one-offs and never "low"),
    "near_expiry" (a lot expiring within its category's days), "expired" (an expired lot still on hand).
    """
    store_for(session, actor, store_id)
    stmt = _stock_stmt(session, store_id, category_id=category_id, status=status, q=q, today=today)
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    rows = session.execute(stmt.order_by(Item.pinyin, Item.name, Item.id).limit(limit).offset(offset))
    return [StockRow(r[0], r[1], r[2], r[3]) for r in rows.unique()], total


@dataclass(frozen=True)
class LotRow:
    lot: Lot
    item: Item
    qty: int
    price_fen: int
    today: date

    @property
    def days_left(self) -> int:
        return (self.lot.expiry_date - self.today).days

    @property
    def expired(self) -> bool:
        return self.lot.expiry_date < self.today


def near_expiry_lots(session: Session, actor: Actor, store_id, *, today: date) -> list[LotRow]:
    """Lots on hand that expire within their category's near-expiry days, or have expired: for mark-down or
    write-off, the soonest first."""
    return [LotRow(r[0], r[1], r[2], r[3], today) for r in session.execute(_near_expiry(session, actor, store_id,
                                                                                          today)).unique()]


def near_expiry_page(session: Session, actor: Actor, store_id, *, today: date, page=1) -> Page:
    """One page of `near_expiry_lots`, with how many lots there are."""
    found = offset_page(session, _near_expiry(session, actor, store_id, today), page=page, scalars=False)
    return Page([LotRow(r[0], r[1], r[2], r[3], today) for r in found.items], found.total, found.number,
                found.per_page)


def _near_expiry(session: Session, actor: Actor, store_id, today: date):
    store_for(session, actor, store_id)
    return (select(Lot, Item, LotBalance.qty, _price())
            .join(LotBalance, LotBalance.lot_id == Lot.id).join(Item, Item.id == Lot.item_id)
            .outerjoin(StorePrice, and_(StorePrice.item_id == Item.id, StorePrice.store_id == store_id))
            .options(joinedload(Item.category))
            .where(LotBalance.store_id == store_id, LotBalance.qty > 0, Lot.expiry_date.is_not(None),
                   or_(Lot.expiry_date < today, _near_expiry_condition(session, today)))
            .order_by(Lot.expiry_date, Item.pinyin, Lot.id))


# --- one item's history ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class HistoryRow:
    movement: StockMovement
    balance_after: int


def _history_stmt(store_id, item_id):
    running = func.sum(StockMovement.qty).over(
        order_by=(StockMovement.occurred_at, StockMovement.created_at, StockMovement.id)).label("after")
    inner = (select(StockMovement.id, running)
             .where(StockMovement.store_id == store_id, StockMovement.item_id == item_id).subquery())
    return (select(StockMovement, inner.c.after).join(inner, inner.c.id == StockMovement.id)
            .order_by(StockMovement.occurred_at.desc(), StockMovement.created_at.desc(), StockMovement.id.desc()))


def item_history(session: Session, actor: Actor, store_id, item_id, *, limit: int = 100,
                 offset: int = 0) -> list[HistoryRow]:
    """The item's movements in the store, newest first, each with the balance after it (a running sum)."""
    store_for(session, actor, store_id)
    stmt = _history_stmt(store_id, item_id).options(joinedload(StockMovement.lot)).limit(limit).offset(offset)
    return [HistoryRow(m, after) for m, after in session.execute(stmt)]


def iter_item_history(session: Session, actor: Actor, store_id, item_id):
    """Every row of item_history, read in batches (the history's download; it shows the lot by its id only)."""
    store_for(session, actor, store_id)
    for m, after in session.execute(_history_stmt(store_id, item_id).execution_options(yield_per=1000)):
        yield HistoryRow(m, after)


def item_lots(session: Session, actor: Actor, store_id, item_id) -> list[tuple[Lot, int]]:
    """The item's lots in the store that still hold stock, expiring first."""
    store_for(session, actor, store_id)
    stmt = (select(Lot, LotBalance.qty).join(LotBalance, LotBalance.lot_id == Lot.id)
            .where(LotBalance.store_id == store_id, LotBalance.item_id == item_id, LotBalance.qty > 0)
            .order_by(Lot.expiry_date.is_(None), Lot.expiry_date, Lot.received_at))
    return [(lot, qty) for lot, qty in session.execute(stmt)]


# --- store home --------------------------------------------------------------------------------------------

def home_figures(session: Session, store_id, day_start: datetime, day_end: datetime) -> list[Figure]:
    """For the store home page (wiring.HOME_FIGURES): items at or below the low-stock level, lots near expiry, expired lots."""
    today = local_today(day_start)
    low = session.scalar(select(func.count()).select_from(StockBalance).join(Item, Item.id == StockBalance.item_id)
                         .where(StockBalance.store_id == store_id, _low_stock(session, store_id)))
    lots = (select(func.count()).select_from(LotBalance).join(Lot, Lot.id == LotBalance.lot_id)
            .join(Item, Item.id == Lot.item_id).where(LotBalance.store_id == store_id, LotBalance.qty > 0))
    near = session.scalar(lots.where(_near_expiry_condition(session, today)))
    expired = session.scalar(lots.where(Lot.expiry_date < today))
    return [Figure(_("低库存物品"), str(low)), Figure(_("临期批次"), str(near)),
            Figure(_("过期待处理批次"), str(expired))]


def items_in_stock(session: Session, store_id, *, category_id, limit: int) -> list[Item]:
    """Active items of a category with stock in the store (the till's quick keys), by pinyin then name."""
    return list(session.scalars(
        select(Item).options(joinedload(Item.category)).join(StockBalance, StockBalance.item_id == Item.id)
        .where(StockBalance.store_id == store_id, StockBalance.qty > 0, Item.category_id == category_id,
               Item.active.is_(True)).order_by(Item.pinyin, Item.name).limit(limit)))


def movements_of(session: Session, *, doc_type: str, doc_id, kind: str) -> list[StockMovement]:
    """The movements a document wrote (a sale's, to reverse them), in item order (the lock order)."""
    return list(session.scalars(select(StockMovement).where(
        StockMovement.doc_type == doc_type, StockMovement.doc_id == str(doc_id), StockMovement.kind == kind)
        .order_by(StockMovement.item_id, StockMovement.occurred_at, StockMovement.id)))
