"""Till discounts: limits per store and role, a manager's approval (checked when given and at checkout), the
basket discount apportioned to the lines, receipts, returns and the Z report."""
import uuid
from unittest.mock import patch

import pytest
from hypothesis import given, settings as hyp_settings, strategies as st
from sqlalchemy import func, select

import printing
from supermarket.audit.models import AuditEvent
from supermarket.auth.errors import ApprovalFailed
from supermarket.auth.service import FAILED_APPROVALS
from supermarket.errors import InvalidInput
from supermarket.sales import checkout, discounts, receipts, reversals, shifts
from supermarket.sales.discounts import Discount, Limit, apportion
from supermarket.sales.errors import ApprovalRequired
from supermarket.sales.inputs import Approval, Cart, CartLine, Refund, ReturnLine
from supermarket.sales.models import Sale
from tests.printing.pdfcheck import text as pdf_text

from .factories import NOW, cash, manager_ok, open_shift, stocked_item


@pytest.fixture
def shop(session, world):
    open_shift(session, world)
    return {"a": stocked_item(session, world, qty=20, price_fen=1000, name="搪瓷脸盆"),
            "b": stocked_item(session, world, qty=20, price_fen=333, name="旧毛衣", kind="donated_used"),
            "p": stocked_item(session, world, qty=20, price_fen=800, name="大米", points_price=50)}


def line(item, qty, discount=None, **kw):
    return CartLine(qty=qty, barcode=item.barcode, discount=discount, **kw)


def sell(session, world, *lines, basket=None, approval=None, pay=None, username="cashier-yl01", payments=None):
    actor = world.actor(session, username)
    cart = Cart(idempotency_key=uuid.uuid4(), lines=tuple(lines),
                payments=tuple(payments) if payments is not None else (cash(pay),),
                discount=basket, discount_approval=approval)
    return checkout.checkout(session, actor, cart, now=NOW).sale


def written(session):
    return (session.scalar(select(func.count()).select_from(Sale)),
            session.scalar(select(func.count()).select_from(AuditEvent)))


# --- within the seller's limit ---------------------------------------------------------------------------

def test_a_line_discount_within_the_cashiers_limit_is_recorded_on_the_line(session, world, shop):
    sale = sell(session, world, line(shop["a"], 2, Discount(percent=10)), line(shop["b"], 1), pay=2133)
    a, b = sale.lines
    assert (a.discount_fen, a.basket_discount_fen, a.line_total_fen) == (200, 0, 1800)
    assert a.discount_by_id == world.users["cashier-yl01"].id and a.discount_approver_id is None
    assert (b.discount_fen, b.line_total_fen, b.discount_by_id) == (0, 333, None)
    assert sale.total_fen == 2133 == sum(x.line_total_fen for x in sale.lines)
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "sales.discount_given"))
    assert "“搪瓷脸盆”折扣 10%" in event.summary
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "sales.discount_approved")) is None


def test_a_percentage_rounds_half_up_to_the_fen(session, world, shop):
    # 333 × 3 = 999 fen, 5 % = 49.95 -> 50
    sale = sell(session, world, line(shop["b"], 3, Discount(percent=5)), pay=949)
    assert (sale.lines[0].discount_fen, sale.total_fen) == (50, 949)


def test_a_basket_discount_is_apportioned_by_largest_remainder_and_the_funds_stay_exact(session, world, shop):
    # Money lines 2000 and 999 (after nothing off); 10 % of 2999 = 300 (299.9 half up):
    # exact shares 200.07 and 99.93 -> floors 200 + 99 = 299, the one fen left to the larger remainder (99.93).
    sale = sell(session, world, line(shop["a"], 2), line(shop["b"], 3), basket=Discount(percent=10), pay=2699)
    assert [(x.discount_fen, x.basket_discount_fen, x.line_total_fen) for x in sale.lines] == [
        (200, 200, 1800), (100, 100, 899)]
    assert sale.total_fen == 2699
    funds = {x.fund: x.line_total_fen for x in sale.lines}
    assert funds == {"purchased": 1800, "donated": 899}


def test_a_basket_discount_applies_after_the_line_discounts(session, world, shop):
    sale = sell(session, world, line(shop["a"], 1, Discount(amount_fen=100)), line(shop["b"], 1),
                basket=Discount(amount_fen=123), pay=1110)
    # bases 900 and 333 (1233): 123 × 900/1233 = 89.78, × 333/1233 = 33.22 -> 89 + 33 = 122, +1 to the first
    assert [(x.discount_fen, x.basket_discount_fen) for x in sale.lines] == [(190, 90), (33, 33)]
    assert sale.total_fen == 1233 - 123 == 1110


# --- bad input: nothing written ---------------------------------------------------------------------------

@pytest.mark.parametrize("discount, field, message", [
    (Discount(percent=101), "discount", "1 到 100"),
    (Discount(percent=0), "discount", "1 到 100"),
    (Discount(amount_fen=-5), "discount", "大于 0"),
    (Discount(amount_fen=2001), "discount", "不能超过金额"),
    (Discount(percent=5, amount_fen=5), "discount", "只填一项"),
])
def test_bad_discounts_are_refused_at_the_field(session, world, shop, discount, field, message):
    before = written(session)
    with pytest.raises(InvalidInput) as e:
        sell(session, world, line(shop["a"], 2, discount), pay=2000)
    assert message in e.value.message and field in e.value.extra["fields"]
    assert written(session) == before


def test_a_points_line_cannot_be_discounted(session, world, shop):
    with pytest.raises(InvalidInput) as e:
        sell(session, world, line(shop["p"], 1, Discount(percent=5), pay_with_points=True), pay=1)
    assert "积分兑换的商品不能打折" in e.value.message


def test_over_the_cashiers_limit_without_approval_names_what_needs_it(session, world, shop):
    before = written(session)
    with pytest.raises(ApprovalRequired) as e:
        sell(session, world, line(shop["a"], 2), basket=Discount(percent=15), pay=1700)
    assert "整单折扣 15%" in e.value.message and "需店长批准" in e.value.message
    # ¥20 is the amount cap even when the percentage is within 10 %: 10 % of ¥209.99 is ¥21.00
    with pytest.raises(ApprovalRequired):
        sell(session, world, line(shop["a"], 20), line(shop["b"], 3), basket=Discount(percent=10), pay=18899)
    assert written(session) == before


def test_a_managers_approval_lets_it_through_and_is_recorded(session, world, shop):
    sale = sell(session, world, line(shop["a"], 2), basket=Discount(percent=15), approval=manager_ok(), pay=1700)
    assert [(x.discount_fen, x.discount_approver_id) for x in sale.lines] == [(300, world.users["manager-yl01"].id)]
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "sales.discount_approved"))
    assert "整单折扣 15%" in event.summary and "manager-yl01" in event.summary


def test_a_wrong_pin_is_refused_names_the_discount_and_counts_towards_the_lockout(session, world, shop):
    before = written(session)
    with pytest.raises(ApprovalFailed) as e:
        sell(session, world, line(shop["a"], 2), basket=Discount(percent=15),
             approval=Approval("manager-yl01", "0000"), pay=1700)
    assert "批准整单折扣 15%未通过" in e.value.message
    assert session.info.get(FAILED_APPROVALS) == ["manager-yl01"]
    session.rollback()
    assert written(session) == before


def test_above_the_managers_limit_nobody_may(session, world, shop):
    with pytest.raises(InvalidInput) as e:
        sell(session, world, line(shop["a"], 2), basket=Discount(percent=60), approval=manager_ok(), pay=800)
    assert "超过店长的折扣上限" in e.value.message


def test_a_manager_selling_discounts_up_to_the_managers_limit_alone(session, world, shop):
    shifts.open_shift(session, world.actor(session, "manager-yl01"), float_fen=0, now=NOW)
    sale = sell(session, world, line(shop["a"], 2), basket=Discount(percent=45), pay=1100, username="manager-yl01")
    assert (sale.lines[0].discount_fen, sale.lines[0].discount_approver_id) == (900, None)


# --- the on-the-spot check ----------------------------------------------------------------------------------

def test_the_check_approves_at_once_or_refuses_at_once(session, world, shop):
    actor = world.actor(session, "cashier-yl01")
    ok = discounts.check_approval(session, actor, discount=Discount(percent=15), base_fen=2000, item_name=None,
                                  approval=manager_ok())
    assert ok["needed"] and ok["approver"] == "manager-yl01" and "批准整单折扣 15%" in ok["message"]
    within = discounts.check_approval(session, actor, discount=Discount(amount_fen=100), base_fen=2000,
                                      item_name="面包", approval=manager_ok())
    assert not within["needed"] and within["approver"] is None
    with pytest.raises(ApprovalFailed) as e:
        discounts.check_approval(session, actor, discount=Discount(percent=15), base_fen=2000, item_name="面包",
                                 approval=Approval("manager-yl01", "9999"))
    assert "批准“面包”折扣 15%未通过" in e.value.message and e.value.extra["fields"]["secret"]


# --- limits per store and role ------------------------------------------------------------------------------

def test_the_store_manager_sets_the_limits_and_the_till_follows_them(session, world, shop):
    store = world.stores["YL01"]
    manager = world.actor(session, "manager-yl01")
    assert discounts.limits_of(session, store.id) == discounts.DEFAULT_LIMITS
    discounts.update_limits(session, manager, store.id, {"cashier": Limit(20, 5000),
                                                         "store_manager": Limit(50, 50000)})
    assert discounts.limits_of(session, store.id)["cashier"] == Limit(20, 5000)
    assert discounts.limits_of(session, world.stores["YL02"].id) == discounts.DEFAULT_LIMITS
    sale = sell(session, world, line(shop["a"], 2), basket=Discount(percent=15), pay=1700)
    assert sale.lines[0].discount_approver_id is None
    with pytest.raises(InvalidInput) as e:
        discounts.update_limits(session, manager, store.id, {"cashier": Limit(60, 100),
                                                             "store_manager": Limit(50, 50000)})
    assert "cashier_percent" in e.value.extra["fields"]
    with pytest.raises(InvalidInput):
        discounts.update_limits(session, manager, store.id, {"cashier": Limit(10, 100),
                                                             "store_manager": Limit(101, 50000)})


def test_a_cashier_cannot_change_the_limits(session, world):
    from supermarket.errors import Forbidden
    with pytest.raises(Forbidden):
        discounts.update_limits(session, world.actor(session, "cashier-yl01"), world.stores["YL01"].id,
                                {"cashier": Limit(90, 90000), "store_manager": Limit(90, 90000)})


# --- receipts, returns, the Z report -------------------------------------------------------------------------

def test_the_receipt_shows_the_discounts_and_who_approved(session, world, shop):
    sale = sell(session, world, line(shop["a"], 2, Discount(percent=10)), line(shop["b"], 3),
                basket=Discount(percent=20), approval=manager_ok(), pay=2239)
    _sale, pdf = receipts.print_receipt(session, world.actor(session, "cashier-yl01"), sale.id, width_mm=58)
    text = pdf_text(pdf)
    assert "折扣" in text and "其中整单折扣" in text and "优惠合计" in text
    assert "折扣已由 用户manager-yl01 批准" in text
    lines = printing.receipt_lines(receipts.receipt_data(sale), 48)
    # 10 % of ¥20.00 on the line, then 20 % of ¥27.99 (¥5.598 -> ¥5.60) on the basket
    assert sale.total_fen == 2999 - 200 - 560
    assert any("优惠合计" in t and "-¥7.60" in t for t in lines)
    # 搪瓷脸盆 2 × ¥10.00: its 10 % (¥2.00) and its share of the basket's ¥5.60 (¥3.60 of 5.598 by 1800:999)
    row = lines.index(next(t for t in lines if t.startswith("搪瓷脸盆")))
    assert "¥20.00" in lines[row] and "-¥5.60" in lines[row + 1] and "¥14.40" in lines[row + 2]
    assert [x.basket_discount_fen for x in sale.lines] == [360, 200]


def test_returns_of_a_discounted_line_give_back_exactly_what_was_paid(session, world, shop):
    sale = sell(session, world, line(shop["b"], 3, Discount(percent=10)), pay=899)  # 999 - 100
    actor = world.actor(session, "cashier-yl01")
    refunds = []
    for _ in range(3):
        ret = reversals.take_back(session, actor, sale.id, [ReturnLine(sale.lines[0].id, 1)], approval=manager_ok(),
                                  refund=Refund(), reason="顾客不要了", idempotency_key=uuid.uuid4(), now=NOW).sale
        session.expire_all()
        refunds.append(-ret.total_fen)
    assert sum(refunds) == 899 and refunds == [300, 299, 300]


def test_the_z_report_counts_the_discounts_by_who_gave_them(session, world, shop):
    sell(session, world, line(shop["a"], 2, Discount(percent=10)), pay=1800)
    sell(session, world, line(shop["a"], 1), line(shop["b"], 3), basket=Discount(amount_fen=500),
         approval=manager_ok(), pay=1499)
    sell(session, world, line(shop["a"], 1), pay=1000)
    shift = shifts.get_current_shift(session, world.actor(session, "cashier-yl01"))
    given = discounts.shift_discounts(session, shift)
    assert (given.sales_count, given.amount_fen) == (2, 700)
    assert given.by_person == [("用户cashier-yl01", 2, 700)]
    text = "\n".join(printing.z_report_lines(receipts.z_report_data(session, shift), 32))
    assert "折扣 2 笔" in text and "-¥7.00" in text and "用户cashier-yl01 2 笔" in text


# --- apportioning, as a property --------------------------------------------------------------------------

@hyp_settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=10_000_000), min_size=1, max_size=30), st.data())
def test_apportioned_shares_sum_to_the_discount_and_no_line_goes_negative(weights, data):
    amount = data.draw(st.integers(min_value=0, max_value=sum(weights)))
    shares = apportion(amount, weights)
    assert sum(shares) == amount
    assert all(0 <= s <= w for s, w in zip(shares, weights))
    # largest remainder: no share is more than one fen away from the exact proportion
    if sum(weights):
        assert all(abs(s * sum(weights) - amount * w) < sum(weights) for s, w in zip(shares, weights))


def test_a_discount_costs_the_sale_two_statements_and_a_plain_sale_none(session, world, shop):
    from sqlalchemy import event

    from supermarket.extensions import db

    def statements(*lines, basket=None):
        seen = []

        def count(*_args, **_kw):
            seen.append(1)
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            sell(session, world, *lines, basket=basket, pay=5000)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(seen)

    sell(session, world, line(shop["a"], 1), pay=1000)  # warm: the first sale of a day claims its counter row
    plain = statements(line(shop["a"], 1), line(shop["b"], 1))
    # the store's limits, and the second audit event's claim on the chain head
    assert statements(line(shop["a"], 1, Discount(percent=5)), line(shop["b"], 1)) == plain + 2
    assert statements(line(shop["a"], 1), line(shop["b"], 1), basket=Discount(amount_fen=50)) == plain + 2
    assert statements(line(shop["a"], 1), line(shop["b"], 1)) == plain


_LINE = st.tuples(st.integers(min_value=0, max_value=100_000), st.integers(min_value=1, max_value=50),
                  st.booleans(), st.one_of(st.none(), st.integers(min_value=1, max_value=100)))


@hyp_settings(max_examples=200, deadline=None)
@given(st.lists(_LINE, min_size=1, max_size=12), st.integers(min_value=0, max_value=100), st.data())
def test_applied_discounts_keep_every_line_whole_and_the_sale_exact(lines, percent, data):
    """The checkout's own step (sales.discounts.apply) on random carts: line discounts by percentage, then a
    basket discount by percentage or amount; limits wide open so only the arithmetic is under test."""
    from types import SimpleNamespace

    from supermarket.sales.checkout import PricedLine

    priced = [PricedLine(SimpleNamespace(name=f"物品{i}", id=i), qty, price, price, "", points)
              for i, (price, qty, points, _d) in enumerate(lines)]
    own = tuple(Discount(percent=d) if d and not points else None for _p, _q, points, d in lines)
    money = [p.unit_price_fen * p.qty for p in priced]
    after_own = sum(m - discounts.amount_of(d, m) if d else m for m, d, p in zip(money, own, priced)
                    if not p.pay_with_points)
    basket = None
    if after_own and data.draw(st.booleans()):
        basket = Discount(percent=percent) if percent else \
            Discount(amount_fen=data.draw(st.integers(min_value=1, max_value=after_own)))
    actor = SimpleNamespace(role=None, user_id=uuid.uuid4(), store_id=None)
    wide = Limit(100, 10**12)
    with patch.object(discounts, "limits_of", lambda _session, _store: {"cashier": wide, "store_manager": wide}):
        out = discounts.apply(None, actor, None, priced, own, basket, None).priced
    shares = sum(p.basket_discount_fen for p in out)
    assert shares == (discounts.amount_of(basket, after_own) if basket else 0)
    assert all(p.line_total_fen >= 0 and 0 <= p.basket_discount_fen <= p.discount_fen for p in out)
    assert all(p.discount_fen == 0 and p.line_total_fen == 0 for p in out if p.pay_with_points)
    assert sum(p.line_total_fen for p in out) == after_own - shares

