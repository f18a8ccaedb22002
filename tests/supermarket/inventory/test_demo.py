"""The demo catalog and stock: realistic, consistent, and what later demo steps rely on."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from supermarket.clock import local_today
from supermarket.catalog.codes import is_valid_gtin
from supermarket.catalog.models import Category, Item
from tests.demo_cache import demo_world
from supermarket.inventory import queries
from supermarket.inventory.models import Lot, LotBalance, StockBalance, Stocktake, Transfer, WriteOff
from supermarket.inventory.verify import verify_balances
from supermarket.models import utcnow


def test_demo_catalog_and_stock(app, session):
    ctx = demo_world()
    items = ctx.extra["items"]  # later demo steps (intake) add their own items to the catalog
    assert len(items) >= 300 and len({i.id for i in session.scalars(select(Item))} - {i.id for i in items}) < 100
    assert {"粮油", "食品", "饮料", "日用品", "衣物", "图书文具", "家居", "电器", "母婴"} <= {
        c.name for c in session.scalars(select(Category))}
    assert {c.name for c in session.scalars(select(Category).where(Category.prohibited))} == {
        "药品", "贴身衣物", "自制食品"}
    assert all(is_valid_gtin(i.barcode) for i in items if i.barcode_kind == "ean13")
    assert all(i.barcode_kind == "internal" for i in items if i.kind == "donated_used")
    assert sum(1 for i in items if i.points_price) >= 20
    assert ctx.extra["item_by_name"]["矿泉水 550ml"].barcode_kind == "ean13"
    for store in ctx.stores.values():
        assert session.scalar(select(func.sum(StockBalance.qty)).where(StockBalance.store_id == store.id)) > 500
    food_lots = session.scalars(select(Lot).join(Item, Item.id == Lot.item_id).where(Item.is_food)).all()
    assert food_lots and all(lot.expiry_date for lot in food_lots)
    today = local_today(utcnow())
    expired = session.execute(select(Lot, LotBalance.qty).join(LotBalance, LotBalance.lot_id == Lot.id)
                              .where(Lot.expiry_date < today, LotBalance.qty > 0,
                                     Lot.source_type == "opening_stock")).all()
    assert len(expired) == 1 and expired[0][0].item.name == "桃李醇熟切片面包 400g"
    admin = ctx.users["admin"]
    from supermarket.auth.permissions import Actor, Role

    actor = Actor(admin.id, "admin", Role.FEDERATION_ADMIN, all_stores=True)
    near = queries.near_expiry_lots(session, actor, ctx.stores["YL01"].id, today=today)
    assert any(not r.expired and r.lot.expiry_date <= today + timedelta(days=30) for r in near)
    assert session.scalar(select(Stocktake.status)) == "posted"
    assert session.scalar(select(Transfer.status)) == "shipped"
    # The inventory demo's one write-off (the anomaly board's demo plants six more of boxed milk at FR01).
    assert session.scalar(select(func.count()).select_from(WriteOff).where(WriteOff.reason == "搬运时包装破损漏液")) == 1
    assert verify_balances(session) == []
