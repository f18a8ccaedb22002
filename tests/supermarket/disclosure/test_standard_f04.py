"""The standard's F-04: the share of the months due in the window published by the 10th of the next month."""
from datetime import date, datetime, timezone

from supermarket.disclosure import metrics, service
from .factories import AFTER, MONTH, close_stock, october

NOV = date(2026, 11, 1)
LATE_NOV = datetime(2026, 12, 12, 3, 0, tzinfo=timezone.utc)  # after 10 December


def test_on_time_and_late_months_count_and_months_before_the_first_do_not(session, world):
    october(session, world)
    manager = world.actor(session, "manager-yl01")
    store = world.stores["YL01"]
    close_stock(session, world)
    service.close_month(session, manager, store.id, MONTH, now=AFTER)            # due 11-10, on time
    close_stock(session, world, month=NOV, now=LATE_NOV)
    service.close_month(session, manager, store.id, NOV, now=LATE_NOV)           # due 12-10, late
    assert metrics.months_due(date(2026, 10, 1), date(2026, 12, 31)) == [date(2026, 9, 1), MONTH, NOV]
    got = metrics.f04(session, None, date(2026, 10, 1), date(2026, 12, 31))
    assert got == {store.id: (0.5, 1, 2)}                 # September is before its first month: not counted
    # Only October due in the window: on time. A store that never published is left out (无记录).
    assert metrics.f04(session, [store.id, world.stores["YL02"].id], date(2026, 11, 1), date(2026, 11, 30)) == {
        store.id: (1.0, 1, 1)}
    # December's month (November's) not yet due on 12-05: only October counts.
    assert metrics.f04(session, [store.id], date(2026, 11, 1), date(2026, 12, 5)) == {store.id: (1.0, 1, 1)}


def test_the_standard_reads_it(app, session, world):
    from sqlalchemy import select

    from supermarket.standards import records
    from supermarket.standards.metrics import Ctx
    from supermarket.stores.models import Store
    october(session, world)
    close_stock(session, world)
    store = world.stores["YL01"]
    service.close_month(session, world.actor(session, "manager-yl01"), store.id, MONTH, now=LATE_NOV)
    ctx = Ctx(session, select(Store.id), date(2026, 12, 31), 90, {}, [store.id])
    with app.test_request_context():
        value = records.disclosures(ctx)[store.id]
    assert (value.value, value.numerator, value.denominator, value.exceptions) == (0.0, 0, 2, 2)
