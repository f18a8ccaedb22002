import printing as p

from . import pdfcheck
from .samples import make_signoff_sheet


def test_signoff_sheet_pages_repeat_the_header_and_count_pages():
    pages = pdfcheck.page_texts(p.render_signoff_sheet(make_signoff_sheet(40)))
    assert len(pages) == 3
    for number, page in enumerate(pages, 1):
        assert all(h in page for h in ("序号", "户编号", "户主", "证件号", "类别", "物资", "签名", "日期"))
        assert f"第 {number} 页 / 共 3 页" in page
        assert "YL01-Q-2026-0012" in page
        assert "长沙市雨花区爱心慈善超市（YL01）" in page
    text = "\n".join(pages)
    for expected in ("物资发放签收表", "2026 年冬季送温暖", "大米 5kg ×1", "H430111000001", "欧阳*华", "****1040",
                     "临时救助", "2026-11-27 14:05", "发放人（签字）"):
        assert expected in text


def test_a_given_sign_date_is_printed():
    data = make_signoff_sheet(1)
    row = data.rows[0]
    signed = p.SignoffRow(row.household_code, row.head_name, row.id_masked, row.category, row.items,
                          signed_on=data.printed_at.date())
    text = pdfcheck.text(p.render_signoff_sheet(make_signoff_sheet(1, rows=[signed])))
    assert "2026-11-27" in text.replace("2026-11-27 14:05", "")
