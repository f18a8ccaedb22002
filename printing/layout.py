"""Pure text and unit helpers shared by every document.

Nothing here draws. Two kinds of width are used:

* *columns* (`text_width`): a receipt printer's grid, where a Chinese character is double width (East Asian
  width W/F = 2 columns) and everything else one column. Roll documents are composed on this grid.
* *points*: what a real font measures (`pdfmetrics.stringWidth`); `wrap_measured` takes any measure, so the
  same wrapping rules serve both.

Money is always integer fen: `money_text` and `yuan_in_capitals` never see a float.
"""

from __future__ import annotations

import unicodedata
from typing import Callable

MM = 72 / 25.4  # points per millimetre


def mm(value: float) -> float:
    """Millimetres to PDF points."""
    return value * MM


# ---------------------------------------------------------------- widths and wrapping (columns)


def char_width(ch: str) -> int:
    """Columns one character takes on a receipt grid: 2 for wide/full-width, 0 for combining marks, else 1.

    Ambiguous-width characters (×, ·, “”) count as narrow: the roll renderer squeezes each run to its columns,
    so the count and the drawing always agree.
    """
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def text_width(text: str) -> int:
    """Columns a string takes on a receipt grid."""
    return sum(char_width(ch) for ch in text)


# A line should not start with closing punctuation (simplified 禁则/kinsoku rule).
_NO_LINE_START = set("，。、；：？！）》」』】〕’”%,.;:!?)]}")
# ... nor end with opening punctuation.
_NO_LINE_END = set("（《「『【〔‘“([{")


def _tokens(text: str) -> list[str]:
    """Split into wrap units: runs of ASCII-ish word characters, single spaces, single wide characters."""
    tokens: list[str] = []
    word = ""
    for ch in text:
        if ch.isspace():
            if word:
                tokens.append(word)
                word = ""
            tokens.append(" ")
        elif char_width(ch) == 2:
            if word:
                tokens.append(word)
                word = ""
            tokens.append(ch)
        else:
            word += ch
    if word:
        tokens.append(word)
    return tokens


def wrap_measured(text: str, max_width: float, measure: Callable[[str], float]) -> list[str]:
    """Greedy wrap of `text` into lines whose `measure` is at most `max_width`.

    Chinese may break between any two characters; ASCII words stay whole unless a word alone is too wide, in
    which case it is split by characters. Spaces at a break are dropped. Explicit newlines start a new line.
    Always returns at least one line (possibly empty).
    """
    if max_width <= 0:
        raise ValueError("max_width must be positive")
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_wrap_paragraph(paragraph, max_width, measure))
    return lines


def _wrap_paragraph(text: str, max_width: float, measure: Callable[[str], float]) -> list[str]:
    lines: list[str] = []
    current: list[str] = []

    def flush(carry: bool = True) -> None:
        # an opening bracket at the end of a line moves down with what it opens
        carried = current.pop() if carry and len(current) > 1 and current[-1] in _NO_LINE_END else None
        lines.append("".join(current).rstrip())
        current.clear()
        if carried:
            current.append(carried)

    for token in _tokens(text):
        if token == " " and not current and lines:
            continue  # no leading space on a continuation line
        if measure("".join(current) + token) <= max_width:
            current.append(token)
            continue
        if token == " ":
            flush()
            continue
        if token[0] in _NO_LINE_START and len(current) > 1 and measure(current[-1] + token) <= max_width:
            carried = current.pop()  # take the last unit along so punctuation doesn't open a line
            flush(carry=False)
            current.append(carried)
            current.append(token)
            continue
        if current:
            flush()
        # a single word wider than the line: split it by characters
        for ch in token:
            if current and measure("".join(current) + ch) > max_width:
                flush()
            current.append(ch)
    if current or not lines:
        flush(carry=False)
    return lines


def wrap_text(text: str, width: int) -> list[str]:
    """Wrap to `width` receipt columns (Chinese = 2 columns)."""
    return wrap_measured(text, width, text_width)


def fit_lines(text: str, max_width: float, measure: Callable[[str], float], max_lines: int) -> list[str]:
    """Wrap like `wrap_measured`, keeping at most `max_lines` lines; if text is left over, the last line is cut
    to end with "…"."""
    lines = wrap_measured(text, max_width, measure)
    if len(lines) <= max_lines:
        return lines
    last = lines[max_lines - 1]
    while last and measure(last + "…") > max_width:
        last = last[:-1]
    return lines[: max_lines - 1] + [last + "…"]


def ljust(text: str, width: int) -> str:
    """Pad on the right to `width` columns."""
    return text + " " * max(0, width - text_width(text))


def rjust(text: str, width: int) -> str:
    """Pad on the left to `width` columns."""
    return " " * max(0, width - text_width(text)) + text


def center(text: str, width: int) -> str:
    """Centre in `width` columns (extra space goes right; trailing spaces are not added)."""
    return " " * max(0, (width - text_width(text)) // 2) + text


def left_right(left: str, right: str, width: int) -> list[str]:
    """`left` and `right` on one line of `width` columns, or `right` on its own line when they don't fit.

    `left` wraps if it is wider than the line by itself.
    """
    left_lines = wrap_text(left, width)
    last = left_lines[-1]
    if text_width(last) + 1 + text_width(right) <= width:
        return left_lines[:-1] + [last + rjust(right, width - text_width(last))]
    return left_lines + [rjust(right, width)]


# ---------------------------------------------------------------- money


def money_text(fen: int) -> str:
    """Integer fen as yuan text: 1250 -> "¥12.50", -100 -> "-¥1.00"."""
    if not isinstance(fen, int) or isinstance(fen, bool):
        raise TypeError(f"money must be int fen, got {type(fen).__name__}")
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}¥{yuan}.{cents:02d}"


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")


def _below_10k(n: int) -> str:
    """1..9999 in capitals: one 零 for a run of zeros between digits, none for trailing zeros."""
    out = ""
    zero = False
    for i, d in enumerate(map(int, f"{n:04d}")):
        if d == 0:
            zero = bool(out)
        else:
            out += ("零" if zero else "") + _DIGITS[d] + _SMALL_UNITS[3 - i]
            zero = False
    return out


def _integer_in_capitals(n: int) -> str:
    """Whole yuan in capitals, without the 元 (10001亿 is 壹万零壹亿: 亿 groups may hold 万)."""
    if n == 0:
        return "零"
    for unit, size in (("亿", 10**8), ("万", 10**4)):
        if n >= size:
            high, low = divmod(n, size)
            out = _integer_in_capitals(high) + unit
            if low:
                # zeros between the two parts (high ends in 0, or low has leading zeros) become one 零
                out += ("零" if high % 10 == 0 or low < size // 10 else "") + _integer_in_capitals(low)
            return out
    return _below_10k(n)


def yuan_in_capitals(fen: int, *, prefix: str = "人民币") -> str:
    """Amount in Chinese financial capitals (大写金额), as written on receipts and cheques.

    Follows the People's Bank payment-settlement conventions (支付结算办法) in their full form: "整" after a
    whole-yuan amount, none after 角 or 分; "壹拾" (not "拾") for a leading ten; one "零" for every run of zeros
    between non-zero digits, including across 万/亿 and before 角 or 分 (¥107,000.53 -> 壹拾万零柒仟元零伍角叁分).

    >>> yuan_in_capitals(12345)
    '人民币壹佰贰拾叁元肆角伍分'
    >>> yuan_in_capitals(0, prefix="")
    '零元整'

    Raises ValueError for negative amounts (a receipt never states one in capitals) and TypeError for non-int.
    """
    if not isinstance(fen, int) or isinstance(fen, bool):
        raise TypeError(f"money must be int fen, got {type(fen).__name__}")
    if fen < 0:
        raise ValueError("amount in capitals must not be negative")
    yuan, rest = divmod(fen, 100)
    jiao, fen_digit = divmod(rest, 10)
    if yuan >= 10**16:
        raise ValueError("amount too large")
    if jiao == 0 and fen_digit == 0:
        return f"{prefix}{_integer_in_capitals(yuan)}元整"
    out = ""
    if yuan:
        out = _integer_in_capitals(yuan) + "元"
        if jiao and yuan % 10 == 0:
            out += "零"
    if jiao:
        out += _DIGITS[jiao] + "角"
    elif yuan:
        out += "零"  # 元 then 零 then 分: ¥325.04 -> 叁佰贰拾伍元零肆分
    if fen_digit:
        out += _DIGITS[fen_digit] + "分"
    return prefix + out
