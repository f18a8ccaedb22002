"""Reading PDFs back in tests: text with pypdfium2, pages as images, barcodes with zxing-cpp."""

from __future__ import annotations

import pypdfium2 as pdfium
import zxingcpp
from PIL import Image

FORMATS = (zxingcpp.BarcodeFormat.Code128, zxingcpp.BarcodeFormat.EAN13, zxingcpp.BarcodeFormat.QRCode)


def page_texts(pdf: bytes) -> list[str]:
    """Extracted text of each page."""
    assert pdf.startswith(b"%PDF-")
    doc = pdfium.PdfDocument(pdf)
    try:
        return [page.get_textpage().get_text_range() for page in doc]
    finally:
        doc.close()


def text(pdf: bytes) -> str:
    """All extracted text, pages joined."""
    return "\n".join(page_texts(pdf))


def images(pdf: bytes, dpi: int = 300) -> list[Image.Image]:
    """Each page rendered in greyscale at `dpi`."""
    doc = pdfium.PdfDocument(pdf)
    try:
        return [page.render(scale=dpi / 72, grayscale=True).to_pil() for page in doc]
    finally:
        doc.close()


def decode(image: Image.Image) -> list[tuple[str, str]]:
    """(format name, text) of every Code 128, EAN-13 and QR code found in `image`."""
    return [(r.format.name, r.text) for r in zxingcpp.read_barcodes(image, formats=FORMATS)]
