import printing as p

from . import pdfcheck
from .samples import make_public_list


def test_public_list_has_rows_and_totals():
    data = make_public_list(45)
    pages = pdfcheck.page_texts(p.render_public_list(data))
    assert len(pages) == 2
    text = "\n".join(pages)
    total = sum(r.value_fen for r in data.rows)
    for expected in ("2026年11月救助物资发放公示", "长沙市雨花区爱心慈善超市（YL01）", "YL01-GS-2026-11",
                     "2026-11-27 14:05", "张*明", "****2044", "特困", "大米、食用油、棉被", "共 45 户次",
                     p.money_text(total), "监督电话：0731-8888 6666", "第 2 页 / 共 2 页"):
        assert expected in text
    assert "价值" in pages[1] and "证件号" in pages[1]  # header repeated


def test_an_empty_month_still_prints():
    text = pdfcheck.text(p.render_public_list(make_public_list(0)))
    assert "共 0 户次" in text and "¥0.00" in text
