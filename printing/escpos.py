"""Till receipts, Z reports and price labels as ESC/POS bytes for the network thermal printers of Chinese shops.

The same plain data as the PDFs (printing.data) and the same character grid (printing.roll): a receipt is
composed once by `compose_receipt` and either drawn as a PDF or sent as printer commands, so both read alike,
32 columns on 58 mm paper and 48 on 80 mm, a Chinese character counting two.

Chinese text: python-escpos 3.x writes text through its "magic" encoder, which sends a string as GB18030 only when
it holds a character of U+4E00–U+9FA5 and otherwise switches single-byte code pages (ESC t n). On a printer in
Chinese mode those single-byte pages break a line like "¥12.00" or "（副本）" (their high bytes are read as GB
lead bytes), so every text line here is encoded by us in GB18030 and sent raw, after ESC @ and FS & (the
printer's Chinese/Kanji mode) at the start of each job. python-escpos builds the commands (sizes, inversion,
barcode, cut) on its Dummy printer. Double size is GS ! (character size), which the printers apply to Chinese
characters as well; ESC ! (what `set(double_width=…)` sends) enlarges only the single-byte ones.
"""

from __future__ import annotations

from typing import Sequence

from escpos.printer import Dummy

from printing.data import LabelData, ReceiptData, ZReportData
from printing.layout import center, left_right, money_text, text_width, wrap_text
from printing.receipt import compose_receipt, cut_line
from printing.roll import RollBox, RollItem, RollLine, roll_columns
from printing.z_report import compose_z_report

ENCODING = "gb18030"
INIT = b"\x1b@"  # ESC @: forget any style a previous job left
CHINESE_MODE = b"\x1c&"  # FS &: two-byte (GB) characters on
_BOX_LINE_MM = 4  # roughly one text line of a 58/80 mm printer's font A with its line spacing


class _Job:
    """One print job being written: text lines in GB18030, commands from python-escpos."""

    def __init__(self, columns: int) -> None:
        self.columns = columns
        self.printer = Dummy()
        self.printer._raw(INIT + CHINESE_MODE)

    def line(self, text: str) -> None:
        self.printer._raw(text.encode(ENCODING) + b"\n")

    def big(self, text: str, *, inverse: bool = False) -> None:
        if inverse:
            self.printer.set(invert=True)
        self.printer.set(custom_size=True, width=2, height=2)
        self.line(text)
        self.printer.set(custom_size=True, width=1, height=1)
        if inverse:
            self.printer.set(invert=False)

    def box(self, height_mm: int) -> None:
        """A frame to sign in (a thermal printer has no signature image to print)."""
        inner = self.columns - 2
        self.line("+" + "-" * inner + "+")
        for _ in range(max(1, height_mm // _BOX_LINE_MM)):
            self.line("|" + " " * inner + "|")
        self.line("+" + "-" * inner + "+")

    def items(self, items: Sequence[RollItem]) -> None:
        for item in items:
            if isinstance(item, RollBox):
                self.box(item.height_mm)
            elif item.style == "plain":
                self.line(item.text)
            else:
                self.big(item.text, inverse=item.style == "inverse")

    def barcode(self, code: str, symbology: str) -> None:
        # _hw_barcode rather than barcode(): the latter prints its choice of renderer to stdout. Code 128 needs
        # its code set named ({B: letters and digits as typed).
        if symbology == "ean13":
            self.printer._hw_barcode(code, "EAN13", height=64, width=2, pos="BELOW", font="A", align_ct=True,
                                     function_type="B", check=True)
        else:
            self.printer._hw_barcode("{B" + code, "CODE128", height=64, width=2, pos="BELOW", font="A",
                                     align_ct=True, function_type="B", check=True)
        self.printer.set(align="left")

    def cut(self) -> bytes:
        self.printer.cut()
        return self.printer.output


def receipt_escpos(data: ReceiptData, *, width_mm: int = 58) -> bytes:
    """The till receipt for a 58 or 80 mm ESC/POS printer: the PDF's lines, the store name double size, a cut.

    The PDF's tear-off line is left out: the printer cuts.
    """
    columns = roll_columns(width_mm)
    tear = cut_line(columns)
    job = _Job(columns)
    job.items([i for i in compose_receipt(data, columns) if not (isinstance(i, RollLine) and i.text == tear)])
    return job.cut()


def z_report_escpos(data: ZReportData, *, width_mm: int = 80) -> bytes:
    """The Z (or X) report for a 58 or 80 mm ESC/POS printer, with framed spaces for the two signatures."""
    columns = roll_columns(width_mm)
    job = _Job(columns)
    job.items(compose_z_report(data, columns))
    return job.cut()


def _label_lines(label: LabelData, columns: int) -> tuple[list[str], str, str]:
    """Name on at most two lines (cut with …), the price (printed double, so in half the columns), store code."""
    names = wrap_text(label.name, columns)
    if len(names) > 2:
        second = names[1]
        while text_width(second + "…") > columns:
            second = second[:-1]
        names = [names[0], second + "…"]
    return names, center(money_text(label.price_fen), columns // 2), left_right("", label.store_code, columns)[0]


def labels_escpos(labels: Sequence[LabelData], *, width_mm: int = 58) -> bytes:
    """Price labels for a label printer that speaks ESC/POS: name, price (double size), store code, the barcode
    printed by the printer, and a cut after each label. ValueError if `labels` is empty."""
    if not labels:
        raise ValueError("no labels to print")
    columns = roll_columns(width_mm)
    job = _Job(columns)
    for label in labels:
        names, price, store = _label_lines(label, columns)
        for name in names:
            job.line(name)
        job.big(price)
        job.line(store)
        job.barcode(label.code, label.symbology)
        job.printer.cut()
    return job.printer.output
