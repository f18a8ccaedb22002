"""Shift close (班结 / Z 报表), printed on the same receipt roll as the sales (80 mm by default, 58 mm works).

The roll was chosen over A4 because the report is printed at the till when the shift closes, and the cashier and
manager sign it there; each tender gets its own block so it reads the same on both widths.
"""

from __future__ import annotations

from printing.data import ZReportData
from printing.layout import center, left_right, money_text, wrap_text
from printing.roll import RollBox, RollItem, RollLine, big_lines, plain, render_roll, roll_columns

TIME_FORMAT = "%Y-%m-%d %H:%M"


def compose_z_report(data: ZReportData, width_chars: int) -> list[RollItem]:
    """The Z report as styled lines on a grid `width_chars` columns wide, ending with two signature boxes."""
    w = width_chars
    rule, thin = "=" * w, "-" * w

    def kv(key: str, value: str) -> list[str]:
        return left_right(key, value, w)

    items: list[RollItem] = big_lines("班中报表 (X)" if data.interim else "班结报表 (Z)", w)
    items += plain([center(part, w) for part in wrap_text(f"{data.store_name} {data.store_code}", w)])
    if data.reprint:
        items += big_lines("副本", w, "inverse")
    body = [rule]
    body += kv("班次", data.shift_no) + kv("收银员", data.cashier_name)
    body += kv("开班", data.opened_at.strftime(TIME_FORMAT))
    body += kv("截至" if data.interim else "结班", data.closed_at.strftime(TIME_FORMAT))
    body += kv("备用金", money_text(data.float_fen)) + kv("销售笔数", str(data.sales_count))
    body += [thin, center("按支付方式", w), thin]
    for t in data.tenders:
        body.append(t.method)
        body += kv("  应收", money_text(t.expected_fen))
        if not data.interim:
            body += kv("  实收", money_text(t.counted_fen)) + kv("  差异", money_text(t.counted_fen - t.expected_fen))
    expected = sum(t.expected_fen for t in data.tenders)
    counted = sum(t.counted_fen for t in data.tenders)
    body += [thin] + kv("应收合计", money_text(expected))
    if not data.interim:
        body += kv("实收合计", money_text(counted)) + kv("差异合计", money_text(counted - expected))
    body += [thin, center("钱箱", w), thin]
    body += kv(f"收入现金 {data.paid_in_count} 笔", money_text(data.paid_in_fen))
    body += kv(f"支出现金 {data.paid_out_count} 笔", money_text(data.paid_out_fen))
    body += kv("开钱箱（无销售）", f"{data.no_sale_count} 次")
    if data.donation_count:
        # In the drawer and in the expected cash above, but not sales: it goes to the projects.
        body += kv(f"找零捐赠 {data.donation_count} 笔", money_text(data.donation_fen))
    body += [thin, center("作废与退货", w), thin]
    body += kv(f"作废 {data.void_count} 笔", money_text(data.void_fen))
    body += kv(f"退货 {data.return_count} 笔", money_text(data.return_fen))
    if data.discount_count:
        body += [thin, center("折扣", w), thin]
        body += kv(f"折扣 {data.discount_count} 笔", money_text(-data.discount_fen))
        for d in data.discounts_by:
            body += kv(f"  {d.name} {d.sales_count} 笔", money_text(-d.amount_fen))
    if data.funds:
        body += [thin, center("按资金来源", w), thin]
        for f in data.funds:
            body += kv(f"{f.fund} {f.sales_count} 笔", money_text(f.amount_fen))
    if data.notes:
        body.append(thin)
        for note in data.notes:
            body += wrap_text(note, w)
    body.append(rule)
    items += plain(body)
    if data.interim:
        return items
    manager = f"店长复核签字（{data.manager_name}）" if data.manager_name else "店长复核签字"
    for caption in (f"收银员签字（{data.cashier_name}）", manager):
        items += plain(wrap_text(caption, w))
        items.append(RollBox(12))
    return items


def z_report_lines(data: ZReportData, width_chars: int) -> list[str]:
    """The Z report's text lines (the signature boxes left out)."""
    return [i.text for i in compose_z_report(data, width_chars) if isinstance(i, RollLine)]


def render_z_report(data: ZReportData, *, width_mm: int = 80) -> bytes:
    """Z report PDF on a 58 or 80 mm roll."""
    columns = roll_columns(width_mm)
    title = f"班中报表 {data.shift_no}" if data.interim else f"班结报表 {data.shift_no}"
    return render_roll(compose_z_report(data, columns), width_mm=width_mm, title=title)
