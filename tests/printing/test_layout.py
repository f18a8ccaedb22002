import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from printing.layout import (
    center,
    fit_lines,
    left_right,
    money_text,
    text_width,
    wrap_measured,
    wrap_text,
    yuan_in_capitals,
)


# ---------------------------------------------------------------- widths and wrapping


@pytest.mark.parametrize(
    "text, width",
    [
        ("", 0),
        ("abc", 3),
        ("中文", 4),
        ("中文ab12", 8),
        ("张*明", 5),
        ("（九成新）", 10),  # full-width brackets are double
        ("￥", 2),  # full-width yen sign
        ("¥12.50", 6),  # the ordinary yen sign is narrow
        ("e\u0301", 1),  # combining accent takes no column
    ],
)
def test_text_width_counts_chinese_double(text, width):
    assert text_width(text) == width


def test_wrap_breaks_chinese_anywhere():
    assert wrap_text("长沙市雨花区爱心慈善超市", 10) == ["长沙市雨花", "区爱心慈善", "超市"]


def test_wrap_keeps_ascii_words_and_drops_spaces_at_breaks():
    assert wrap_text("Hello world 你好", 8) == ["Hello", "world 你", "好"]


def test_wrap_splits_a_word_longer_than_the_line():
    assert wrap_text("YL01-20261127-0007", 8) == ["YL01-202", "61127-00", "07"]


def test_wrap_does_not_start_a_line_with_closing_punctuation():
    assert wrap_text("一二三四。", 8) == ["一二三", "四。"]


def test_wrap_does_not_end_a_line_with_an_opening_bracket():
    assert wrap_text("一二三（四）", 8) == ["一二三", "（四）"]


def test_wrap_keeps_leading_indent_and_explicit_newlines():
    assert wrap_text("  2 × ¥5.50", 32) == ["  2 × ¥5.50"]
    assert wrap_text("甲\n乙", 10) == ["甲", "乙"]
    assert wrap_text("", 10) == [""]


def test_wrap_measured_uses_the_given_metric():
    assert wrap_measured("一二三四五", 3.0, lambda s: float(len(s))) == ["一二三", "四五"]


def test_wrap_rejects_a_non_positive_width():
    with pytest.raises(ValueError):
        wrap_text("x", 0)


_mixed = st.text(alphabet="中文慈善超市捐赠abcXYZ0123456789 -.,，。（）《》¥*", max_size=80)


@settings(max_examples=300, deadline=None)
@given(text=_mixed, width=st.integers(min_value=2, max_value=40))
def test_wrap_never_overflows_and_loses_nothing_but_spaces(text, width):
    lines = wrap_text(text, width)
    assert all(text_width(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_fit_lines_cuts_what_does_not_fit_with_an_ellipsis():
    assert fit_lines("长沙市雨花区爱心慈善超市", 6, text_width, 2) == ["长沙市", "雨花…"]
    assert fit_lines("长沙市", 6, text_width, 1) == ["长沙市"]


def test_left_right_fills_the_line_exactly():
    assert left_right("合计", "¥46.00", 32) == ["合计" + " " * 22 + "¥46.00"]
    assert text_width(left_right("微信支付", "¥1.00", 32)[0]) == 32


def test_left_right_moves_the_amount_down_when_they_do_not_fit():
    assert left_right("一二三四五六七八", "¥123.45", 20) == ["一二三四五六七八", " " * 13 + "¥123.45"]


def test_center():
    assert center("门店", 10) == "   门店"


# ---------------------------------------------------------------- money


@pytest.mark.parametrize(
    "fen, text",
    [(0, "¥0.00"), (1, "¥0.01"), (1250, "¥12.50"), (100000000, "¥1000000.00"), (-100, "-¥1.00"), (-5, "-¥0.05")],
)
def test_money_text(fen, text):
    assert money_text(fen) == text


@pytest.mark.parametrize("bad", [12.5, "1250", True])
def test_money_text_refuses_anything_but_int_fen(bad):
    with pytest.raises(TypeError):
        money_text(bad)


@pytest.mark.parametrize(
    "fen, words",
    [
        (0, "零元整"),
        (1, "壹分"),
        (10, "壹角"),
        (11, "壹角壹分"),
        (100, "壹元整"),
        (1000, "壹拾元整"),  # a leading ten is 壹拾, not 拾
        (1500, "壹拾伍元整"),
        (1050, "壹拾元零伍角"),
        (10005, "壹佰元零伍分"),
        (12345, "壹佰贰拾叁元肆角伍分"),
        (32504, "叁佰贰拾伍元零肆分"),  # 角 is zero, 分 is not: 零 must be written
        (140950, "壹仟肆佰零玖元伍角"),
        (600714, "陆仟零柒元壹角肆分"),  # two zeros inside: one 零
        (168032, "壹仟陆佰捌拾元零叁角贰分"),
        (10700053, "壹拾万零柒仟元零伍角叁分"),  # the full form: one 零 per run of zeros
        (10050000, "壹拾万零伍佰元整"),
        (100000000, "壹佰万元整"),
        (100500000, "壹佰万零伍仟元整"),
        (1000500000, "壹仟万零伍仟元整"),
        (1050000000, "壹仟零伍拾万元整"),
        (1234567890, "壹仟贰佰叁拾肆万伍仟陆佰柒拾捌元玖角"),
        (10000000000, "壹亿元整"),
        (10001000000, "壹亿零壹万元整"),
        (10000000100, "壹亿零壹元整"),
        (100000000000000, "壹万亿元整"),
        (100010000000000, "壹万零壹亿元整"),
        (100000000000100, "壹万亿零壹元整"),
    ],
)
def test_yuan_in_capitals(fen, words):
    assert yuan_in_capitals(fen) == "人民币" + words
    assert yuan_in_capitals(fen, prefix="") == words


def test_yuan_in_capitals_refuses_negative_and_non_int():
    with pytest.raises(ValueError):
        yuan_in_capitals(-1)
    with pytest.raises(TypeError):
        yuan_in_capitals(1.5)


_DIGITS = {c: i for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}
_UNITS = {"拾": 10, "佰": 100, "仟": 1000}


def _parse_capitals(words: str) -> int:
    """Read capitals back to fen (test oracle, written independently of the encoder)."""
    yuan_part, _, fraction = words.partition("元") if "元" in words else ("", "", words)
    result = section = number = 0
    for ch in yuan_part:
        if ch in _DIGITS:
            number = _DIGITS[ch]
        elif ch in _UNITS:
            section += number * _UNITS[ch]
            number = 0
        elif ch == "万":
            section = (section + number) * 10**4
            number = 0
        elif ch == "亿":
            result = (result + section + number) * 10**8
            section = number = 0
    fen = (result + section + number) * 100
    number = 0
    for ch in fraction:
        if ch in _DIGITS:
            number = _DIGITS[ch]
        elif ch == "角":
            fen += number * 10
        elif ch == "分":
            fen += number
    return fen


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.integers(0, 10**6), st.integers(0, 10**15)))
def test_yuan_in_capitals_reads_back_to_the_same_amount(fen):
    words = yuan_in_capitals(fen, prefix="")
    assert _parse_capitals(words) == fen
    assert "零零" not in words
    assert not words.startswith(("零壹", "拾"))
    assert words.endswith("整") == (fen % 100 == 0)
