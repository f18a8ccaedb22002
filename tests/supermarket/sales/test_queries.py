"""The day's figures: by tender, by fund, voids, returns, variance; the void rate of many stores at once."""
from datetime import timedelta

from supermarket.sales import queries, reversals, shifts
from supermarket.sales.inputs import Refund, ReturnLine, ShiftClose, Tendered
from supermarket.clock import day_bounds_utc

from .factories import NOW, manager_ok, open_shift, sell, stocked_item


def test_day_totals_and_void_rate(session, world):
    open_shift(session, world)
    a = stocked_item(session, world, qty=20, price_fen=500)
    b = stocked_item(session, world, qty=20, price_fen=1000, name="旧书", kind="donated_used")
    actor = world.actor(session, "cashier-yl01")
    s1 = sell(session, world, (a, 2), (b, 1)).sale                                       # 2000 cash
    sell(session, world, (b, 2), payments=[Tendered("alipay", 2000, "20880001")])        # 2000 alipay
    s3 = sell(session, world, (a, 1)).sale                                               # 500 cash
    reversals.void_sale(session, actor, s3.id, approval=manager_ok(), reason="x", now=NOW)
    reversals.return_items(session, actor, s1.id, [ReturnLine(s1.lines[1].id, 1)], refund=Refund(),
                           approval=manager_ok(), reason="x", now=NOW)
    shifts.close_shift(session, actor, ShiftClose({"cash": 20900, "alipay": 2000}, manager_ok()),
                       now=NOW + timedelta(hours=1))
    t = queries.day_summary(session, actor, world.stores["YL01"].id, NOW.date())
    assert (t.sales_count, t.net_fen, t.void_count, t.void_fen, t.return_count, t.return_fen) == (3, 3000, 1, 500, 1, 1000)
    assert t.by_tender == {"cash": 1000, "alipay": 2000}
    assert t.by_fund == {"purchased": (2, 1000), "donated": (2, 2000)}
    assert (t.closed_shifts, t.variance_fen) == (1, -100)
    assert round(t.void_rate, 3) == 0.333
    start, end = day_bounds_utc(NOW.date())
    assert queries.void_stats(session, [s.id for s in world.stores.values()], start, end) == {
        world.stores["YL01"].id: (3, 1)}
