"""Demo stock: opening stock of the demo catalog in every store, and a few documents to look at.

Opening stock is bulk-inserted (lots, lot balances, item balances and one "intake" movement per lot, dated
95 days ago — before the central check's 90-day window, whose monthly stocktakes count it — document
"opening_stock") so `flask demo` stays fast; the ledger and the caches agree, as
`flask inventory verify` confirms. One summarising audit event per store records the load.

Packaged goods are stocked in every store (a few sold out or low); second-hand goods sit in the store that
coded them. Food lots carry expiry dates: most months away, some within their category's near-expiry days,
and one expired lot (sliced bread in YL01). Then, through the services: a posted drinks stocktake in YL02
(cashier counted, manager approved), a write-off in FR01, a transfer YL01 → YL02 still in transit, and a
few store prices in FR01.
"""
from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import joinedload

from .. import audit
from ..audit.rows import note_rows
from ..auth.demo import DEMO_PIN
from ..auth.permissions import Actor, Role, system_actor
from ..catalog.models import Item, StorePrice
from ..models import utcnow
from . import stocktake_review, stocktakes, transfers, writeoffs
from ..clock import local_today
from .ledger import on_hand
from .models import Lot, LotBalance, StockBalance, StockMovement

SHELF_DAYS = {"GRAIN": (120, 360), "FOOD": (40, 180), "DRINK": (90, 360)}
EXPIRED_ITEM = "桃李醇熟切片面包 400g"
# Goods the demo documents (and the later demo steps) rely on: always well stocked in every store.
ALWAYS_STOCKED = ("矿泉水 550ml", "可口可乐 500ml", "雪碧 500ml", "椰树椰汁 1L", "金龙鱼东北大米 5kg",
                  "鲁花5S压榨花生油 5L", "康师傅红烧牛肉面 五连包", "伊利纯牛奶 250ml×24盒", "舒肤佳纯白清香香皂 108g",
                  "清风原木纯品抽纸 3层100抽×10包", "农夫山泉饮用天然水 550ml", "金沙河挂面 1kg")


def _actor(ctx, username: str) -> Actor:
    user = ctx.users[username]
    return Actor(user.id, user.username, Role(user.role), store_ids=frozenset({user.store_id}))


def _quantity(rng: random.Random, item) -> int:
    if item.barcode_kind == "internal":
        return 1 if item.kind == "donated_used" else rng.randint(5, 20)
    roll = rng.random()
    if roll < 0.06:
        return 0            # sold out: an item balance of 0 (shows under "low stock")
    if roll < 0.16:
        return rng.randint(1, 3)
    return rng.randint(6, 48)


def _lots_for(rng: random.Random, item, qty: int, today, near: bool) -> list[tuple[int, object]]:
    """(qty, expiry) per lot: food in one or two lots; `near` puts the first lot within near-expiry days."""
    if not item.is_food:
        return [(qty, None)]
    low, high = SHELF_DAYS[item.category_code]
    first = today + timedelta(days=rng.randint(2, max(2, item.near_expiry_days - 2)) if near
                              else rng.randint(low, high))
    if qty < 4:
        return [(qty, first)]
    split = rng.randint(1, qty - 1)
    return [(split, first), (qty - split, first + timedelta(days=rng.randint(30, 90)))]


@dataclass(frozen=True)
class _Goods:
    """What the demo needs of an item, read once: committed ORM objects would reload one by one."""

    id: uuid.UUID
    name: str
    category_code: str
    near_expiry_days: int
    is_food: bool
    barcode_kind: str
    kind: str
    origin_store_id: uuid.UUID | None
    default_price_fen: int


def _goods(items) -> list[_Goods]:
    return [_Goods(i.id, i.name, i.category.code, i.category.near_expiry_days, i.is_food, i.barcode_kind, i.kind,
                   i.origin_store_id, i.default_price_fen) for i in items]


def _opening_stock(session, ctx, goods: list[_Goods], now) -> None:
    rng = random.Random(2023)
    today, received = local_today(now), now - timedelta(days=95)
    actor = system_actor("demo")
    lots, lot_balances, balances, moves = [], [], [], []
    for store_code, store in ctx.stores.items():
        units, first_move = 0, len(moves)
        for item in goods:
            if item.barcode_kind == "internal" and item.origin_store_id != store.id:
                continue
            qty = _quantity(rng, item)
            if item.name in ALWAYS_STOCKED:
                qty = max(qty, 20)
            parts = _lots_for(rng, item, qty, today, near=item.is_food and rng.random() < 0.08) if qty else []
            if store_code == "YL01" and item.name == EXPIRED_ITEM:
                qty, parts = 8, [(3, today - timedelta(days=1)), (5, today + timedelta(days=4))]
            balances.append({"store_id": store.id, "item_id": item.id, "qty": qty})
            for lot_qty, expiry in parts:
                lot_id = uuid.uuid4()
                lots.append({"id": lot_id, "store_id": store.id, "item_id": item.id, "expiry_date": expiry,
                             "received_at": received, "source_type": "opening_stock", "source_id": f"demo-{store_code}",
                             "unit_cost_fen": None, "created_at": now})
                lot_balances.append({"lot_id": lot_id, "store_id": store.id, "item_id": item.id, "qty": lot_qty})
                moves.append({"id": uuid.uuid4(), "store_id": store.id, "item_id": item.id, "lot_id": lot_id,
                              "qty": lot_qty, "kind": "intake", "doc_type": "opening_stock",
                              "doc_id": f"demo-{store_code}", "reverses_id": None, "actor_id": None,
                              "actor_name": "demo", "occurred_at": received, "note": "期初库存",
                              "created_at": now})
                units += lot_qty
        # Written below in one INSERT per table, but vouched for by this store's event (audit/rows.py).
        note_rows(session, StockMovement.__table__, moves[first_move:])
        audit.record(session, actor, "inventory.opening_stock_loaded", subject_type="store",
                     subject_id=str(store.id), summary={"store": store_code, "units": units}, store_id=store.id)
    for model, rows in ((Lot, lots), (LotBalance, lot_balances), (StockBalance, balances), (StockMovement, moves)):
        session.execute(insert(model), rows)
    session.commit()


def _store_prices(session, ctx, goods: list[_Goods]) -> None:
    """FR01 sells some drinks for less (its own price)."""
    fr01 = ctx.stores["FR01"]
    rows = [{"store_id": fr01.id, "item_id": i.id, "price_fen": max(100, i.default_price_fen - 50)}
            for i in goods if i.category_code == "DRINK" and i.barcode_kind == "ean13"][:6]
    session.execute(insert(StorePrice), rows)
    audit.record(session, system_actor("demo"), "catalog.store_prices_loaded", subject_type="store",
                 subject_id=str(fr01.id), summary={"items": len(rows)}, store_id=fr01.id)
    session.commit()


def _documents(session, ctx, now) -> None:
    by_name = ctx.extra["item_by_name"]
    yl02 = ctx.stores["YL02"]
    drinks = ctx.extra["categories"]["DRINK"]
    take = stocktakes.start_stocktake(session, _actor(ctx, "manager-yl02"), store_id=yl02.id,
                                      category_ids=[drinks.id], note="饮料月度盘点", now=now - timedelta(days=2))
    counter = _actor(ctx, "cashier-yl02")
    for name, difference in (("矿泉水 550ml", 0), ("可口可乐 500ml", -1), ("雪碧 500ml", 2)):
        counted = on_hand(session, yl02.id, by_name[name].id) + difference  # one missing, two found
        stocktakes.record_count(session, counter, take.id, item_id=by_name[name].id, qty=counted,
                                now=now - timedelta(days=2))
    review = stocktake_review.review_stocktake(session, _actor(ctx, "manager-yl02"), take.id,
                                               today=local_today(now))
    stocktake_review.approve_stocktake(session, _actor(ctx, "manager-yl02"), take.id,
                                       approver_username="manager-yl02", approver_secret=DEMO_PIN,
                                       digest=review.digest, now=now - timedelta(days=2))
    writeoffs.write_off(session, _actor(ctx, "cashier-fr01"), store_id=ctx.stores["FR01"].id,
                        item_id=by_name["椰树椰汁 1L"].id, qty=1, reason_code="damaged", reason="搬运时包装破损漏液",
                        now=now - timedelta(days=1))
    transfers.ship_transfer(session, _actor(ctx, "manager-yl01"), from_store_id=ctx.stores["YL01"].id,
                            to_store_id=yl02.id, note="观沙岭店冬季粮油补货",
                            lines=[{"item_id": by_name["金龙鱼东北大米 5kg"].id, "qty": 2},
                                   {"item_id": by_name["鲁花5S压榨花生油 5L"].id, "qty": 1}], now=now)


def load(session, ctx):
    now = utcnow()
    goods = _goods(ctx.extra["items"])
    _opening_stock(session, ctx, goods, now)
    _store_prices(session, ctx, goods)
    _documents(session, ctx, now)
    # Refresh the committed (expired) items in one query, for the demo steps that follow.
    session.scalars(select(Item).options(joinedload(Item.category))).all()
