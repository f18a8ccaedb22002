"""The city catalog: the demo's categories and packaged goods (EAN-13), the aid goods handed to households,
store prices, and the items a store codes itself (YL01-000123) when donors bring goods without a barcode."""
from __future__ import annotations

from datetime import timedelta
from functools import lru_cache

from supermarket.catalog.codes import gtin_check_digit, internal_code, pinyin_initials
from supermarket.catalog.demo_data import CATEGORIES, DONATED_NEW, PACKAGED, SECOND_HAND
from supermarket.catalog.models import fund_of

from .base import SYSTEM, hm, local, text
from .sink import Table

CATEGORIES_T = Table("categories", ("id", "created_at", "code", "name", "prohibited", "prohibited_reason",
                                    "is_food", "near_expiry_days", "quick_key"))
ITEMS_T = Table("items", ("id", "created_at", "name", "pinyin", "category_id", "unit", "barcode", "barcode_kind",
                          "kind", "condition_grade", "is_food", "default_price_fen", "points_price", "active",
                          "origin_store_id"))
PRICES_T = Table("store_prices", ("store_id", "item_id", "price_fen"))
# Aid goods (the aid demo's), bought by the federation's donors for hand-outs: name, unit, price, category.
AID_GOODS = (("爱心大米 5kg", "袋", 3500, "GRAIN"), ("爱心食用油 1.8L", "桶", 3500, "GRAIN"),
             ("爱心挂面 1kg", "包", 1000, "GRAIN"), ("爱心毛巾", "条", 800, "DAILY"),
             ("爱心牙膏", "支", 600, "DAILY"), ("爱心洗衣粉 1kg", "袋", 1200, "DAILY"))
SHELF_DAYS = {"GRAIN": (120, 360), "FOOD": (40, 180), "DRINK": (90, 360)}
GRADE_PERCENT = {"A": 100, "B": 80, "C": 50, None: 100}


class Category:
    __slots__ = ("id", "code", "name", "is_food", "near_expiry_days", "prohibited")

    def __init__(self, id, code, name, is_food, near_expiry_days, prohibited):
        self.id, self.code, self.name = id, code, name
        self.is_food, self.near_expiry_days, self.prohibited = is_food, near_expiry_days, prohibited


class Item:
    __slots__ = ("id", "name", "category", "unit", "barcode", "kind", "grade", "price", "points_price", "fund",
                 "origin", "aid", "restock", "is_food", "name_text")

    def __init__(self, id, name, category, unit, barcode, kind, grade, price, points_price, origin=None):
        self.id, self.name, self.category, self.unit, self.barcode = id, name, category, unit, barcode
        self.kind, self.grade, self.price, self.points_price = kind, grade, price, points_price
        self.fund, self.origin, self.is_food = fund_of(kind), origin, category.is_food
        self.name_text = text(name)  # as a COPY field
        self.aid = False
        # Packaged goods given by donor firms come back when they run low; bought goods and one-offs do not.
        self.restock = origin is None and kind == "donated_new"


def ean13(body12: str) -> str:
    return body12 + str(gtin_check_digit(body12))


@lru_cache(maxsize=None)
def pinyin(name: str) -> str:
    return pinyin_initials(name)


def setup_city(city) -> None:
    at = local(city.setup_day, hm(9, 30))
    cats = {}
    for n, (code, name, is_food, days, quick, reason) in enumerate(CATEGORIES):
        c = cats[code] = Category(city.ids(), code, name, is_food, days, bool(reason))
        city.sink.row(CATEGORIES_T, (c.id, at, code, name, c.prohibited, reason, is_food, days, quick))
        city.chain.record(SYSTEM, "catalog.category_created", "categories", c.id,
                          {"code": code, "name": name, "prohibited": c.prohibited}, at + timedelta(seconds=n))
    items, n = [], 0
    for code, (unit, products) in PACKAGED.items():
        for index, (name, price, variants) in enumerate(products):
            for suffix, factor in variants:
                n += 1
                kind = "purchased" if code in ("GRAIN", "DRINK") and index % 3 == 0 else "donated_new"
                price_fen = price * factor // 100 // 10 * 10
                points = -(-price_fen // 100) if index % 5 == 0 else None  # as the demo: 1 point ≈ ¥1
                items.append(Item(city.ids(), f"{name} {suffix}".strip(), cats[code], unit, ean13(f"69{n:010d}"),
                                  kind, None, price_fen, points))
    for k, (name, unit, price, code) in enumerate(AID_GOODS, 1):
        item = Item(city.ids(), name, cats[code], unit, ean13(f"698{k:09d}"), "donated_new", None, price, None)
        item.aid = True
        items.append(item)
    for k, item in enumerate(items):
        _write_item(city, SYSTEM, item, at + timedelta(minutes=20, seconds=k), None, city.chain)
    city.extra["categories"] = cats
    city.extra["items"] = items
    city.extra["sold_items"] = [i for i in items if not i.aid and not i.category.prohibited]
    city.extra["aid_items"] = [i for i in items if i.aid]
    city.extra["donatable"] = [i for i in city.extra["sold_items"] if i.kind == "donated_new"]
    city.extra["points_items"] = [i for i in city.extra["sold_items"] if i.points_price]
    city.extra["second_hand"] = [(cats[code], unit, name, price, variants, kind)
                                 for source, kind in ((SECOND_HAND, "donated_used"), (DONATED_NEW, "donated_new"))
                                 for code, (unit, products) in source.items() for name, price, variants in products]


def setup_store(city, st, agenda) -> None:
    """A few stores price some goods themselves (their manager sets it before opening)."""
    st.prices = {}
    if st.rng.random() >= 0.15:
        return
    at = local(city.params.start_date - timedelta(days=3), hm(17))
    for k, item in enumerate(st.rng.sample(city.extra["sold_items"], 8)):
        price = max(100, item.price * st.rng.choice((80, 85, 90, 95)) // 100 // 10 * 10)
        agenda.add(at + timedelta(minutes=k), _set_price, city, st, item, price)


def _set_price(at, city, st, item, price) -> None:
    st.prices[item.id] = price
    city.sink.row(PRICES_T, (st.id, item.id, price))
    st.chain.record(st.manager, "catalog.store_price_set", "items", item.id, {"old": None, "new": price}, at)


def price(st, item: Item) -> int:
    """The store's own price when it set one, else the default (catalog.service.price_in_store)."""
    return st.prices.get(item.id, item.price) if st.prices else item.price


def create_item(city, st, actor, *, name: str, category: Category, kind: str, unit: str, grade: str | None,
                price_fen: int, at) -> Item:
    """catalog.service.create_item without a barcode: the store's own code, inside the caller's transaction."""
    code = internal_code(st.code, st.counters.next(f"item-code:{st.id}"))
    item = Item(st.ids(), name, category, unit, code, kind, grade if kind == "donated_used" else None, price_fen,
                None, origin=st.id)
    item.restock = False
    _write_item(city, actor, item, at, st.id, st.chain)
    return item


def _write_item(city, actor, item: Item, at, origin, chain) -> None:
    city.sink.row(ITEMS_T, (item.id, at, item.name, pinyin(item.name), item.category.id, item.unit, item.barcode,
                            "internal" if origin else "ean13", item.kind, item.grade, item.is_food, item.price,
                            item.points_price, True, origin))
    chain.record(actor, "catalog.item_created", "items", item.id,
                 {"name": item.name, "barcode": item.barcode, "price_fen": item.price}, at)
    city.count("items")


def expiry_for(rng, item: Item, today, *, near: bool = False):
    """A plausible best-before date for food received today (None for other goods)."""
    if not item.is_food:
        return None
    if near:
        return today + timedelta(days=rng.randint(2, max(2, item.category.near_expiry_days - 1)))
    low, high = SHELF_DAYS.get(item.category.code, (30, 180))
    return today + timedelta(days=rng.randint(low, high))
