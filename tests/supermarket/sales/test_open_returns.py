"""Returns without the original receipt (issue 17, item 7): today's price or lower, cash only, a manager every
time, the store's limit; the units back in stock as a return movement and the cash out of the expected drawer."""
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

import printing
from supermarket.audit.models import AuditEvent
from supermarket.auth.errors import ApprovalFailed
from supermarket.auth.service import FAILED_APPROVALS
from supermarket.catalog.errors import UnknownBarcode
from supermarket.errors import InvalidInput
from supermarket.inventory.models import StockBalance, StockMovement
from supermarket.sales import receipts, returns_open, shifts
from supermarket.sales.errors import ApprovalRequired, CashShort
from supermarket.sales.inputs import Approval, ShiftClose
from supermarket.sales.till_models import OpenReturn
from supermarket.uow import plain_session

from tests.supermarket.catalog.factories import food_category

from .factories import NOW, manager_ok, open_shift, stocked_item

LATER = NOW + timedelta(minutes=30)


def cashier(session, world):
    return world.actor(session, "cashier-yl01")


def returns_count(session):
    return session.scalar(select(func.count()).select_from(OpenReturn))


@pytest.fixture
def basin(session, world):
    open_shift(session, world, float_fen=20000)
    return stocked_item(session, world, qty=4, price_fen=2500)


def take(session, world, item, qty=1, **kw):
    kw.setdefault("approval", manager_ok())
    kw.setdefault("reason", "尺寸不合适")
    return returns_open.take_back_without_receipt(session, cashier(session, world), barcode=item.barcode.lower(),
                                                  qty=qty, now=LATER, **kw)


def test_a_return_brings_stock_back_and_takes_cash_out(session, world, basin):
    ret, replayed = take(session, world, basin, qty=2)
    assert not replayed and (ret.qty, ret.unit_price_fen, ret.refund_fen) == (2, 2500, 5000)
    assert ret.approver.username == "manager-yl01" and ret.number.endswith("-W01")
    on_hand = session.scalar(select(StockBalance.qty).where(StockBalance.item_id == basin.id))
    assert on_hand == 6
    move = session.scalar(select(StockMovement).where(StockMovement.doc_id == str(ret.id)))
    assert (move.kind, move.qty) == ("open_return", 2)
    shift = shifts.current_shift(session, cashier(session, world))
    assert shifts.expected_takings(session, shift)["cash"] == 20000 - 5000
    x = receipts.z_report_data(session, shift)
    assert x.tenders[0].expected_fen == 15000
    assert "无小票退货 1 笔" in "\n".join(printing.z_report_lines(x, 32))
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "sales.returned_without_receipt"))
    assert event is not None
    shifts.close_shift(session, cashier(session, world), ShiftClose({"cash": 15000}, manager_ok()),
                       now=LATER + timedelta(hours=1))
    assert shift.variance_fen == 0


def test_a_lower_price_may_be_entered_never_a_higher_one(session, world, basin):
    ret, _ = take(session, world, basin, unit_price_fen=1800)
    assert ret.refund_fen == 1800 and ret.list_price_fen == 2500
    with pytest.raises(InvalidInput) as e:
        take(session, world, basin, unit_price_fen=2501)
    assert e.value.extra["fields"]["unit_price"] == ["退款单价不能高于现价 ¥25.00"]
    assert returns_count(session) == 1


def test_every_return_needs_a_manager_and_a_wrong_pin_counts(session, world, basin, app):
    with pytest.raises(ApprovalRequired):
        take(session, world, basin, approval=None)
    with pytest.raises(ApprovalFailed) as e:
        take(session, world, basin, approval=Approval("manager-yl01", "0000"))
    assert e.value.extra["fields"]["approval"] == ["确认人用户名或密码/PIN 错误"]
    assert "manager-yl01" in plain_session(session).info[FAILED_APPROVALS]
    with pytest.raises(ApprovalFailed):  # another store's manager
        take(session, world, basin, approval=manager_ok("yl02"))
    assert returns_count(session) == 0


def test_the_store_limit_and_the_drawer_cap_a_return(session, world, basin):
    with pytest.raises(returns_open.OverLimit) as e:
        take(session, world, basin, qty=5)  # ¥125 > the default ¥100
    assert "¥100.00" in e.value.extra["fields"]["qty"][0]
    returns_open.set_limit(session, world.actor(session, "manager-yl01"), world.stores["YL01"].id, 30000, now=NOW)
    with pytest.raises(CashShort):
        take(session, world, basin, qty=9)  # ¥225 > the ¥200 in the drawer
    ret, _ = take(session, world, basin, qty=5)
    assert ret.refund_fen == 12500
    with pytest.raises(Exception):
        returns_open.set_limit(session, cashier(session, world), world.stores["YL01"].id, 100, now=NOW)


@pytest.mark.parametrize("barcode, qty, reason, field", [
    ("", 1, "坏了", "barcode"), ("X", 0, "坏了", "qty"), ("X", 100, "坏了", "qty"), ("X", 1, " ", "reason"),
])
def test_bad_input_is_refused_at_its_field(session, world, basin, barcode, qty, reason, field):
    with pytest.raises(InvalidInput) as e:
        returns_open.take_back_without_receipt(session, cashier(session, world), barcode=barcode, qty=qty,
                                               reason=reason, approval=manager_ok(), now=LATER)
    assert field in e.value.extra["fields"] and returns_count(session) == 0


def test_unknown_codes_and_food_are_refused(session, world, basin):
    with pytest.raises(UnknownBarcode):
        returns_open.take_back_without_receipt(session, cashier(session, world), barcode="NOPE-1", qty=1,
                                               reason="坏了", approval=manager_ok(), now=LATER)
    bread = stocked_item(session, world, qty=0, price_fen=300, name="面包", category=food_category(session))
    with pytest.raises(returns_open.FoodNotReturnable):
        take(session, world, bread)
    assert returns_count(session) == 0


def test_an_idempotency_key_returns_once(session, world, basin):
    key = uuid.uuid4()
    first, _ = take(session, world, basin, idempotency_key=key)
    again, replayed = take(session, world, basin, idempotency_key=key)
    assert replayed and again.id == first.id and returns_count(session) == 1
