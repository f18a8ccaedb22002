"""Till receipt on a 58 mm or 80 mm roll.

`compose_receipt` lays the receipt out on the character grid (pure, tested line by line); `render_receipt` draws
it. On 58 mm each item takes a name line (wrapped) and a "qty × price   total" line; on 80 mm the items are a
table whose name column wraps.
"""

from __future__ import annotations

from printing.data import ReceiptData, ReceiptLine
from printing.layout import center, left_right, ljust, money_text, rjust, text_width, wrap_text
from printing.roll import RollItem, RollLine, big_lines, plain, render_roll, roll_columns

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
_WIDE_TABLE = 48  # from this many columns items are laid out as a table


def _items_narrow(lines: tuple[ReceiptLine, ...], width: int) -> list[str]:
    out = ["品名", left_right("  数量 × 单价", "金额", width)[0]]
    out.append("-" * width)
    for line in lines:
        out += wrap_text(line.name, width)
        price, total = _price_and_total(line)
        out += left_right(f"  {_amount(line)} × {price}", total, width)
        out += _discount(line, width)
    return out


def _amount(line: ReceiptLine) -> str:
    """The quantity, or a weighed line's weight in kg with three decimals (as the scale showed it)."""
    if line.weight_g is None:
        return str(line.qty)
    g = abs(line.weight_g)
    return f"{'-' if line.weight_g < 0 else ''}{g // 1000}.{g % 1000:03d} kg"


def _discount(line: ReceiptLine, width: int) -> list[str]:
    """A discounted line's discount and its total after it, under the qty × price row."""
    if not line.discount_fen:
        return []
    return (left_right("  折扣", money_text(-line.discount_fen), width)
            + left_right("  小计", money_text(line.line_total_fen), width))


def _price_and_total(line: ReceiptLine) -> tuple[str, str]:
    """A points line in 积分 (a ¥0.00 would read as free, and 分 alone as cents)."""
    if line.points_price is not None:
        return f"{line.points_price}积分", f"{line.points_price * line.qty}积分"
    # A discounted line shows qty × price first, then its discount and what is left (_discount).
    per = "/kg" if line.weight_g is not None else ""
    return money_text(line.unit_price_fen) + per, money_text(line.line_total_fen + line.discount_fen)


def _items_table(lines: tuple[ReceiptLine, ...], width: int) -> list[str]:
    qty_w, price_w, total_w = 6, 11, 11
    name_w = width - qty_w - price_w - total_w
    out = [ljust("品名", name_w) + rjust("数量", qty_w) + rjust("单价", price_w) + rjust("金额", total_w)]
    out.append("-" * width)
    for line in lines:
        names = wrap_text(line.name, name_w - 1)
        numbers = [_amount(line), *_price_and_total(line)]
        if line.weight_g is not None or any(len(n) >= w for n, w in zip(numbers, (qty_w, price_w, total_w))):
            # an amount too wide for its column (or a weight, which reads as one phrase): fall back to the
            # two-line layout for this item
            out += wrap_text(line.name, width)
            out += left_right(f"  {numbers[0]} × {numbers[1]}", numbers[2], width)
            out += _discount(line, width)
            continue
        out.append(ljust(names[0], name_w) + rjust(numbers[0], qty_w) + rjust(numbers[1], price_w)
                   + rjust(numbers[2], total_w))
        out += names[1:]
        out += _discount(line, width)
    return out


def compose_receipt(data: ReceiptData, width_chars: int) -> list[RollItem]:
    """The receipt as styled lines on a grid `width_chars` columns wide."""
    w = width_chars
    rule = "-" * w
    items: list[RollItem] = big_lines(data.store_name, w)
    items += plain([center(f"门店编号 {data.store_code}", w)])
    contact = [part for part in (data.store_address, f"电话 {data.store_phone}" if data.store_phone else "") if part]
    for part in contact:
        items += plain([center(text, w) for text in wrap_text(part, w)])
    if data.reprint:
        items += big_lines("副本", w, "inverse")
    if data.marker:
        items += big_lines(data.marker, w, "inverse")
    head = [f"单号 {data.receipt_no}", f"时间 {data.sold_at.strftime(TIME_FORMAT)}", f"收银 {data.cashier_name}"]
    if data.reprint and data.reprinted_at is not None:
        head.append(f"补打 {data.reprinted_at.strftime(TIME_FORMAT)}")
    body = [rule]
    for text in head:
        body += wrap_text(text, w)
    body.append(rule)
    body += _items_table(data.lines, w) if w >= _WIDE_TABLE else _items_narrow(data.lines, w)
    body.append(rule)
    discounts = sum(line.discount_fen for line in data.lines)
    if discounts:
        if data.basket_discount_fen:
            body += left_right("其中整单折扣", money_text(-data.basket_discount_fen), w)
        body += left_right("优惠合计", money_text(-discounts), w)
    body += left_right("合计", money_text(data.total_fen), w)
    points = sum(p.points or 0 for p in data.payments)
    if points:
        body += left_right("合计积分", f"{points}积分", w)
    for p in data.payments:
        body += left_right(p.method, money_text(p.amount_fen) if p.points is None else f"{p.points}积分", w)
        if p.reference:
            body += wrap_text(f"  交易号 {p.reference}", w)
    body += left_right("找零", money_text(data.change_fen), w)
    if data.donation_fen:
        body += wrap_text(f"捐赠 {money_text(data.donation_fen)} → {data.donation_project}，谢谢您的爱心", w)
    if data.points_balance is not None:
        body += left_right("剩余积分", f"{data.points_balance}积分", w)
    if data.notes:
        body.append(rule)
        for note in data.notes:
            body += wrap_text(note, w)
    body.append(rule)
    items += plain(body)
    if data.footer:
        items += plain([center(part, w) for part in wrap_text(data.footer, w)])
    items += plain(["", cut_line(w)])
    return items


def cut_line(width: int) -> str:
    """Where to tear the roll (a printer without a cutter; an ESC/POS printer also gets a cut command)."""
    text = " 沿此线撕下 "
    left = (width - text_width(text)) // 2
    return "-" * left + text + "-" * (width - text_width(text) - left)


def receipt_lines(data: ReceiptData, width_chars: int) -> list[str]:
    """The receipt's text, line by line, on a grid `width_chars` columns wide (32 for 58 mm, 48 for 80 mm).

    Big lines (store name, 副本) are centred in half the columns, since each of their characters prints double.
    """
    return [item.text for item in compose_receipt(data, width_chars) if isinstance(item, RollLine)]


def render_receipt(data: ReceiptData, *, width_mm: int = 58) -> bytes:
    """Till receipt PDF for a 58 or 80 mm roll (ValueError for other widths); the page grows with the content."""
    columns = roll_columns(width_mm)
    return render_roll(compose_receipt(data, columns), width_mm=width_mm, title=f"收据 {data.receipt_no}")
