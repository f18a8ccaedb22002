"""Several tablets at once, on PostgreSQL with real threads: no oversell, one sale per idempotency key, a sale
reversed once."""
import uuid

import pytest
from sqlalchemy import func, select

from supermarket.auth.permissions import Role
from supermarket.inventory import ledger
from supermarket.inventory.verify import verify_balances
from supermarket.sales import checkout, reversals
from supermarket.sales.inputs import Cart, CartLine, Refund, ReturnLine, Tendered
from supermarket.sales.models import Sale
from tests.factories import make_user
from tests.concurrency import run_at_once

from .factories import NOW, manager_ok, open_shift, sell, stocked_item

pytestmark = pytest.mark.pg




def test_eight_tills_sell_the_last_five_units(app, session, world):
    store = world.stores["YL01"]
    actors = []
    for i in range(8):
        make_user(session, f"till{i}", Role.CASHIER, store=store)
        world.users[f"till{i}"] = session.scalar(select(type(world.users["admin"])).filter_by(username=f"till{i}"))
        open_shift(session, world, f"till{i}")
        actors.append(world.actor(session, f"till{i}"))
    item = stocked_item(session, world, qty=5, price_fen=300)
    code, store_id, item_id = item.barcode, store.id, item.id

    def sell_one(s, i):
        cart = Cart(uuid.uuid4(), (CartLine(1, barcode=code),), (Tendered("cash", 300),))
        return checkout.checkout(s, actors[i], cart, now=NOW).sale.number

    results = run_at_once(app, 8, sell_one)
    assert sorted(r for r in results if r.startswith("YL01")) == [f"YL01-20261127-{n:04d}" for n in range(1, 6)]
    assert [r for r in results if not r.startswith("YL01")] == ["inventory.insufficient_stock"] * 3
    session.expire_all()
    assert ledger.on_hand(session, store_id, item_id) == 0
    assert verify_balances(session) == []


def test_one_key_sent_ten_times_at_once_makes_one_sale(app, session, world):
    open_shift(session, world)
    item = stocked_item(session, world, qty=5, price_fen=300)
    actor, key, code = world.actor(session, "cashier-yl01"), uuid.uuid4(), item.barcode

    def same_cart(s, i):
        cart = Cart(key, (CartLine(2, barcode=code),), (Tendered("cash", 1000),))
        return str(checkout.checkout(s, actor, cart, now=NOW).sale.id)

    results = run_at_once(app, 10, same_cart)
    assert len(set(results)) == 1 and results[0] is not None
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Sale)) == 1
    assert ledger.on_hand(session, world.stores["YL01"].id, item.id) == 3


def test_voids_and_returns_of_one_sale_at_once_reverse_it_once(app, session, world):
    open_shift(session, world)
    item = stocked_item(session, world, qty=5, price_fen=300)
    sale = sell(session, world, (item, 3)).sale
    actor, sale_id, line_id = world.actor(session, "cashier-yl01"), sale.id, sale.lines[0].id

    def reverse(s, i):
        if i % 2:
            return reversals.void_sale(s, actor, sale_id, approval=manager_ok(), reason="x", now=NOW).kind
        return reversals.return_items(s, actor, sale_id, [ReturnLine(line_id, 3)], refund=Refund(),
                                      approval=manager_ok(), reason="x", now=NOW).kind

    results = run_at_once(app, 6, reverse)
    assert sorted(r for r in results if r in ("void", "return")) in (["void"], ["return"])
    session.expire_all()
    assert ledger.on_hand(session, world.stores["YL01"].id, item.id) == 5
    assert verify_balances(session) == []
