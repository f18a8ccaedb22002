import re

import pytest

import printing as p
from printing.layout import left_right, text_width
from printing.roll import ROLLS

from . import pdfcheck
from .samples import LONG_NAME, make_receipt

RULE32, RULE48 = "-" * 32, "-" * 48


def small_receipt(**overrides):
    values = dict(
        store_name="爱心超市",
        lines=(p.ReceiptLine("搪瓷脸盆", 2, 550, 1100),),
        total_fen=1100,
        payments=(p.ReceiptPayment("现金", 2000),),
        change_fen=900,
    )
    return make_receipt(**{**values, **overrides})


def test_receipt_lines_on_58mm():
    assert p.receipt_lines(small_receipt(), 32) == [
        "    爱心超市",  # double size: centred in 16 columns
        "         门店编号 YL01",
        RULE32,
        "单号 YL01-20261127-0007",
        "时间 2026-11-27 14:05:09",
        "收银 李*华",
        RULE32,
        "品名",
        "  数量 × 单价               金额",
        RULE32,
        "搪瓷脸盆",
        "  2 × ¥5.50               ¥11.00",
        RULE32,
        "合计                      ¥11.00",
        "现金                      ¥20.00",
        "找零                       ¥9.00",
        RULE32,
        "     感谢您对慈善事业的支持",
        "",
        "---------- 沿此线撕下 ----------",
    ]


def test_receipt_lines_on_80mm_are_a_table():
    lines = p.receipt_lines(small_receipt(), 48)
    assert lines[6:13] == [
        RULE48,
        "品名                  数量       单价       金额",
        RULE48,
        "搪瓷脸盆                 2      ¥5.50     ¥11.00",
        RULE48,
        "合计                                      ¥11.00",
        "现金                                      ¥20.00",
    ]


def test_reprint_void_and_points_lines():
    data = small_receipt(
        reprint=True,
        reprinted_at=make_receipt().sold_at.replace(hour=16),
        marker="作废",
        notes=("原单号 YL01-20261127-0003",),
        payments=(p.ReceiptPayment("积分", 1100, points=1100),),
        change_fen=0,
    )
    lines = p.receipt_lines(data, 32)
    assert lines[2:4] == ["      副本", "      作废"]
    assert "补打 2026-11-27 16:05:09" in lines
    assert "积分" + " " * 20 + "1100积分" in lines and "合计积分" + " " * 16 + "1100积分" in lines
    assert not any(line.endswith("分") and not line.endswith("积分") for line in lines)
    assert "原单号 YL01-20261127-0003" in lines


def test_points_lines_address_phone_references_and_balance_left():
    data = small_receipt(
        store_address="岳麓区望月湖街道桐梓坡路 88 号", store_phone="0731-88886666",
        lines=(p.ReceiptLine("搪瓷脸盆", 2, 550, 1100), p.ReceiptLine("大米 5kg（积分兑换）", 1, 0, 0, points_price=300)),
        payments=(p.ReceiptPayment("微信支付", 1100, reference="4200001234567890"),
                  p.ReceiptPayment("积分", 0, points=300)), change_fen=0, points_balance=1250)
    for width in (32, 48):
        lines = p.receipt_lines(data, width)
        text = "\n".join(lines)
        assert "岳麓区望月湖街道桐梓坡路 88 号" in text.replace("\n", "") and "电话 0731-88886666" in text
        assert "交易号 4200001234567890" in text and "剩余积分" in text and "1250积分" in text
        assert "300积分" in text and [l for l in lines if "¥0.00" in l] == [left_right("找零", "¥0.00", width)[0]]
        assert lines[-1].strip("- ") == "沿此线撕下" and all(text_width(line) <= width for line in lines)


def test_long_names_wrap_within_the_line():
    data = make_receipt(lines=(p.ReceiptLine(LONG_NAME, 1, 12345, 12345),), total_fen=12345)
    for width in (32, 48):
        lines = p.receipt_lines(data, width)
        assert all(text_width(line) <= width for line in lines)
        # on 80 mm the first name line also carries the numbers: strip them before reading the name back
        assert LONG_NAME in re.sub(r"[\s\d¥.×-]", "", "".join(lines))


def test_negative_amounts_for_a_return():
    data = small_receipt(lines=(p.ReceiptLine("搪瓷脸盆", -1, 550, -550),), total_fen=-550,
                         payments=(p.ReceiptPayment("现金", -550),), change_fen=0, marker="退货")
    lines = p.receipt_lines(data, 32)
    assert "  -1 × ¥5.50" + " " * 14 + "-¥5.50" in lines
    assert "合计" + " " * 22 + "-¥5.50" in lines


@pytest.mark.parametrize("width_mm", [58, 80])
def test_receipt_pdf_has_the_chinese_text(width_mm):
    pdf = p.render_receipt(make_receipt(reprint=True, marker="退货"), width_mm=width_mm)
    text = pdfcheck.text(pdf)
    for expected in ("长沙市雨花区爱心", "YL01-20261127-0007", "2026-11-27 14:05:09", "李*华", "搪瓷脸盆",
                     "副本", "退货", "¥46.00", "感谢您对慈善事业的支持"):
        assert expected in text


@pytest.mark.parametrize("width_mm", [58, 80])
def test_nothing_is_drawn_outside_the_printable_width(width_mm):
    data = make_receipt(
        lines=(p.ReceiptLine(LONG_NAME, 1, 1234567, 1234567),), total_fen=1234567, reprint=True,
        payments=(p.ReceiptPayment("微信支付", 1234567),), change_fen=0,
    )
    dpi = 200
    (page,) = pdfcheck.images(p.render_receipt(data, width_mm=width_mm), dpi=dpi)
    px_per_mm = dpi / 25.4
    margin = (width_mm - ROLLS[width_mm][0]) / 2
    left, right = int(margin * px_per_mm) - 1, int((width_mm - margin) * px_per_mm) + 1
    assert page.width == round(width_mm * px_per_mm)
    assert page.crop((0, 0, left, page.height)).getextrema()[0] > 200
    assert page.crop((right, 0, page.width, page.height)).getextrema()[0] > 200
    # and the content does reach the right edge of the printable area (amounts are right-aligned)
    assert page.crop((right - int(2 * px_per_mm), 0, right, page.height)).getextrema()[0] < 100


def test_other_roll_widths_are_refused():
    for width in (57, 76, 210):
        with pytest.raises(ValueError):
            p.render_receipt(make_receipt(), width_mm=width)


def test_output_is_stable():
    assert p.render_receipt(make_receipt()) == p.render_receipt(make_receipt())


def test_naive_times_are_refused():
    with pytest.raises(ValueError):
        make_receipt(sold_at=make_receipt().sold_at.replace(tzinfo=None))
