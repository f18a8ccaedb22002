"""sales.burst: ≥ 20 sales under ¥5 by one cashier within 10 minutes."""
from __future__ import annotations

from datetime import timedelta

import pytest

from supermarket.flags import service
from tests.factories import make_world
from tests.supermarket.sales.factories import NOW, open_shift, sell, stocked_item

from .helpers import evidence_ids, flags_of, run


@pytest.fixture
def world(session):
    return make_world(session)


def _burst(session, world, n, *, step_s=25, price_fen=300):
    item = stocked_item(session, world, qty=n + 5, price_fen=price_fen, name="小包纸巾")
    open_shift(session, world)
    return [sell(session, world, (item, 1), now=NOW + timedelta(seconds=i * step_s)).sale for i in range(n)]


def test_twenty_tiny_sales_in_ten_minutes_raise_one_flag_with_them(session, world):
    sales = _burst(session, world, 20)
    assert run(session, NOW + timedelta(hours=1)) == {"sales.burst": 1}
    [flag] = flags_of(session, "sales.burst")
    assert evidence_ids(flag, "sales") == {str(s.id) for s in sales}
    assert flag.store_id == world.stores["YL01"].id
    assert {"type": "user", "id": str(world.users["cashier-yl01"].id)} in flag.people
    assert flag.evidence[0]["endpoint"] == "sales.sale_detail"


def test_nineteen_raise_nothing(session, world):
    _burst(session, world, 19)
    assert run(session, NOW + timedelta(hours=1)) == {}


def test_twenty_spread_over_more_than_ten_minutes_raise_nothing(session, world):
    _burst(session, world, 20, step_s=32)  # 19 gaps × 32 s > 600 s
    assert run(session, NOW + timedelta(hours=1)) == {}


def test_running_twice_raises_nothing_new_and_an_explained_flag_stays_closed(session, world):
    _burst(session, world, 20)
    later = NOW + timedelta(hours=1)
    assert run(session, later) == {"sales.burst": 1}
    assert run(session, later) == {}
    [flag] = flags_of(session, "sales.burst")
    service.resolve(session, world.actor(session, "auditor-yl"), flag.id, outcome="explained",
                    note="促销活动", now=later)
    assert run(session, later + timedelta(hours=1)) == {}
    assert [f.status for f in flags_of(session, "sales.burst")] == ["explained"]


def test_new_evidence_after_resolution_raises_a_new_flag_linked_to_the_old(session, world):
    _burst(session, world, 20)
    later = NOW + timedelta(hours=1)
    run(session, later)
    [old] = flags_of(session, "sales.burst")
    service.resolve(session, world.actor(session, "auditor-yl"), old.id, outcome="confirmed", note="查实",
                    now=later)
    item = stocked_item(session, world, qty=25, price_fen=200, name="一次性筷子")
    for i in range(20):
        sell(session, world, (item, 1), now=NOW + timedelta(days=1, seconds=i * 20))
    assert run(session, NOW + timedelta(days=1, hours=1)) == {"sales.burst": 1}
    old2, new = flags_of(session, "sales.burst")
    assert new.previous_id == old.id and new.status == "open"
