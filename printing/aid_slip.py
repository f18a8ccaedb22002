"""Sign-off slip for one aid hand-out, on the 80 mm receipt roll (58 mm works too).

The roll was chosen because the slip is printed at the counter while the household waits; the recipient signs on
the tablet (the signature image is printed in the box) or on the paper (the box is left blank).
"""

from __future__ import annotations

from printing.data import AidSlipData
from printing.layout import center, left_right, money_text, wrap_text
from printing.roll import RollBox, RollItem, RollLine, big_lines, plain, render_roll, roll_columns

TIME_FORMAT = "%Y-%m-%d %H:%M"


def compose_aid_slip(data: AidSlipData, width_chars: int) -> list[RollItem]:
    """The slip as styled lines on a grid `width_chars` columns wide, ending with the signature box."""
    w = width_chars
    rule = "-" * w
    items: list[RollItem] = big_lines("物资领取签收单", w)
    items += plain([center(part, w) for part in wrap_text(f"{data.store_name} {data.store_code}", w)])
    if data.reprint:
        items += big_lines("副本", w, "inverse")
    body = [rule]
    for text in (
        f"单号 {data.slip_no}",
        f"时间 {data.handed_out_at.strftime(TIME_FORMAT)}",
        f"户编号 {data.household_code}",
        f"户主 {data.head_name}  证件 {data.id_masked}",
        f"类别 {data.category}",
    ):
        body += wrap_text(text, w)
    if data.proxy_name:
        body += wrap_text(f"代领人 {data.proxy_name}（{data.proxy_relation or '关系未填'}）", w)
    body += [rule] + left_right("物资 数量", "价值", w) + [rule]
    for line in data.lines:
        body += left_right(f"{line.name} ×{line.qty}{line.unit}", money_text(line.value_fen), w)
    body += [rule] + left_right("合计价值", money_text(data.total_value_fen), w)
    body += wrap_text(f"经办人 {data.operator_name}", w)
    if data.witness_name:
        body += wrap_text(f"见证人 {data.witness_name}", w)
    for note in data.notes:
        body += wrap_text(note, w)
    body.append(rule)
    body += wrap_text("本人确认已领取上述物资。", w)
    body.append("代领人签名" if data.proxy_name else "领取人签名")
    items += plain(body)
    items.append(RollBox(20, data.signature_png))
    return items


def aid_slip_lines(data: AidSlipData, width_chars: int) -> list[str]:
    """The slip's text lines (without the signature box)."""
    return [i.text for i in compose_aid_slip(data, width_chars) if isinstance(i, RollLine)]


def render_aid_slip(data: AidSlipData, *, width_mm: int = 80) -> bytes:
    """Aid sign-off slip PDF on a 58 or 80 mm roll."""
    columns = roll_columns(width_mm)
    return render_roll(compose_aid_slip(data, columns), width_mm=width_mm, title=f"物资领取签收单 {data.slip_no}")
