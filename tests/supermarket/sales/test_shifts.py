"""Shifts: a float to open, takings by tender at the close, expected vs counted, a manager's countersign."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from supermarket.audit.models import AuditEvent
from supermarket.auth.errors import ApprovalFailed
from supermarket.errors import InvalidInput
from supermarket.sales import receipts, reversals, shifts
from supermarket.sales.errors import ApprovalRequired, NoOpenShift, ShiftAlreadyOpen, ShiftClosed, ShiftStillOpen
from supermarket.sales.inputs import Approval, Refund, ReturnLine, ShiftClose, Tendered

from .factories import NOW, cash, manager_ok, open_shift, sell, stocked_item

LATER = NOW + timedelta(hours=8)


def test_a_cashier_opens_one_shift_at_a_time(session, world):
    shift = open_shift(session, world, float_fen=30000)
    assert (shift.number, shift.status, shift.float_fen) == ("YL01-20261127-B01", "open", 30000)
    with pytest.raises(ShiftAlreadyOpen):
        open_shift(session, world)
    assert open_shift(session, world, "manager-yl01").number == "YL01-20261127-B02"
    with pytest.raises(InvalidInput):
        open_shift(session, world, "cashier-yl02", float_fen=-1)


@pytest.fixture
def day(session, world):
    """A shift with cash, WeChat and mixed sales, one void and one return."""
    shift = open_shift(session, world, float_fen=20000)
    a = stocked_item(session, world, qty=20, price_fen=550)
    b = stocked_item(session, world, qty=5, price_fen=1200, name="旧毛衣", kind="donated_used")
    actor = world.actor(session, "cashier-yl01")
    s1 = sell(session, world, (a, 2), given=2000).sale                                           # cash 1100
    sell(session, world, (b, 1), payments=[Tendered("wechat", 1200, "4200000001")])              # wechat 1200
    sell(session, world, (a, 1), (b, 1), payments=[Tendered("alipay", 1000, "2088000001"), cash(1000)])  # 750 cash
    s4 = sell(session, world, (a, 3)).sale                                                        # cash 1650
    reversals.void_sale(session, actor, s4.id, approval=manager_ok(), reason="重复收款", now=NOW)   # cash -1650
    reversals.return_items(session, actor, s1.id, [ReturnLine(s1.lines[0].id, 1)], refund=Refund(),
                           approval=manager_ok(), reason="坏了", now=NOW)                          # cash -550
    return {"shift": shift, "actor": actor}


def test_expected_takings_by_tender(session, world, day):
    assert shifts.expected_takings(session, day["shift"]) == {
        "cash": 20000 + 1100 + 750 + 1650 - 1650 - 550, "wechat": 1200, "alipay": 1000}


def test_closing_counts_each_tender_and_needs_a_managers_countersign(session, world, day):
    actor = day["actor"]
    counted = {"cash": 21250, "wechat": 1200, "alipay": 1000}
    _shift, preview = shifts.preview_close(session, actor, {**counted, "cash": 21200})
    assert [(c.method, c.expected_fen, c.counted_fen, c.variance_fen) for c in preview] == [
        ("cash", 21300, 21200, -100), ("wechat", 1200, 1200, 0), ("alipay", 1000, 1000, 0)]
    with pytest.raises(ApprovalRequired):
        shifts.close_shift(session, actor, ShiftClose(counted), now=LATER)
    with pytest.raises(ApprovalFailed):
        shifts.close_shift(session, actor, ShiftClose(counted, Approval("cashier-yl01", "changsha2023")), now=LATER)
    with pytest.raises(InvalidInput):  # WeChat took money: it must be counted
        shifts.close_shift(session, actor, ShiftClose({"cash": 21250}, manager_ok()), now=LATER)
    shift = shifts.close_shift(session, actor, ShiftClose(counted, manager_ok(), note="少了五毛"), now=LATER)
    assert (shift.status, shift.open_cashier_id, shift.variance_fen) == ("closed", None, -50)
    assert shift.approver_id == world.users["manager-yl01"].id
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "sales.shift_closed")) is not None
    with pytest.raises(NoOpenShift):
        shifts.close_shift(session, actor, ShiftClose(counted, manager_ok()), now=LATER)
    a = stocked_item(session, world, qty=1, name="水杯")
    with pytest.raises(ShiftClosed):
        sell(session, world, (a, 1))


def test_the_z_report_has_sales_voids_returns_funds_and_the_countersign(session, world, day):
    with pytest.raises(ShiftStillOpen):
        receipts.z_report_pdf(session, day["actor"], day["shift"].id)
    shift = shifts.close_shift(session, day["actor"], ShiftClose({"cash": 21300, "wechat": 1200, "alipay": 1000},
                                                                 manager_ok()), now=LATER)
    data = receipts.z_report_data(session, shift)
    assert (data.sales_count, data.void_count, data.void_fen, data.return_count, data.return_fen) == (4, 1, 1650, 1, 550)
    assert [(t.method, t.expected_fen, t.counted_fen) for t in data.tenders] == [
        ("现金", 21300, 21300), ("微信支付", 1200, 1200), ("支付宝", 1000, 1000)]
    # Net by fund: purchased 1100+550+1650−1650−550, donated 1200+1200.
    assert [(f.fund, f.amount_fen) for f in data.funds] == [("义卖（捐赠物品）", 2400), ("采购商品", 1100)]
    assert data.manager_name == "用户manager-yl01" and data.shift_no == "YL01-20261127-B01"
    _shift, pdf = receipts.z_report_pdf(session, day["actor"], shift.id)
    assert pdf.startswith(b"%PDF-")


def test_the_manager_cannot_countersign_their_own_shift(session, world):
    open_shift(session, world, "manager-yl01")
    with pytest.raises(ApprovalFailed):
        shifts.close_shift(session, world.actor(session, "manager-yl01"),
                           ShiftClose({"cash": 20000}, manager_ok()), now=LATER)


def test_the_z_report_renders_to_an_image(session, world, day):
    """Rendered for a person to look at: z-report-80mm.png in $SCREENSHOT_DIR (or a temporary folder)."""
    import pypdfium2

    from tests.conftest import screenshot_dir

    shift = shifts.close_shift(session, day["actor"], ShiftClose({"cash": 21250, "wechat": 1200, "alipay": 1000},
                                                                 manager_ok()), now=LATER)
    _shift, pdf = receipts.z_report_pdf(session, day["actor"], shift.id, width_mm=80)
    page = pypdfium2.PdfDocument(pdf)[0]
    assert round(page.get_size()[0] / 72 * 25.4) == 80
    image = page.render(scale=2).to_pil()
    image.save(screenshot_dir() / "z-report-80mm.png")
    assert image.width > 300 and image.convert("L").getextrema()[0] < 64  # something dark was drawn
