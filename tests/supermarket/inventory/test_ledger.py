"""The ledger's core moves: receive, take expiring-first, refuse expired and oversell, reverse exactly."""
from datetime import date, datetime, timedelta, timezone

import pytest

from supermarket.inventory import ledger
from supermarket.inventory.errors import BadQuantity, ExpiredLot, InsufficientStock, ProhibitedGoods, ReversalExceeds
from supermarket.inventory.models import LotBalance, StockMovement
from supermarket.inventory.verify import verify_balances
from supermarket.uow import unit_of_work
from tests.concurrency import run_at_once
from tests.factories import SYSTEM
from tests.supermarket.catalog.factories import food_category, make_category, make_item
from tests.supermarket.inventory.factories import stock

NOW = datetime(2026, 6, 15, 4, 0, tzinfo=timezone.utc)  # 12:00 in Changsha


def take(session, store, item, qty, **kw):
    with unit_of_work(session):
        return ledger.take(session, SYSTEM, store_id=store.id, item=item, qty=qty, kind="sale", doc_type="test",
                           doc_id="t", now=kw.pop("now", NOW), **kw)


def test_take_picks_the_lot_expiring_first(session, world):
    store, item = world.stores["YL01"], make_item(session, "牛奶", category=food_category(session))
    late = stock(session, store, item, 5, expiry_date=date(2026, 9, 1), now=NOW)
    early = stock(session, store, item, 5, expiry_date=date(2026, 7, 1), now=NOW)
    moves = take(session, store, item, 7)
    assert [(m.lot_id, m.qty) for m in moves] == [(early.lot_id, -5), (late.lot_id, -2)]
    assert ledger.on_hand(session, store.id, item.id) == 3
    assert verify_balances(session) == []


def test_expired_lot_is_refused_naming_the_item_and_date(session, world):
    store, item = world.stores["YL01"], make_item(session, "面包", category=food_category(session))
    expired = stock(session, store, item, 3, expiry_date=date(2026, 6, 14), now=NOW)
    fresh = stock(session, store, item, 2, expiry_date=date(2026, 6, 20), now=NOW)
    moves = take(session, store, item, 2)  # fresh stock is taken, the expired lot is skipped
    assert [m.lot_id for m in moves] == [fresh.lot_id]
    with pytest.raises(ExpiredLot) as exc:
        take(session, store, item, 1)
    assert exc.value.message == "面包 有 3 件已于 6月14日过期，不能出库"
    assert expired.lot_id.hex[:8].upper() not in exc.value.message
    assert ledger.on_hand(session, store.id, item.id) == 3  # the refused take wrote nothing


def test_expiry_day_itself_is_still_sellable(session, world):
    store, item = world.stores["YL01"], make_item(session, "酸奶", category=food_category(session))
    stock(session, store, item, 1, expiry_date=date(2026, 6, 15), now=NOW)
    assert take(session, store, item, 1)


def test_cannot_take_more_than_on_hand(session, world):
    store, item = world.stores["YL01"], make_item(session)
    stock(session, store, item, 2)
    with pytest.raises(InsufficientStock) as exc:
        take(session, store, item, 3)
    assert "现有 2" in exc.value.message
    assert session.query(StockMovement).filter_by(kind="sale").count() == 0


@pytest.mark.parametrize("qty", [0, -1, 10**9, 1.5, True])
def test_bad_quantities_are_refused(session, world, qty):
    store, item = world.stores["YL01"], make_item(session)
    stock(session, store, item, 2)
    with pytest.raises(BadQuantity):
        take(session, store, item, qty)


def test_food_needs_an_expiry_date(session, world):
    with pytest.raises(BadQuantity):
        stock(session, world.stores["YL01"], make_item(session, "饼干", category=food_category(session)), 1)


def test_prohibited_goods_cannot_be_taken_in(session, world):
    cat = make_category(session, "MED", "药品", prohibited=True, prohibited_reason="药品不得捐赠或销售")
    item = make_item(session, "感冒药", category=make_category(session))
    item.category_id = cat.id  # as if the category were re-classified after the item was made
    session.commit()
    session.refresh(item)
    with pytest.raises(ProhibitedGoods):
        stock(session, world.stores["YL01"], item, 1)


def test_reverse_puts_back_into_the_same_lot_and_never_twice(session, world):
    store, item = world.stores["YL01"], make_item(session)
    received = stock(session, store, item, 4)
    [sale] = take(session, store, item, 3)
    with unit_of_work(session):
        ledger.reverse(session, SYSTEM, movement=sale, kind="sale_reversal", doc_type="test", doc_id="r", now=NOW,
                       qty=2)
    assert session.get(LotBalance, received.lot_id).qty == 3
    with pytest.raises(ReversalExceeds):
        with unit_of_work(session):
            ledger.reverse(session, SYSTEM, movement=sale, kind="sale_reversal", doc_type="test", doc_id="r",
                           now=NOW, qty=2)
    with unit_of_work(session):
        ledger.reverse(session, SYSTEM, movement=sale, kind="sale_reversal", doc_type="test", doc_id="r", now=NOW)
    assert ledger.on_hand(session, store.id, item.id) == 4
    assert verify_balances(session) == []


def test_stores_do_not_share_stock(session, world):
    item = make_item(session)
    stock(session, world.stores["YL01"], item, 5)
    with pytest.raises(InsufficientStock):
        take(session, world.stores["FR01"], item, 1)


@pytest.mark.pg
def test_eight_threads_take_the_last_five_units(app, session, world):

    store, item = world.stores["YL01"], make_item(session)
    stock(session, store, item, 5)
    store_id, item_id = store.id, item.id

    def work(s, i):
        it = s.get(type(item), item_id)
        with unit_of_work(s):
            ledger.take(s, SYSTEM, store_id=store_id, item=it, qty=1, kind="sale", doc_type="test",
                        doc_id="c", now=NOW + timedelta(hours=1))
        return "ok"

    results = run_at_once(app, 8, work)
    assert sorted(results) == ["inventory.insufficient_stock"] * 3 + ["ok"] * 5
    session.expire_all()
    assert ledger.on_hand(session, store_id, item_id) == 0
    assert verify_balances(session) == []
