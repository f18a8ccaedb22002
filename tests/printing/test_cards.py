import shutil

import pytest

import printing as p

from . import pdfcheck
from printing.cards import fits_code128

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


def _zbar(pdf: bytes, tmp_path, dpi: int = 200) -> list[str]:
    """Every code zbarimg (an independent decoder) reads on the card: 'QR-Code:…', 'CODE-128:…'."""
    import subprocess

    (tmp_path / "card.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(tmp_path / "card.pdf"), str(tmp_path / "card")],
                   check=True)
    png = next(tmp_path.glob("card*.png"))
    out = subprocess.run(["zbarimg", "--quiet", str(png)], capture_output=True, text=True)
    return sorted(out.stdout.split())


# The longest codes the system can issue: member and household codes are up to 32 printable characters.
LONGEST = ("DEMO-RESIDENT-1", "M" + "X7" * 15 + "Z", "HYL01" + "0" * 27, "H-" + "ABCDEFGHJKLMNPQRSTUVWXYZ234567")


@pytest.mark.skipif(not (shutil.which("pdftoppm") and shutil.which("zbarimg")), reason="needs poppler and zbar")
@pytest.mark.parametrize("code", LONGEST)
def test_long_codes_fit_the_card_and_decode(code, tmp_path):
    """A code too long for Code 128 at a readable width (DEMO-RESIDENT-1 needs 55 mm, the card has 53.1 mm) is
    printed as a larger QR code with the code in plain text: the card renders and its code reads back."""
    assert len(code) <= 32
    for pdf in (p.render_member_card(make_member_card(member_code=code)),
                p.render_household_card(make_household_card(household_code=code))):
        found = _zbar(pdf, tmp_path)
        assert f"QR-Code:{code}" in found
        if fits_code128(code):
            assert f"CODE-128:{code}" in found
        assert code in pdfcheck.text(pdf)


def test_short_codes_keep_their_code_128():
    assert fits_code128("M0001234") and fits_code128("H430111000123") and not fits_code128("DEMO-RESIDENT-1")
