"""What the till shows when the cashier scans, searches or taps a quick key: items at this store's price, with
what is on hand here."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..auth.permissions import Actor, require
from ..catalog import service as catalog
from ..catalog.models import Category
from ..inventory import service as stock
from ..inventory.ledger import expired_message
from .shifts import can_sell


@dataclass(frozen=True)
class TillItem:
    id: object
    name: str
    barcode: str
    unit: str
    price_fen: int
    points_price: int | None
    on_hand: int
    fund: str
    category: str
    sellable: int = 0
    expired: int = 0
    expired_on: date | None = None
    expired_note: str = ""  # 面包 有 3 包已于 12月2日过期，不能销售 (shown when a scan adds one)
    sold_by_weight: bool = False  # price per kg, stock in grams (sales.weighed)


def quick_categories(session: Session) -> list[Category]:
    """Categories marked as quick keys on the till (never prohibited ones)."""
    return list(session.scalars(select(Category).where(Category.quick_key.is_(True),
                                                       Category.prohibited.is_(False)).order_by(Category.code)))


def till_items(session: Session, actor: Actor, *, q: str = "", barcode: str = "", category_id=None,
               limit: int = 24, now: datetime | None = None) -> list[TillItem]:
    """By barcode (exactly one item, or UnknownBarcode), by a quick-key category (items in stock here), or by
    name / pinyin initials."""
    require(can_sell(actor), _("只有门店收银员或店长可以收银"))
    store_id = actor.store_id
    if barcode:
        items = [catalog.find_by_barcode(session, barcode)]
    elif category_id is not None:
        items = stock.items_in_stock(session, store_id, category_id=category_id, limit=limit)
    elif q.strip():
        items = catalog.search_items(session, q, limit=limit)
    else:
        items = []
    found = [TillItem(s.item.id, s.item.name, s.item.barcode, s.item.unit, s.price_fen, s.item.points_price,
                      s.on_hand, s.item.fund, s.item.category.name, s.sellable, s.expired, s.expired_on,
                      expired_message(s.item.name, s.expired, s.item.unit, s.expired_on, _("不能销售"))
                      if s.expired else "", s.item.sold_by_weight)
             for s in stock.in_store(session, items, store_id, now=now)]
    # Sellable here first: a name search also finds goods this store does not carry (or has only expired).
    return sorted(found, key=lambda t: t.sellable <= 0)


@dataclass(frozen=True)
class CatalogItem:
    """One item of the till's local catalog (kept in the tablet's IndexedDB for selling offline)."""

    id: object
    name: str
    barcode: str
    barcode_lower: str
    pinyin: str
    unit: str
    price_fen: int
    points_price: int | None
    on_hand: int
    sellable: int
    fund: str
    category: str
    active: bool
    category_id: object = None
    sold_by_weight: bool = False


def till_catalog(session: Session, actor: Actor, *, since: datetime | None = None,
                 now: datetime | None = None) -> tuple[list[CatalogItem], datetime]:
    """The store's sellable items for the tablet's local catalog, and the time it is as of.

    Without `since`: every item with stock here. With it: only the items whose stock here moved, or that were
    created, since then (a background refresh; inactive ones come back with active=False so the till drops
    them). Prices changed meanwhile reach the tablet at the next full load, which the till does each time it opens
    online; the server prices every uploaded sale itself either way.
    """
    from ..catalog.models import Item
    from ..inventory.models import StockBalance, StockMovement
    from ..models import utcnow

    require(can_sell(actor), _("只有门店收银员或店长可以收银"))
    now = now or utcnow()
    store_id = actor.store_id
    if since is None:
        ids = select(StockBalance.item_id).where(StockBalance.store_id == store_id, StockBalance.qty > 0)
    else:
        ids = select(StockMovement.item_id).where(StockMovement.store_id == store_id,
                                                  StockMovement.created_at >= since) \
            .union(select(Item.id).where(Item.created_at >= since))
    items = list(session.scalars(select(Item).where(Item.id.in_(ids)).options(selectinload(Item.category))
                                .order_by(Item.barcode).limit(20000)))
    rows = [CatalogItem(s.item.id, s.item.name, s.item.barcode, s.item.barcode.lower(), s.item.pinyin or "",
                        s.item.unit, s.price_fen, s.item.points_price, s.on_hand, s.sellable, s.item.fund,
                        s.item.category.name, s.item.active and not s.item.category.prohibited,
                        s.item.category_id, s.item.sold_by_weight)
            for s in stock.in_store(session, items, store_id, now=now)]
    return rows, now
