"""The seam to printing/: a donation becomes a DonationReceiptData or a list of LabelData.

Times are localised to Asia/Shanghai and the donor's name is masked here (the donor's own store prints it in
full for the donor; anyone else gets 张*明), so the PDF only ever sees what it should show.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from printing import (DonationReceiptData, DonationReceiptLine, LabelData, MoneyLine as PrintedMoneyLine, SheetLayout,
                      render_donation_receipt, render_label, render_label_sheet)

from ..auth.permissions import Actor
from ..catalog.codes import printable
from ..catalog.service import price_in_store
from ..clock import SHANGHAI
from .donors import display_name
from ..errors import InvalidInput
from .errors import NothingToLabel, TooManyLabels
from .models import Donation
from .service import get_donation, record_receipt_print

MAX_LABELS = 2000
METHOD_LABELS = {"cash": "现金", "wechat": "微信支付", "alipay": "支付宝", "bank_transfer": "银行转账"}
BASIS_LABELS = {"invoice": "发票/凭证", "market": "市场价", "appraisal": "评估价", "declared": "捐赠人申报",
                "unvalued": "无法估值"}


def receipt_data(actor: Actor, donation: Donation, *, copy: int, now: datetime) -> DonationReceiptData:
    """The donation receipt: copy 1 is the original, any later copy is marked 补打 with its time and number."""
    store = donation.store
    notes = []
    if donation.has_unvalued:
        notes.append("注：价值无法确定的物品按零计，不计入捐赠收入。")
    if donation.has_near_expiry:
        notes.append("注：部分食品临近保质期，已标识。")
    if copy > 1:
        notes.append(f"补打：第 {copy} 份，打印时间 {now.astimezone(SHANGHAI):%Y-%m-%d %H:%M}")
    return DonationReceiptData(
        store_name=store.name, store_code=store.code, store_address=store.address, serial_no=donation.serial,
        donor_name="" if donation.anonymous else display_name(actor, donation),
        donated_on=donation.received_at.astimezone(SHANGHAI).date(),
        lines=[DonationReceiptLine(name=_line_name(line), qty=line.qty, unit_value_fen=line.unit_value_fen,
                                   line_value_fen=line.line_value_fen, unit=line.unit,
                                   value_unknown=line.value_unknown, weight_g=line.weight_g)
               for line in donation.lines],
        money_lines=[PrintedMoneyLine(method=METHOD_LABELS[m.method], amount_fen=m.amount_fen, reference=m.reference)
                     for m in donation.money_lines],
        total_fen=donation.total_value_fen, receiver_name=donation.receiver_name,
        checker_name=donation.checker_name, issued_at=donation.received_at.astimezone(SHANGHAI), notes=notes,
        reprint=copy > 1)


def _line_name(line) -> str:
    name = line.item.name
    if line.condition_grade:
        name += f"（成色 {line.condition_grade}）"
    if line.expiry_date:
        name += f"（保质期至 {line.expiry_date.isoformat()}{'，临期' if line.near_expiry else ''}）"
    return name


def label_for(item, price_fen: int, store_code: str) -> LabelData:
    """Code 128 for the store's own codes (and EAN-8), EAN-13 for manufacturer codes (UPC-A as 0 + code)."""
    code, symbology = printable(item.barcode, item.barcode_kind)
    return LabelData(code, item.name, price_fen, store_code, symbology)


def labels_data(session: Session, donation: Donation, *, per: str = "unit") -> list[LabelData]:
    """The labels of a donation, in line order, each with the store's shelf price."""
    if not donation.lines:
        raise NothingToLabel(_("本单没有物品，无需打印标签"))
    labels: list[LabelData] = []
    store_code = donation.store.code
    total = sum(line.qty for line in donation.lines) if per == "unit" else len(donation.lines)
    if total > MAX_LABELS:
        raise TooManyLabels(_("一次最多打印 %(max)d 张标签（本单 %(n)d 张），请改为每行一张", max=MAX_LABELS, n=total))
    for line in donation.lines:
        label = label_for(line.item, price_in_store(session, line.item, donation.store_id), store_code)
        labels.extend([label] * (line.qty if per == "unit" else 1))
    return labels


def receipt_pdf(session: Session, actor: Actor, donation_id, *, now: datetime) -> tuple[bytes, str]:
    """Print the donation's receipt (counted; later copies say 补打). Returns (PDF bytes, file name)."""
    from dataclasses import replace

    from ..wiring import receipt_trace_url

    donation, copy = record_receipt_print(session, actor, donation_id, now=now)
    data = receipt_data(actor, donation, copy=copy, now=now)
    # The original and every reprint carry the donation's trace QR code (捐赠去向).
    data = replace(data, trace_url=receipt_trace_url(session, actor, donation, now=now))
    pdf = render_donation_receipt(data)
    return pdf, f"{donation.serial}{'-补打' if copy > 1 else ''}.pdf"


def labels_pdf(session: Session, actor: Actor, donation_id, *, format: str = "sheet", per: str = "unit",
               cols: int = 3, rows: int = 8, skip: int = 0, outlines: bool = False) -> tuple[bytes, str]:
    """The donation's price labels: an A4 sheet (`cols` × `rows`, 3 × 8 by default; `skip` leaves used positions
    empty) or 40 × 30 mm single labels; one per unit received, or one per line."""
    layout = sheet_layout(cols=cols, rows=rows, skip=skip, outlines=outlines)
    donation = get_donation(session, actor, donation_id)
    labels = labels_data(session, donation, per=per)
    pdf = render_label_sheet(labels, layout=layout) if format == "sheet" else render_label(labels)
    return pdf, f"{donation.serial}-labels.pdf"


def sheet_layout(*, cols: int = 3, rows: int = 8, skip: int = 0, outlines: bool = False) -> SheetLayout:
    """A label-sheet layout from page parameters; InvalidInput when it cannot be printed."""
    try:
        return SheetLayout(cols=cols, rows=rows, skip=skip, outlines=outlines)
    except ValueError:
        raise InvalidInput(_("标签纸版式无效：跳过的位置数须小于每页标签数"), fields={"skip": [_("跳过的位置过多")]}) from None
