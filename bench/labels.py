"""Benchmark the printing package: an A4 sheet PDF of 1,000 labels and a 50-line donation receipt.

Run from the project root: .venv/bin/python bench/labels.py
Fonts are registered before timing (once per process in real use); each figure is the best of three runs, and
the memory peak is tracemalloc's for one 1,000-label render.
"""

from __future__ import annotations

import sys
import tracemalloc
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._timing import best_of  # noqa: E402
import printing as p  # noqa: E402
from printing.barcodes import ean13_check_digit  # noqa: E402

SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")
NOW = datetime(2026, 11, 27, 14, 5, tzinfo=SHANGHAI)


def make_labels(n: int) -> list[p.LabelData]:
    """Every code different (no help from caching): two thirds Code 128, one third EAN-13."""
    labels = []
    for i in range(n):
        if i % 3 == 2:
            base = f"69{i:010d}"
            labels.append(p.LabelData(base + ean13_check_digit(base), "农夫山泉饮用天然水550ml", 200, "YL01", "ean13"))
        else:
            labels.append(p.LabelData(f"YL01-{i:06d}", f"儿童羽绒服（九成新）第{i}号款式加长名称测试", 3500 + i, "YL01"))
    return labels


def make_receipt(n_lines: int) -> p.DonationReceiptData:
    lines = tuple(p.DonationReceiptLine(f"捐赠物品{i}（八成新）", i + 1, 1234, 1234 * (i + 1), "件") for i in range(n_lines))
    return p.DonationReceiptData(
        store_name="长沙市雨花区爱心慈善超市", store_code="YL01", store_address="长沙市雨花区韶山中路 123 号",
        serial_no="YL01-2026-000123", donor_name="湖南某某科技有限公司", donated_on=NOW.date(), lines=lines,
        total_fen=sum(x.line_value_fen for x in lines), receiver_name="赵*敏", checker_name="王*芳", issued_at=NOW,
    )


def main() -> None:
    p.register_cjk_fonts()
    labels = make_labels(1000)
    receipt = make_receipt(50)

    def fresh_sheet() -> bytes:
        p.barcodes.bar_pattern.cache_clear()  # measure the cold path: every code encoded anew
        return p.render_label_sheet(labels)

    labels_s = best_of(3, fresh_sheet)
    tracemalloc.start()
    fresh_sheet()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    receipt_s = best_of(3, lambda: p.render_donation_receipt(receipt))
    print(f"labels_1000_s: {labels_s:.3f}")
    print(f"labels_peak_mb: {peak / 2**20:.1f}")
    print(f"receipt_50_lines_s: {receipt_s:.3f}")


if __name__ == "__main__":
    main()
