import pytest
from reportlab.pdfbase import pdfmetrics

import printing as p
from printing import fonts

from . import samples
from .samples import make_receipt

EVERY_DOCUMENT = {
    "receipt": lambda: p.render_receipt(samples.make_receipt()),
    "z_report": lambda: p.render_z_report(samples.make_z_report()),
    "aid_slip": lambda: p.render_aid_slip(samples.make_aid_slip()),
    "donation_receipt": lambda: p.render_donation_receipt(samples.make_donation_receipt()),
    "signoff_sheet": lambda: p.render_signoff_sheet(samples.make_signoff_sheet(3)),
    "public_list": lambda: p.render_public_list(samples.make_public_list(3)),
    "label_sheet": lambda: p.render_label_sheet(samples.make_labels(3)),
    "label": lambda: p.render_label(samples.make_labels(1)),
    "member_card": lambda: p.render_member_card(samples.make_member_card()),
    "household_card": lambda: p.render_household_card(samples.make_household_card()),
}


def test_fonts_come_from_the_vendored_files_and_register_once():
    first = p.register_cjk_fonts()
    assert first.embedded
    assert fonts.font_path() is not None and (fonts.font_path() / "OFL.txt").is_file()
    assert p.register_cjk_fonts() is first
    assert {first.regular, first.mono} <= set(pdfmetrics.getRegisteredFontNames())


def test_the_pdf_embeds_a_subset_of_the_truetype_font():
    pdf = p.render_receipt(make_receipt())
    assert b"/FontFile2" in pdf
    assert b"NotoSansMonoCJKsc" in pdf
    assert b"STSong" not in pdf


@pytest.mark.parametrize("name", sorted(EVERY_DOCUMENT))
def test_every_document_uses_only_the_embedded_font(name):
    pdf = EVERY_DOCUMENT[name]()
    assert pdf.startswith(b"%PDF-")
    assert b"/FontFile2" in pdf
    assert b"/BaseFont /AAAAAA+NotoSans" in pdf
    assert b"Helvetica" not in pdf  # reportlab's default font would be referenced but not embedded


def test_chinese_glyphs_have_real_widths():
    f = p.register_cjk_fonts()
    assert pdfmetrics.stringWidth("慈善", f.regular, 10) == 20
    assert pdfmetrics.stringWidth("慈善", f.mono, 10) == 20


def test_without_the_font_package_the_cid_font_is_used():
    fallback = fonts.load_fonts(None)
    assert fallback == fonts.CJKFonts("STSong-Light", "STSong-Light", embedded=False)
    assert pdfmetrics.stringWidth("慈善", fallback.regular, 10) == 20
