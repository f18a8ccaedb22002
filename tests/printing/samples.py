"""Sample documents for the printing tests: make_*(**overrides) returns a dataclass with realistic values."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

from PIL import Image, ImageDraw

import printing as p
from printing.barcodes import ean13_check_digit

SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")
NOW = datetime(2026, 11, 27, 14, 5, 9, tzinfo=SHANGHAI)
STORE = dict(store_name="长沙市雨花区爱心慈善超市", store_code="YL01")
LONG_NAME = "儿童加厚羽绒服九成新含帽子手套围巾三件套装适合五到八岁男女童冬季户外保暖穿着款"  # 40 characters


def make_receipt(**overrides) -> p.ReceiptData:
    data = p.ReceiptData(
        **STORE,
        receipt_no="YL01-20261127-0007",
        sold_at=NOW,
        cashier_name="李*华",
        lines=(
            p.ReceiptLine("搪瓷脸盆", 2, 550, 1100),
            p.ReceiptLine("儿童羽绒服（九成新）", 1, 3500, 3500),
        ),
        total_fen=4600,
        payments=(p.ReceiptPayment("现金", 5000),),
        change_fen=400,
    )
    return replace(data, **overrides)


def make_z_report(**overrides) -> p.ZReportData:
    data = p.ZReportData(
        **STORE,
        shift_no="YL01-S-20261127-02",
        cashier_name="李*华",
        opened_at=NOW.replace(hour=8, minute=30, second=0),
        closed_at=NOW.replace(hour=17, minute=32, second=0),
        float_fen=20000,
        sales_count=57,
        tenders=(
            p.ZTender("现金", 68550, 68450),
            p.ZTender("微信支付", 123400, 123400),
            p.ZTender("支付宝", 4500, 4500),
            p.ZTender("积分", 3200, 3200),
        ),
        void_count=1,
        void_fen=1200,
        return_count=2,
        return_fen=-3500,
        funds=(p.ZFund("义卖", 41, 98650), p.ZFund("采购商品", 16, 81000)),
        manager_name="王*芳",
    )
    return replace(data, **overrides)


def make_donation_receipt(n_lines: int = 3, **overrides) -> p.DonationReceiptData:
    names = ["大米 5kg", "食用油 1.8L", "羽绒服（八成新）", "旧书一批"]
    lines = []
    for i in range(n_lines):
        if i % 4 == 3:
            lines.append(p.DonationReceiptLine(names[3], 1, 0, 0, unit="批", value_unknown=True))
        else:
            lines.append(p.DonationReceiptLine(names[i % 4], i + 1, 2345, 2345 * (i + 1), unit="件"))
    money = (p.MoneyLine("微信支付", 10000, "4200001234202611270001"),)
    data = p.DonationReceiptData(
        **STORE,
        store_address="长沙市雨花区韶山中路 123 号",
        serial_no="YL01-2026-000123",
        donor_name="湖南某某科技有限公司",
        donated_on=NOW.date(),
        lines=tuple(lines),
        money_lines=money,
        total_fen=sum(x.line_value_fen for x in lines) + 10000,
        receiver_name="赵*敏",
        checker_name="王*芳",
        issued_at=NOW,
        purpose="用于慈善超市义卖及困难家庭救助",
    )
    return replace(data, **overrides)


def signature_png() -> bytes:
    img = Image.new("RGB", (300, 100), "white")
    ImageDraw.Draw(img).line([(20, 70), (80, 20), (140, 80), (200, 30), (280, 60)], fill="black", width=5)
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def make_aid_slip(**overrides) -> p.AidSlipData:
    data = p.AidSlipData(
        **STORE,
        slip_no="YL01-A-20261127-0031",
        handed_out_at=NOW,
        household_code="H430111000123",
        head_name="张*明",
        id_masked="****1234",
        category="低保",
        lines=(p.AidLine("大米", 1, 4500, "袋"), p.AidLine("食用油", 1, 6900, "桶"), p.AidLine("棉被", 1, 12000, "床")),
        total_value_fen=23400,
        operator_name="赵*敏",
        witness_name="社区网格员 刘*",
    )
    return replace(data, **overrides)


def make_signoff_sheet(n_rows: int = 40, **overrides) -> p.SignoffSheetData:
    rows = tuple(
        p.SignoffRow(f"H4301110{i:05d}", "张*明" if i % 2 else "欧阳*华", f"****{1000 + i}",
                     ("低保", "特困", "低边", "临时救助")[i % 4], "大米 1 袋、食用油 1 桶、棉被 1 床")
        for i in range(1, n_rows + 1)
    )
    data = p.SignoffSheetData(
        **STORE,
        campaign_name="2026 年冬季送温暖",
        pack_description="大米 5kg ×1、食用油 1.8L ×1、棉被 ×1（价值 ¥234.00）",
        serial_no="YL01-Q-2026-0012",
        printed_at=NOW,
        rows=rows,
    )
    return replace(data, **overrides)


def make_public_list(n_rows: int = 30, **overrides) -> p.PublicListData:
    rows = tuple(
        p.PublicListRow("张*明", f"****{2000 + i}", ("低保", "特困", "低边")[i % 3], "大米、食用油、棉被",
                        23400 + i, date(2026, 11, 1 + i % 28))
        for i in range(n_rows)
    )
    data = p.PublicListData(**STORE, month=date(2026, 11, 1), serial_no="YL01-GS-2026-11",
                            published_at=NOW, rows=rows, contact="0731-8888 6666")
    return replace(data, **overrides)


def make_member_card(**overrides) -> p.MemberCardData:
    data = p.MemberCardData(name="陈*", member_code="M0001234", issuer_name="长沙市慈善总会",
                            **STORE, issued_on=NOW.date())
    return replace(data, **overrides)


def make_household_card(**overrides) -> p.HouseholdCardData:
    data = p.HouseholdCardData(household_code="H430111000123", head_name="张*明", category="低保",
                               valid_until=date(2027, 12, 31), issuer_name="长沙市慈善总会", **STORE,
                               issued_on=NOW.date())
    return replace(data, **overrides)


def make_labels(n: int = 30) -> list[p.LabelData]:
    """A mix of internal Code 128 codes and valid EAN-13 codes, all different."""
    labels = []
    for i in range(n):
        if i % 3 == 2:
            base = f"69{2026000 + i:010d}"
            code = base + ean13_check_digit(base)
            labels.append(p.LabelData(code, "农夫山泉饮用天然水550ml", 200, "YL01", "ean13"))
        elif i % 3 == 1:
            labels.append(p.LabelData(f"2YL01{i:05d}", "搪瓷脸盆", 550 + i, "YL01"))
        else:
            labels.append(p.LabelData(f"YL01-{i:06d}", LONG_NAME if i % 2 else "儿童羽绒服（九成新）", 3500, "YL01"))
    return labels
