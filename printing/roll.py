"""Drawing on a receipt roll (58 mm or 80 mm), shared by the till receipt, the Z report and the aid slip.

Roll documents are composed as text on a character grid, like a thermal printer's own font: 32 columns on
58 mm paper (48 mm printable), 48 columns on 80 mm (72 mm printable); a Chinese character takes two columns.
Drawing keeps to that grid exactly: each run of characters is squeezed or stretched horizontally (PDF Tz) to its
columns' width, so a composed line never overflows the printable width, whatever the glyph metrics.
The page is as tall as its content.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Sequence, Union

from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from printing.fonts import register_cjk_fonts
from printing.layout import center, char_width, mm, text_width, wrap_text
from printing.pdf import new_canvas

# paper width mm -> (printable width mm, columns)
ROLLS = {58: (48, 32), 80: (72, 48)}
_TOP_MM = 4
_BOTTOM_MM = 10  # room to tear off below the last line


def roll_columns(width_mm: int) -> int:
    """Columns of text on a roll of `width_mm` paper; ValueError for anything but 58 or 80."""
    if width_mm not in ROLLS:
        raise ValueError(f"roll width must be 58 or 80 mm, got {width_mm!r}")
    return ROLLS[width_mm][1]


@dataclass(frozen=True)
class RollLine:
    """One line of text. style: "plain"; "big" (double width and height, so at most half the columns);
    "inverse" (big, white on a black band: 副本, 作废)."""

    text: str
    style: str = "plain"


@dataclass(frozen=True)
class RollBox:
    """A framed area the width of the roll: a signature image fitted inside, or empty for a pen signature."""

    height_mm: int
    image_png: bytes | None = None


RollItem = Union[RollLine, RollBox]


def big_lines(text: str, columns: int, style: str = "big") -> list[RollLine]:
    """Centred double-size lines (each big character takes twice the columns)."""
    half = columns // 2
    return [RollLine(center(part, half), style) for part in wrap_text(text, half)]


def plain(lines: Sequence[str]) -> list[RollLine]:
    """Plain lines as given."""
    return [RollLine(line) for line in lines]


def _runs(text: str) -> list[str]:
    """Split a line into runs of characters of the same column width (spaces included, as one column)."""
    runs: list[str] = []
    kind = None
    for ch in text:
        width = char_width(ch)
        if runs and (width == kind or width == 0):  # a combining mark stays with the character it marks
            runs[-1] += ch
        else:
            runs.append(ch)
            kind = width
    return runs


def _draw_grid_text(canvas: Canvas, text: str, x: float, y: float, cell: float, font: str, size: float) -> None:
    """Draw `text` on the grid: each run is scaled to exactly its columns × `cell` points.

    One text object per line, so the runs follow each other without repositioning and text extraction reads
    the line as written (no stray spaces between runs).
    """
    t = canvas.beginText(x, y)
    t.setFont(font, size)
    for run in _runs(text):
        natural = stringWidth(run, font, size)
        target = text_width(run) * cell
        t.setHorizScale(100 * target / natural if natural > 0 else 100)
        t.textOut(run)
    canvas.drawText(t)


def _line_height(style: str, size: float) -> float:
    return size * (2.5 if style != "plain" else 1.25)


def _item_height(item: RollItem, size: float) -> float:
    if isinstance(item, RollBox):
        return mm(item.height_mm) + size * 0.5
    return _line_height(item.style, size)


@dataclass(frozen=True)
class _Grid:
    """Where the text grid sits on the page, in points."""

    left: float
    width: float
    columns: int
    cell: float
    size: float
    font: str


def render_roll(items: Sequence[RollItem], *, width_mm: int, title: str) -> bytes:
    """Draw `items` top to bottom on one page `width_mm` wide and as tall as needed; return the PDF."""
    columns = roll_columns(width_mm)
    fonts = register_cjk_fonts()
    printable = mm(ROLLS[width_mm][0])
    cell = printable / columns
    # a Chinese glyph is one em wide = two columns
    grid = _Grid((mm(width_mm) - printable) / 2, printable, columns, cell, 2 * cell, fonts.mono)
    height = mm(_TOP_MM + _BOTTOM_MM) + sum(_item_height(i, grid.size) for i in items)
    buf = io.BytesIO()
    canvas = new_canvas(buf, (mm(width_mm), height), title, font=fonts.mono)
    y = height - mm(_TOP_MM)
    for item in items:
        h = _item_height(item, grid.size)
        if isinstance(item, RollBox):
            _draw_box(canvas, item, grid, y)
        else:
            _draw_line(canvas, item, grid, y, h)
        y -= h
    canvas.showPage()
    canvas.save()
    return buf.getvalue()


def _draw_line(canvas: Canvas, item: RollLine, grid: _Grid, y: float, h: float) -> None:
    scale = 1 if item.style == "plain" else 2
    limit = grid.columns // scale
    if text_width(item.text) > limit:  # composers wrap every line; a wider one is a bug, not something to print
        raise ValueError(f"roll line wider than {limit} columns: {item.text!r}")
    if item.style == "inverse":
        canvas.rect(grid.left, y - h * 0.95, grid.width, h * 0.9, stroke=0, fill=1)
        canvas.setFillGray(1)
    _draw_grid_text(canvas, item.text, grid.left, y - h * 0.72, grid.cell * scale, grid.font, grid.size * scale)
    canvas.setFillGray(0)


def _draw_box(canvas: Canvas, box: RollBox, grid: _Grid, y: float) -> None:
    y -= grid.size * 0.25
    h = mm(box.height_mm)
    canvas.setLineWidth(0.6)
    canvas.rect(grid.left, y - h, grid.width, h, stroke=1, fill=0)
    if box.image_png:
        try:
            image = ImageReader(io.BytesIO(box.image_png))
            iw, ih = image.getSize()
        except Exception as exc:  # PIL raises several kinds for bad bytes
            raise ValueError("signature image is not a readable PNG") from exc
        pad = mm(1)
        scale = min((grid.width - 2 * pad) / iw, (h - 2 * pad) / ih)
        w, hh = iw * scale, ih * scale
        canvas.drawImage(image, grid.left + (grid.width - w) / 2, y - h + (h - hh) / 2, w, hh, mask="auto")
