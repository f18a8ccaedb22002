from datetime import datetime

import pytest

import printing as p

from .samples import NOW, make_receipt


def test_lists_become_tuples():
    data = make_receipt(lines=[p.ReceiptLine("搪瓷脸盆", 1, 550, 550)], notes=["作废"])
    assert isinstance(data.lines, tuple) and isinstance(data.notes, tuple)
    hash(data.notes)


def test_naive_datetimes_are_refused_everywhere():
    with pytest.raises(ValueError, match="aware"):
        p.ZReportData("店", "YL01", "S1", "李*华", datetime(2026, 11, 27, 8), NOW, 0, 0, ())


def test_dataclasses_are_frozen():
    with pytest.raises(AttributeError):
        make_receipt().total_fen = 1


def test_money_must_be_int_fen():
    with pytest.raises(TypeError, match="unit_price_fen"):
        p.ReceiptLine("搪瓷脸盆", 1, 5.5, 550)
