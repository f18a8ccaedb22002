"""Property: whatever mix of designated donations, tagged sales, voids of them and expenditures (with and
without advances), a project's raised, spent and balance equal the sums of its ledger and of what was done."""
from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings, strategies as st

from supermarket.projects import service
from supermarket.projects.errors import InsufficientBalance
from supermarket.sales.reversals import void_sale
from tests.supermarket.intake.factories import cash, take_in
from tests.supermarket.sales.factories import manager_ok, open_shift, sell, stocked_item

from .factories import NOW, approval, cashier, open_project, register, spend

CLOCK = {"now": NOW}
STEPS = st.lists(st.one_of(
    st.tuples(st.just("donate"), st.integers(1, 50_000)),
    st.tuples(st.just("sell"), st.integers(1, 4), st.booleans()),
    st.tuples(st.just("void"), st.integers(0, 20)),
    st.tuples(st.just("spend"), st.integers(1, 60_000)),
    st.tuples(st.just("advance"), st.integers(1, 20_000)),
), max_size=12)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_raised_spent_and_balance_are_the_sums_of_the_ledger(session, world, steps):
    actor = cashier(session, world)
    project = open_project(session, world, title=f"项目{len(steps)}")
    # Time only moves forward, across examples too (they share one database and one cashier's shift).
    CLOCK["now"] += timedelta(days=1)
    live = register(session, world, project, now=CLOCK["now"])
    item = stocked_item(session, world, qty=100, price_fen=700)
    t = live.starts_at + timedelta(seconds=1)
    service.stop_till_mode(session, actor, now=t)
    open_shift_once(session, world, t)
    raised = spent = advances = 0
    sales = []
    for step in steps:
        t += timedelta(seconds=10)
        if step[0] == "donate":
            donation = take_in(session, world, money=[cash(step[1])], now=NOW).donation
            service.designate(session, actor, project.id, donation.money_lines[0].id, now=t)
            raised += step[1]
        elif step[0] == "sell":
            _, qty, tagged = step
            if tagged:
                service.start_till_mode(session, actor, live.id, now=t)
            sale = sell(session, world, (item, qty), now=t + timedelta(seconds=1)).sale
            if tagged:
                service.stop_till_mode(session, actor, now=t + timedelta(seconds=2))
                raised += sale.total_fen
            sales.append((sale, tagged))
        elif step[0] == "void" and sales:
            sale, tagged = sales.pop(step[1] % len(sales))
            void_sale(session, actor, sale.id, approval=manager_ok(), reason="测试", now=t)
            raised -= sale.total_fen if tagged else 0
        elif step[0] == "spend":
            try:
                spend(session, world, project, step[1], now=t)
                spent += step[1]
            except InsufficientBalance:
                assert step[1] > raised - spent + advances
        elif step[0] == "advance":
            service.record_advance(session, actor, project.id, amount_fen=step[1], reason="垫支", approval=approval(),
                                   now=t)
            advances += step[1]
    f = service.figures(session, [project.id])[project.id]
    rows = service.ledger(session, project.id)
    assert f.raised_fen == raised == sum(r.amount_fen for r in rows if r.kind != "expenditure")
    assert f.spent_fen == spent == -sum(r.amount_fen for r in rows if r.kind == "expenditure")
    assert f.balance_fen == raised - spent == sum(r.amount_fen for r in rows)
    assert f.balance_fen >= -advances


def open_shift_once(session, world, t):
    from supermarket.sales.shifts import current_shift

    if current_shift(session, cashier(session, world)) is None:
        open_shift(session, world, now=t)
