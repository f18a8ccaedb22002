"""Property: whatever sequence of receipts, takes, reversals and concurrent takes happens, every cached balance
equals the sum of its ledger and none is negative.

Runs on a file SQLite database (or PostgreSQL with TEST_DATABASE_URL) so that the concurrent takes really use
separate connections from separate threads.
"""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from supermarket.clock import local_today
from supermarket import create_app
from supermarket.catalog.models import Item
from supermarket.errors import DomainError
from supermarket.extensions import db
from supermarket.inventory import ledger
from supermarket.inventory.models import LotBalance, StockBalance
from supermarket.inventory.verify import verify_balances
from supermarket.uow import unit_of_work
from tests import factories
from tests.conftest import PG
from tests.factories import SYSTEM
from tests.supermarket.catalog.factories import food_category, make_item
from tests.supermarket.inventory.factories import NOW

TODAY = local_today(NOW)


@pytest.fixture
def threaded(request, tmp_path):
    """An app whose sessions use real separate connections (file SQLite with WAL, or PostgreSQL)."""
    if PG:
        app = request.getfixturevalue("app")
        yield app
        return
    app = create_app("config.TestConfig", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'p.db'}")
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()


qty = st.integers(min_value=1, max_value=12)
store_ix = st.integers(min_value=0, max_value=1)
ops = st.lists(st.one_of(
    st.tuples(st.just("receive"), store_ix, qty, st.integers(min_value=-3, max_value=20)),
    st.tuples(st.just("take"), store_ix, qty),
    st.tuples(st.just("reverse"), st.integers(min_value=0, max_value=50), st.none() | qty),
    st.tuples(st.just("concurrent"), store_ix, st.lists(qty, min_size=2, max_size=4)),
    # take_many (the till's): several lines, the same item possibly twice, the second item perhaps unstocked.
    st.tuples(st.just("receive_b"), store_ix, qty, st.integers(min_value=-3, max_value=20)),
    st.tuples(st.just("many"), store_ix, st.lists(st.tuples(st.integers(0, 1), qty), min_size=1, max_size=3)),
    st.tuples(st.just("concurrent_many"), store_ix,
              st.lists(st.lists(st.tuples(st.integers(0, 1), qty), min_size=1, max_size=3), min_size=2, max_size=3)),
), min_size=1, max_size=12)


def _take_many(app, store_id, wants, results):
    with app.app_context():
        s = db.session
        try:
            with unit_of_work(s):
                ledger.take_many(s, SYSTEM, store_id=store_id, wants=[(s.get(Item, i), n) for i, n in wants],
                                 kind="sale", doc_type="prop", doc_id="m", now=NOW)
            results.append(sum(n for _i, n in wants))
        except DomainError as e:
            results.append(e.code)
        finally:
            s.remove()


def _take(app, store_id, item_id, n, results):
    with app.app_context():
        s = db.session
        try:
            with unit_of_work(s):
                ledger.take(s, SYSTEM, store_id=store_id, item=s.get(Item, item_id), qty=n, kind="sale",
                            doc_type="prop", doc_id="c", now=NOW)
            results.append(n)
        except DomainError as e:
            results.append(e.code)
        finally:
            s.remove()


def _apply(app, session, stores, items, op, movements):
    kind, item = op[0], items[0]
    try:
        if kind == "receive_b":
            _, ix, n, days = op
            with unit_of_work(session):
                ledger.receive(session, SYSTEM, store_id=stores[ix], item=items[1], qty=n, kind="intake",
                               doc_type="prop", doc_id="r", now=NOW, expiry_date=TODAY + timedelta(days=days))
        elif kind == "many":
            _, ix, lines = op
            with unit_of_work(session):
                ledger.take_many(session, SYSTEM, store_id=stores[ix], wants=[(items[i], n) for i, n in lines],
                                 kind="sale", doc_type="prop", doc_id="m", now=NOW)
        elif kind == "concurrent_many":
            _, ix, carts = op
            results: list = []
            threads = [threading.Thread(target=_take_many, args=(
                app, stores[ix], [(items[i].id, n) for i, n in cart], results)) for cart in carts]
            [t.start() for t in threads]
            [t.join() for t in threads]
            assert all(isinstance(r, int) or r in ("inventory.insufficient_stock", "inventory.expired_lot")
                       for r in results), results
        elif kind == "receive":
            _, ix, n, days = op
            with unit_of_work(session):
                movements.append(ledger.receive(session, SYSTEM, store_id=stores[ix], item=item, qty=n, kind="intake",
                                                doc_type="prop", doc_id="r", now=NOW,
                                                expiry_date=TODAY + timedelta(days=days)))
        elif kind == "take":
            _, ix, n = op
            with unit_of_work(session):
                movements.extend(ledger.take(session, SYSTEM, store_id=stores[ix], item=item, qty=n, kind="sale",
                                             doc_type="prop", doc_id="t", now=NOW))
        elif kind == "reverse" and movements:
            _, ix, n = op
            original = movements[ix % len(movements)]
            with unit_of_work(session):
                ledger.reverse(session, SYSTEM, movement=original, kind="correction", doc_type="prop", doc_id="v",
                               now=NOW, qty=n)
        elif kind == "concurrent":
            _, ix, amounts = op
            results: list = []
            threads = [threading.Thread(target=_take, args=(app, stores[ix], item.id, n, results)) for n in amounts]
            [t.start() for t in threads]
            [t.join() for t in threads]
            assert all(isinstance(r, int) or r in ("inventory.insufficient_stock", "inventory.expired_lot")
                       for r in results), results
    except DomainError:
        pass  # refused moves (not enough stock, expired only, reversal too big) must write nothing


def check_invariants(session):
    session.expire_all()
    assert verify_balances(session) == []
    assert (session.scalar(select(func.min(StockBalance.qty))) or 0) >= 0
    assert (session.scalar(select(func.min(LotBalance.qty))) or 0) >= 0


@pytest.fixture
def stores(threaded):
    world = factories.make_world(db.session)
    return [world.stores["YL01"].id, world.stores["FR01"].id]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(sequence=ops)
def test_balances_always_equal_the_ledger_and_never_go_negative(threaded, stores, sequence):
    session = db.session
    items = [make_item(session, "牛奶", category=food_category(session)),
             make_item(session, "面包", category=food_category(session))]
    movements: list = []
    with unit_of_work(session):  # some stock of both items everywhere, so multi-line takes often succeed
        for store_id in stores:
            for it in items:
                movements.append(ledger.receive(session, SYSTEM, store_id=store_id, item=it, qty=15,
                                                kind="intake", doc_type="prop", doc_id="seed", now=NOW,
                                                expiry_date=TODAY + timedelta(days=30)))
    for op in sequence:
        _apply(threaded, session, stores, items, op, movements)
        check_invariants(session)

