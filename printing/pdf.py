"""Canvas settings every document shares.

`invariant=1` makes the bytes depend only on the input (no timestamps or random IDs), `pageCompression=1` keeps a
thousand labels small, and starting in the embedded CJK font keeps reportlab from declaring an unembedded
Helvetica that nothing uses.
"""

from __future__ import annotations

from typing import BinaryIO

from reportlab.pdfgen.canvas import Canvas

from printing.fonts import register_cjk_fonts


def canvas_options(font: str | None = None) -> dict:
    """Keyword arguments for reportlab's Canvas and platypus doc templates (`font`: default regular CJK)."""
    return {"invariant": 1, "pageCompression": 1, "initialFontName": font or register_cjk_fonts().regular}


def new_canvas(out: BinaryIO, pagesize: tuple[float, float], title: str, *, font: str | None = None) -> Canvas:
    """A Canvas writing to `out` with the shared settings and a document title."""
    canvas = Canvas(out, pagesize=pagesize, **canvas_options(font))
    canvas.setTitle(title)
    return canvas
