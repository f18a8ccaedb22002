"""Property (issue 17): over random shifts — sales in cash, WeChat or both, voids, cash returns, cash paid in and
out (a payout beyond the drawer refused), no-sale openings — the Z report's expected cash is
float + cash sales − cash refunds + paid in − paid out + change given to charity (it stays in the drawer, and a
void of its sale gives back the sale's money, not the gift)."""
from __future__ import annotations

import uuid
from datetime import timedelta

from hypothesis import HealthCheck, given, settings, strategies as st

from supermarket.sales import cash, receipts, shifts
from supermarket.sales.errors import CashShort
from supermarket.sales import checkout
from supermarket.sales.inputs import Cart, CartLine, DonationOffer, Refund, ReturnLine, ShiftClose, Tendered
from tests.supermarket.projects.factories import open_project
from supermarket.sales.reversals import return_items, void_sale

from .factories import NOW, manager_ok, open_shift, sell, stocked_item

CLOCK = {"now": NOW}
STEPS = st.lists(st.one_of(
    st.tuples(st.just("sell"), st.integers(1, 3), st.integers(0, 100)),   # qty, % paid by WeChat
    st.tuples(st.just("void"), st.integers(0, 20)),
    st.tuples(st.just("return"), st.integers(0, 20)),
    st.tuples(st.just("paid_in"), st.integers(1, 30_000)),
    st.tuples(st.just("paid_out"), st.integers(1, 60_000)),
    st.tuples(st.just("no_sale"), st.just(0)),
    st.tuples(st.just("donate"), st.integers(1, 3), st.integers(1, 99)),  # qty, the change given
), max_size=12)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(float_fen=st.integers(0, 50_000), steps=STEPS)
def test_the_z_reports_expected_cash_is_the_formula(session, world, float_fen, steps):
    # Time only moves forward, across examples too (they share one database and one cashier).
    CLOCK["now"] += timedelta(days=1)
    t = CLOCK["now"]
    actor = world.actor(session, "cashier-yl01")
    item = stocked_item(session, world, qty=100, price_fen=700)
    shift = open_shift(session, world, float_fen=float_fen, now=t)
    cash_sales = cash_refunds = paid_in = paid_out = donated = 0
    project = None
    sales = []                                                    # (sale, cash part) still voidable
    for step in steps:
        t += timedelta(seconds=10)
        kind = step[0]
        if kind == "sell":
            _, qty, pct = step
            total = 700 * qty
            scan = total * pct // 100
            payments = ((Tendered("wechat", scan, "4200001234"),) if scan else ()) + \
                ((Tendered("cash", total - scan),) if total - scan else ())
            sale = sell(session, world, (item, qty), payments=payments, now=t).sale
            cash_sales += total - scan
            sales.append((sale, total - scan))
        elif kind == "donate":
            _, qty, gift = step
            project = project or open_project(session, world, now=t)
            sale = checkout.checkout(session, actor, Cart(
                uuid.uuid4(), (CartLine(qty=qty, barcode=item.barcode),), (Tendered("cash", 700 * qty + gift),),
                donation=DonationOffer(project.id, gift, "change")), now=t).sale
            assert sale.change_fen == 0
            cash_sales += 700 * qty
            donated += gift
            sales.append((sale, 700 * qty))
        elif kind == "void" and sales:
            sale, cash_part = sales.pop(step[1] % len(sales))
            void_sale(session, actor, sale.id, approval=manager_ok(), reason="顾客取消", now=t)
            cash_refunds += cash_part
        elif kind == "return" and sales:
            sale, cash_part = sales.pop(step[1] % len(sales))
            line = sale.lines[0]
            return_items(session, actor, sale.id, [ReturnLine(line.id, 1)], refund=Refund("cash"),
                         approval=manager_ok(), reason="质量问题", now=t)
            cash_refunds += line.unit_price_fen
        elif kind in ("paid_in", "paid_out"):
            in_drawer = float_fen + cash_sales - cash_refunds + paid_in - paid_out + donated
            try:
                cash.move_cash(session, actor, kind=kind, amount_fen=step[1], reason="测试", approval=manager_ok(),
                               now=t)
            except CashShort:
                assert kind == "paid_out" and step[1] > in_drawer
                continue
            assert kind == "paid_in" or step[1] <= in_drawer
            paid_in += step[1] if kind == "paid_in" else 0
            paid_out += step[1] if kind == "paid_out" else 0
        elif kind == "no_sale":
            cash.no_sale(session, actor, reason="换零钱", now=t)
    formula = float_fen + cash_sales - cash_refunds + paid_in - paid_out + donated
    expected = shifts.expected_takings(session, shift)
    assert receipts.z_report_data(session, shift).tenders[0].expected_fen == formula      # the X report
    # A cash refund after a payout can leave the ledger below zero; nobody counts less than nothing.
    counted = {m: max(fen, 0) for m, fen in expected.items()}
    shifts.close_shift(session, actor, ShiftClose(counted, manager_ok(), note="清点"), now=t + timedelta(minutes=1))
    z = receipts.z_report_data(session, shift)
    assert z.tenders[0].method == "现金" and z.tenders[0].expected_fen == formula
    assert (z.paid_in_fen, z.paid_out_fen) == (paid_in, paid_out)
