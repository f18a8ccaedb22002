"""sales.repeat_basket, sales.void_rate, sales.override_share and sales.staff_purchase, planted through the
sales and points services."""
from __future__ import annotations

from datetime import timedelta

import pytest

from supermarket.auth.permissions import Role
from supermarket.sales import reversals
from supermarket.sales.inputs import CartLine, Tendered
from tests.factories import make_user, make_world
from tests.supermarket.points.factories import PIN, give_points, make_resident, make_table
from tests.supermarket.sales.factories import NOW, cart, manager_ok, open_shift, sell, stocked_item
from supermarket.sales import checkout

from .helpers import evidence_ids, flags_of, run

LATER = NOW + timedelta(days=1)


@pytest.fixture
def world(session):
    return make_world(session)


def _basket_sales(session, world, n, items):
    return [sell(session, world, *[(i, 1) for i in items], now=NOW + timedelta(minutes=15 * k)).sale
            for k in range(n)]


def test_ten_identical_two_item_baskets_in_a_day_raise_one_flag(session, world):
    a = stocked_item(session, world, qty=30, price_fen=800, name="洗衣液")
    b = stocked_item(session, world, qty=30, price_fen=1200, name="大米 1kg")
    open_shift(session, world)
    sales = _basket_sales(session, world, 10, (a, b))
    sell(session, world, (a, 2), (b, 1), now=NOW + timedelta(hours=5))  # another basket: not evidence
    assert run(session, LATER) == {"sales.repeat_basket": 1}
    [flag] = flags_of(session, "sales.repeat_basket")
    assert evidence_ids(flag, "sales") == {str(s.id) for s in sales}


def test_nine_identical_baskets_or_ten_single_item_ones_raise_nothing(session, world):
    a = stocked_item(session, world, qty=30, price_fen=800, name="洗衣液")
    b = stocked_item(session, world, qty=30, price_fen=1200, name="大米 1kg")
    open_shift(session, world)
    _basket_sales(session, world, 9, (a, b))
    _basket_sales(session, world, 10, (a,))
    assert run(session, LATER) == {}


@pytest.fixture
def district_cashiers(session, world):
    """A third cashier in the district, so the district median of voids is that of ordinary cashiers."""
    world.users["cashier2-yl02"] = make_user(session, "cashier2-yl02", Role.CASHIER, store=world.stores["YL02"])
    item = stocked_item(session, world, qty=40, price_fen=1000, name="保温杯")
    item2 = stocked_item(session, world, store="YL02", qty=40, price_fen=1000, name="保温杯2", barcode=None)
    open_shift(session, world)
    for username in ("cashier-yl02", "cashier2-yl02"):
        open_shift(session, world, username)
        sell(session, world, (item2, 1), username=username)
    return item


def _voids(session, world, item, n):
    sold = [sell(session, world, (item, 1), now=NOW + timedelta(minutes=k)).sale for k in range(n + 2)]
    actor = world.actor(session, "cashier-yl01")
    return [reversals.void_sale(session, actor, s.id, approval=manager_ok(), reason="顾客不要了",
                                now=NOW + timedelta(minutes=30 + k)) for k, s in enumerate(sold[:n])]


def test_a_cashier_voiding_five_times_against_a_district_median_of_none_is_flagged(session, world,
                                                                                 district_cashiers):
    voids = _voids(session, world, district_cashiers, 5)
    assert run(session, LATER) == {"sales.void_rate": 1}
    [flag] = flags_of(session, "sales.void_rate")
    assert evidence_ids(flag, "sales") == {str(v.id) for v in voids}
    assert flag.detail["median"] == 0


def test_four_voids_raise_nothing(session, world, district_cashiers):
    _voids(session, world, district_cashiers, 4)
    assert run(session, LATER) == {}


def _overrides(session, world, total, overridden):
    item = stocked_item(session, world, qty=total + 5, price_fen=1000, name="电饭煲内胆")
    open_shift(session, world)
    out = []
    for k in range(total):
        when = NOW + timedelta(minutes=2 * k)
        if k < overridden:
            line = CartLine(1, barcode=item.barcode, unit_price_fen=800, override_reason="包装破损")
            out.append(checkout.checkout(session, world.actor(session, "cashier-yl01"),
                                         cart(line, payments=[Tendered("cash", 800)], approval=manager_ok()),
                                         now=when).sale)
        else:
            sell(session, world, (item, 1), now=when)
    return out


def test_overrides_above_five_percent_of_a_cashiers_sales_are_flagged(session, world):
    overridden = _overrides(session, world, 40, 3)   # 7.5 %
    assert run(session, LATER) == {"sales.override_share": 1}
    [flag] = flags_of(session, "sales.override_share")
    assert evidence_ids(flag, "sales") == {str(s.id) for s in overridden}


def test_exactly_five_percent_raises_nothing(session, world):
    _overrides(session, world, 60, 3)
    assert run(session, LATER) == {}


def _staff_points_sale(session, world, *, staff_username):
    make_table(session)
    resident = make_resident(session, staff_username=staff_username)
    give_points(session, resident, 100)
    bag = stocked_item(session, world, name="环保袋", price_fen=300, points_price=30, qty=5)
    open_shift(session, world)
    pay = Tendered("points", points=30, member_code=resident.member_code, pin=PIN)
    return resident, checkout.checkout(session, world.actor(session, "cashier-yl01"),
                                       cart(CartLine(1, barcode=bag.barcode, pay_with_points=True),
                                            payments=[pay]), now=NOW).sale


def test_a_cashier_paying_with_their_own_points_on_their_own_till_is_flagged(session, world):
    resident, sale = _staff_points_sale(session, world, staff_username="cashier-yl01")
    assert run(session, LATER) == {"sales.staff_purchase": 1}
    [flag] = flags_of(session, "sales.staff_purchase")
    assert evidence_ids(flag, "sales") == {str(sale.id)}
    assert {"type": "resident", "id": str(resident.id)} in flag.people


def test_another_staff_members_points_on_this_till_raise_nothing(session, world):
    _staff_points_sale(session, world, staff_username="cashier-yl02")
    assert run(session, LATER) == {}
