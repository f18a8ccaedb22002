"""One lock order for every writer of stock (PostgreSQL, real threads): sales, aid hand-outs, intake and
transfers over the same items in opposite orders at once never deadlock, never answer 5xx, and leave balances
equal to the ledger.

The issue's reproduction: sales locked balances in item order, but a hand-out took its lines in cart order and
intake received in line order, so a sale of (A, B) and a hand-out of (B, A) could each hold one and wait for
the other until PostgreSQL killed one as a deadlock victim.
"""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from supermarket.aid.handout import distribute
from supermarket.aid.models import Household
from supermarket.catalog.models import Item
from supermarket.intake import service as intake
from supermarket.auth.permissions import Role
from supermarket.errors import DomainError
from supermarket.inventory import ledger, transfers
from supermarket.inventory.models import StockMovement
from supermarket.inventory.verify import verify_balances
from supermarket.models import utcnow
from supermarket.sales import checkout
from supermarket.sales.inputs import Cart, CartLine, Tendered
from tests.concurrency import run_at_once
from tests.factories import make_user
from tests.supermarket.aid.factories import handout_input, make_household, policy
from tests.supermarket.intake.factories import donation_input, line
from tests.supermarket.intake import factories as intake_factories
from tests.supermarket.sales.factories import NOW, open_shift, stocked_item

pytestmark = pytest.mark.pg

ROUNDS, WRITERS = 3, 4  # per round: WRITERS kinds × 2 orders × 2 threads each


def test_lock_order_is_one_sorted_order():
    a, b = uuid.UUID(int=2), uuid.UUID(int=1)
    assert ledger.lock_order([a, b, a]) == ledger.lock_order([b, a]) == [b, a]


def test_sales_hand_outs_intake_and_transfers_in_opposite_orders_never_deadlock(app, session, world):
    store, other = world.stores["YL01"], world.stores["YL02"]
    policy(session, value_cap_fen=10**9)
    items = [stocked_item(session, world, qty=5000, price_fen=100, name=f"物品{k}", kind="donated_new")
             for k in range(3)]
    n_threads = WRITERS * 2 * 2
    cashiers = []
    for i in range(n_threads):
        make_user(session, f"lock{i}", Role.CASHIER, store=store)
        world.users[f"lock{i}"] = session.scalar(select(type(world.users["admin"])).filter_by(username=f"lock{i}"))
        open_shift(session, world, f"lock{i}")
        cashiers.append(world.actor(session, f"lock{i}"))
    manager = world.actor(session, "manager-yl01")
    households = [make_household(session, store, name=f"户主{i}") for i in range(n_threads)]
    codes = [h.code for h in households]
    ids = [it.id for it in items]
    barcodes = {it.id: it.barcode for it in items}
    store_id, other_id = store.id, other.id
    session.commit()

    def order(i):
        return ids if (i // WRITERS) % 2 == 0 else list(reversed(ids))

    def work(s, i):
        now = utcnow()
        kind, these = i % WRITERS, order(i)
        if kind == 0:
            cart = Cart(uuid.uuid4(), tuple(CartLine(1, barcode=barcodes[x]) for x in these),
                        (Tendered("cash", 100 * len(these)),))
            return checkout.checkout(s, cashiers[i], cart, now=NOW).sale.number
        if kind == 1:
            household = s.scalar(select(Household).where(Household.code == codes[i]))
            data = handout_input(household, [(s.get(Item, x), 1) for x in these])
            return distribute(s, cashiers[i], data, now=now).distribution.serial
        if kind == 2:
            data = donation_input([line(s.get(Item, x), qty=1, value=100) for x in these])
            return intake.record_donation(s, cashiers[i], data, pii_key=intake_factories.PII_KEY,
                                          now=now).donation.serial
        return transfers.ship_transfer(s, manager, from_store_id=store_id, to_store_id=other_id,
                                       lines=[{"item_id": x, "qty": 1} for x in these], now=now).number

    for _round in range(ROUNDS):
        results = run_at_once(app, n_threads, work, errors=DomainError)
        failures = [r for r in results if not isinstance(r, str) or "-" not in r]
        assert failures == [], failures
    session.expire_all()
    assert verify_balances(session) == []
    # Every writer moved stock: sales and hand-outs and shipments took, intake gave.
    kinds = dict(session.execute(select(StockMovement.kind, func.count()).group_by(StockMovement.kind)).all())
    assert {"sale", "aid_distribution", "intake", "transfer_out"} <= set(kinds)
