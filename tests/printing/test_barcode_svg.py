"""Barcodes as SVG for screens: the same bars as printed, escaped, valid codes only."""
import pytest

from printing.barcodes import bar_pattern, barcode_svg


def test_svg_has_one_rect_per_bar_plus_the_background():
    svg = barcode_svg("ean13", "6901234567892")
    assert svg.startswith("<svg") and svg.count("<rect") == len(bar_pattern("ean13", "6901234567892").bars) + 1
    assert 'aria-label="6901234567892"' in svg


def test_code128_for_internal_codes_and_escaping():
    assert 'aria-label="YL01-000123"' in barcode_svg("code128", "YL01-000123")
    assert "&lt;b&gt;" in barcode_svg("code128", "<b>")


def test_bad_codes_are_refused():
    with pytest.raises(ValueError):
        barcode_svg("ean13", "6901234567893")
