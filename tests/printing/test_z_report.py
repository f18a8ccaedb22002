import pytest

import printing as p
from printing.layout import text_width

from . import pdfcheck
from .samples import make_z_report


def test_z_report_lines_show_tenders_variance_voids_and_funds():
    lines = p.z_report_lines(make_z_report(), 32)
    assert all(text_width(line) <= 32 for line in lines)
    cash = lines.index("现金")
    assert lines[cash + 1:cash + 4] == [
        "  应收" + " " * 19 + "¥685.50",
        "  实收" + " " * 19 + "¥684.50",
        "  差异" + " " * 20 + "-¥1.00",
    ]
    assert "差异合计" + " " * 18 + "-¥1.00" in lines
    assert "作废 1 笔" + " " * 17 + "¥12.00" in lines
    assert "退货 2 笔" + " " * 16 + "-¥35.00" in lines
    assert "义卖 41 笔" + " " * 15 + "¥986.50" in lines
    assert "采购商品 16 笔" + " " * 11 + "¥810.00" in lines


@pytest.mark.parametrize("width_mm", [58, 80])
def test_z_report_pdf(width_mm):
    text = pdfcheck.text(p.render_z_report(make_z_report(), width_mm=width_mm))
    for expected in ("班结报表", "长沙市雨花区爱心慈善超市", "YL01", "YL01-S-20261127-02", "2026-11-27 17:32",
                     "备用金", "微信支付", "义卖", "采购商品", "店长复核签字（王*芳）"):
        assert expected in text


def test_z_report_reprint_is_marked():
    assert "副本" in pdfcheck.text(p.render_z_report(make_z_report(reprint=True)))
