"""ESC/POS bytes: GB18030 text in Chinese mode, the store name double size, the grid's columns, a cut at the end."""

from __future__ import annotations

import re

import pytest

import printing as p
from printing.escpos import CHINESE_MODE, INIT
from printing.layout import text_width
from printing.receipt import receipt_lines

from .samples import LONG_NAME, make_receipt, make_z_report

DOUBLE = b"\x1d!\x11"  # GS ! : double width and height, Chinese characters included
NORMAL = b"\x1d!\x00"
FULL_CUT = b"\x1dV\x00"
# Every command the renderer sends, so what is left is the printed text.
COMMANDS = re.compile(rb"\x1b@|\x1c&|\x1d!.|\x1dB.|\x1ba.|\x1bd.|\x1dV.|\x1dh.|\x1dw.|\x1df.|\x1dH.|\x1dk..",
                      re.DOTALL)


def text_of(data: bytes) -> list[str]:
    """The printed lines: commands removed, the rest read as GB18030 (barcode data ends at its length byte)."""
    plain = COMMANDS.sub(b"", _without_barcodes(data))
    return plain.decode("gb18030").split("\n")


def _without_barcodes(data: bytes) -> bytes:
    out, i = bytearray(), 0
    while True:
        j = data.find(b"\x1dk", i)
        if j < 0:
            return bytes(out + data[i:])
        length = data[j + 3]
        out += data[i:j]
        i = j + 4 + length


def test_receipt_is_gb18030_text_in_chinese_mode_with_every_pdf_line():
    data = make_receipt(payments=(p.ReceiptPayment("微信支付", 4600, reference="4200001234202611270007"),),
                        change_fen=0, store_phone="0731-8888 1234")
    out = p.receipt_escpos(data, width_mm=58)
    assert out.startswith(INIT + CHINESE_MODE)
    printed = text_of(out)
    for line in receipt_lines(data, 32)[:-1]:  # all but the tear-off line: the printer cuts instead
        assert line in printed
    assert "沿此线撕下" not in "".join(printed)
    joined = "\n".join(printed)
    # double size on 58 mm: eight Chinese characters a line, the name goes on two
    assert "长沙市雨花区爱心慈善超市" in "".join(line.strip() for line in printed)
    for text in ("搪瓷脸盆", "¥46.00", "YL01-20261127-0007", "4200001234202611270007",
                 "0731-8888 1234"):
        assert text in joined
    # GB18030, not UTF-8: 慈 is B4 C8
    assert "慈".encode("gb18030") in out and "慈".encode("utf-8") not in out


def test_store_name_is_double_size_and_the_rest_normal():
    out = p.receipt_escpos(make_receipt(), width_mm=80)
    name = "长沙市雨花区爱心慈善超市".encode("gb18030")
    before = out[:out.index(name)]
    assert before.endswith(DOUBLE) or DOUBLE in before[-8:]
    after = out[out.index(name):]
    assert after.index(NORMAL) < after.index("单号".encode("gb18030"))


def test_reprint_prints_copy_inverted_and_double():
    out = p.receipt_escpos(make_receipt(reprint=True), width_mm=58)
    copy = "副本".encode("gb18030")
    assert copy in out
    head = out[:out.index(copy)]
    assert b"\x1dB\x01" in head[-12:] and DOUBLE in head[-12:]
    assert "副本" in "".join(text_of(out))
    assert "副本" not in "".join(text_of(p.receipt_escpos(make_receipt(), width_mm=58)))


def test_ends_with_a_cut():
    for out in (p.receipt_escpos(make_receipt()), p.z_report_escpos(make_z_report())):
        assert out.endswith(FULL_CUT)
        assert out.count(FULL_CUT) == 1


@pytest.mark.parametrize("width_mm, columns", [(58, 32), (80, 48)])
def test_lines_keep_to_the_columns_with_chinese_counting_two(width_mm, columns):
    data = make_receipt(lines=(p.ReceiptLine(LONG_NAME, 3, 12345, 37035), p.ReceiptLine("搪瓷脸盆", 2, 550, 1100)),
                        total_fen=38135, payments=(p.ReceiptPayment("现金", 40000),), change_fen=1865,
                        store_address="长沙市雨花区韶山中路 123 号爱心大楼一楼东侧")
    out = p.receipt_escpos(data, width_mm=width_mm)
    printed = [line for line in text_of(out) if line]
    assert max(text_width(line) for line in printed) == columns  # the rules fill the width exactly
    # the double-size lines fit in half the columns
    big = out.split(DOUBLE)[1].split(b"\n")[0].decode("gb18030")
    assert text_width(big) <= columns // 2
    # the long name was wrapped as on the PDF, not cut: the PDF's lines, in order, all printed
    expected = [line for line in receipt_lines(data, columns)[:-1] if line]
    assert [line for line in printed if line in expected] == expected
    assert any(line.startswith(LONG_NAME[-3:]) or LONG_NAME[-3:] in line for line in printed)


def test_z_report_has_its_figures_and_signature_frames():
    out = p.z_report_escpos(make_z_report(), width_mm=58)
    printed = text_of(out)
    joined = "\n".join(printed)
    for text in ("班结报表 (Z)", "YL01-S-20261127-02", "¥685.50", "¥684.50", "-¥1.00", "义卖 41 笔", "王*芳"):
        assert text in joined
    frames = [line for line in printed if line.startswith("+")]
    assert len(frames) == 4 and all(text_width(f) == 32 for f in frames)
    assert max(text_width(line) for line in printed) <= 32
    assert "班中报表 (X)" in "\n".join(text_of(p.z_report_escpos(make_z_report(interim=True))))


def test_labels_print_name_price_and_a_printer_barcode_each_cut():
    labels = [p.LabelData("YL01-000058", "搪瓷脸盆", 550, "YL01"),
              p.LabelData("6901234567892", LONG_NAME, 12345, "YL01", symbology="ean13")]
    out = p.labels_escpos(labels, width_mm=58)
    assert out.count(FULL_CUT) == 2 and out.endswith(FULL_CUT)
    assert b"\x1dkI\x0d{BYL01-000058" in out  # Code 128, code set B, typed as is
    assert b"\x1dkC\x0d6901234567892" in out
    printed = text_of(out)
    assert "搪瓷脸盆" in printed and any(line.strip() == "¥5.50" for line in printed)
    long_lines = [line for line in printed if line.startswith(LONG_NAME[:4])]
    assert long_lines and all(text_width(line) <= 32 for line in printed)
    assert any(line.endswith("…") for line in printed)
    with pytest.raises(ValueError):
        p.labels_escpos([])


def test_other_roll_widths_are_refused():
    with pytest.raises(ValueError):
        p.receipt_escpos(make_receipt(), width_mm=76)
