"""Stock on hand with filters, one item's history with running balance, near-expiry lots, home figures."""
from __future__ import annotations

from datetime import timedelta

import pytest

from supermarket.clock import local_today
from supermarket.catalog import service as catalog
from supermarket.errors import NotFound
from supermarket.inventory import ledger, queries, settings
from supermarket.clock import day_bounds_utc
from supermarket.uow import unit_of_work
from tests.factories import SYSTEM
from tests.supermarket.catalog.factories import food_category, make_category, make_item
from tests.supermarket.inventory.factories import NOW, cashier, manager, stock

TODAY = local_today(NOW)


@pytest.fixture
def shelf(session, world):
    store = world.stores["YL01"]
    food = food_category(session)  # near expiry: 7 days
    drinks = make_category(session, "DRINK", "饮料", is_food=True, near_expiry_days=20)
    goods = {
        "milk": make_item(session, "牛奶", category=food),
        "juice": make_item(session, "果汁", category=drinks),
        "soap": make_item(session, "香皂"),
        "towel": make_item(session, "毛巾"),
    }
    stock(session, store, goods["milk"], 5, expiry_date=TODAY + timedelta(days=5), now=NOW)     # near (7)
    stock(session, store, goods["juice"], 6, expiry_date=TODAY + timedelta(days=15), now=NOW)   # near (20)
    stock(session, store, goods["juice"], 2, expiry_date=TODAY - timedelta(days=1), now=NOW)    # expired
    stock(session, store, goods["soap"], 30, now=NOW)
    stock(session, store, goods["towel"], 2, now=NOW)                                           # low (≤3)
    return store, goods


def names(rows):
    return sorted(r.item.name for r in rows)


def test_stock_filters(session, world, shelf):
    store, goods = shelf
    actor = cashier(session, world)
    on_hand = lambda **kw: queries.stock_on_hand(session, actor, store.id, today=TODAY, **kw)  # noqa: E731
    rows, total = on_hand()
    assert total == 4 and names(rows) == ["果汁", "毛巾", "牛奶", "香皂"]
    assert names(on_hand(status="low")[0]) == ["毛巾"]
    assert names(on_hand(status="near_expiry")[0]) == ["果汁", "牛奶"]
    assert names(on_hand(status="expired")[0]) == ["果汁"]
    assert names(on_hand(category_id=goods["soap"].category_id)[0]) == ["毛巾", "香皂"]
    assert names(on_hand(q="xz")[0]) == ["香皂"]
    juice = next(r for r in rows if r.item.name == "果汁")
    assert (juice.qty, juice.next_expiry) == (8, TODAY - timedelta(days=1))
    page, total = on_hand(limit=3, offset=3)
    assert total == 4 and len(page) == 1
    settings.update_settings(session, manager(session, world), store.id, write_off_approval_fen=5000,
                             low_stock_qty=5, now=NOW)
    assert names(on_hand(status="low")[0]) == ["毛巾", "牛奶"]


def test_near_expiry_list_uses_each_categorys_days(session, world, shelf):
    store, _goods = shelf
    lots = queries.near_expiry_lots(session, cashier(session, world), store.id, today=TODAY)
    assert [(r.item.name, r.qty, r.expired) for r in lots] == [("果汁", 2, True), ("牛奶", 5, False),
                                                               ("果汁", 6, False)]
    assert lots[1].days_left == 5


def test_item_history_shows_the_running_balance(session, world, shelf):
    store, goods = shelf
    with unit_of_work(session):
        ledger.take(session, SYSTEM, store_id=store.id, item=goods["soap"], qty=4, kind="sale", doc_type="t",
                    doc_id="s", now=NOW + timedelta(minutes=5))
    rows = queries.item_history(session, cashier(session, world), store.id, goods["soap"].id)
    assert [(r.movement.qty, r.balance_after) for r in rows] == [(-4, 26), (30, 30)]
    with pytest.raises(NotFound):
        queries.item_history(session, cashier(session, world, "FR01"), store.id, goods["soap"].id)


def test_home_figures(session, world, shelf):
    store, _goods = shelf
    start, end = day_bounds_utc(TODAY)
    figures = {f.label: f.value for f in queries.home_figures(session, store.id, start, end)}
    assert figures == {"低库存物品": "1", "临期批次": "2", "过期待处理批次": "1"}


def test_scan_lookup_gives_the_stores_price_and_stock(session, world, shelf):
    store, goods = shelf
    actor = manager(session, world)
    catalog.set_store_price(session, actor, store_id=store.id, item_id=goods["soap"].id, price_fen=150)
    found = queries.scan_lookup(session, cashier(session, world), goods["soap"].barcode, store_id=store.id)
    assert (found.item.id, found.price_fen, found.on_hand) == (goods["soap"].id, 150, 30)
    elsewhere = queries.scan_lookup(session, cashier(session, world, "FR01"), goods["soap"].barcode,
                                    store_id=world.stores["FR01"].id)
    assert (elsewhere.price_fen, elsewhere.on_hand) == (200, 0)
    with pytest.raises(NotFound):
        queries.scan_lookup(session, cashier(session, world, "FR01"), goods["soap"].barcode, store_id=store.id)


def test_second_hand_one_offs_are_never_low_stock(session, world, shelf):
    store, _goods = shelf
    coat = make_item(session, "二手大衣", store=store, kind="donated_used", condition_grade="A")
    stock(session, store, coat, 1, now=NOW)
    rows, _total = queries.stock_on_hand(session, cashier(session, world), store.id, today=TODAY, status="low")
    assert names(rows) == ["毛巾"]
