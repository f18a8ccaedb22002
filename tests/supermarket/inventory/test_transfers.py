"""Transfers: ship expiring-first per lot, receive into lots keeping expiry, record differences."""
from __future__ import annotations

from datetime import timedelta

import pytest

from supermarket.clock import local_today
from supermarket.errors import Forbidden, InvalidInput, NotFound
from supermarket.inventory import ledger, transfers
from supermarket.inventory.errors import AlreadyReceived, ExpiredLot, InsufficientStock
from supermarket.inventory.models import Lot, StockMovement, Transfer
from supermarket.inventory.verify import verify_balances
from tests.supermarket.catalog.factories import food_category, make_item
from tests.supermarket.inventory.factories import NOW, cashier, manager, stock

TODAY = local_today(NOW)


def ship(session, world, lines, *, frm="YL01", to="YL02", who=None, **kw):
    return transfers.ship_transfer(session, who or manager(session, world, frm), from_store_id=world.stores[frm].id,
                                   to_store_id=world.stores[to].id, lines=lines, now=NOW, **kw)


def test_ship_and_receive_keep_each_lots_expiry(session, world):
    milk = make_item(session, "牛奶", category=food_category(session))
    stock(session, world.stores["YL01"], milk, 3, expiry_date=TODAY + timedelta(days=5), now=NOW)
    stock(session, world.stores["YL01"], milk, 4, expiry_date=TODAY + timedelta(days=40), now=NOW)
    transfer = ship(session, world, [{"item_id": milk.id, "qty": 5}])
    assert transfer.number == "YL01-DB-2026-0001"
    assert [(ln.qty_shipped, ln.expiry_date) for ln in transfer.lines] == [
        (3, TODAY + timedelta(days=5)), (2, TODAY + timedelta(days=40))]
    assert ledger.on_hand(session, world.stores["YL01"].id, milk.id) == 2
    received = transfers.receive_transfer(session, cashier(session, world, "YL02"), transfer.id,
                                          received={ln.id: ln.qty_shipped for ln in transfer.lines}, now=NOW)
    assert (received.status, received.discrepancy_qty) == ("received", 0)
    lots = session.query(Lot).filter_by(store_id=world.stores["YL02"].id).order_by(Lot.expiry_date).all()
    assert [(lot.expiry_date, lot.source_type) for lot in lots] == [
        (TODAY + timedelta(days=5), "transfer"), (TODAY + timedelta(days=40), "transfer")]
    assert ledger.on_hand(session, world.stores["YL02"].id, milk.id) == 5
    kinds = {m.kind for m in session.query(StockMovement).filter_by(doc_type="transfer")}
    assert kinds == {"transfer_out", "transfer_in"}
    assert verify_balances(session) == []


def test_a_short_delivery_is_recorded_not_absorbed(session, world):
    item = make_item(session)
    stock(session, world.stores["YL01"], item, 10)
    transfer = ship(session, world, [{"item_id": item.id, "qty": 6}])
    [line] = transfer.lines
    done = transfers.receive_transfer(session, cashier(session, world, "YL02"), transfer.id, received={line.id: 4},
                                      now=NOW, note="少了两件")
    assert done.discrepancy_qty == 2 and done.lines[0].short_qty == 2
    assert ledger.on_hand(session, world.stores["YL01"].id, item.id) == 4  # not put back at the sender
    assert ledger.on_hand(session, world.stores["YL02"].id, item.id) == 4
    with pytest.raises(AlreadyReceived):
        transfers.receive_transfer(session, cashier(session, world, "YL02"), transfer.id, received={line.id: 2},
                                   now=NOW)


@pytest.mark.parametrize("received", ["none", "more", "negative", "unknown"])
def test_receiving_needs_every_line_within_what_was_shipped(session, world, received):
    import uuid

    item = make_item(session)
    stock(session, world.stores["YL01"], item, 10)
    transfer = ship(session, world, [{"item_id": item.id, "qty": 3}])
    line_id = transfer.lines[0].id
    counts = {"none": {}, "more": {line_id: 4}, "negative": {line_id: -1}, "unknown": {line_id: 3, uuid.uuid4(): 1}}
    with pytest.raises(InvalidInput):
        transfers.receive_transfer(session, cashier(session, world, "YL02"), transfer.id,
                                   received=counts[received], now=NOW)
    assert session.get(Transfer, transfer.id).status == "shipped"


def test_only_the_receiving_store_confirms(session, world):
    item = make_item(session)
    stock(session, world.stores["YL01"], item, 10)
    transfer = ship(session, world, [{"item_id": item.id, "qty": 3}])
    line_id = transfer.lines[0].id
    with pytest.raises(Forbidden):
        transfers.receive_transfer(session, cashier(session, world, "YL01"), transfer.id, received={line_id: 3},
                                   now=NOW)
    with pytest.raises(NotFound):
        transfers.receive_transfer(session, cashier(session, world, "FR01"), transfer.id, received={line_id: 3},
                                   now=NOW)
    assert transfers.get_transfer(session, world.actor(session, "auditor-yl"), transfer.id)
    with pytest.raises(NotFound):
        transfers.get_transfer(session, world.actor(session, "auditor-fr"), transfer.id)


def test_bad_shipments_write_nothing(session, world):
    food = make_item(session, "面包", category=food_category(session))
    stock(session, world.stores["YL01"], food, 2, expiry_date=TODAY - timedelta(days=1), now=NOW)
    item = make_item(session)
    stock(session, world.stores["YL01"], item, 2)
    with pytest.raises(ExpiredLot):
        ship(session, world, [{"item_id": food.id, "qty": 1}])
    with pytest.raises(InsufficientStock):
        ship(session, world, [{"item_id": item.id, "qty": 1}, {"item_id": item.id, "qty": 2}])
    with pytest.raises(InvalidInput):
        ship(session, world, [{"item_id": item.id, "qty": 1}], to="YL01")
    with pytest.raises(InvalidInput):
        ship(session, world, [])
    with pytest.raises(Forbidden):
        ship(session, world, [{"item_id": item.id, "qty": 1}], who=cashier(session, world))
    assert session.query(Transfer).count() == 0
    assert ledger.on_hand(session, world.stores["YL01"].id, item.id) == 2
