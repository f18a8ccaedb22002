import pytest

import printing as p
from printing.layout import text_width

from . import pdfcheck
from .samples import make_aid_slip, signature_png


def test_aid_slip_lines():
    lines = p.aid_slip_lines(make_aid_slip(proxy_name="张*强", proxy_relation="儿子"), 48)
    assert all(text_width(line) <= 48 for line in lines)
    for expected in ("单号 YL01-A-20261127-0031", "户编号 H430111000123", "户主 张*明  证件 ****1234",
                     "类别 低保", "代领人 张*强（儿子）", "合计价值" + " " * 33 + "¥234.00"):
        assert expected in lines


def test_aid_slip_pdf_has_the_chinese_text():
    text = pdfcheck.text(p.render_aid_slip(make_aid_slip()))
    for expected in ("物资领取签收单", "长沙市雨花区爱心慈善超市", "张*明", "****1234", "低保", "大米", "¥234.00",
                     "赵*敏", "领取人签名"):
        assert expected in text


def _box_ink(pdf: bytes) -> int:
    """Dark pixels inside the signature box (the lowest framed area of the slip)."""
    (page,) = pdfcheck.images(pdf, dpi=100)
    grey = page.point(lambda v: 255 if v < 128 else 0)
    box = grey.crop((25, page.height - 115, page.width - 25, page.height - 52))
    return sum(box.histogram()[255:])


def test_the_signature_image_is_drawn_in_the_box():
    blank = _box_ink(p.render_aid_slip(make_aid_slip()))
    signed = _box_ink(p.render_aid_slip(make_aid_slip(signature_png=signature_png())))
    assert blank == 0
    assert signed > 300


def test_a_broken_signature_image_is_a_clear_error():
    with pytest.raises(ValueError, match="signature"):
        p.render_aid_slip(make_aid_slip(signature_png=b"not a png"))
