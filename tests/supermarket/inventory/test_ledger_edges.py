"""The stock ledger at its edges, as a store manager or an auditor would notice them: no lot balance below zero
even when the item's total would allow it, lots without an expiry taken last, expiring-first for a whole sale,
who moved the stock, the shortage message naming this store's stock, and the largest quantity accepted."""
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from supermarket.inventory import ledger
from supermarket.inventory.errors import BadQuantity, ExpiredLot, InsufficientStock, ReversalExceeds
from supermarket.inventory.models import LotBalance, StockMovement
from supermarket.inventory.verify import verify_balances
from supermarket.uow import unit_of_work
from tests.factories import SYSTEM
from tests.supermarket.catalog.factories import food_category, make_category, make_item
from tests.supermarket.inventory.factories import stock

NOW = datetime(2026, 6, 15, 4, 0, tzinfo=timezone.utc)  # 12:00 in Changsha


def take(session, store, item, qty, actor=SYSTEM, **kw):
    with unit_of_work(session):
        return ledger.take(session, actor, store_id=store.id, item=item, qty=qty, kind="sale", doc_type="test",
                           doc_id="t", now=kw.pop("now", NOW), **kw)


def take_many(session, store, wants, actor=SYSTEM):
    with unit_of_work(session):
        return ledger.take_many(session, actor, store_id=store.id, wants=wants, kind="sale", doc_type="sale",
                                doc_id="s1", now=NOW)


def lot_qty(session, receipt):
    session.expire_all()
    return session.get(LotBalance, receipt.lot_id).qty


def became_food(session, item):
    """An item first taken in as non-food (its lots carry no expiry), then re-classified as food."""
    item.category_id, item.is_food = food_category(session).id, True
    session.commit()
    session.refresh(item)


def test_reversing_an_intake_never_takes_its_lot_below_zero(session, world):
    store, item = world.stores["YL01"], make_item(session)
    first, second = stock(session, store, item, 5), stock(session, store, item, 5)
    take(session, store, item, 4, lot_id=first.lot_id)  # 1 left in the first lot, 6 of the item in all
    with pytest.raises(InsufficientStock) as e, unit_of_work(session):
        ledger.reverse(session, SYSTEM, movement=first, kind="intake_reversal", doc_type="test", doc_id="r", now=NOW)
    assert e.value.message == "该批次库存已不足，无法冲销"
    assert (lot_qty(session, first), lot_qty(session, second), ledger.on_hand(session, store.id, item.id)) == (1, 5, 6)
    with unit_of_work(session):  # what is left of it can be reversed
        back = ledger.reverse(session, SYSTEM, movement=second, kind="intake_reversal", doc_type="test",
                              doc_id="r", now=NOW, qty=5)
    assert (back.qty, back.reverses_id, back.lot_id) == (-5, second.id, second.lot_id)
    assert (lot_qty(session, second), ledger.on_hand(session, store.id, item.id)) == (0, 1)
    assert verify_balances(session) == []


def test_a_lot_emptied_by_another_till_meanwhile_is_not_taken_below_zero(session, world, monkeypatch):
    store, item = world.stores["YL01"], make_item(session)
    receipt = stock(session, store, item, 3)
    plan = ledger._plan

    def racing(session, *args):
        out = plan(session, *args)
        session.execute(LotBalance.__table__.update().where(LotBalance.lot_id == receipt.lot_id).values(qty=1))
        return out

    monkeypatch.setattr(ledger, "_plan", racing)
    with pytest.raises(InsufficientStock) as e:
        take(session, store, item, 2)
    assert e.value.message == "“矿泉水”库存刚被其他操作占用，请重试"
    with pytest.raises(InsufficientStock) as e:
        take_many(session, store, [(item, 2)])
    assert e.value.message == "库存刚被其他操作占用，请重试"
    assert lot_qty(session, receipt) == 3


def test_lots_without_an_expiry_are_taken_last(session, world):
    store, item = world.stores["YL01"], make_item(session, "饼干")
    undated = stock(session, store, item, 3, now=datetime(2026, 6, 1, tzinfo=timezone.utc))
    became_food(session, item)
    dated = stock(session, store, item, 3, expiry_date=date(2026, 12, 1), now=NOW)
    assert [(m.lot_id, m.qty) for m in take(session, store, item, 4)] == [(dated.lot_id, -3), (undated.lot_id, -1)]


def test_a_sale_takes_the_lots_of_each_item_expiring_first_undated_last(session, world):
    store = world.stores["YL01"]
    milk = make_item(session, "牛奶", category=food_category(session))
    late = stock(session, store, milk, 2, expiry_date=date(2026, 9, 1), now=NOW)
    soon = stock(session, store, milk, 2, expiry_date=date(2026, 7, 1), now=NOW)
    same_day_older = stock(session, store, milk, 1, expiry_date=date(2026, 8, 1),
                           now=datetime(2026, 6, 1, tzinfo=timezone.utc))
    same_day_newer = stock(session, store, milk, 1, expiry_date=date(2026, 8, 1), now=NOW)
    biscuits = make_item(session, "饼干")
    undated = stock(session, store, biscuits, 2, now=datetime(2026, 6, 1, tzinfo=timezone.utc))
    became_food(session, biscuits)
    dated = stock(session, store, biscuits, 2, expiry_date=date(2026, 12, 1), now=NOW)
    rows = take_many(session, store, [(milk, 3), (biscuits, 3), (milk, 2)])
    got = {(r["item_id"], r["lot_id"]): r["qty"] for r in rows}
    assert got == {(milk.id, soon.lot_id): -2, (milk.id, same_day_older.lot_id): -1,
                   (milk.id, same_day_newer.lot_id): -1, (milk.id, late.lot_id): -1,
                   (biscuits.id, dated.lot_id): -2, (biscuits.id, undated.lot_id): -1}
    order = [r["lot_id"] for r in rows if r["item_id"] == milk.id]
    assert order == [soon.lot_id, same_day_older.lot_id, same_day_newer.lot_id, late.lot_id]
    assert (ledger.on_hand(session, store.id, milk.id), ledger.on_hand(session, store.id, biscuits.id)) == (1, 1)
    assert verify_balances(session) == []


def test_a_sale_refuses_an_expired_lot_by_name(session, world):
    store = world.stores["YL01"]
    bread = make_item(session, "面包", category=food_category(session))
    old = stock(session, store, bread, 3, expiry_date=date(2026, 6, 14), now=NOW)
    stock(session, store, bread, 1, expiry_date=date(2026, 6, 15), now=NOW)
    with pytest.raises(ExpiredLot) as e:
        take_many(session, store, [(bread, 2)])
    # The message names the item, how many and the day they expired (never a lot id, which means nothing at the
    # counter).
    assert e.value.message == "面包 有 3 件已于 6月14日过期，不能销售"
    assert str(old.lot_id)[:8].upper() not in e.value.message
    assert ledger.on_hand(session, store.id, bread.id) == 4


def test_every_movement_records_who_moved_the_stock(session, world):
    store, item = world.stores["YL01"], make_item(session)
    cashier = world.actor(session, "cashier-yl01")
    with unit_of_work(session):
        received = ledger.receive(session, cashier, store_id=store.id, item=item, qty=5, kind="intake",
                                  doc_type="test", doc_id=7, now=NOW, note="备" * 250)
    assert (received.actor_id, received.actor_name, received.doc_id, received.note) == (
        cashier.user_id, "cashier-yl01", "7", "备" * 200)
    [one] = take(session, store, item, 1, actor=cashier, note="n")
    assert (one.actor_id, one.actor_name, one.note, one.kind, one.doc_type) == (
        cashier.user_id, "cashier-yl01", "n", "sale", "test")
    [row] = take_many(session, store, [(item, 2)], actor=cashier)
    assert (row["actor_id"], row["actor_name"], row["qty"], row["doc_id"]) == (cashier.user_id, "cashier-yl01",
                                                                               -2, "s1")
    stored = session.scalars(select(StockMovement).where(StockMovement.doc_type == "sale")).all()
    assert [(m.actor_id, m.qty, m.occurred_at.replace(tzinfo=timezone.utc)) for m in stored] == [
        (cashier.user_id, -2, NOW)]


def test_a_shortage_names_this_stores_stock_not_another_stores(session, world):
    item, other = make_item(session, "毛巾"), make_item(session, "肥皂")
    stock(session, world.stores["YL01"], item, 2)
    stock(session, world.stores["YL01"], other, 9)
    others = [s for code, s in sorted(world.stores.items()) if code != "YL01"]
    stock(session, others[0], item, 1)
    stock(session, others[-1], item, 50)
    with pytest.raises(InsufficientStock) as e:
        take_many(session, world.stores["YL01"], [(other, 1), (item, 5)])
    assert e.value.message == "“毛巾”库存不足：需要 5，现有 2"
    assert e.value.extra == {"item_id": str(item.id)}
    with pytest.raises(InsufficientStock) as e:
        take(session, world.stores["YL01"], item, 3)
    assert e.value.message == "“毛巾”库存不足：需要 3，现有 2"
    assert ledger.on_hand(session, world.stores["YL01"].id, other.id) == 9
    lone = make_item(session, "围巾")
    with pytest.raises(InsufficientStock) as e:
        take_many(session, world.stores["YL01"], [(lone, 1)])
    assert e.value.message == "“围巾”库存不足：需要 1，现有 0"


def test_quantities_run_from_one_to_a_million(session, world):
    store, item = world.stores["YL01"], make_item(session)
    stock(session, store, item, 1_000_000)
    assert ledger.on_hand(session, store.id, item.id) == 1_000_000
    for bad in (0, 1_000_001, True, 2.0):
        with pytest.raises(BadQuantity) as e:
            take(session, store, item, bad)
        assert e.value.message == "数量必须是 1 到 1000000 之间的整数"
        with pytest.raises(BadQuantity):
            take_many(session, store, [(item, bad)])
    assert [m.qty for m in take(session, store, item, 1)] == [-1]
    assert take_many(session, store, [(item, 1_000_000 - 1)])[0]["qty"] == -999_999
    assert ledger.on_hand(session, store.id, item.id) == 0


def test_a_reversal_names_what_is_left_to_reverse(session, world):
    store, item = world.stores["YL01"], make_item(session)
    stock(session, store, item, 5)
    [sale] = take(session, store, item, 3)
    with unit_of_work(session):
        ledger.reverse(session, SYSTEM, movement=sale, kind="sale_reversal", doc_type="test", doc_id="r", now=NOW,
                       qty=1)
    assert ledger.reversed_qty(session, sale.id) == 1
    for bad in (3, 0, True):
        with pytest.raises(ReversalExceeds) as e, unit_of_work(session):
            ledger.reverse(session, SYSTEM, movement=sale, kind="sale_reversal", doc_type="test", doc_id="r",
                           now=NOW, qty=bad)
        assert e.value.message == "冲销数量超过可冲销的数量（剩余 2）"
    with unit_of_work(session):
        last = ledger.reverse(session, SYSTEM, movement=sale, kind="sale_reversal", doc_type="test", doc_id="r",
                              now=NOW, qty=2)
    assert (last.qty, ledger.reversed_qty(session, sale.id), ledger.on_hand(session, store.id, item.id)) == (2, 3, 5)


def test_expired_lots_are_taken_only_when_writing_them_off(session, world):
    store, item = world.stores["YL01"], make_item(session, "面包", category=food_category(session))
    old = stock(session, store, item, 2, expiry_date=date(2026, 6, 14), now=NOW)
    moves = take(session, store, item, 2, allow_expired=True)
    assert [(m.lot_id, m.qty) for m in moves] == [(old.lot_id, -2)]


def test_lock_order_is_each_item_once_in_id_order():
    assert ledger.lock_order(["b", "a", "b", "c"]) == ["a", "b", "c"]
    assert ledger.lock_order([]) == []


def test_lots_of_one_expiry_go_oldest_first_and_ties_by_lot_number(session, world):
    store, item = world.stores["YL01"], make_item(session, "牛奶", category=food_category(session))
    day = date(2026, 8, 1)
    older = stock(session, store, item, 1, expiry_date=day, now=datetime(2026, 6, 1, tzinfo=timezone.utc))
    same_time = [stock(session, store, item, 1, expiry_date=day, now=NOW) for _ in range(5)]
    moves = take(session, store, item, 6)
    assert [m.lot_id for m in moves] == [older.lot_id] + sorted((r.lot_id for r in same_time), key=str)


def test_a_receipt_opens_a_lot_that_remembers_its_source_and_cost(session, world):
    from supermarket.inventory.models import Lot

    store, item = world.stores["YL01"], make_item(session)
    with unit_of_work(session):
        moved = ledger.receive(session, SYSTEM, store_id=store.id, item=item, qty=3, kind="intake",
                               doc_type="donation", doc_id=12, now=NOW, unit_cost_fen=250,
                               expiry_date=date(2027, 1, 1))
    lot = session.get(Lot, moved.lot_id)
    assert (lot.store_id, lot.item_id, lot.source_type, lot.source_id, lot.unit_cost_fen, lot.expiry_date) == (
        store.id, item.id, "donation", "12", 250, None)  # not food: no expiry kept
    assert (moved.qty, moved.kind, moved.doc_type, moved.doc_id) == (3, "intake", "donation", "12")
    assert (lot_qty(session, moved), ledger.on_hand(session, store.id, item.id)) == (3, 3)


def test_a_store_takes_only_its_own_lots_even_when_another_stores_expire_first(session, world):
    here, there = world.stores["YL01"], world.stores["YL02"]
    milk = make_item(session, "牛奶", category=food_category(session))
    theirs = stock(session, there, milk, 5, expiry_date=date(2026, 7, 1), now=NOW)
    ours = stock(session, here, milk, 5, expiry_date=date(2026, 9, 1), now=NOW)
    assert [(m.lot_id, m.store_id) for m in take(session, here, milk, 2)] == [(ours.lot_id, here.id)]
    assert take_many(session, here, [(milk, 1)])[0]["lot_id"] == ours.lot_id
    assert (lot_qty(session, theirs), lot_qty(session, ours)) == (5, 2)


def test_of_one_expiry_the_lot_received_first_goes_first_even_when_recorded_later(session, world):
    """A back-dated intake (recorded after another lot of the same expiry, received before it) goes first: the
    order is by when the goods came in, not by when the row was written."""
    store, item = world.stores["YL01"], make_item(session, "牛奶", category=food_category(session))
    day = date(2026, 8, 1)
    earlier = stock(session, store, item, 1, expiry_date=day, now=datetime(2026, 6, 1, tzinfo=timezone.utc))
    later = [stock(session, store, item, 1, expiry_date=day, now=NOW)]
    # Lot ids are random: make sure a later lot sorts before the earlier one, so an order without the receipt
    # time (by id alone) would pick a later lot.
    while min(r.lot_id.hex for r in later) > earlier.lot_id.hex:
        later.append(stock(session, store, item, 1, expiry_date=day, now=NOW))
    assert [m.lot_id for m in take(session, store, item, 1)] == [earlier.lot_id]
    assert [lot_qty(session, r) for r in later] == [1] * len(later)


def test_a_take_from_a_named_lot_takes_only_that_lot(session, world):
    store, item = world.stores["YL01"], make_item(session, "酸奶", category=food_category(session))
    first = stock(session, store, item, 3, expiry_date=date(2026, 7, 1), now=NOW)
    named = stock(session, store, item, 3, expiry_date=date(2026, 9, 1), now=NOW)
    moves = take(session, store, item, 2, lot_id=named.lot_id)
    assert [(m.lot_id, m.qty) for m in moves] == [(named.lot_id, -2)]
    assert (lot_qty(session, first), lot_qty(session, named)) == (3, 1)


def test_refusals_name_the_item_and_the_prohibited_category(session, world):
    store, item = world.stores["YL01"], make_item(session, "面包", category=food_category(session))
    stock(session, store, item, 2, expiry_date=date(2026, 6, 14), now=NOW)
    with pytest.raises(ExpiredLot) as e:
        take(session, store, item, 1)
    assert e.value.extra.get("item_id") == str(item.id)
    liquor = make_category(session, "LIQ", "酒类")
    banned = make_item(session, "散装白酒", category=liquor)
    liquor.prohibited, liquor.prohibited_reason = True, "慈善超市不得销售酒类"
    session.commit()
    with pytest.raises(Exception) as e:
        ledger.check_not_prohibited(banned)
    assert e.value.message == "“酒类”类物品禁止入库或销售：慈善超市不得销售酒类"


def test_a_shortage_names_the_item_that_is_short_not_one_with_exactly_enough(session, world):
    """The sale's balance updates run together: the item that had exactly enough was already taken when the
    shortage is read, and was named (需要 2，现有 0) instead of the one that is short."""
    store = world.stores["YL01"]
    a, b = make_item(session, "毛巾"), make_item(session, "脸盆")
    first, second = sorted((a, b), key=lambda i: i.id)
    stock(session, store, first, 2)
    stock(session, store, second, 1)
    with pytest.raises(InsufficientStock) as e:
        take_many(session, store, [(first, 2), (second, 2)])
    assert e.value.message == f"“{second.name}”库存不足：需要 2，现有 1"


def test_a_one_unit_sale_reversed_comes_back_and_sale_movements_carry_no_note(session, world):
    store, item = world.stores["YL01"], make_item(session)
    stock(session, store, item, 2)
    [sale] = take_many(session, store, [(item, 1)])
    assert sale["note"] == ""
    moved = session.get(StockMovement, sale["id"])
    with unit_of_work(session):
        back = ledger.reverse(session, SYSTEM, movement=moved, kind="sale_reversal", doc_type="test", doc_id="r",
                              now=NOW)
    assert (back.qty, ledger.on_hand(session, store.id, item.id)) == (1, 2)


def test_sellable_stock_counts_a_lot_expiring_today_and_only_this_stores_stock(session, world):
    store, other = world.stores["YL01"], world.stores["YL02"]
    item = make_item(session, "酸奶", category=food_category(session))
    today = date(2026, 6, 15)  # NOW in Changsha
    stock(session, store, item, 2, expiry_date=today, now=NOW)          # still sellable on its last day
    stock(session, store, item, 3, expiry_date=date(2026, 6, 14), now=NOW)
    stock(session, other, item, 7, expiry_date=date(2026, 9, 1), now=NOW)
    with unit_of_work(session):
        assert ledger.sellable_qty(session, store.id, [item.id], today) == {item.id: 2}
        assert ledger.sellable_qty(session, other.id, [item.id], today) == {item.id: 7}


def test_a_prohibited_category_without_a_reason_says_it_is_prohibited(session, world):
    banned = make_category(session, "KNIFE", "管制刀具")
    item = make_item(session, "折叠刀", category=banned)
    banned.prohibited, banned.prohibited_reason = True, ""
    session.commit()
    with pytest.raises(Exception) as e:
        ledger.check_not_prohibited(item)
    assert e.value.message == "“管制刀具”类物品禁止入库或销售：属于禁止类别"
