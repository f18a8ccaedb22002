"""shift, intake, stock and points kinds, each planted through its domain's services: one flag with the right
evidence, and a near miss just under the threshold that raises none."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from supermarket.auth.permissions import Role
from supermarket.intake import pledges as pledge_service
from supermarket.intake import service as intake_service
from supermarket.inventory import corrections, stocktakes, stocktake_review, writeoffs
from supermarket.inventory.models import StockMovement
from supermarket.auth.service import Approval
from supermarket.points import pin_reset, residents
from supermarket.sales import checkout, shifts
from supermarket.sales.inputs import CartLine, ShiftClose, Tendered
from tests.factories import make_user, make_world
from tests.supermarket.catalog.factories import make_category, make_item
from tests.supermarket.intake.factories import cash, line, make_donor, make_pledge, take_in
from tests.supermarket.inventory.factories import stock
from tests.supermarket.points.factories import PIN, give_points, make_resident, make_table
from tests.supermarket.sales.factories import NOW, cart, manager_ok, open_shift, sell, stocked_item

from .helpers import evidence_ids, flags_of, run


@pytest.fixture
def world(session):
    return make_world(session)


# --- shift.cash_difference ------------------------------------------------------------------------------

def _close_short(session, world, days, short_fen):
    actor = world.actor(session, "cashier-yl01")
    item = stocked_item(session, world, qty=len(days) + 2, price_fen=1000, name="热水瓶")
    closed = []
    for day in days:
        at = NOW + timedelta(days=day)
        shifts.open_shift(session, actor, float_fen=20000, now=at)
        sell(session, world, (item, 1), now=at + timedelta(minutes=5))
        closed.append(shifts.close_shift(session, actor, ShiftClose({"cash": 21000 - short_fen}, manager_ok(),
                                                                    note="点钞差异"),
                                         now=at + timedelta(hours=8)))
    return closed


def test_three_closes_off_by_more_than_ten_yuan_raise_one_flag(session, world):
    closed = _close_short(session, world, (0, 1, 2), 1500)
    assert run(session, NOW + timedelta(days=5)) == {"shift.cash_difference": 1}
    [flag] = flags_of(session, "shift.cash_difference")
    assert evidence_ids(flag, "shifts") == {str(s.id) for s in closed}


def test_two_closes_off_or_three_off_by_exactly_ten_yuan_raise_nothing(session, world):
    _close_short(session, world, (0, 1), 1500)
    _close_short(session, world, (2, 3, 4), 1000)
    assert run(session, NOW + timedelta(days=6)) == {}


# --- intake ---------------------------------------------------------------------------------------------

def _donations(session, world, outlier_fen):
    cat = make_category(session, "TOYS", "玩具")
    item = make_item(session, "毛绒玩具", category=cat, price_fen=1500)
    for k in range(5):
        take_in(session, world, [line(item, qty=1, value=1000 + k * 10)], now=NOW + timedelta(minutes=k))
    return take_in(session, world, [line(item, qty=2, value=outlier_fen)], now=NOW + timedelta(hours=1))


def test_a_line_valued_above_three_times_its_category_median_is_flagged(session, world):
    result = _donations(session, world, 4000)
    assert run(session, NOW + timedelta(days=1)) == {"intake.value_outlier": 1}
    [flag] = flags_of(session, "intake.value_outlier")
    donation = result.donation
    assert evidence_ids(flag, "donation_lines") == {str(donation.lines[0].id)}
    assert flag.evidence[0]["url_kwargs"] == {"donation_id": str(donation.id)}


def test_a_line_at_three_times_the_median_is_not(session, world):
    _donations(session, world, 3060)   # the median is (1020 + 1030) / 2
    assert run(session, NOW + timedelta(days=1)) == {}


def test_a_pledge_overdue_thirty_days_without_a_follow_up_is_flagged_once(session, world):
    donor = make_donor(session, world)
    pledge = make_pledge(session, world, donor, due=NOW.date() + timedelta(days=10), now=NOW)
    assert run(session, NOW + timedelta(days=39)) == {}       # 29 days overdue
    assert run(session, NOW + timedelta(days=41)) == {"intake.pledge_overdue": 1}
    [flag] = flags_of(session, "intake.pledge_overdue")
    assert evidence_ids(flag, "pledges") == {str(pledge.id)}
    assert run(session, NOW + timedelta(days=42)) == {}


def test_a_recent_follow_up_keeps_an_overdue_pledge_off_the_board(session, world):
    donor = make_donor(session, world)
    pledge = make_pledge(session, world, donor, due=NOW.date() + timedelta(days=10), now=NOW)
    pledge_service.add_follow_up(session, world.actor(session, "cashier-yl01"), pledge.id, note="电话联系，下月送到",
                                 next_contact_on=None, now=NOW + timedelta(days=30))
    assert run(session, NOW + timedelta(days=41)) == {}


def test_money_without_a_receipt_after_seven_days_is_flagged(session, world):
    result = take_in(session, world, money=[cash(20000)], now=NOW)
    printed = take_in(session, world, money=[cash(30000)], now=NOW)
    intake_service.record_receipt_print(session, world.actor(session, "cashier-yl01"), printed.donation.id,
                                        now=NOW + timedelta(hours=1))
    assert run(session, NOW + timedelta(days=6)) == {}
    assert run(session, NOW + timedelta(days=8)) == {"intake.money_no_receipt": 1}
    [flag] = flags_of(session, "intake.money_no_receipt")
    assert evidence_ids(flag, "donations") == {str(result.donation.id)}


# --- stock ----------------------------------------------------------------------------------------------

def _write_offs(session, world, spike_count):
    item = make_item(session, "酸奶", price_fen=4500)
    stock(session, world.stores["YL01"], item, 40, now=NOW - timedelta(days=100))
    actor = world.actor(session, "cashier-yl01")
    store_id = world.stores["YL01"].id
    for week in range(1, 13):   # ¥45 every third week: a baseline of ¥15 a week
        if week % 3 == 0:
            writeoffs.write_off(session, actor, store_id=store_id, item_id=item.id, qty=1, reason_code="damaged",
                                reason="破损", now=NOW - timedelta(weeks=week))
    return [writeoffs.write_off(session, actor, store_id=store_id, item_id=item.id, qty=1, reason_code="damaged",
                                reason="破损", now=NOW + timedelta(hours=k)) for k in range(spike_count)]


def test_a_week_of_write_offs_three_times_the_usual_and_over_200_yuan_is_flagged(session, world):
    spike = _write_offs(session, world, 5)   # ¥225
    assert run(session, NOW + timedelta(days=1)) == {"stock.writeoff_spike": 1}
    [flag] = flags_of(session, "stock.writeoff_spike")
    assert evidence_ids(flag, "write_offs") == {str(w.id) for w in spike}


def test_a_spike_under_200_yuan_is_not(session, world):
    _write_offs(session, world, 4)   # ¥180
    assert run(session, NOW + timedelta(days=1)) == {}


def _counted_then_corrected(session, world, after):
    world.users["manager2-yl01"] = make_user(session, "manager2-yl01", Role.STORE_MANAGER,
                                             store=world.stores["YL01"], pin="1357")
    item = make_item(session, "电池", price_fen=800)
    store_id = world.stores["YL01"].id
    stock(session, world.stores["YL01"], item, 10, now=NOW - timedelta(days=3))
    counter = world.actor(session, "manager-yl01")
    take = stocktakes.start_stocktake(session, counter, store_id=store_id, now=NOW)
    stocktakes.record_count(session, counter, take.id, item_id=item.id, qty=7, now=NOW)
    approver = world.actor(session, "manager2-yl01")
    review = stocktake_review.review_stocktake(session, approver, take.id, today=NOW.date())
    stocktake_review.approve_stocktake(session, approver, take.id, approver_username="manager2-yl01",
                                       approver_secret="1357", digest=review.digest, now=NOW + timedelta(hours=1))
    move = session.scalar(select(StockMovement).where(StockMovement.kind == "stocktake_adjustment"))
    return take, corrections.correct_movement(session, counter, move.id, reason="数错了", qty=2,
                                              now=NOW + timedelta(hours=1) + after)


def test_the_counter_correcting_their_count_within_seven_days_is_flagged(session, world):
    take, correction = _counted_then_corrected(session, world, timedelta(days=6))
    assert run(session, NOW + timedelta(days=8)) == {"stock.adjust_after_count": 1}
    [flag] = flags_of(session, "stock.adjust_after_count")
    assert evidence_ids(flag, "stock_movements") == {str(correction.id)}
    assert evidence_ids(flag, "stocktakes") == {str(take.id)}


def test_a_correction_after_eight_days_is_not(session, world):
    _counted_then_corrected(session, world, timedelta(days=8))
    assert run(session, NOW + timedelta(days=10)) == {}


# --- points ---------------------------------------------------------------------------------------------

def _reset_then_redeem(session, world, after):
    make_table(session)
    resident = make_resident(session)
    give_points(session, resident, 100)
    bag = stocked_item(session, world, name="环保袋", price_fen=300, points_price=30, qty=5)
    cashier = world.actor(session, "cashier-yl01")
    pin_reset.reset_pin(session, cashier, resident.id, "864213", id_proof="", approval=Approval("manager-yl01", "2468"),
                        pii_key="test-pii-key", now=NOW)
    shifts.open_shift(session, cashier, float_fen=0, now=NOW + after - timedelta(minutes=5))
    pay = Tendered("points", points=30, member_code=resident.member_code, pin="864213")
    sale = checkout.checkout(session, cashier, cart(CartLine(1, barcode=bag.barcode, pay_with_points=True),
                                                    payments=[pay]), now=NOW + after).sale
    return resident, sale


def test_a_redemption_within_48_hours_of_a_pin_reset_at_the_store_is_flagged(session, world):
    resident, _sale = _reset_then_redeem(session, world, timedelta(hours=47))
    assert run(session, NOW + timedelta(days=3)) == {"points.pin_reset_then_redeem": 1}
    [flag] = flags_of(session, "points.pin_reset_then_redeem")
    assert {"type": "resident", "id": str(resident.id)} in flag.people
    assert len(evidence_ids(flag, "points_entries")) == 1 and len(evidence_ids(flag, "audit_events")) == 1


def test_a_redemption_after_49_hours_is_not(session, world):
    _reset_then_redeem(session, world, timedelta(hours=49))
    assert run(session, NOW + timedelta(days=3)) == {}


def test_dear_goods_in_a_cheap_category_are_measured_against_their_own_item(session, world):
    cat = make_category(session, "CLOTHX", "衣物")
    socks = make_item(session, "袜子", category=cat, price_fen=300)
    coat = make_item(session, "棉衣", category=cat, price_fen=9000)
    for k in range(6):
        take_in(session, world, [line(socks, qty=1, value=200)], now=NOW + timedelta(minutes=k))
    for k in range(5):
        take_in(session, world, [line(coat, qty=1, value=8000 + 100 * k)], now=NOW + timedelta(minutes=10 + k))
    assert run(session, NOW + timedelta(days=1)) == {}
    take_in(session, world, [line(coat, qty=1, value=90000)], now=NOW + timedelta(hours=2))
    assert run(session, NOW + timedelta(days=1)) == {"intake.value_outlier": 1}
