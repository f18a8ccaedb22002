"""The payment rules at their edges, as the cashier sees them: one cash and one points tender at most, no cash
once a scanned payment covers the total, a transaction number of at least 4 characters, and the rows written."""
import pytest

from supermarket.errors import InvalidInput
from supermarket.sales.errors import PaymentMismatch, TenderNotAccepted
from supermarket.sales.inputs import Tendered
from supermarket.sales.payments import PaymentRow, check_accepted, check_reference, settle
from supermarket.sales.tenders import DEFAULT_ACCEPTED

ALL = DEFAULT_ACCEPTED


@pytest.fixture(autouse=True, scope="module")
def _ctx():
    """The rules are pure: an application context is enough for the messages (no database)."""
    from supermarket import create_app

    with create_app("config.TestConfig").test_request_context():
        yield


def test_two_cash_tenders_in_one_sale_are_refused_one_is_taken():
    with pytest.raises(InvalidInput) as e:
        settle(1000, 0, (Tendered("cash", 500), Tendered("cash", 500)), ALL)
    assert e.value.message == "同一种支付方式只能填写一笔"
    one = settle(1000, 0, (Tendered("cash", 1000),), ALL)
    assert one.rows == (PaymentRow("cash", 1000, tendered_fen=1000),) and one.change_fen == 0


def test_three_cash_tenders_are_refused_too():
    with pytest.raises(InvalidInput) as e:
        settle(900, 0, (Tendered("cash", 300),) * 3, ALL)
    assert e.value.message == "同一种支付方式只能填写一笔"


def test_two_points_tenders_in_one_sale_are_refused():
    pay = Tendered("points", points=5, member_code="M1")
    with pytest.raises(InvalidInput) as e:
        settle(0, 10, (pay, pay), ALL)
    assert e.value.message == "同一种支付方式只能填写一笔"


def test_a_scan_and_a_cash_tender_together_are_allowed():
    s = settle(1000, 0, (Tendered("wechat", 400, "4200"), Tendered("cash", 1000)), ALL)
    assert s.rows == (PaymentRow("wechat", 400, reference="4200"), PaymentRow("cash", 600, tendered_fen=1000))
    assert s.change_fen == 400 and s.points_payment is None


def test_no_cash_is_taken_once_a_scanned_payment_covers_the_total():
    with pytest.raises(PaymentMismatch) as e:
        settle(1000, 0, (Tendered("alipay", 1000, "20880001"), Tendered("cash", 100)), ALL)
    assert e.value.message == "已经付清，不需要再收现金"
    # One fen short of the total, the cash is needed and gives change.
    s = settle(1000, 0, (Tendered("alipay", 999, "20880001"), Tendered("cash", 100)), ALL)
    assert s.change_fen == 99
    assert s.rows[1] == PaymentRow("cash", 1, tendered_fen=100)


def test_a_scanned_payment_may_equal_but_not_exceed_the_total():
    s = settle(1000, 0, (Tendered("wechat", 1000, "4200"),), ALL)
    assert s.rows == (PaymentRow("wechat", 1000, reference="4200"),) and s.change_fen == 0
    with pytest.raises(PaymentMismatch) as e:
        settle(1000, 0, (Tendered("wechat", 1001, "4200"),), ALL)
    assert e.value.message == "扫码支付金额 ¥10.01 超过应付金额 ¥10.00"


def test_cash_one_fen_short_names_what_is_missing_and_exact_cash_gives_no_change():
    with pytest.raises(PaymentMismatch) as e:
        settle(1000, 0, (Tendered("cash", 999),), ALL)
    assert e.value.message == "支付金额不足：应付 ¥10.00，还差 ¥0.01"
    with pytest.raises(PaymentMismatch) as e:
        settle(1000, 0, (Tendered("wechat", 300, "4200"), Tendered("cash", 600)), ALL)
    assert e.value.message == "支付金额不足：应付 ¥10.00，还差 ¥1.00"
    with pytest.raises(PaymentMismatch) as e:
        settle(1000, 0, (), ALL)
    assert e.value.message == "支付金额不足：应付 ¥10.00，还差 ¥10.00"
    assert settle(1000, 0, (Tendered("cash", 1000),), ALL).change_fen == 0
    assert settle(1000, 0, (Tendered("cash", 1001),), ALL).change_fen == 1


def test_a_payment_reference_needs_at_least_4_characters_beside_its_field():
    with pytest.raises(InvalidInput) as e:
        check_reference("wechat", " 123 ")
    msg = "微信支付 需要填写交易单号（至少 4 位）"
    assert e.value.message == msg and e.value.extra == {"fields": {"reference": [msg]}}
    with pytest.raises(InvalidInput) as e:
        check_reference("alipay", "", field="payments.0.reference")
    assert e.value.extra == {"fields": {"payments.0.reference": ["支付宝 需要填写交易单号（至少 4 位）"]}}
    with pytest.raises(InvalidInput):
        check_reference("alipay", None)
    check_reference("wechat", " 1234 ")
    check_reference("cash", "")  # cash needs none
    with pytest.raises(InvalidInput) as e:
        settle(1000, 0, (Tendered("wechat", 1000, "123"),), ALL)
    assert e.value.extra == {"fields": {"reference": [msg]}}
    # The reference is written trimmed.
    assert settle(1000, 0, (Tendered("wechat", 1000, " 1234 "),), ALL).rows[0].reference == "1234"


def test_a_points_payment_records_no_money_but_its_points_and_member():
    pay = Tendered("points", points=30, member_code=" M0001 ")
    s = settle(500, 30, (pay, Tendered("cash", 500)), ALL)
    assert s.rows == (PaymentRow("cash", 500, tendered_fen=500), PaymentRow("points", 0, points=30, member_code="M0001"))
    assert s.points_payment == pay and s.change_fen == 0
    only_points = settle(0, 30, (pay,), ALL)
    assert only_points.rows == (PaymentRow("points", 0, points=30, member_code="M0001"),)
    assert only_points.change_fen == 0


def test_points_lines_need_exactly_their_points():
    with pytest.raises(PaymentMismatch) as e:
        settle(0, 30, (), ALL)
    assert e.value.message == "积分商品需要用积分支付（共 30 积分）"
    for got in (29, 31):
        with pytest.raises(PaymentMismatch) as e:
            settle(0, 30, (Tendered("points", points=got, member_code="M1"),), ALL)
        assert e.value.message == f"积分支付应为 30 积分，实际 {got} 积分"
    with pytest.raises(PaymentMismatch) as e:
        settle(0, 0, (Tendered("points", points=5, member_code="M1"),), ALL)
    assert e.value.message == "积分支付应为 0 积分，实际 5 积分"


def test_a_tender_the_store_does_not_take_or_that_is_not_open_is_named():
    with pytest.raises(TenderNotAccepted) as e:
        check_accepted("wechat", ("cash",))
    assert e.value.message == "本店不接受“微信支付”支付"
    with pytest.raises(TenderNotAccepted) as e:
        check_accepted("bitcoin", ALL)
    assert e.value.message == "本店不接受“bitcoin”支付"
    with pytest.raises(TenderNotAccepted) as e:
        settle(1000, 0, (Tendered("wechat", 1000, "4200"),), ("cash",))
    assert e.value.message == "本店不接受“微信支付”支付"
    check_accepted("cash", ("cash",))


def test_a_tender_registered_but_not_yet_open_is_refused(monkeypatch):
    from supermarket.sales import tenders
    from supermarket.sales.tenders import Tender

    monkeypatch.setitem(tenders.TENDERS, "unionpay", Tender("unionpay", "银联", available=False))
    with pytest.raises(TenderNotAccepted) as e:
        check_accepted("unionpay", ALL + ("unionpay",))
    assert e.value.message == "“银联”支付暂未开通"


def test_each_written_row_holds_only_what_its_tender_paid():
    from dataclasses import astuple

    s = settle(1000, 20, (Tendered("alipay", 300, "20880001"), Tendered("cash", 800),
                          Tendered("points", points=20, member_code="M7")), ALL)
    assert [astuple(r) for r in s.rows] == [("alipay", 300, None, 0, "20880001", ""),
                                            ("cash", 700, 800, 0, "", ""),
                                            ("points", 0, None, 20, "", "M7")]
