"""Several tablets at once, on PostgreSQL with real threads and connections."""
from __future__ import annotations

from datetime import timedelta

import pytest

from supermarket.catalog.models import Item
from supermarket.inventory import ledger, stocktakes, transfers
from supermarket.inventory.models import StockMovement, Stocktake, StocktakeCount, StocktakeLine
from supermarket.inventory.verify import verify_balances
from supermarket.uow import unit_of_work
from tests.factories import SYSTEM
from tests.supermarket.catalog.factories import make_item
from tests.supermarket.inventory.factories import NOW, cashier, manager, start_count, stock
from tests.concurrency import run_at_once

pytestmark = pytest.mark.pg


def run_together(app, n: int, work) -> list:
    """work(session, i) in n threads at once: "ok" or the domain error code of each."""
    return run_at_once(app, n, lambda s, i: (work(s, i), "ok")[1])

def test_eight_tablets_each_wanting_the_last_five_units(app, session, world):
    store, item = world.stores["YL01"], make_item(session)
    stock(session, store, item, 5)
    store_id, item_id = store.id, item.id

    def take_five(s, i):
        with unit_of_work(s):
            ledger.take(s, SYSTEM, store_id=store_id, item=s.get(Item, item_id), qty=5, kind="sale",
                        doc_type="test", doc_id=f"c{i}", now=NOW + timedelta(hours=1))

    results = run_together(app, 8, take_five)
    assert sorted(results) == ["inventory.insufficient_stock"] * 7 + ["ok"]
    session.expire_all()
    taken = -sum(m.qty for m in session.query(StockMovement).filter_by(kind="sale"))
    assert taken == 5
    assert ledger.on_hand(session, store_id, item_id) == 0
    assert verify_balances(session) == []


def test_two_managers_starting_a_count_at_once_open_one(app, session, world):
    store_id = world.stores["YL01"].id
    actor = manager(session, world)
    results = run_together(app, 2, lambda s, i: stocktakes.start_stocktake(s, actor, store_id=store_id, now=NOW))
    assert sorted(results) == ["inventory.stocktake_open", "ok"]
    session.expire_all()
    assert session.query(Stocktake).filter_by(store_id=store_id).count() == 1


def test_four_tablets_scanning_the_same_new_item_share_one_line(app, session, world):
    item = make_item(session)
    take = start_count(session, world)
    take_id, item_id, actor = take.id, item.id, cashier(session, world)
    results = run_together(app, 4, lambda s, i: stocktakes.record_count(s, actor, take_id, item_id=item_id,
                                                                        now=NOW))
    assert results == ["ok"] * 4
    session.expire_all()
    [line] = session.query(StocktakeLine).filter_by(stocktake_id=take_id).all()
    assert line.counted_qty == 4
    assert session.query(StocktakeCount).filter_by(line_id=line.id).count() == 4


def test_a_transfer_is_received_once_even_from_two_tablets(app, session, world):
    item = make_item(session)
    stock(session, world.stores["YL01"], item, 6)
    transfer = transfers.ship_transfer(session, manager(session, world), from_store_id=world.stores["YL01"].id,
                                       to_store_id=world.stores["YL02"].id, lines=[{"item_id": item.id, "qty": 6}],
                                       now=NOW)
    transfer_id, line_id = transfer.id, transfer.lines[0].id
    actor = cashier(session, world, "YL02")
    results = run_together(app, 2, lambda s, i: transfers.receive_transfer(
        s, actor, transfer_id, received={line_id: 6}, now=NOW))
    assert sorted(results) == ["inventory.transfer_already_received", "ok"]
    session.expire_all()
    assert ledger.on_hand(session, world.stores["YL02"].id, item.id) == 6
    assert verify_balances(session) == []
