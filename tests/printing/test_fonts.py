from reportlab.pdfbase import pdfmetrics

import printing as p
from printing import fonts

from .samples import make_receipt


def test_fonts_come_from_the_installed_package_and_register_once():
    first = p.register_cjk_fonts()
    assert first.embedded
    assert fonts.font_path() is not None and fonts.font_path().name == "wqy-microhei.ttc"
    assert p.register_cjk_fonts() is first
    assert {first.regular, first.mono} <= set(pdfmetrics.getRegisteredFontNames())


def test_the_pdf_embeds_a_subset_of_the_truetype_font():
    pdf = p.render_receipt(make_receipt())
    assert b"/FontFile2" in pdf
    assert b"WenQuanYiMicroHeiMono" in pdf
    assert b"STSong" not in pdf


def test_chinese_glyphs_have_real_widths():
    f = p.register_cjk_fonts()
    assert pdfmetrics.stringWidth("慈善", f.regular, 10) == 20
    assert pdfmetrics.stringWidth("慈善", f.mono, 10) == 20


def test_without_the_font_package_the_cid_font_is_used():
    fallback = fonts.load_fonts(None)
    assert fallback == fonts.CJKFonts("STSong-Light", "STSong-Light", embedded=False)
    assert pdfmetrics.stringWidth("慈善", fallback.regular, 10) == 20
