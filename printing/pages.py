"""Paged documents (A4/A5) with reportlab platypus: shared styles, tables and the running head and foot.

Every page carries the store, the serial number and the time at its foot, with "第 x 页 / 共 n 页"; the page
total is only known at the end, so the canvas keeps each page until `save` and numbers them then.
"""

from __future__ import annotations

import io
from functools import partial
from dataclasses import dataclass
from typing import Sequence
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Table, TableStyle

from printing.fonts import CJKFonts, register_cjk_fonts
from printing.layout import fit_lines, mm
from printing.pdf import canvas_options


@dataclass(frozen=True)
class PageFrame:
    """What every page shows: `store` and `serial_no` at the head, `time_text` at the foot, and an optional
    `mark` (补打) stamped at the top right."""

    title: str
    store: str
    serial_no: str
    time_text: str
    mark: str = ""


class Styles:
    """Paragraph styles in the CJK font; Chinese wraps between any characters (wordWrap="CJK")."""

    def __init__(self, fonts: CJKFonts) -> None:
        f = fonts.regular
        self.font = f
        self.title = ParagraphStyle("title", fontName=f, fontSize=18, leading=24, alignment=TA_CENTER,
                                    spaceAfter=mm(3))
        self.body = ParagraphStyle("body", fontName=f, fontSize=10.5, leading=15, wordWrap="CJK")
        self.small = ParagraphStyle("small", parent=self.body, fontSize=9, leading=12)
        self.cell = ParagraphStyle("cell", parent=self.body, fontSize=9.5, leading=12.5)
        self.cell_center = ParagraphStyle("cell_c", parent=self.cell, alignment=TA_CENTER)
        self.cell_right = ParagraphStyle("cell_r", parent=self.cell, alignment=TA_RIGHT)
        self.head = ParagraphStyle("head", parent=self.cell, alignment=TA_CENTER)


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A Paragraph of plain text (escaped: item names may contain & or <)."""
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def grid_table(rows: Sequence[Sequence[object]], widths_mm: Sequence[float], *, repeat_header: bool = True,
               min_row_height_mm: float | None = None, extra: Sequence[tuple] = ()) -> Table:
    """A ruled table whose first row is a grey header, repeated on every page it spans."""
    heights = None
    if min_row_height_mm is not None:
        heights = [None] + [mm(min_row_height_mm)] * (len(rows) - 1)
    table = Table(list(rows), colWidths=[mm(w) for w in widths_mm], rowHeights=heights,
                  repeatRows=1 if repeat_header else 0)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), register_cjk_fonts().regular),  # for plain-string cells (Helvetica else)
        ("GRID", (0, 0), (-1, -1), 0.5, (0, 0, 0)),
        ("BACKGROUND", (0, 0), (-1, 0), (0.9, 0.9, 0.9)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        *extra,
    ]))
    return table


def _canvas_class(frame: PageFrame, font: str) -> type[Canvas]:
    class NumberedCanvas(Canvas):
        """Holds pages back until save() so each foot can say how many pages there are."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._saved_pages: list[dict] = []

        def showPage(self):
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._saved_pages)
            for number, state in enumerate(self._saved_pages, 1):
                self.__dict__.update(state)
                self._decorate(number, total)
                Canvas.showPage(self)
            Canvas.save(self)

        def _decorate(self, number: int, total: int) -> None:
            width, height = self._pagesize
            left, right = mm(15), width - mm(15)
            self.setFillGray(0.25)
            self.setFont(font, 8.5)
            foot = f"编号 {frame.serial_no} · {frame.time_text} · {frame.title}"  # a long title gets cut, not these
            for y, left_text, right_text in (
                (height - mm(10), frame.store, f"编号 {frame.serial_no}"),
                (mm(8), foot, f"第 {number} 页 / 共 {total} 页"),
            ):
                # the left text gives way (cut with …) so it never runs into the right one
                room = right - left - self.stringWidth(right_text, font, 8.5) - mm(5)
                measure = partial(stringWidth, fontName=font, fontSize=8.5)
                self.drawString(left, y, fit_lines(left_text, room, measure, 1)[0])
                self.drawRightString(right, y, right_text)
            self.setLineWidth(0.4)
            self.setStrokeGray(0.5)
            self.line(left, height - mm(11.5), right, height - mm(11.5))
            self.line(left, mm(11.5), right, mm(11.5))
            if frame.mark:
                self.setFillGray(0)
                self.setStrokeGray(0)
                self.setLineWidth(1.5)
                self.setFont(font, 16)
                w = self.stringWidth(frame.mark, font, 16) + mm(6)
                self.rect(right - w, height - mm(24), w, mm(10), stroke=1, fill=0)
                self.drawCentredString(right - w / 2, height - mm(21.5), frame.mark)
            self.setFillGray(0)
            self.setStrokeGray(0)

    return NumberedCanvas


def build_document(story: list, frame: PageFrame, *, pagesize: tuple[float, float] = A4) -> bytes:
    """Lay out `story` on as many pages as it needs, with the running head and foot; return the PDF."""
    fonts = register_cjk_fonts()
    buf = io.BytesIO()
    margin = mm(15)
    doc = BaseDocTemplate(buf, pagesize=pagesize, title=frame.title, author=frame.store, **canvas_options())
    # no frame padding: tables of 180 mm then fill A4 exactly between 15 mm margins
    body = Frame(margin, margin, pagesize[0] - 2 * margin, pagesize[1] - 2 * margin, leftPadding=0,
                 rightPadding=0, topPadding=mm(1), bottomPadding=0)
    doc.addPageTemplates([PageTemplate("page", [body])])
    doc.build(story, canvasmaker=_canvas_class(frame, fonts.regular))
    return buf.getvalue()


def styles() -> Styles:
    """Styles bound to the registered CJK font."""
    return Styles(register_cjk_fonts())
