"""Stocktakes: only counted lines are adjusted, variance is reviewed by a manager who did not count, posting
spreads a shortfall expiring-first, found food takes a reference expiry, and the figures are kept."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import insert

from supermarket.clock import local_today
from supermarket.auth.errors import ApprovalFailed
from supermarket.catalog.models import Item
from supermarket.errors import Forbidden, InvalidInput, NotFound
from supermarket.inventory import ledger, stocktake_review, stocktakes
from supermarket.inventory.errors import (BadQuantity, CounterCannotApprove, NeedsExpiry, OutOfScope, ProhibitedGoods,
                                          StaleReview, StocktakeNotOpen, StocktakeOpen)
from supermarket.inventory.models import LotBalance, StockMovement
from supermarket.inventory.verify import verify_balances
from supermarket.uow import unit_of_work
from tests.factories import SYSTEM
from tests.supermarket.catalog.factories import food_category, make_category, make_item
from tests.supermarket.inventory.factories import NOW, PIN, approve, cashier, count, manager, start_count, stock

TODAY = local_today(NOW)


def test_a_count_of_3_of_300_items_changes_only_those_3(session, world):
    store = world.stores["YL01"]
    category = make_category(session)
    rows = [{"name": f"物品{i}", "pinyin": f"wp{i}", "category_id": category.id, "unit": "件",
             "barcode": f"T{i:06d}", "barcode_kind": "internal", "kind": "purchased", "is_food": False,
             "default_price_fen": 100, "active": True} for i in range(300)]
    session.execute(insert(Item), rows)
    session.commit()
    items = session.query(Item).filter(Item.barcode.like("T%")).order_by(Item.barcode).all()
    with unit_of_work(session):
        for item in items:
            ledger.receive(session, SYSTEM, store_id=store.id, item=item, qty=10, kind="intake", doc_type="test",
                           doc_id="seed", now=NOW)
    before = {i.id: ledger.on_hand(session, store.id, i.id) for i in items}
    take = start_count(session, world)
    counted = {items[5].id: 7, items[150].id: 12, items[299].id: 10}
    for item_id, n in counted.items():
        count(session, world, take, session.get(Item, item_id), n)
    review = stocktake_review.review_stocktake(session, manager(session, world), take.id, today=TODAY)
    assert review.uncounted_in_scope == 297
    posted = approve(session, world, take)
    after = {i.id: ledger.on_hand(session, store.id, i.id) for i in items}
    changed = {k for k in after if after[k] != before[k]}
    assert changed == {items[5].id, items[150].id}  # the third was counted right: no change
    assert after[items[5].id] == 7 and after[items[150].id] == 12 and after[items[299].id] == 10
    assert session.query(StockMovement).filter_by(kind="stocktake_adjustment").count() == 2
    assert (posted.counted_lines, posted.variance_qty, posted.variance_value_fen) == (3, -1, -100)
    assert posted.book_value_fen == 3000 and posted.variance_abs_value_fen == 500
    assert posted.variance_ratio_bp == 1667  # 5.00 ¥ of 30.00 ¥ = 16.67 %
    assert verify_balances(session) == []


def test_a_shortfall_comes_out_expiring_first_expired_lots_first(session, world):
    store, item = world.stores["YL01"], make_item(session, "面包", category=food_category(session))
    expired = stock(session, store, item, 2, expiry_date=TODAY - timedelta(days=1), now=NOW)
    soon = stock(session, store, item, 3, expiry_date=TODAY + timedelta(days=3), now=NOW)
    late = stock(session, store, item, 5, expiry_date=TODAY + timedelta(days=60), now=NOW)
    take = start_count(session, world)
    count(session, world, take, item, 6)  # 4 missing of 10
    approve(session, world, take)
    balances = {lot: session.get(LotBalance, lot).qty for lot in (expired.lot_id, soon.lot_id, late.lot_id)}
    assert balances == {expired.lot_id: 0, soon.lot_id: 1, late.lot_id: 5}


def test_found_food_joins_the_soonest_unexpired_expiry(session, world):
    store, item = world.stores["YL01"], make_item(session, "酸奶", category=food_category(session))
    stock(session, store, item, 1, expiry_date=TODAY - timedelta(days=2), now=NOW)
    stock(session, store, item, 1, expiry_date=TODAY + timedelta(days=9), now=NOW)
    stock(session, store, item, 1, expiry_date=TODAY + timedelta(days=4), now=NOW)
    take = start_count(session, world)
    count(session, world, take, item, 5)
    approve(session, world, take)
    found = session.query(StockMovement).filter_by(kind="stocktake_adjustment").one()
    assert found.qty == 2 and found.lot.expiry_date == TODAY + timedelta(days=4)
    assert found.lot.source_type == "stocktake"


def test_found_food_without_any_lot_needs_an_expiry_date_typed(session, world):
    item = make_item(session, "饼干", category=food_category(session))
    take = start_count(session, world)
    line = count(session, world, take, item, 3)
    with pytest.raises(NeedsExpiry):
        approve(session, world, take)
    assert stocktakes.get_stocktake(session, manager(session, world), take.id).status == "counting"
    stocktakes.set_line_expiry(session, cashier(session, world), take.id, line.id,
                               expiry_date=TODAY + timedelta(days=30), now=NOW)
    approve(session, world, take)
    assert ledger.on_hand(session, world.stores["YL01"].id, item.id) == 3


def test_the_approver_must_not_have_counted(session, world):
    item = make_item(session)
    take = start_count(session, world)
    stocktakes.record_count(session, manager(session, world), take.id, item_id=item.id, now=NOW)
    with pytest.raises(CounterCannotApprove):
        approve(session, world, take)
    with pytest.raises(ApprovalFailed):  # a cashier cannot approve, even one who did not count
        approve(session, world, take, approver="cashier-yl02")
    with pytest.raises(ApprovalFailed):  # another store's manager neither
        approve(session, world, take, approver="manager-yl02")
    assert session.query(StockMovement).filter_by(kind="stocktake_adjustment").count() == 0


def test_approval_is_refused_when_stock_moved_after_the_review(session, world):
    store, item = world.stores["YL01"], make_item(session)
    stock(session, store, item, 5)
    take = start_count(session, world)
    count(session, world, take, item, 4)
    actor = manager(session, world)
    review = stocktake_review.review_stocktake(session, actor, take.id, today=TODAY)
    with unit_of_work(session):  # a sale at the till meanwhile
        ledger.take(session, SYSTEM, store_id=store.id, item=item, qty=1, kind="sale", doc_type="t", doc_id="s",
                    now=NOW)
    with pytest.raises(StaleReview):
        stocktake_review.approve_stocktake(session, actor, take.id, approver_username="manager-yl01",
                                           approver_secret=PIN, digest=review.digest, now=NOW)
    assert ledger.on_hand(session, store.id, item.id) == 4
    approve(session, world, take)  # reviewed again: counted 4, book 4, nothing to adjust
    assert session.query(StockMovement).filter_by(kind="stocktake_adjustment").count() == 0


def test_counting_respects_the_chosen_categories_and_prohibited_goods(session, world):
    drinks = make_category(session, "DRINK", "饮料")
    water, soap = make_item(session, "矿泉水", category=drinks), make_item(session, "香皂")
    take = start_count(session, world, category_ids=[drinks.id])
    count(session, world, take, water)
    with pytest.raises(OutOfScope):
        count(session, world, take, soap)
    medicine = make_category(session, "MED", "药品", prohibited=True, prohibited_reason="药品不得销售")
    soap.category_id = medicine.id  # as if re-classified after it was stocked
    session.commit()
    whole = start_count(session, world, "YL02")
    with pytest.raises(ProhibitedGoods):
        count(session, world, whole, session.get(Item, soap.id), code="YL02")


def test_one_open_count_per_store_and_no_count_after_posting(session, world):
    item = make_item(session)
    take = start_count(session, world)
    with pytest.raises(StocktakeOpen):
        start_count(session, world)
    start_count(session, world, "YL02")  # another store may count at the same time
    count(session, world, take, item)
    approve(session, world, take)
    with pytest.raises(StocktakeNotOpen):
        count(session, world, take, item)
    start_count(session, world)  # the store may start the next one


def test_cancel_adjusts_nothing(session, world):
    store, item = world.stores["YL01"], make_item(session)
    stock(session, store, item, 5)
    take = start_count(session, world)
    count(session, world, take, item, 2)
    stocktakes.cancel_stocktake(session, manager(session, world), take.id, now=NOW)
    assert ledger.on_hand(session, store.id, item.id) == 5
    with pytest.raises(StocktakeNotOpen):
        count(session, world, take, item)


def test_typed_numbers_set_and_correct_counts_but_never_below_zero(session, world):
    item = make_item(session)
    take = start_count(session, world)
    line = count(session, world, take, item, 3)
    assert count(session, world, take, item).counted_qty == 4
    assert count(session, world, take, item, -2).counted_qty == 2
    with pytest.raises(BadQuantity):
        count(session, world, take, item, -3)
    assert stocktakes.set_count(session, cashier(session, world), take.id, line.id, counted_qty=9,
                                now=NOW).counted_qty == 9
    for bad in (0, 10**9, 1.5, True):
        with pytest.raises(BadQuantity):
            count(session, world, take, item, bad)


@pytest.mark.parametrize("who", ["cashier-yl01", "auditor-yl", "manager-yl02"])
def test_only_the_stores_manager_starts_a_count(session, world, who):
    with pytest.raises((Forbidden, NotFound)):
        stocktakes.start_stocktake(session, world.actor(session, who), store_id=world.stores["YL01"].id, now=NOW)


def test_other_stores_cannot_see_or_count_a_stocktake(session, world):
    item = make_item(session)
    take = start_count(session, world)
    with pytest.raises(NotFound):
        stocktakes.record_count(session, cashier(session, world, "FR01"), take.id, item_id=item.id, now=NOW)
    with pytest.raises(Forbidden):  # the district auditor sees it but does not count
        stocktakes.record_count(session, world.actor(session, "auditor-yl"), take.id, item_id=item.id, now=NOW)
    with pytest.raises(InvalidInput):
        stocktakes.start_stocktake(session, manager(session, world, "YL02"), store_id=world.stores["YL02"].id,
                                   category_ids=[uuid.UUID(int=0)], now=NOW)


def test_the_same_start_submitted_twice_opens_one_count(session, world):
    actor = manager(session, world)
    first = stocktakes.start_stocktake(session, actor, store_id=world.stores["YL01"].id, now=NOW,
                                       idempotency_key="k1")
    again = stocktakes.start_stocktake(session, actor, store_id=world.stores["YL01"].id, now=NOW,
                                       idempotency_key="k1")
    assert again.id == first.id


def test_an_unknown_barcode_is_refused(session, world):
    from supermarket.catalog.errors import UnknownBarcode

    take = start_count(session, world)
    with pytest.raises(UnknownBarcode):
        stocktakes.record_count(session, cashier(session, world), take.id, barcode="6900000000000", now=NOW)
    assert stocktakes.counted_lines(session, manager(session, world), take.id) == []


def test_ratio_is_none_without_book_value():
    assert stocktake_review.ratio_bp(500, 0) is None
    assert stocktake_review.ratio_bp(1, 3) == 3333
    assert stocktake_review.ratio_bp(0, 100) == 0
