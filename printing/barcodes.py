"""Barcodes drawn as vectors: Code 128, EAN-13 and QR.

The libraries encode (reportlab's Code128 with its switch to set C for digit runs, python-barcode's EAN-13,
reportlab's QR widget); we turn the result into bars in module units once per code and draw them as one filled
path at the module width the space allows. That is sharp at any resolution and much faster than building a
reportlab Drawing and going through renderPDF for each of a thousand labels.

Module width: at least 0.25 mm (2 pixels at 200 dpi, 2 dots on a 203-dpi thermal printer), at most 0.33 mm,
with a 10-module quiet zone each side (EAN-13: 11 left, 7 right). A code too long for its space raises
ValueError rather than printing something a scanner can't read.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from functools import lru_cache

from barcode import EAN13
from reportlab.graphics.barcode import createBarcodeDrawing
from reportlab.graphics.barcode.code128 import Code128
from reportlab.graphics.shapes import Rect
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from printing.layout import mm

MIN_MODULE_MM = 0.25
MAX_MODULE_MM = 0.33
_EAN13_GUARDS = frozenset({0, 2, 46, 48, 92, 94})  # module positions of the start, centre and end guard bars


def gtin_check_digit(body: str) -> int:
    """GS1 check digit for the digits before it (EAN-13 body of 12, UPC-A body of 11, EAN-8 body of 7): weights
    3, 1, 3, … from the right. The one implementation (the catalog's codes use it too)."""
    total = sum(int(ch) * (3 if i % 2 == 0 else 1) for i, ch in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def ean13_check_digit(first12: str) -> str:
    """Check digit for the first 12 digits of an EAN-13."""
    if len(first12) != 12 or not first12.isascii() or not first12.isdigit():
        raise ValueError("EAN-13 needs 12 digits before the check digit")
    return str(gtin_check_digit(first12))


def validate_code(symbology: str, code: str) -> None:
    """Raise ValueError unless `code` can be printed in `symbology` ("code128" or "ean13")."""
    if symbology == "ean13":
        if len(code) != 13 or not code.isascii() or not code.isdigit():
            raise ValueError(f"EAN-13 code must be 13 digits: {code!r}")
        if ean13_check_digit(code[:12]) != code[12]:
            raise ValueError(f"EAN-13 check digit is wrong: {code!r}")
    elif symbology == "code128":
        if not code or not all(32 <= ord(ch) < 127 for ch in code):
            raise ValueError(f"Code 128 code must be printable ASCII: {code!r}")
    else:
        raise ValueError(f"unknown symbology {symbology!r}; use 'code128' or 'ean13'")


@dataclass(frozen=True)
class Bars:
    """A linear barcode in module units: `bars` are (x, width, is_guard); `modules` excludes quiet zones."""

    modules: int
    bars: tuple[tuple[int, int, bool], ...]
    quiet_left: int
    quiet_right: int


def _rects(node, out: list[tuple[float, float, float, float]]) -> list[tuple[float, float, float, float]]:
    """Filled rectangles of a reportlab drawing or widget, recursively."""
    if isinstance(node, Rect):
        if node.fillColor is not None and node.width > 0:
            out.append((node.x, node.y, node.width, node.height))
    elif hasattr(node, "contents"):
        for child in node.contents:
            _rects(child, out)
    elif hasattr(node, "draw"):  # barcode widgets build their shapes in draw()
        _rects(node.draw(), out)
    return out


def _bars_of(modules: str) -> tuple[tuple[int, int], ...]:
    """(start, width) of each run of dark modules in a "1010…" module string."""
    bars = []
    start = None
    for i, m in enumerate(modules + "0"):
        if m == "1" and start is None:
            start = i
        elif m == "0" and start is not None:
            bars.append((start, i - start))
            start = None
    return tuple(bars)


def _code128_modules(code: str) -> str:
    # reportlab's Code128 encoder (with its switch to set C for runs of digits); its `decomposed` spells each
    # element as a letter: upper case = bar, lower case = space, A/a = one module wide, B/b = two, …
    symbol = Code128(code, quiet=0, barWidth=1)
    symbol.validate()
    symbol.encode()
    symbol.decompose()
    return "".join(("1" if e.isupper() else "0") * (ord(e.lower()) - 96) for e in symbol.decomposed)


def _ean13_modules(code: str) -> str:
    # python-barcode's EAN-13: reportlab has EAN-13 only as a graphics widget that builds validated shapes
    # (~4 ms a code, too slow for a thousand labels); this is the same encoding as a plain module string.
    return EAN13(code[:12]).build()[0]  # the check digit (validated already) is computed again from the 12


@lru_cache(maxsize=4096)  # pure function of the code: label runs repeat codes (copies of one item)
def bar_pattern(symbology: str, code: str) -> Bars:
    """Bars of `code`, validated first."""
    validate_code(symbology, code)
    if symbology == "ean13":
        modules = _ean13_modules(code)
        bars = tuple((x, w, x in _EAN13_GUARDS) for x, w in _bars_of(modules))
        return Bars(len(modules), bars, 11, 7)
    modules = _code128_modules(code)
    return Bars(len(modules), tuple((x, w, False) for x, w in _bars_of(modules)), 10, 10)


def module_for(bars: Bars, max_width: float) -> float:
    """Module width in points that fits `bars` and its quiet zones into `max_width` points."""
    total = bars.modules + bars.quiet_left + bars.quiet_right
    module = min(mm(MAX_MODULE_MM), max_width / total)
    if module < mm(MIN_MODULE_MM) - 1e-9:
        need = total * MIN_MODULE_MM
        has = max_width / mm(1)
        raise ValueError(f"barcode too long to print readably: needs {need:.1f} mm, has {has:.1f} mm")
    return module


def draw_linear(
    canvas: Canvas,
    symbology: str,
    code: str,
    box: tuple[float, float, float, float],
    *,
    font: str,
    font_size: float,
) -> None:
    """Draw `code` centred in `box` (x, y, width, height, in points) with its human-readable text underneath."""
    x, y, width, height = box
    bars = bar_pattern(symbology, code)
    module = module_for(bars, width)
    text_h = font_size * 1.1
    total = module * (bars.modules + bars.quiet_left + bars.quiet_right)
    left = x + (width - total) / 2 + module * bars.quiet_left  # first bar, after the left quiet zone
    bar_bottom = y + text_h
    path = canvas.beginPath()
    for bx, bw, guard in bars.bars:
        # EAN-13 guard bars run down between the digit groups, as on retail packaging
        bottom = y + text_h * 0.45 if guard else bar_bottom
        path.rect(left + bx * module, bottom, bw * module, y + height - bottom)
    canvas.setFillGray(0)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.setFont(font, font_size)
    base = y + text_h * 0.2
    if symbology == "ean13":
        canvas.drawRightString(left - 2 * module, base, code[0])
        canvas.drawCentredString(left + 24 * module, base, code[1:7])
        canvas.drawCentredString(left + 71 * module, base, code[7:])
    else:
        span = bars.modules * module
        size = min(font_size, font_size * span / max(stringWidth(code, font, font_size), 1))
        canvas.setFont(font, size)
        canvas.drawCentredString(left + span / 2, base, code)


@lru_cache(maxsize=1024)
def qr_pattern(code: str) -> tuple[tuple[float, float, float, float], ...]:
    """QR modules of `code` (error correction M) as rectangles in a unit square, without the quiet zone."""
    if not code:
        raise ValueError("QR code needs a value")
    drawing = createBarcodeDrawing("QR", value=code, barWidth=1, barHeight=1, barBorder=0, barLevel="M")
    return tuple(_rects(drawing, []))


def draw_qr(canvas: Canvas, code: str, x: float, y: float, size: float) -> None:
    """Draw the QR code of `code` as a `size`-point square at (x, y); leave 4 modules of white around it."""
    path = canvas.beginPath()
    for rx, ry, rw, rh in qr_pattern(code):
        path.rect(x + rx * size, y + ry * size, rw * size, rh * size)
    canvas.setFillGray(0)
    canvas.drawPath(path, stroke=0, fill=1)


def barcode_svg(symbology: str, code: str, *, height: int = 50) -> str:
    """The bars of `code` as a small SVG for screens (module units with quiet zones, scales to any width);
    EAN-13 guard bars run a little longer, as printed. The digits are left to the page."""
    bars = bar_pattern(symbology, code)
    total = bars.quiet_left + bars.modules + bars.quiet_right
    rects = "".join(f'<rect x="{bars.quiet_left + x}" y="0" width="{w}" height="{height + 5 if guard else height}"/>'
                    for x, w, guard in bars.bars)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {total} {height + 5}" role="img" '
            f'aria-label="{escape(code)}" preserveAspectRatio="none"><rect width="{total}" height="{height + 5}" '
            f'fill="#fff"/><g fill="#000">{rects}</g></svg>')


def qr_svg(code: str) -> str:
    """The QR code of `code` as a small SVG for screens (unit modules, 2 modules of white around, scales with
    CSS), drawn from the same modules as the printed cards."""
    rects = qr_pattern(code)
    modules = round(1 / min(w for _x, _y, w, _h in rects)) if rects else 21
    border = 2
    size = modules + 2 * border
    # qr_pattern's unit square has y going up (PDF); SVG's goes down.
    body = "".join(f'<rect x="{border + x * modules:g}" y="{border + (1 - y - h) * modules:g}" '
                   f'width="{w * modules:g}" height="{h * modules:g}"/>' for x, y, w, h in rects)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" role="img" '
            f'aria-label="{escape(code)}" shape-rendering="crispEdges"><rect width="{size}" height="{size}" '
            f'fill="#fff"/><g fill="#000">{body}</g></svg>')
