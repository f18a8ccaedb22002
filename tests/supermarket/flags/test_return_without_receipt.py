"""sales.return_without_receipt: a cashier's returns without receipt past the count, or a store's past its count
or amount, raise one flag each with the returns as evidence; one return fewer raises nothing."""
from __future__ import annotations

from datetime import timedelta

import pytest

from supermarket.flags.presenters import evidence_url
from supermarket.sales import returns_open
from tests.factories import make_world
from tests.supermarket.sales.factories import NOW, manager_ok, open_shift, stocked_item

from .helpers import evidence_ids, flags_of, run


@pytest.fixture
def world(session):
    return make_world(session)


def _returns(session, world, n, price_fen=1000, username="cashier-yl01"):
    item = stocked_item(session, world, qty=0, price_fen=price_fen, name="保温杯")
    actor = world.actor(session, username)
    return [returns_open.take_back_without_receipt(session, actor, barcode=item.barcode, qty=1, reason="没有小票",
                                                   approval=manager_ok(), now=NOW + timedelta(minutes=i))[0]
            for i in range(n)]


def test_three_by_one_cashier_raise_one_flag_with_the_returns(session, world, app):
    open_shift(session, world, float_fen=50000)
    made = _returns(session, world, 3)
    assert run(session, NOW + timedelta(days=1)) == {"sales.return_without_receipt": 1}
    [flag] = flags_of(session, "sales.return_without_receipt")
    assert flag.subject == f"user:{world.users['cashier-yl01'].id}"
    assert evidence_ids(flag, "open_returns") == {str(r.id) for r in made}
    with app.test_request_context():
        assert evidence_url(flag.evidence[0]) == f"/sales/shifts/{made[0].shift_id}"


def test_two_returns_raise_nothing_and_a_store_total_does(session, world):
    open_shift(session, world, float_fen=50000)
    _returns(session, world, 2, price_fen=9000)
    assert run(session, NOW + timedelta(days=1)) == {}
    _returns(session, world, 1, price_fen=9000)          # ¥270 < ¥300 for the store, but the cashier's third
    _returns(session, world, 1, price_fen=5000)          # the store reaches ¥320
    found = run(session, NOW + timedelta(days=2))
    assert found == {"sales.return_without_receipt": 2}
    subjects = {f.subject for f in flags_of(session, "sales.return_without_receipt")}
    assert f"store:{world.stores['YL01'].id}" in subjects
