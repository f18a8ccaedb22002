"""Monthly public list (公示) of aid distributions, A4 portrait, for a store or the whole city.

Names and ID numbers are printed exactly as given (the caller masks them). The totals are counted from the rows.
"""

from __future__ import annotations

from reportlab.platypus import Spacer

from printing.data import PublicListData
from printing.layout import mm, money_text
from printing.pages import PageFrame, build_document, grid_table, para, styles

TIME_FORMAT = "%Y-%m-%d %H:%M"
COLUMNS = ("序号", "户主", "证件号", "类别", "发放物资", "日期", "价值")
WIDTHS_MM = (12, 20, 24, 18, 60, 22, 24)


def month_text(d) -> str:
    """2026年11月."""
    return f"{d.year}年{d.month}月"


def render_public_list(data: PublicListData) -> bytes:
    """Public list PDF: one row per distribution and a total row."""
    st = styles()
    store = f"{data.store_name}（{data.store_code}）"
    title = f"{month_text(data.month)}救助物资发放公示"
    story: list = [
        para(title, st.title),
        para(f"公示单位：{store}", st.body),
        para(f"公示编号：{data.serial_no}", st.body),
        para(f"公示时间：{data.published_at.strftime(TIME_FORMAT)}", st.body),
        Spacer(1, mm(3)),
    ]
    rows: list[list] = [[para(h, st.head) for h in COLUMNS]]
    for i, r in enumerate(data.rows, 1):
        when = r.handed_out_on.isoformat() if r.handed_out_on else ""
        rows.append([
            para(str(i), st.cell_center), para(r.head_name, st.cell), para(r.id_masked, st.cell),
            para(r.category, st.cell), para(r.items, st.cell), para(when, st.cell_center),
            para(money_text(r.value_fen), st.cell_right),
        ])
    total = sum(r.value_fen for r in data.rows)
    rows.append([para("合计", st.head), para(f"共 {len(data.rows)} 户次", st.cell), "", "", "", "",
                 para(money_text(total), st.cell_right)])
    last = len(rows) - 1
    story.append(grid_table(rows, WIDTHS_MM, extra=[("SPAN", (1, last), (5, last))]))
    story.append(Spacer(1, mm(5)))
    story.append(para("以上信息已按规定隐去部分个人信息。如有异议，请在公示期内向本单位反映。", st.body))
    if data.contact:
        story.append(para(f"监督电话：{data.contact}", st.body))
    frame = PageFrame(title=title, store=store, serial_no=data.serial_no,
                      time_text=f"公示时间 {data.published_at.strftime(TIME_FORMAT)}")
    return build_document(story, frame)
