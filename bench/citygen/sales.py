"""The till: two cashier shifts a day (opened with a float, closed with counted takings and the manager's
countersign), sales as sales/checkout.py writes them (receipt numbers gapless per store and day, one stock
movement per lot taken, points redeemed first, one audit event, a second one for a price override), voids in
the same shift and returns on a later day (sales/reversals.py).

Sales that will never change are written at once; the few that a void or return will touch later are kept
until the store is done, so their status and returned quantities go out as they end up.
"""
from __future__ import annotations

from datetime import timedelta

from supermarket.sales.tenders import MONEY_METHODS, TENDERS, label

from .base import hm, local, local_date, opt, text, ts, ymd
from .catalog import price
from .sink import Table
from . import points as points_domain

SALES_T = Table("sales", ("id", "created_at", "store_id", "kind", "number", "business_date", "seq", "shift_id",
                          "cashier_id", "sold_at", "total_fen", "points_total", "change_fen", "idempotency_key",
                          "reverses_id", "status", "approver_id", "reason", "print_count"))
LINES_T = Table("sale_lines", ("id", "sale_id", "line_no", "item_id", "name", "qty", "list_price_fen",
                               "unit_price_fen", "line_total_fen", "fund", "pay_with_points", "points_price",
                               "points_total", "override_reason", "returned_qty", "reverses_line_id"))
PAYMENTS_T = Table("sale_payments", ("id", "sale_id", "position", "method", "amount_fen", "tendered_fen", "points",
                                     "reference", "member_code"))
SHIFTS_T = Table("shifts", ("id", "created_at", "store_id", "number", "cashier_id", "open_cashier_id", "status",
                            "opened_at", "float_fen", "closed_at", "closed_by_id", "approver_id", "note"))
COUNTS_T = Table("shift_counts", ("shift_id", "method", "expected_fen", "counted_fen"))
OVERRIDE_REASONS = ("临期商品折价", "外包装破损折价", "老人优惠", "与标价签不符，按标签价")
VOID_REASONS = ("顾客改变主意", "扫错商品", "重复扫码", "顾客钱不够")
RETURN_REASONS = ("尺码不合适", "商品有瑕疵", "买重复了", "家人已买")
SELL_FROM, SELL_UNTIL, HANDOVER = hm(8, 2), hm(19, 55), hm(14)


class Shift:
    __slots__ = ("id", "number", "cashier", "opened_at", "float_fen", "takings", "until", "day")

    def __init__(self, id, cashier, float_fen, until, day):
        self.id, self.cashier, self.float_fen, self.until, self.day = id, cashier, float_fen, until, day
        self.number, self.opened_at = "", None
        self.takings = dict.fromkeys(MONEY_METHODS, 0)


class Sale:
    """A sale, void or return document; `moves` are kept only for sales a void or return will touch."""

    __slots__ = ("id", "kind", "number", "day", "seq", "shift", "cashier", "at", "when", "total", "points", "change",
                 "key", "reverses", "status", "approver", "reason", "lines", "payments", "moves")


class Line:
    __slots__ = ("id", "no", "item", "qty", "list_price", "unit_price", "total", "by_points", "points_price",
                 "points_total", "reason", "returned", "reverses")

    def __init__(self, id, no, item, qty, list_price, unit_price, by_points, reason="", reverses=None):
        self.id, self.no, self.item, self.qty, self.list_price = id, no, item, qty, list_price
        self.by_points, self.reason, self.returned, self.reverses = by_points, reason, 0, reverses
        # As checkout._lines: a points line is charged nothing in money and carries its points price.
        self.unit_price = 0 if by_points else unit_price
        self.total = 0 if by_points else unit_price * qty
        self.points_price = item.points_price if by_points else None
        self.points_total = item.points_price * qty if by_points else 0


class Pay:
    """A payment row as settle() makes it: `amount` is what it pays of the total, `tendered` the cash given."""

    __slots__ = ("id", "method", "amount", "tendered", "points", "reference", "member_code")

    def __init__(self, method, amount, tendered=None, points=0, reference="", member_code=""):
        self.id, self.method, self.amount, self.tendered = None, method, amount, tendered
        self.points, self.reference, self.member_code = points, reference, member_code


class Move:
    """A stock movement a sale made, and how much of it was put back since."""

    __slots__ = ("id", "lot", "qty", "item", "reversed")

    def __init__(self, id, lot, qty, item):
        self.id, self.lot, self.qty, self.item, self.reversed = id, lot, qty, item, 0


def setup_city(city) -> None:
    # The tender names the audit summary uses, as the till's requests see them (the default locale).
    city.extra["tender_labels"] = {m: label(m) for m in TENDERS}


def setup_store(city, st, agenda) -> None:
    st.till = None
    st.kept_sales = []
    st.used_items = []  # second-hand goods on the shelf (intake adds them)


def plan_day(city, st, day, agenda) -> None:
    if not st.is_open:
        return
    rng, vol = st.rng, city.vol
    first = hm(8, 30) if st.stocktake_today else hm(8)
    float_fen = rng.choice((10000, 20000, 20000, 30000))
    a = Shift(st.ids(), st.cashiers[0], float_fen, local(day, HANDOVER + rng.uniform(30, 240)), day)
    b = Shift(st.ids(), st.cashiers[1], float_fen, local(day, hm(20) + rng.uniform(30, 300)), day)
    agenda.add(local(day, first + rng.uniform(0, 60)), _open, city, st, a)
    agenda.add(a.until, _close, city, st, a)
    agenda.add(local(day, HANDOVER - rng.uniform(30, 120)), _open, city, st, b)
    agenda.add(b.until, _close, city, st, b)
    mean = vol.sales_per_day * st.activity
    n = max(0, round(rng.gauss(mean, mean ** 0.5)))
    start = max(SELL_FROM, first + 120)
    for _ in range(n):
        s = rng.uniform(start, SELL_UNTIL)
        if HANDOVER - 240 < s < HANDOVER + 180:  # the two cashiers hand over the till
            s += 420
        agenda.add(local(day, s), _sale, city, st, a if s < HANDOVER else b)


def _open(at, city, st, shift: Shift) -> None:
    day = local_date(at)
    shift.number = f"{st.code}-{ymd(day)}-B{st.counters.next(f'shift:{st.id}:{ymd(day)}'):02d}"
    shift.opened_at = at
    st.till = shift
    st.chain.record(shift.cashier, "sales.shift_opened", "shifts", shift.id,
                    {"number": shift.number, "float_fen": shift.float_fen}, at)


def _close(at, city, st, shift: Shift) -> None:
    expected = dict(shift.takings)
    expected["cash"] += shift.float_fen
    counted = dict(expected)
    rng = st.rng
    if rng.random() < st.profile.cash_short_share:
        counted["cash"] = max(0, counted["cash"] - rng.choice((50, 100, 200, 500, 1000, 2000)))
    approver = st.manager
    for method in MONEY_METHODS:
        city.sink.row(COUNTS_T, (shift.id, method, expected[method], counted[method]))
    city.sink.row(SHIFTS_T, (shift.id, shift.opened_at, st.id, shift.number, shift.cashier.user_id, None, "closed",
                             shift.opened_at, shift.float_fen, at, shift.cashier.user_id, approver.user_id, ""))
    st.chain.record(shift.cashier, "sales.shift_closed", "shifts", shift.id, {
        "number": shift.number, "approver": approver.username,
        "tenders": {m: {"expected_fen": expected[m], "counted_fen": counted[m]} for m in MONEY_METHODS},
        "variance_fen": sum(counted[m] - expected[m] for m in MONEY_METHODS)}, at)
    if st.till is shift:
        st.till = None
    city.count("shifts")


def _pick(city, st, rng, taken: set):
    """An item with stock for the next line: a donated second-hand piece now and then, else packaged goods."""
    vol = city.vol
    for _ in range(4):
        if st.used_items and rng.random() < vol.second_hand_line_share:
            item = st.used_items[rng.randrange(len(st.used_items))]
        else:
            item = city.extra["sold_items"][rng.randrange(len(city.extra["sold_items"]))]
        if item.id not in taken and st.stock.sellable(item) > 0:
            return item
    return None


def _sale(at, city, st, shift: Shift) -> None:
    """checkout.checkout: lines at the store's prices, tenders settled, stock taken expiring-first, points
    redeemed, then the sale, its lines and payments and its audit event (a second one for an override)."""
    rng, vol, stock, labels = st.rng, city.vol, st.stock, city.extra["tender_labels"]
    chosen, taken = [], set()  # [item, qty, list price, paid in points, override reason, charged price]
    for _ in range(rng.choice(vol.lines_per_sale)):
        item = _pick(city, st, rng, taken)
        if item is None:
            continue
        have = stock.sellable(item)
        qty = min(have, 1 if item.origin else rng.choice((1, 1, 1, 1, 1, 1, 1, 2, 2, 3)))
        taken.add(item.id)
        chosen.append([item, qty, price(st, item), False, "", None])
    if not chosen:
        city.count("sales_without_stock")
        return
    resident, points = None, 0
    if rng.random() < vol.points_sale_share:
        pick = next((c for c in chosen if c[0].points_price), None)
        if pick is None:  # the resident came for something they can pay in points
            item = rng.choice(city.extra["points_items"])
            if item.id not in taken and stock.sellable(item) > 0:
                pick = [item, 1, price(st, item), False, "", None]
                chosen.append(pick)
        if pick is not None:
            resident = points_domain.pick_resident(st, pick[0].points_price * pick[1], at)
            if resident is not None:
                pick[3], points = True, pick[0].points_price * pick[1]
    factor = st.profile.override_factor
    approver = None
    if rng.random() < vol.override_share * factor:
        pick = next((c for c in chosen if not c[3] and c[2] >= 100), None)
        if pick is not None:
            approver = st.manager
            pick[5] = pick[2] * rng.choice((50, 70, 80, 90)) // 100 // 10 * 10
            pick[4] = rng.choice(OVERRIDE_REASONS)
    sale = Sale()
    sale.id, sale.kind, sale.cashier, sale.at, sale.shift = st.ids(), "sale", shift.cashier, at, shift
    sale.approver, sale.reason, sale.reverses, sale.status, sale.key = approver, "", None, "completed", st.ids()
    sale.day = day = shift.day
    key = ymd(day)
    sale.seq = st.counters.next(f"receipt:{st.id}:{key}")
    sale.number = f"{st.code}-{key}-{sale.seq:04d}"
    lines = [Line(st.ids(), n, item, qty, list_price, list_price if charged is None else charged, by_points, reason)
             for n, (item, qty, list_price, by_points, reason, charged) in enumerate(chosen, 1)]
    total = sum(line.total for line in lines)
    sale.total, sale.points, sale.lines = total, points, lines
    sale.payments, sale.change = _settle(rng, total, points, resident)
    moves, sale.when = [], ts(at)
    for line in lines:
        item = line.item
        for mid, lot, n in stock.take(shift.cashier, item, line.qty, kind="sale", doc_type="sale", doc_id=sale.id,
                                      at=at, when=sale.when):
            moves.append(Move(mid, lot, n, item))
        if item.origin and stock.sellable(item) == 0 and item in st.used_items:
            st.used_items.remove(item)
    if resident is not None:
        points_domain.redeem(city, st, resident, points, sale.id, at, shift.cashier)
    _write_payments(city, st, sale, shift)
    summary = {"number": sale.number, "total_fen": total, "lines": len(lines),
               "tenders": {labels[p.method]: p.amount or p.points for p in sale.payments}, "change_fen": sale.change}
    if points:
        summary["points"] = points
    st.chain.record(shift.cashier, "sales.sale_completed", "sales", sale.id, summary, at)
    if approver is not None:
        st.chain.record(shift.cashier, "sales.price_overridden", "sales", sale.id, {
            "number": sale.number, "approver_id": str(approver.user_id),
            "lines": [{"item": ln.item.name, "list_fen": ln.list_price, "charged_fen": ln.unit_price,
                       "reason": ln.reason} for ln in lines if ln.reason]}, at)
    city.count("sales")
    if not points and rng.random() < vol.void_share * factor:
        void_at = at + timedelta(seconds=rng.uniform(40, 240))
        if void_at < shift.until:
            sale.moves = moves
            st.kept_sales.append(sale)
            st.agenda.add(void_at, _void, city, st, sale)
            return
    if not points and rng.random() < vol.return_share:
        sale.moves = moves
        st.kept_sales.append(sale)
        later = day + timedelta(days=rng.randint(1, 10))
        st.schedule(later, rng.choice((rng.uniform(hm(9), hm(13, 30)), rng.uniform(hm(14, 30), hm(19, 30)))),
                    _return, city, st, sale)
        return
    _write_sale(city, st, sale)


def _settle(rng, total: int, points: int, resident) -> tuple[list, int]:
    """The tenders a customer hands over (as the sales demo pays), the payment rows settle() makes of them,
    and the change."""
    rows, change = [], 0
    if total:
        roll, ref = rng.random(), str(rng.randrange(10 ** 9, 10 ** 10))
        if roll < 0.55:
            given = total if rng.random() < 0.4 else -(-total // 5000) * 5000
            change = given - total
            rows.append(Pay("cash", total, given))
        elif roll < 0.8:
            rows.append(Pay("wechat", total, reference="4200" + ref))
        elif roll < 0.92 or total < 200:
            rows.append(Pay("alipay", total, reference="2088" + ref))
        else:
            part = total // 2
            given = -(-(total - part) // 1000) * 1000
            change = given - (total - part)
            rows += [Pay("wechat", part, reference="4200" + ref), Pay("cash", total - part, given)]
    if points:
        rows.append(Pay("points", 0, points=points, member_code=resident.member_code))
    return rows, change


def _write_payments(city, st, sale: Sale, shift: Shift) -> None:
    for n, p in enumerate(sale.payments, 1):
        p.id = st.ids()
        city.sink.line(PAYMENTS_T, f"{p.id}\t{sale.id}\t{n}\t{p.method}\t{p.amount}\t{opt(p.tendered)}\t{p.points}\t"
                                   f"{p.reference}\t{p.member_code}\n")
        if p.method in shift.takings:
            shift.takings[p.method] += p.amount


def _write_sale(city, st, sale: Sale) -> None:
    when = sale.when
    city.sink.line(SALES_T, f"{sale.id}\t{when}\t{st.id}\t{sale.kind}\t{sale.number}\t{sale.day}\t{sale.seq}\t"
                            f"{sale.shift.id}\t{sale.cashier.user_id}\t{when}\t{sale.total}\t{sale.points}\t"
                            f"{sale.change}\t{sale.key}\t{opt(sale.reverses)}\t{sale.status}\t"
                            f"{opt(sale.approver.user_id if sale.approver else None)}\t{text(sale.reason)}\t0\n")
    for ln in sale.lines:
        item = ln.item
        city.sink.line(LINES_T, f"{ln.id}\t{sale.id}\t{ln.no}\t{item.id}\t{item.name_text}\t{ln.qty}\t"
                                f"{ln.list_price}\t{ln.unit_price}\t{ln.total}\t{item.fund}\t"
                                f"{'t' if ln.by_points else 'f'}\t{opt(ln.points_price)}\t{ln.points_total}\t"
                                f"{text(ln.reason)}\t{ln.returned}\t{opt(ln.reverses)}\n")


def _back_on_shelf(st, item) -> None:
    if item.origin and item not in st.used_items:
        st.used_items.append(item)


def _reversal(st, sale: Sale, kind: str, at, shift: Shift, reason: str) -> Sale:
    doc = Sale()
    doc.id, doc.kind, doc.cashier, doc.at, doc.shift, doc.key = st.ids(), kind, shift.cashier, at, shift, st.ids()
    doc.reverses, doc.status, doc.approver, doc.reason, doc.points, doc.change = sale.id, "completed", st.manager, \
        reason, 0, 0
    doc.day, doc.when = local_date(at), ts(at)
    doc.seq = st.counters.next(f"receipt:{st.id}:{ymd(doc.day)}")
    doc.number = f"{st.code}-{ymd(doc.day)}-{doc.seq:04d}"
    return doc


def _void(at, city, st, sale: Sale) -> None:
    """reversals.void_sale: the whole sale back, in its own shift, approved by the manager."""
    if sale.status != "completed":
        return
    reason = st.rng.choice(VOID_REASONS)
    void = _reversal(st, sale, "void", at, sale.shift, reason)
    for m in sorted(sale.moves, key=lambda m: (m.item.id, m.id)):  # _sale_movements' order
        st.stock.reverse(void.cashier, m.id, m.lot, m.qty - m.reversed, kind="sale_reversal", doc_type="sale",
                         doc_id=void.id, at=at)
        m.reversed = m.qty
        _back_on_shelf(st, m.item)
    void.total = -sale.total
    void.lines = []
    for ln in sale.lines:
        back = Line(st.ids(), ln.no, ln.item, -ln.qty, ln.list_price, ln.unit_price, False, reverses=ln.id)
        back.total, back.by_points, back.points_price, back.points_total = \
            -ln.total, ln.by_points, ln.points_price, -ln.points_total
        void.lines.append(back)
    void.payments = [Pay(p.method, -p.amount, None, -p.points, p.reference, p.member_code) for p in sale.payments]
    sale.status = "voided"
    _write_payments(city, st, void, sale.shift)
    _write_sale(city, st, void)
    st.chain.record(void.cashier, "sales.sale_voided", "sales", void.id, {
        "number": void.number, "original": sale.number, "total_fen": sale.total, "reason": reason,
        "approver": st.manager.username}, at)
    city.count("voids")


def _return(at, city, st, sale: Sale) -> None:
    """reversals.return_items: some of one line back, refunded from the cashier's open shift."""
    shift, rng = st.till, st.rng
    open_lines = [ln for ln in sale.lines if ln.qty - ln.returned > 0]
    if shift is None or sale.status not in ("completed", "partly_returned") or not open_lines:
        return
    line = rng.choice(open_lines)
    n = rng.randint(1, line.qty - line.returned)
    money = line.unit_price * n
    reason = rng.choice(RETURN_REASONS)
    ret = _reversal(st, sale, "return", at, shift, reason)
    line.returned += n
    sale.status = "returned" if all(ln.qty == ln.returned for ln in sale.lines) else "partly_returned"
    left = n
    for m in sorted((m for m in sale.moves if m.item is line.item), key=lambda m: m.id):
        k = min(left, m.qty - m.reversed)
        if k <= 0:
            continue
        st.stock.reverse(ret.cashier, m.id, m.lot, k, kind="sale_reversal", doc_type="sale", doc_id=ret.id, at=at)
        m.reversed += k
        _back_on_shelf(st, m.item)
        left -= k
        if left == 0:
            break
    method = "cash" if rng.random() < 0.7 else "wechat"
    ret.total = -money
    back = Line(st.ids(), 1, line.item, -n, line.list_price, line.unit_price, False, reverses=line.id)
    back.total, back.points_price = -money, line.points_price
    ret.lines = [back]
    reference = "" if method == "cash" else "4200" + str(rng.randrange(10 ** 9, 10 ** 10))
    ret.payments = [Pay(method, -money, reference=reference)] if money else []
    _write_payments(city, st, ret, shift)
    _write_sale(city, st, ret)
    st.chain.record(ret.cashier, "sales.items_returned", "sales", ret.id, {
        "number": ret.number, "original": sale.number, "refund_fen": money, "refund_method": method, "points": 0,
        "lines": {line.item.name: n}, "reason": reason, "approver": st.manager.username}, at)
    city.count("returns")


def finish_store(city, st) -> None:
    for sale in st.kept_sales:
        _write_sale(city, st, sale)
    st.kept_sales = []
