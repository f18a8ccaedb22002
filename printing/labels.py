"""Price labels: A4 sheets (3 × 8 by default) and single 40 × 30 mm labels for a label printer.

Each label shows the item name (wrapped to two lines, cut with … if longer), the price, the store code and the
barcode with its human-readable code. Everything is sized from the label's own box, so the sheet and the single
label share one drawing function.
"""

from __future__ import annotations

import io
from functools import partial
from typing import Sequence

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from printing.barcodes import draw_linear
from printing.data import LabelData, SheetLayout
from printing.fonts import register_cjk_fonts
from printing.layout import fit_lines, mm, money_text
from printing.pdf import new_canvas

SINGLE_LABEL_MM = (40, 30)


def draw_label(canvas: Canvas, label: LabelData, x: float, y: float, width: float, height: float,
               font: str) -> None:
    """Draw one label in the box at (x, y) of `width` × `height` points."""
    pad = min(mm(2), height * 0.06)
    inner_w = width - 2 * pad
    name_size = min(9.0, height * 0.095)
    price_size = name_size * 1.5
    code_size = name_size * 0.8
    top = y + height - pad

    canvas.setFillGray(0)
    canvas.setFont(font, name_size)
    lines = fit_lines(label.name, inner_w, partial(stringWidth, fontName=font, fontSize=name_size), 2)
    for i, line in enumerate(lines):
        canvas.drawString(x + pad, top - name_size * (0.9 + 1.15 * i), line)
    top -= name_size * 1.15 * 2

    price = money_text(label.price_fen)
    canvas.setFont(font, price_size)
    price_base = top - price_size * 0.95
    canvas.drawString(x + pad, price_base, price)
    store_size = min(code_size, code_size * (inner_w - stringWidth(price, font, price_size) - mm(2))
                     / max(stringWidth(label.store_code, font, code_size), 1))
    canvas.setFont(font, store_size)
    canvas.drawRightString(x + width - pad, price_base, label.store_code)
    top = price_base - price_size * 0.35

    # the quiet zone may run into the padding: the label's own edge is blank paper
    bar_top = top - mm(0.5)
    bar_height = min(bar_top - (y + pad), mm(16))
    draw_linear(canvas, label.symbology, label.code, (x + mm(0.5), y + pad, width - mm(1), bar_height),
                font=font, font_size=code_size)


def _positions(layout: SheetLayout) -> list[tuple[float, float, float, float]]:
    """Label boxes of one sheet, row by row from the top left."""
    label_w = (layout.page_width_mm - layout.margin_left_mm - layout.margin_right_mm
               - (layout.cols - 1) * layout.gap_x_mm) / layout.cols
    label_h = (layout.page_height_mm - layout.margin_top_mm - layout.margin_bottom_mm
               - (layout.rows - 1) * layout.gap_y_mm) / layout.rows
    if label_w <= 0 or label_h <= 0:
        raise ValueError("sheet layout leaves no room for labels")
    boxes = []
    for row in range(layout.rows):
        for col in range(layout.cols):
            left = layout.margin_left_mm + col * (label_w + layout.gap_x_mm)
            top = layout.margin_top_mm + row * (label_h + layout.gap_y_mm)
            boxes.append((mm(left), mm(layout.page_height_mm - top - label_h), mm(label_w), mm(label_h)))
    return boxes


def render_label_sheet(labels: Sequence[LabelData], *, layout: SheetLayout = SheetLayout()) -> bytes:
    """A4 (or `layout`'s page) sheets of labels, as many pages as needed; ValueError if `labels` is empty."""
    if not labels:
        raise ValueError("no labels to print")
    font = register_cjk_fonts().regular
    boxes = _positions(layout)
    buf = io.BytesIO()
    canvas = new_canvas(buf, (mm(layout.page_width_mm), mm(layout.page_height_mm)),
                        f"标签 {labels[0].store_code} × {len(labels)}")
    slot = layout.skip
    for label in labels:
        if slot == len(boxes):
            canvas.showPage()
            slot = 0
        bx, by, bw, bh = boxes[slot]
        if layout.outlines:
            canvas.setStrokeGray(0.7)
            canvas.setLineWidth(0.3)
            canvas.rect(bx, by, bw, bh, stroke=1, fill=0)
        draw_label(canvas, label, bx, by, bw, bh, font)
        slot += 1
    canvas.showPage()
    canvas.save()
    return buf.getvalue()


def render_label(labels: Sequence[LabelData]) -> bytes:
    """Single 40 × 30 mm labels for a label printer, one label per page; ValueError if `labels` is empty."""
    if not labels:
        raise ValueError("no labels to print")
    font = register_cjk_fonts().regular
    w, h = mm(SINGLE_LABEL_MM[0]), mm(SINGLE_LABEL_MM[1])
    buf = io.BytesIO()
    canvas = new_canvas(buf, (w, h), f"标签 {labels[0].store_code} × {len(labels)}")
    for label in labels:
        draw_label(canvas, label, 0, 0, w, h, font)
        canvas.showPage()
    canvas.save()
    return buf.getvalue()
