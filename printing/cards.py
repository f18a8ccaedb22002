"""Credit-card-size cards (85.6 × 54 mm, ISO ID-1), one card per page: the resident's volunteer-points member
card and the aid household card. Both carry their code as a QR code (phone cameras, tablet cameras, 2D counter
scanners) and, when it fits the 53 mm beside the footer at a readable module width, as Code 128 (the counter's
keyboard-wedge scanner). A code too long for Code 128 (codes may be up to 32 characters, e.g. DEMO-RESIDENT-1
needs 55 mm) is printed as a larger QR code with the code in plain text beside it, never refused."""

from __future__ import annotations

import io
from functools import partial

from reportlab.pdfbase.pdfmetrics import stringWidth

from printing.barcodes import bar_pattern, draw_linear, draw_qr, module_for, validate_code
from printing.data import HouseholdCardData, MemberCardData
from printing.fonts import register_cjk_fonts
from printing.layout import fit_lines, mm
from printing.pdf import new_canvas

CARD_MM = (85.6, 54)
_PAD = mm(3.5)
_QR = mm(19)
_QR_LONG = mm(24)
_BAR_SHARE = 0.62  # of the card's width: the footer takes the rest of the bottom line


def fits_code128(code: str, width_mm: float = CARD_MM[0] * _BAR_SHARE) -> bool:
    """Whether `code` prints as Code 128 at a readable module width in the card's barcode space."""
    try:
        module_for(bar_pattern("code128", code), mm(width_mm))
    except ValueError:
        return False
    return True


def _fit(text: str, font: str, size: float, width: float) -> str:
    """`text` cut with … to `width` points."""
    return fit_lines(text, width, partial(stringWidth, fontName=font, fontSize=size), 1)[0]


def _card(title: str, issuer: tuple[str, str], fields: list[tuple[str, str]], code: str, *,
          footer: tuple[str, ...]) -> bytes:
    """Draw a card: title, issuer, labelled fields, QR at the top right, Code 128 along the bottom."""
    validate_code("code128", code)
    font = register_cjk_fonts().regular
    w, h = mm(CARD_MM[0]), mm(CARD_MM[1])
    buf = io.BytesIO()
    canvas = new_canvas(buf, (w, h), f"{title} {code}")
    # thin rounded outline: a cutting guide when printed on plain card stock
    canvas.setStrokeGray(0.6)
    canvas.setLineWidth(0.4)
    canvas.roundRect(mm(0.5), mm(0.5), w - mm(1), h - mm(1), mm(3), stroke=1, fill=0)

    linear = fits_code128(code)
    qr = _QR if linear else _QR_LONG
    text_w = w - 2 * _PAD - qr - mm(2)
    canvas.setFillGray(0)
    size = 12.5
    canvas.setFont(font, size)
    canvas.drawString(_PAD, h - _PAD - size * 0.85, title)
    canvas.setFont(font, 7)
    y = h - _PAD - size - mm(2.5)
    for line in issuer:
        canvas.drawString(_PAD, y, _fit(line, font, 7, text_w))
        y -= 8.5
    y -= mm(1)
    for label, value in fields:
        canvas.setFont(font, 7.5)
        canvas.setFillGray(0.35)
        canvas.drawString(_PAD, y, label)
        canvas.setFillGray(0)
        canvas.setFont(font, 9.5)
        canvas.drawString(_PAD + mm(13), y, _fit(value, font, 9.5, text_w - mm(13)))
        y -= 12
    draw_qr(canvas, code, w - _PAD - qr, h - _PAD - qr, qr)
    if linear:
        draw_linear(canvas, "code128", code, (_PAD, _PAD + mm(2.5), w * _BAR_SHARE, mm(11)), font=font,
                    font_size=7)
    else:
        # the whole code in plain text, shrunk to fit (32 characters: 7.8 pt): it is what a person types
        size = min(9.0, w * _BAR_SHARE / stringWidth(code, "Courier-Bold", 1))
        canvas.setFont("Courier-Bold", size)
        canvas.drawString(_PAD, _PAD + mm(6), code)
        canvas.setFont(font, 6.5)
        canvas.setFillGray(0.3)
        canvas.drawString(_PAD, _PAD + mm(2.5), "请扫描右上角二维码")
    canvas.setFont(font, 6.5)
    canvas.setFillGray(0.3)
    for i, line in enumerate(reversed(footer)):
        canvas.drawRightString(w - _PAD, _PAD + mm(2.5) + i * 8, _fit(line, font, 6.5, w * 0.3))
    canvas.showPage()
    canvas.save()
    return buf.getvalue()


def render_member_card(data: MemberCardData) -> bytes:
    """Volunteer-points member card (志愿服务积分卡) PDF."""
    return _card(
        "志愿服务积分卡",
        (data.issuer_name, f"{data.store_name}（{data.store_code}）"),
        [("姓名", data.name), ("卡号", data.member_code), ("发卡日期", data.issued_on.isoformat())],
        data.member_code,
        footer=("凭卡在慈善超市", "使用志愿服务积分"),
    )


def render_household_card(data: HouseholdCardData) -> bytes:
    """Aid household card (救助家庭物资领取卡) PDF."""
    return _card(
        "救助家庭物资领取卡",
        (data.issuer_name, f"{data.store_name}（{data.store_code}）"),
        [("户主", data.head_name), ("户编号", data.household_code), ("类别", data.category),
         ("有效期至", data.valid_until.isoformat())],
        data.household_code,
        footer=(f"发卡 {data.issued_on.isoformat()}", "本卡限本户使用"),
    )
