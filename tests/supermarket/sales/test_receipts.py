"""Receipts as the printer sees them: 58 and 80 mm, voids and returns marked, reprints marked 副本."""

import pytest

import printing
from supermarket.sales import receipts, reversals
from supermarket.sales.inputs import Tendered

from tests.conftest import screenshot_dir
from .factories import NOW, manager_ok, open_shift, sell, stocked_item



@pytest.fixture
def sale(session, world):
    open_shift(session, world)
    a = stocked_item(session, world, price_fen=550, name="搪瓷脸盆（大号，带盖，九成新）")
    b = stocked_item(session, world, price_fen=1200, name="旧毛衣", kind="donated_used")
    return sell(session, world, (a, 2), (b, 1), payments=[Tendered("wechat", 300, "42000001"),
                                                           Tendered("cash", 5000)]).sale


def test_receipt_data_has_store_number_time_lines_tenders_change_and_cashier(session, sale):
    data = receipts.receipt_data(sale)
    assert (data.store_name, data.store_code, data.receipt_no) == ("门店标记YL01", "YL01", "YL01-20261127-0001")
    assert data.sold_at.strftime("%Y-%m-%d %H:%M") == "2026-11-27 10:00" and data.cashier_name == "用户cashier-yl01"
    assert [(x.name, x.qty, x.line_total_fen) for x in data.lines] == [
        ("搪瓷脸盆（大号，带盖，九成新）", 2, 1100), ("旧毛衣", 1, 1200)]
    assert [(p.method, p.amount_fen) for p in data.payments] == [("微信支付", 300), ("现金", 5000)]
    assert (data.total_fen, data.change_fen, data.reprint) == (2300, 3000, False)
    text = printing.receipt_lines(data, 32)
    assert "找零                      ¥30.00" in text and all(printing.layout.text_width(t) <= 32 for t in text)


def test_first_print_is_the_original_then_copies(session, world, sale):
    actor = world.actor(session, "cashier-yl01")
    _s, first = receipts.print_receipt(session, actor, sale.id, now=NOW)
    _s, second = receipts.print_receipt(session, actor, sale.id, width_mm=80, now=NOW)
    assert first.startswith(b"%PDF-") and second.startswith(b"%PDF-")
    session.refresh(sale)
    assert sale.print_count == 2
    assert any("副本" in line for line in printing.receipt_lines(receipts.receipt_data(sale, reprint=True), 48))
    assert not any("副本" in line for line in printing.receipt_lines(receipts.receipt_data(sale), 48))


def test_a_void_receipt_is_marked_and_names_the_original(session, world, sale):
    void = reversals.void_sale(session, world.actor(session, "cashier-yl01"), sale.id, approval=manager_ok(),
                               reason="收错了", now=NOW)
    text = "\n".join(printing.receipt_lines(receipts.receipt_data(void), 32))
    assert "作废" in text and "原单号 YL01-20261127-0001" in text and "-¥23.00" in text


def test_the_58mm_receipt_renders_to_an_image(session, world, sale):
    """Rendered for a person to look at: receipt-58mm.png in $SCREENSHOT_DIR (or a temporary folder)."""
    import pypdfium2

    _s, pdf = receipts.print_receipt(session, world.actor(session, "cashier-yl01"), sale.id, width_mm=58, now=NOW)
    page = pypdfium2.PdfDocument(pdf)[0]
    width_pt, _height = page.get_size()
    assert round(width_pt / 72 * 25.4) == 58
    page.render(scale=3).to_pil().save(screenshot_dir() / "receipt-58mm.png")
