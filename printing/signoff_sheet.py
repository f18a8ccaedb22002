"""物资发放签收表: the paper list a campaign's households sign when they collect their pack (A4 portrait).

Each row leaves a box tall enough for a pen signature; the column header repeats on every page and each page
is numbered "第 x 页 / 共 n 页".
"""

from __future__ import annotations

from reportlab.platypus import Spacer

from printing.data import SignoffSheetData
from printing.layout import mm
from printing.pages import PageFrame, build_document, grid_table, para, styles

TIME_FORMAT = "%Y-%m-%d %H:%M"
COLUMNS = ("序号", "户编号", "户主", "证件号", "类别", "物资", "签名", "日期")
WIDTHS_MM = (11, 29, 17, 20, 17, 36, 28, 22)  # 180 mm: A4 less 15 mm margins
ROW_HEIGHT_MM = 12  # room for a signature


def render_signoff_sheet(data: SignoffSheetData) -> bytes:
    """Sign-off sheet PDF for one campaign; the signature and (unless given) date cells are left empty."""
    st = styles()
    store = f"{data.store_name}（{data.store_code}）"
    story: list = [
        para("物资发放签收表", st.title),
        para(f"活动：{data.campaign_name}", st.body),
        para(f"发放点：{store}", st.body),
        para(f"标准物资包：{data.pack_description}", st.body),
        para(f"表号：{data.serial_no}", st.body),
        para(f"打印时间：{data.printed_at.strftime(TIME_FORMAT)}", st.body),
        Spacer(1, mm(3)),
    ]
    rows: list[list] = [[para(h, st.head) for h in COLUMNS]]
    for i, r in enumerate(data.rows, 1):
        signed = r.signed_on.isoformat() if r.signed_on else ""
        rows.append([
            para(str(i), st.cell_center), para(r.household_code, st.cell), para(r.head_name, st.cell),
            para(r.id_masked, st.cell), para(r.category, st.cell), para(r.items, st.cell), "",
            para(signed, st.cell_center),
        ])
    story.append(grid_table(rows, WIDTHS_MM, min_row_height_mm=ROW_HEIGHT_MM))
    story += [
        Spacer(1, mm(8)),
        para(f"发放人（签字）：{data.distributor_name}", st.body),
        Spacer(1, mm(6)),
        para(f"监督人（签字）：{data.witness_name}", st.body),
    ]
    frame = PageFrame(title=f"物资发放签收表 · {data.campaign_name}", store=store, serial_no=data.serial_no,
                      time_text=f"打印时间 {data.printed_at.strftime(TIME_FORMAT)}")
    return build_document(story, frame)
