"""Oversight figures, per store and city-wide (the flags are on the board: tests/supermarket/flags/)."""
import uuid
from datetime import timedelta

import pytest

from supermarket.errors import Forbidden
from supermarket.points import credits, oversight, service
from supermarket.uow import unit_of_work

from .factories import NOW, PIN, give_points, make_resident, make_table

MONTH = NOW.date().replace(day=1)


@pytest.fixture
def table(session, world):
    return make_table(session, max_points_per_month=50, adjust_approval_threshold=500)


def shift(session, world, resident, store="yl01", start=None, hours=1, key=None, approve_by=None, at=NOW):
    start = start or at - timedelta(hours=hours + 1)
    claim = credits.Claim(resident.member_code, "community-service", start, minutes=hours * 60, started_at=start,
                          ended_at=start + timedelta(hours=hours))
    credit = credits.enter_shift(session, world.actor(session, f"cashier-{store}"), claim, store_id=None,
                                 idempotency_key=key or str(uuid.uuid4()), now=at)
    if approve_by:
        credits.approve_credit(session, world.actor(session, approve_by), credit.id, now=at)
    return credit


def view(session, world, who="admin", **kw):
    return oversight.overview(session, world.actor(session, who), month=MONTH, now=NOW, **kw)


def test_figures_per_store_and_city_and_the_liability(session, world, table):
    from tests.supermarket.catalog.factories import make_item
    from supermarket.inventory.models import StockBalance

    a = make_resident(session)
    shift(session, world, a, hours=3, approve_by="manager-yl01")
    give_points(session, a, 20)
    with unit_of_work(session):
        service.redeem(session, world.actor(session, "cashier-fr01"), store_id=world.stores["FR01"].id,
                       member_code=a.member_code, pin=PIN, points=8, ref_type="sale", ref_id="s", now=NOW)
    item = make_item(session, "大米 5kg", points_price=40)
    session.add(StockBalance(store_id=world.stores["YL01"].id, item_id=item.id, qty=3))
    session.commit()
    city = view(session, world)
    assert (city.total.issued, city.total.redeemed) == (3 + 20, 8)
    assert city.by_store[world.stores["YL01"].id].issued == 3
    assert city.by_store[world.stores["FR01"].id].redeemed == 8
    assert city.liability_points == 15 and city.liability_fen == 1500
    assert city.total.stock_points == 120 and city.coverage_ratio == "0.12"
    mine = view(session, world, "manager-yl01")
    assert set(mine.by_store) == {world.stores["YL01"].id} and mine.total.redeemed == 0
    district = view(session, world, "auditor-fr")
    assert set(district.by_store) == {world.stores["FR01"].id}
    with pytest.raises(Forbidden):
        view(session, world, "cashier-yl01")


def test_month_parsing(session):
    assert oversight.month_of("2026-02", NOW).isoformat() == "2026-02-01"
    assert oversight.month_of("2026-13", NOW) == MONTH
    assert oversight.month_of(None, NOW) == MONTH


def test_the_store_home_page_shows_todays_points(login, session, world, table):
    from supermarket.models import utcnow

    resident = make_resident(session)
    give_points(session, resident, 20)
    with unit_of_work(session):
        service.redeem(session, world.actor(session, "cashier-yl01"), store_id=world.stores["YL01"].id,
                       member_code=resident.member_code, pin=PIN, points=7, ref_type="sale", ref_id="h",
                       now=utcnow())
    page = login("cashier-yl01").get(f"/stores/{world.stores['YL01'].id}").get_data(as_text=True)
    assert "今日兑换积分" in page and '<div class="tile-value">7</div>' in page


def test_a_shift_key_is_the_stores_and_answers_one_shift(session, world, table):
    from supermarket.idempotency import IdempotencyMismatch

    resident = make_resident(session)
    first = shift(session, world, resident, key="shift-key-1")
    assert shift(session, world, resident, key="shift-key-1").id == first.id
    with pytest.raises(IdempotencyMismatch):
        shift(session, world, resident, key="shift-key-1", hours=2)
