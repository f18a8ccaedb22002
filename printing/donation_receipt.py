"""捐赠收据: the receipt a donor takes away, on A4 portrait (long lists continue on further pages, with the
table header repeated). The total is stated in figures and in Chinese capitals; items that can't be valued are
listed at zero with 价值无法确定，按零计."""

from __future__ import annotations

from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from printing.barcodes import draw_qr
from printing.data import DonationReceiptData
from printing.fonts import register_cjk_fonts
from printing.layout import mm, money_text, yuan_in_capitals
from printing.pages import PageFrame, build_document, grid_table, para, styles

ZERO_VALUE_NOTE = "价值无法确定，按零计"
TIME_FORMAT = "%Y-%m-%d %H:%M"
_WIDTH_MM = 180


def _date_text(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _amount_text(line) -> str:
    """The quantity with its unit, or a weighed line's weight in kg with three decimals."""
    if line.weight_g is None:
        return f"{line.qty}{line.unit}"
    return f"{line.weight_g // 1000}.{line.weight_g % 1000:03d} kg"


def _plain_table(rows, widths_mm) -> Table:
    table = Table(rows, colWidths=[mm(w) for w in widths_mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("FONTNAME", (0, 0), (-1, -1), register_cjk_fonts().regular)]))
    return table


class _Qr(Flowable):
    """The trace page's QR code, `size_mm` square (4 white modules around it are inside the square)."""

    def __init__(self, value: str, size_mm: float) -> None:
        super().__init__()
        self.value, self.size = value, mm(size_mm)
        self.width = self.height = self.size

    def draw(self) -> None:
        draw_qr(self.canv, self.value, 0, 0, self.size)


def _trace_block(data: DonationReceiptData, st) -> Table:
    return _plain_table([[_Qr(data.trace_url, 30),
                          para("扫码查看捐赠去向：每件物品的去向（在架、义卖、救助发放、调拨、报损）和捐款的用途，"
                               "无需登录。", st.body)]], [36, _WIDTH_MM - 36])


def render_donation_receipt(data: DonationReceiptData) -> bytes:
    """Donation receipt PDF (A4). 补打 is stamped on every page when `data.reprint`."""
    st = styles()
    donor = data.donor_name or "匿名"
    store = f"{data.store_name}（{data.store_code}）"
    story: list = [para("捐 赠 收 据", st.title)]
    story.append(_plain_table([
        [para(f"捐赠人：{donor}", st.body), para(f"收据编号：{data.serial_no}", st.body)],
        [para(f"接收单位：{store}", st.body), para(f"捐赠日期：{_date_text(data.donated_on)}", st.body)],
    ], [110, 70]))
    story.append(Spacer(1, mm(4)))

    if data.lines:
        rows: list[list] = [[para(h, st.head) for h in ("序号", "物品名称", "数量", "单价", "金额", "备注")]]
        for i, line in enumerate(data.lines, 1):
            rows.append([
                para(str(i), st.cell_center), para(line.name, st.cell),
                para(_amount_text(line), st.cell_right),
                para(money_text(line.unit_value_fen) + ("/kg" if line.weight_g is not None else ""), st.cell_right),
                para(money_text(line.line_value_fen), st.cell_right),
                para(ZERO_VALUE_NOTE if line.value_unknown else "", st.cell),
            ])
        story += [para("一、捐赠物资", st.body), Spacer(1, mm(1.5)), grid_table(rows, [12, 56, 18, 24, 28, 42])]
        story.append(Spacer(1, mm(4)))

    if data.money_lines:
        rows = [[para(h, st.head) for h in ("序号", "捐款方式", "金额", "支付凭证号")]]
        for i, m in enumerate(data.money_lines, 1):
            rows.append([para(str(i), st.cell_center), para(m.method, st.cell),
                         para(money_text(m.amount_fen), st.cell_right), para(m.reference, st.cell)])
        number = "二" if data.lines else "一"
        story += [para(f"{number}、捐赠款项", st.body), Spacer(1, mm(1.5)), grid_table(rows, [12, 50, 40, 78])]
        story.append(Spacer(1, mm(4)))

    total = grid_table([
        [para("合计（小写）", st.head), para(money_text(data.total_fen), st.cell)],
        [para("合计（大写）", st.head), para(yuan_in_capitals(data.total_fen), st.cell)],
    ], [36, _WIDTH_MM - 36], repeat_header=False, extra=[("BACKGROUND", (0, 0), (-1, -1), (1, 1, 1))])
    story += [total, Spacer(1, mm(3))]
    if data.purpose:
        story.append(para(f"捐赠用途：{data.purpose}", st.body))
    for note in data.notes:
        story.append(para(note, st.body))
    story.append(para(f"接收单位地址：{data.store_address}", st.body))
    story += [Spacer(1, mm(2)), para("兹收到上述捐赠，特此致谢！", st.body), Spacer(1, mm(6))]
    if data.trace_url:
        story += [_trace_block(data, st), Spacer(1, mm(4))]
    story.append(_plain_table([
        [para(f"收款人：{data.receiver_name}", st.body), para(f"复核人：{data.checker_name}", st.body),
         para(f"开具时间：{data.issued_at.strftime(TIME_FORMAT)}", st.body)],
        [para("", st.body), para("", st.body), para("接收单位（盖章）", st.body)],
    ], [50, 50, 80]))

    frame = PageFrame(title="捐赠收据", store=store, serial_no=data.serial_no,
                      time_text=f"开具时间 {data.issued_at.strftime(TIME_FORMAT)}",
                      mark="补打" if data.reprint else "")
    return build_document(story, frame)
