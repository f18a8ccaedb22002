"""Demo catalog: the categories (three of them prohibited) and about 350 items, loaded with bulk inserts.

Speed: `flask demo` must stay a few seconds, so items are written with one executemany instead of one service
call (and one audit event) each. The audit chain still records the load: one summarising event per bulk load
("catalog.demo_items_loaded", with the count and the first and last barcodes). Categories go through the
service (a dozen, each audited).

Later demo steps find the items in ctx.extra["items"] (list of Item) and by name in ctx.extra["item_by_name"];
ctx.extra["categories"] maps category code → Category.
"""
from __future__ import annotations

import uuid
from itertools import cycle

from sqlalchemy import insert, select
from sqlalchemy.orm import joinedload

from .. import audit
from ..auth.permissions import system_actor
from ..models import utcnow
from ..sequences import Sequence
from . import service
from .codes import gtin_check_digit, internal_code, pinyin_initials
from .demo_data import CATEGORIES, DONATED_NEW, PACKAGED, SECOND_HAND
from .models import Item

DEMO_STORE_ORDER = ("YL01", "YL02", "FR01")  # who coined the internal codes, in turn


def ean13(body12: str) -> str:
    return body12 + str(gtin_check_digit(body12))


def _packaged_rows(categories: dict) -> list[dict]:
    rows, n, isbn = [], 0, 0
    for code, (unit, products) in PACKAGED.items():
        for index, (name, price, variants) in enumerate(products):
            for suffix, factor in variants:
                n += 1
                if code == "BOOK":  # books carry an ISBN-13 (978…), stationery an ordinary EAN-13
                    isbn += 1
                    barcode = ean13(f"9787{isbn:08d}") if "字典" in name or "词典" in name else ean13(f"692{n:09d}")
                else:
                    barcode = ean13(f"69{n:010d}")
                # Every fifth packaged product can be paid with volunteer points (1 point ≈ ¥1).
                price_fen = price * factor // 100 // 10 * 10
                rows.append(_row(f"{name} {suffix}".strip(), categories[code], unit, barcode, "ean13",
                                 "purchased" if code in ("GRAIN", "DRINK") and index % 3 == 0 else "donated_new",
                                 None, price_fen, -(-price_fen // 100) if index % 5 == 0 else None, None))
    return rows


def _internal_rows(categories: dict, stores: dict) -> tuple[list[dict], dict]:
    rows, numbers = [], {code: 0 for code in DEMO_STORE_ORDER}
    coiners = cycle(DEMO_STORE_ORDER)
    grades = cycle("ABABC")
    for source, kind in ((SECOND_HAND, "donated_used"), (DONATED_NEW, "donated_new")):
        for code, (unit, products) in source.items():
            for name, price, variants in products:
                for variant in variants:
                    store_code = next(coiners)
                    numbers[store_code] += 1
                    grade = next(grades) if kind == "donated_used" else None
                    # Grade B sells for 80 %, C for 50 % of an A-grade price.
                    price_fen = price * {"A": 100, "B": 80, "C": 50, None: 100}[grade] // 100
                    rows.append(_row(f"{name} {variant}", categories[code], unit,
                                     internal_code(store_code, numbers[store_code]), "internal", kind, grade,
                                     price_fen, None, stores[store_code].id))
    return rows, numbers


def _row(name, category, unit, barcode, barcode_kind, kind, grade, price_fen, points, origin_store_id) -> dict:
    return {"id": uuid.uuid4(), "name": name, "pinyin": pinyin_initials(name), "category_id": category.id,
            "unit": unit, "barcode": barcode, "barcode_kind": barcode_kind, "kind": kind, "condition_grade": grade,
            "is_food": category.is_food, "default_price_fen": price_fen, "points_price": points, "active": True,
            "origin_store_id": origin_store_id, "created_at": utcnow()}


def load(session, ctx):
    actor = system_actor("demo")
    categories = {}
    for code, name, is_food, days, quick, reason in CATEGORIES:
        categories[code] = service.create_category(
            session, actor, code=code, name=name, is_food=is_food, near_expiry_days=days, quick_key=quick,
            prohibited=bool(reason), prohibited_reason=reason)
    rows = _packaged_rows(categories)
    internal, numbers = _internal_rows(categories, ctx.stores)
    rows += internal
    session.execute(insert(Item), rows)
    for store_code, last in numbers.items():  # the next item a store codes continues after the demo's
        session.add(Sequence(key=f"item-code:{ctx.stores[store_code].id}", last_value=last))
    audit.record(session, actor, "catalog.demo_items_loaded", subject_type="items", subject_id="demo",
                 summary={"items": len(rows), "packaged": len(rows) - len(internal), "internal": len(internal),
                          "first": rows[0]["barcode"], "last": rows[-1]["barcode"]})
    session.commit()
    items = list(session.scalars(select(Item).options(joinedload(Item.category)).order_by(Item.created_at,
                                                                                              Item.barcode)))
    ctx.extra["categories"] = categories
    ctx.extra["items"] = items
    ctx.extra["item_by_name"] = {item.name: item for item in items}
