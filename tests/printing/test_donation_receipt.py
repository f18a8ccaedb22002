import pytest

import printing as p

from . import pdfcheck
from .samples import make_donation_receipt


def test_donation_receipt_pdf_has_the_chinese_text():
    data = make_donation_receipt(4)
    pages = pdfcheck.page_texts(p.render_donation_receipt(data))
    assert len(pages) == 1
    text = pages[0]
    total = data.total_fen
    assert total == 2345 + 2345 * 2 + 2345 * 3 + 10000
    for expected in ("捐 赠 收 据", "YL01-2026-000123", "湖南某某科技有限公司", "2026年11月27日",
                     "长沙市雨花区爱心慈善超市（YL01）", "长沙市雨花区韶山中路 123 号", "大米 5kg", "旧书一批",
                     "价值无法确定，按零计", "微信支付", "4200001234202611270001", p.money_text(total),
                     p.yuan_in_capitals(total), "收款人：赵*敏", "复核人：王*芳", "2026-11-27 14:05",
                     "第 1 页 / 共 1 页"):
        assert expected in text
    assert "补打" not in text


def test_reprint_and_anonymous_donor():
    text = pdfcheck.text(p.render_donation_receipt(make_donation_receipt(donor_name="", reprint=True)))
    assert "补打" in text
    assert "捐赠人：匿名" in text


def test_goods_only_receipt_in_capitals():
    data = make_donation_receipt(1, money_lines=(), total_fen=2345)
    text = pdfcheck.text(p.render_donation_receipt(data))
    assert "人民币贰拾叁元肆角伍分" in text
    assert "捐赠款项" not in text


def test_fifty_lines_continue_on_a_second_page_with_the_header_repeated():
    pages = pdfcheck.page_texts(p.render_donation_receipt(make_donation_receipt(50)))
    assert len(pages) == 2
    for number, page in enumerate(pages, 1):
        assert "物品名称" in page
        assert "YL01-2026-000123" in page
        assert f"第 {number} 页 / 共 2 页" in page


def test_total_must_match_the_lines():
    with pytest.raises(ValueError, match="total_fen"):
        make_donation_receipt(3, total_fen=1)


def test_an_unvalued_line_must_be_zero():
    with pytest.raises(ValueError):
        p.DonationReceiptLine("旧书一批", 1, 100, 100, value_unknown=True)
