"""Documents for the charity supermarkets: plain data in (printing.data), PDF bytes out (and ESC/POS bytes for
thermal printers, printing.escpos).

No Flask, no database, no `supermarket` imports: the app builds the dataclasses (localising times to
Asia/Shanghai and masking personal data) and sends the bytes. Chinese text is embedded as a subset of WenQuanYi
Micro Hei (see printing.fonts).
"""

from printing.aid_slip import aid_slip_lines, render_aid_slip
from printing.cards import render_household_card, render_member_card
from printing.data import (
    AidLine,
    AidSlipData,
    DonationReceiptData,
    DonationReceiptLine,
    HouseholdCardData,
    LabelData,
    MemberCardData,
    MoneyLine,
    PublicListData,
    PublicListRow,
    ReceiptData,
    ReceiptLine,
    ReceiptPayment,
    SheetLayout,
    SignoffRow,
    SignoffSheetData,
    ZDiscountBy,
    ZFund,
    ZReportData,
    ZTender,
)
from printing.donation_receipt import render_donation_receipt
from printing.escpos import labels_escpos, receipt_escpos, z_report_escpos
from printing.fonts import register_cjk_fonts
from printing.labels import render_label, render_label_sheet
from printing.layout import money_text, yuan_in_capitals
from printing.public_list import render_public_list
from printing.receipt import receipt_lines, render_receipt
from printing.signoff_sheet import render_signoff_sheet
from printing.z_report import render_z_report, z_report_lines

__all__ = [
    "AidLine", "AidSlipData", "DonationReceiptData", "DonationReceiptLine", "HouseholdCardData", "LabelData",
    "MemberCardData", "MoneyLine", "PublicListData", "PublicListRow", "ReceiptData", "ReceiptLine",
    "ReceiptPayment", "SheetLayout", "SignoffRow", "SignoffSheetData", "ZDiscountBy", "ZFund", "ZReportData", "ZTender",
    "aid_slip_lines", "labels_escpos", "money_text", "receipt_escpos", "receipt_lines", "register_cjk_fonts", "render_aid_slip",
    "render_donation_receipt", "render_household_card", "render_label", "render_label_sheet",
    "render_member_card", "render_public_list", "render_receipt", "render_signoff_sheet", "render_z_report",
    "yuan_in_capitals", "z_report_escpos", "z_report_lines",
]
