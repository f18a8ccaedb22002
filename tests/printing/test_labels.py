import pytest

import printing as p
from printing.barcodes import ean13_check_digit

from . import pdfcheck
from .samples import make_labels


def _decoded(pdf: bytes, dpi: int = 300) -> list[list[tuple[str, str]]]:
    return [sorted(pdfcheck.decode(page)) for page in pdfcheck.images(pdf, dpi=dpi)]


def test_a_sheet_of_30_labels_decodes_to_exactly_its_codes():
    labels = make_labels(30)
    pdf = p.render_label_sheet(labels)
    pages = _decoded(pdf)
    assert len(pages) == 2  # 24 + 6
    found = [code for page in pages for code in page]
    expected = sorted(("EAN13" if x.symbology == "ean13" else "Code128", x.code) for x in labels)
    assert sorted(found) == expected
    text = pdfcheck.text(pdf)
    for expected_text in ("儿童羽绒服（九成新）", "搪瓷脸盆", "¥35.00", "¥2.00", "YL01", "YL01-000000"):
        assert expected_text in text


def test_single_labels_decode_one_per_page():
    labels = make_labels(6)
    pages = _decoded(p.render_label(labels))
    assert [[code for _, code in page] for page in pages] == [[x.code] for x in labels]


def test_single_labels_decode_at_200_dpi():
    labels = make_labels(3)
    pages = _decoded(p.render_label(labels), dpi=200)
    assert [[code for _, code in page] for page in pages] == [[x.code] for x in labels]


def test_long_names_are_cut_to_two_lines():
    (label,) = [x for x in make_labels(4) if x.code == "YL01-000003"]
    text = pdfcheck.text(p.render_label([label]))
    assert "…" in text
    assert label.name not in text.replace("\r\n", "").replace("\n", "")


def test_layout_skip_and_size_are_configurable():
    layout = p.SheetLayout(cols=2, rows=5, skip=3, outlines=True)
    pages = _decoded(p.render_label_sheet(make_labels(9), layout=layout))
    assert [len(page) for page in pages] == [7, 2]


def test_bad_codes_are_refused():
    base = "690123456789"
    wrong = str((int(ean13_check_digit(base)) + 1) % 10)
    with pytest.raises(ValueError, match="check digit"):
        p.LabelData(base + wrong, "水", 200, "YL01", "ean13")
    with pytest.raises(ValueError):
        p.LabelData("6901234", "水", 200, "YL01", "ean13")
    with pytest.raises(ValueError):
        p.LabelData("衣服-01", "水", 200, "YL01")
    with pytest.raises(ValueError):
        p.LabelData("X1", "水", 200, "YL01", "qr")


def test_a_code_too_long_for_the_label_is_refused():
    with pytest.raises(ValueError, match="too long"):
        p.render_label([p.LabelData("YL01-ABCDEFGHIJKLMNOP", "水", 200, "YL01")])


def test_empty_input_and_impossible_layouts_are_refused():
    with pytest.raises(ValueError):
        p.render_label_sheet([])
    with pytest.raises(ValueError):
        p.render_label([])
    with pytest.raises(ValueError):
        p.SheetLayout(skip=24)
    with pytest.raises(ValueError):
        p.render_label_sheet(make_labels(1), layout=p.SheetLayout(margin_left_mm=150, margin_right_mm=60))
