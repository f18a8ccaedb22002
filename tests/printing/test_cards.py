import pytest

import printing as p

from . import pdfcheck
from .samples import make_household_card, make_member_card


def test_member_card_carries_both_codes():
    pdf = p.render_member_card(make_member_card())
    (page,) = pdfcheck.images(pdf, dpi=300)
    assert abs(page.width - 1011) <= 1 and abs(page.height - 638) <= 1  # 85.6 x 54 mm at 300 dpi
    assert sorted(pdfcheck.decode(page)) == [("Code128", "M0001234"), ("QRCode", "M0001234")]
    text = pdfcheck.text(pdf)
    for expected in ("志愿服务积分卡", "陈*", "M0001234", "长沙市慈善总会", "长沙市雨花区爱心慈善超市（YL01）",
                     "2026-11-27"):
        assert expected in text


def test_household_card_carries_both_codes():
    pdf = p.render_household_card(make_household_card())
    (page,) = pdfcheck.images(pdf, dpi=300)
    assert sorted(pdfcheck.decode(page)) == [("Code128", "H430111000123"), ("QRCode", "H430111000123")]
    text = pdfcheck.text(pdf)
    for expected in ("救助家庭物资领取卡", "张*明", "低保", "有效期至", "2027-12-31", "YL01"):
        assert expected in text


def test_cards_decode_at_200_dpi_too():
    for pdf in (p.render_member_card(make_member_card()), p.render_household_card(make_household_card())):
        (page,) = pdfcheck.images(pdf, dpi=200)
        assert len(pdfcheck.decode(page)) == 2


def test_card_codes_must_be_ascii():
    with pytest.raises(ValueError):
        p.render_member_card(make_member_card(member_code="会员0001"))
