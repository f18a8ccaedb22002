"""What the till shows when the cashier scans, searches or taps a quick key: items at this store's price, with
what is on hand here."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ..auth.permissions import Actor, require
from ..catalog import service as catalog
from ..catalog.models import Category, Item, StorePrice
from ..inventory.models import StockBalance
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


def quick_categories(session: Session) -> list[Category]:
    """Categories marked as quick keys on the till (never prohibited ones)."""
    return list(session.scalars(select(Category).where(Category.quick_key.is_(True),
                                                       Category.prohibited.is_(False)).order_by(Category.code)))


def till_items(session: Session, actor: Actor, *, q: str = "", barcode: str = "", category_id=None,
               limit: int = 24) -> list[TillItem]:
    """By barcode (exactly one item, or UnknownBarcode), by a quick-key category (items in stock here), or by
    name / pinyin initials."""
    require(can_sell(actor), _("只有门店收银员或店长可以收银"))
    store_id = actor.store_id
    if barcode:
        items = [catalog.find_by_barcode(session, barcode)]
    elif category_id is not None:
        items = list(session.scalars(
            select(Item).options(joinedload(Item.category)).join(StockBalance, StockBalance.item_id == Item.id)
            .where(StockBalance.store_id == store_id, StockBalance.qty > 0, Item.category_id == category_id,
                   Item.active.is_(True)).order_by(Item.pinyin, Item.name).limit(limit)))
    elif q.strip():
        items = catalog.search_items(session, q, limit=limit)
    else:
        items = []
    ids = [i.id for i in items]
    prices = dict(session.execute(select(StorePrice.item_id, StorePrice.price_fen).where(
        StorePrice.store_id == store_id, StorePrice.item_id.in_(ids))).all()) if ids else {}
    stock = dict(session.execute(select(StockBalance.item_id, StockBalance.qty).where(
        StockBalance.store_id == store_id, StockBalance.item_id.in_(ids))).all()) if ids else {}
    found = [TillItem(i.id, i.name, i.barcode, i.unit, prices.get(i.id, i.default_price_fen), i.points_price,
                      stock.get(i.id, 0), i.fund, i.category.name) for i in items]
    # In stock here first: a name search also finds goods this store does not carry.
    return sorted(found, key=lambda t: t.on_hand <= 0)
