"""Redemption at the till and refunds: PIN, caps, lots, exact give-backs."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from supermarket.errors import Forbidden, InvalidInput
from supermarket.points import service
from supermarket.points.errors import (DailyCap, InsufficientBalance, NotReversible, PinLocked, RefundTooLarge,
                                       ResidentInactive, UnknownMember, WrongPin)
from supermarket.points.models import PinAttempt, PointsEntry, PointsLot
from supermarket.uow import unit_of_work

from .factories import NOW, PIN, give_points, make_resident, make_table


@pytest.fixture
def setup(session, world):
    make_table(session, daily_redeem_cap=100)
    resident = make_resident(session)
    return resident, world.actor(session, "cashier-yl01"), world.stores["YL01"]


def redeem(session, actor, store, resident, points, *, pin=PIN, ref="s1", now=NOW):
    with unit_of_work(session):
        return service.redeem(session, actor, store_id=store.id, member_code=resident.member_code, pin=pin,
                              points=points, ref_type="sale", ref_id=ref, now=now)


def refund(session, actor, points, *, ref="s1", now=NOW):
    with unit_of_work(session):
        return service.refund_redemption(session, actor, ref_type="sale", ref_id=ref, points=points, now=now)


def books(session, resident):
    cached, ledger_sum, lots = service.resident_balance_check(session, resident.id)
    assert cached == ledger_sum == lots
    return cached


def test_redemption_takes_the_soonest_expiring_lots_first(session, setup):
    resident, cashier, store = setup
    late = give_points(session, resident, 30, expires_at=NOW + timedelta(days=300))
    soon = give_points(session, resident, 20, expires_at=NOW + timedelta(days=10))
    never = give_points(session, resident, 5)
    entry = redeem(session, cashier, store, resident, 25)
    assert entry.points == -25 and entry.balance_after == 30 and entry.store_id == store.id
    remaining = {lot.entry_id: lot.remaining for lot in session.scalars(select(PointsLot))}
    assert remaining == {soon.id: 0, late.id: 25, never.id: 5}
    assert books(session, resident) == 30


def test_wrong_pin_is_refused_and_recorded_even_though_the_caller_rolls_back(session, setup):
    resident, cashier, store = setup
    give_points(session, resident, 50)
    with pytest.raises(WrongPin) as e:
        redeem(session, cashier, store, resident, 10, pin="000000")
    assert e.value.code == "points.wrong_pin" and "4" in e.value.message
    assert session.scalar(select(PinAttempt.success)) is False
    assert books(session, resident) == 50
    assert session.scalar(select(PointsEntry).where(PointsEntry.kind == "redeem")) is None


def test_five_wrong_pins_lock_the_card_for_fifteen_minutes(session, setup):
    resident, cashier, store = setup
    give_points(session, resident, 50)
    for i in range(4):
        with pytest.raises(WrongPin):
            redeem(session, cashier, store, resident, 10, pin="000000", now=NOW + timedelta(seconds=i))
    with pytest.raises(PinLocked):  # the fifth failure locks at once
        redeem(session, cashier, store, resident, 10, pin="000000", now=NOW + timedelta(seconds=5))
    with pytest.raises(PinLocked) as e:  # even the right PIN is not checked while locked
        redeem(session, cashier, store, resident, 10, now=NOW + timedelta(minutes=10))
    assert e.value.status == 429 and "15 分钟" in e.value.message
    entry = redeem(session, cashier, store, resident, 10, now=NOW + timedelta(minutes=16))
    assert entry.balance_after == 40


def test_a_right_pin_clears_earlier_failures(session, setup):
    resident, cashier, store = setup
    give_points(session, resident, 50)
    for i in range(4):
        with pytest.raises(WrongPin):
            redeem(session, cashier, store, resident, 10, pin="111111", ref=f"x{i}")
    redeem(session, cashier, store, resident, 10, ref="ok")
    for i in range(4):
        with pytest.raises(WrongPin):
            redeem(session, cashier, store, resident, 10, pin="111111", ref=f"y{i}",
                   now=NOW + timedelta(seconds=1 + i))


def test_unknown_member_code_inactive_resident_and_bad_points(session, setup):
    resident, cashier, store = setup
    give_points(session, resident, 50)
    with pytest.raises(UnknownMember):
        with unit_of_work(session):
            service.redeem(session, cashier, store_id=store.id, member_code="NOPE", pin=PIN, points=1,
                           ref_type="sale", ref_id="1", now=NOW)
    for bad in (0, -5, 2.5, True, "10"):
        with pytest.raises(InvalidInput):
            redeem(session, cashier, store, resident, bad)
    resident.status = "suspended"
    session.commit()
    with pytest.raises(ResidentInactive):
        redeem(session, cashier, store, resident, 10)
    assert books(session, resident) == 50


def test_only_staff_of_the_store_take_points(session, setup, world):
    resident, cashier, store = setup
    give_points(session, resident, 50)
    with pytest.raises(Forbidden):
        redeem(session, cashier, world.stores["YL02"], resident, 10)
    with pytest.raises(Forbidden):
        redeem(session, world.actor(session, "admin"), store, resident, 10)


def test_insufficient_balance_writes_nothing(session, setup):
    resident, cashier, store = setup
    give_points(session, resident, 9)
    with pytest.raises(InsufficientBalance) as e:
        redeem(session, cashier, store, resident, 10)
    assert e.value.status == 409
    assert books(session, resident) == 9


def test_points_past_their_date_cannot_be_spent_before_the_job_expires_them(session, setup):
    resident, cashier, store = setup
    give_points(session, resident, 10, expires_at=NOW - timedelta(hours=1))
    give_points(session, resident, 5)
    with pytest.raises(InsufficientBalance) as e:
        redeem(session, cashier, store, resident, 12)
    assert "过期" in e.value.message
    assert redeem(session, cashier, store, resident, 5).balance_after == 10


def test_daily_cap_counts_todays_redemptions_net_of_their_refunds(session, setup):
    resident, cashier, store = setup
    give_points(session, resident, 500)
    redeem(session, cashier, store, resident, 60, ref="a")
    with pytest.raises(DailyCap) as e:
        redeem(session, cashier, store, resident, 50, ref="b")
    assert e.value.code == "points.daily_cap" and "60" in e.value.message
    refund(session, cashier, 20, ref="a")
    redeem(session, cashier, store, resident, 60, ref="c")  # 40 + 60 = 100: at the cap
    redeem(session, cashier, store, resident, 100, ref="d", now=NOW + timedelta(days=1))
    assert books(session, resident) == 500 - 60 + 20 - 60 - 100


def test_refund_gives_back_into_lots_with_their_original_expiry(session, setup):
    resident, cashier, store = setup
    soon, late = NOW + timedelta(days=10), NOW + timedelta(days=300)
    give_points(session, resident, 20, expires_at=soon)
    give_points(session, resident, 30, expires_at=late)
    redeem(session, cashier, store, resident, 35)   # 20 from the soon lot, 15 from the late one
    first = refund(session, cashier, 10)            # most recently used first: the late lot
    second = refund(session, cashier, 25)
    assert first.kind == "reverse" and first.points == 10 and second.points == 25
    made = session.execute(select(PointsLot.points, PointsLot.expires_at)
                           .where(PointsLot.origin_lot_id.is_not(None))).all()
    assert sorted(made) == sorted([(10, late), (5, late), (20, soon)])
    assert books(session, resident) == 50
    with pytest.raises(RefundTooLarge):
        refund(session, cashier, 1)


def test_refund_of_more_than_was_redeemed_or_of_nothing_is_refused(session, setup):
    resident, cashier, store = setup
    give_points(session, resident, 50)
    redeem(session, cashier, store, resident, 10)
    with pytest.raises(RefundTooLarge):
        refund(session, cashier, 11)
    with pytest.raises(NotReversible):
        refund(session, cashier, 1, ref="never-redeemed")
    assert books(session, resident) == 40


def test_refund_of_points_whose_date_has_passed_expires_them_at_once(session, setup):
    resident, cashier, store = setup
    give_points(session, resident, 20, expires_at=NOW + timedelta(days=1))
    redeem(session, cashier, store, resident, 20)
    later = NOW + timedelta(days=2)
    entry = refund(session, cashier, 20, now=later)
    kinds = [e.kind for e in session.scalars(select(PointsEntry).order_by(PointsEntry.created_at,
                                                                          PointsEntry.balance_after.desc()))]
    assert kinds[-2:] == ["reverse", "expire"] and entry.points == 20
    assert books(session, resident) == 0
    # and the expiry job has nothing left to do for them
    assert service.expire_due(session, world_admin(session), now=later).points == 0


def world_admin(session):
    from supermarket.auth.permissions import system_actor

    return system_actor("test")


def test_refund_works_at_another_store(session, setup, world):
    resident, cashier, store = setup
    give_points(session, resident, 30)
    redeem(session, cashier, store, resident, 30)
    entry = refund(session, world.actor(session, "cashier-fr01"), 30)
    assert entry.store_id == world.stores["FR01"].id and books(session, resident) == 30
