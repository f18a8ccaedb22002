"""Closed periods: no movement dated inside a closed month; corrections go in today with a reference."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from supermarket.errors import Forbidden, InvalidInput
from supermarket.inventory import corrections, ledger, periods, writeoffs
from supermarket.inventory.errors import NotCorrectable, PeriodClosed, ReversalExceeds
from supermarket.inventory.models import PeriodClose, StockMovement
from supermarket.inventory.verify import verify_balances
from supermarket.uow import unit_of_work
from tests.factories import SYSTEM
from tests.supermarket.catalog.factories import make_item
from tests.supermarket.inventory.factories import NOW, cashier, manager, stock

MAY = datetime(2026, 5, 20, 2, 0, tzinfo=timezone.utc)
LAST_MINUTE_OF_MAY = datetime(2026, 5, 31, 15, 59, tzinfo=timezone.utc)  # 23:59 in Changsha
FIRST_MINUTE_OF_JUNE = datetime(2026, 5, 31, 16, 0, tzinfo=timezone.utc)  # 00:00 in Changsha


def close_may(session, world, code="YL01"):
    return periods.close_month(session, manager(session, world, code), world.stores[code].id, month=date(2026, 5, 3),
                               now=NOW)


def test_no_movement_may_be_dated_in_a_closed_month(session, world):
    store, item = world.stores["YL01"], make_item(session)
    stock(session, store, item, 5, now=MAY)
    row = close_may(session, world)
    assert row.month == date(2026, 5, 1)
    for when in (MAY, LAST_MINUTE_OF_MAY, datetime(2026, 3, 1, tzinfo=timezone.utc)):
        with pytest.raises(PeriodClosed) as exc:
            stock(session, store, item, 1, now=when)
        assert "2026-05" in exc.value.message
    with pytest.raises(PeriodClosed):
        with unit_of_work(session):
            ledger.take(session, SYSTEM, store_id=store.id, item=item, qty=1, kind="sale", doc_type="t", doc_id="x",
                        now=MAY)
    assert ledger.on_hand(session, store.id, item.id) == 5  # nothing written
    stock(session, store, item, 1, now=FIRST_MINUTE_OF_JUNE)  # June is open
    stock(session, world.stores["YL02"], item, 1, now=MAY)    # another store's May is open
    assert verify_balances(session) == []


def test_a_mistake_in_a_closed_month_is_corrected_today_pointing_at_it(session, world):
    store, item = world.stores["YL01"], make_item(session)
    stock(session, store, item, 5, now=MAY)
    wrong = writeoffs.write_off(session, cashier(session, world), store_id=store.id, item_id=item.id, qty=2,
                                reason_code="damaged", reason="误报", now=MAY)
    close_may(session, world)
    move = session.query(StockMovement).filter_by(doc_id=str(wrong.id)).one()
    fix = corrections.correct_movement(session, manager(session, world), move.id, reason="误报损，实物完好", now=NOW)
    assert (fix.kind, fix.qty, fix.reverses_id, fix.occurred_at) == ("correction", 2, move.id, NOW)
    assert "误报损" in fix.note
    assert ledger.on_hand(session, store.id, item.id) == 5
    with pytest.raises(ReversalExceeds):
        corrections.correct_movement(session, manager(session, world), move.id, reason="再来一次", now=NOW)
    with pytest.raises(NotCorrectable):  # a correction is not corrected again; a sale is voided in sales
        corrections.correct_movement(session, manager(session, world), fix.id, reason="x", now=NOW)
    with pytest.raises(Forbidden):
        corrections.correct_movement(session, cashier(session, world), move.id, reason="x", now=NOW)


def test_only_ended_months_close_and_only_forward(session, world):
    with pytest.raises(InvalidInput):  # June is not over on 15 June
        periods.close_month(session, manager(session, world), world.stores["YL01"].id, month=date(2026, 6, 1),
                            now=NOW)
    close_may(session, world)
    with pytest.raises(PeriodClosed):
        close_may(session, world)
    with pytest.raises(PeriodClosed):  # April is closed with May
        periods.close_month(session, manager(session, world), world.stores["YL01"].id, month=date(2026, 4, 1),
                            now=NOW)
    with pytest.raises(Forbidden):
        periods.close_month(session, cashier(session, world, "YL02"), world.stores["YL02"].id,
                            month=date(2026, 5, 1), now=NOW)
    assert session.query(PeriodClose).count() == 1
    assert periods.closed_through(session, world.stores["YL01"].id) == date(2026, 5, 1)


def test_month_arithmetic():
    assert periods.next_month(date(2026, 12, 1)) == date(2027, 1, 1)
    assert periods.next_month(date(2026, 1, 1)) == date(2026, 2, 1)
    assert periods.month_start(date(2026, 2, 28)) == date(2026, 2, 1)
