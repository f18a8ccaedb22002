"""Stock documents: the opening stock, write-offs (expired lots, damaged goods), stocktakes counted by a cashier
and approved by the manager, and month closing — as inventory/{writeoffs,stocktakes,stocktake_review,periods}
write them. Diligent stores write off expired food and count every month; poor ones let it sit."""
from __future__ import annotations

from datetime import date, timedelta

from supermarket.inventory.models import StoreInventorySettings
from supermarket.inventory.stocktake_review import ratio_bp

from .base import SYSTEM, hm, local, local_date, local_time
from .catalog import expiry_for, price
from .sink import Table
from .stock import Stock

WRITE_OFFS_T = Table("write_offs", ("id", "created_at", "store_id", "number", "item_id", "lot_id", "qty",
                                    "reason_code", "reason", "unit_price_fen", "value_fen", "written_by_id",
                                    "written_by_name", "approved_by_id", "approved_by_name", "occurred_at",
                                    "idempotency_key"))
STOCKTAKES_T = Table("stocktakes", ("id", "created_at", "store_id", "number", "status", "whole_store",
                                    "open_store_id", "note", "idempotency_key", "started_by_id", "started_by_name",
                                    "started_at", "closed_by_id", "closed_by_name", "closed_at", "counted_lines",
                                    "book_value_fen", "variance_qty", "variance_value_fen", "variance_abs_value_fen",
                                    "variance_ratio_bp"))
ST_CATS_T = Table("stocktake_categories", ("stocktake_id", "category_id"))
ST_LINES_T = Table("stocktake_lines", ("id", "created_at", "stocktake_id", "item_id", "counted_qty", "expiry_date",
                                       "book_qty", "unit_price_fen"))
ST_COUNTS_T = Table("stocktake_counts", ("id", "line_id", "stocktake_id", "qty", "actor_id", "actor_name", "at"))
CLOSES_T = Table("period_closes", ("id", "created_at", "store_id", "month", "closed_by_id", "closed_by_name",
                                   "closed_at", "note"))
# No store changes its settings here, so every write-off is judged against the model's default threshold.
APPROVAL_ABOVE_FEN = StoreInventorySettings.__table__.c.write_off_approval_fen.default.arg
DAMAGE = ("搬运时包装破损", "顾客试用后损坏", "受潮发霉", "摔碎", "外包装污损无法销售")
COUNTED = ("GRAIN", "FOOD", "DRINK", "DAILY", "BOOK", "HOME", "BABY")


def setup_store(city, st, agenda) -> None:
    st.stock = Stock(city, st)
    st.stocktake_today = False
    agenda.add(local(city.params.start_date - timedelta(days=1), hm(18)), _opening_stock, city, st)


def _opening_stock(at, city, st) -> None:
    """As the inventory demo loads it: one lot per item (two for food), document "opening_stock", one event.
    Bought goods get enough for the whole period (no purchasing flow exists to restock them)."""
    rng, stock, today = st.rng, st.stock, city.params.start_date
    doc = f"city-{st.code}"
    units = 0
    period = city.params.days
    for item in city.extra["items"]:
        if item.kind == "purchased":
            qty = max(20, int(period * 0.9 * st.activity)) + rng.randint(0, 20)
        elif item.aid:
            qty = rng.randint(60, 120)
        else:
            qty = rng.randint(0, 3) if rng.random() < 0.1 else rng.randint(8, 40)
        if qty == 0:
            continue
        if item.is_food and item.kind == "purchased":
            parts = [(qty, today + timedelta(days=period + rng.randint(30, 200)))]
        elif item.is_food and qty >= 4:
            first = expiry_for(rng, item, today, near=rng.random() < 0.08)
            split = rng.randint(1, qty - 1)
            parts = [(split, first), (qty - split, first + timedelta(days=rng.randint(30, 90)))]
        else:
            parts = [(qty, expiry_for(rng, item, today))]
        for lot_qty, expiry in parts:
            stock.receive(SYSTEM, item, lot_qty, kind="intake", doc_type="opening_stock", doc_id=doc, at=at,
                          expiry=expiry, note="期初库存")
            units += lot_qty
    st.chain.record(SYSTEM, "inventory.opening_stock_loaded", "store", st.id, {"store": st.code, "units": units}, at)


def plan_day(city, st, day: date, agenda) -> None:
    stock, p, rng = st.stock, st.profile, st.rng
    stock.sweep(day)
    st.stocktake_today = False
    if not st.is_open:
        return
    if stock.expired_lots and rng.random() < p.expired_write_off:
        at = local(day, hm(8, 5, rng.uniform(0, 240)))
        for n, lot in enumerate(list(stock.expired_lots)):
            agenda.add(at + timedelta(seconds=40 * n), _write_off, city, st, lot.item, lot.qty, "expired",
                       "超过保质期，下架报损", lot)
    if rng.random() < city.vol.damaged_write_offs_per_day:
        item = rng.choice(city.extra["sold_items"])
        if not item.is_food and stock.sellable(item) > 0:
            agenda.add(local(day, hm(rng.randint(9, 18), rng.randint(0, 59))), _write_off, city, st, item, 1,
                       "damaged", rng.choice(DAMAGE), None)
    if _last_day_of_month(day) and (day.month - 1) % p.stocktake_months == 0:
        st.stocktake_today = True  # the till opens at 08:30: the count comes first
        agenda.add(local(day, hm(8, 0, rng.uniform(0, 60))), _stocktake, city, st)
    if p.month_close_day and day.day == p.month_close_day and day.month != city.params.start_date.month:
        first = (day.replace(day=1) - timedelta(days=1)).replace(day=1)
        agenda.add(local(day, hm(19, 30)), _close_month, city, st, first)


def _last_day_of_month(day: date) -> bool:
    return (day + timedelta(days=1)).day == 1


def _write_off(at, city, st, item, qty, reason_code, reason, lot) -> None:
    """inventory.writeoffs.write_off: a cashier writes it; above the threshold the manager approves."""
    if lot is not None:
        qty = lot.qty  # a stocktake may have moved it since the morning's list
    if qty <= 0 or lot is None and st.stock.sellable(item) < qty:
        return  # gone meanwhile
    writer = st.cashiers[0] if local_hour(at) < 14 else st.cashiers[1]  # whoever is on shift
    unit = price(st, item)
    value = unit * qty
    approver = st.manager if value > APPROVAL_ABOVE_FEN else None
    number = f"{st.code}-BS-{_year(at)}-{st.counters.next(f'BS:{st.id}:{_year(at)}'):04d}"
    wid = st.ids()
    st.stock.take(writer, item, qty, kind="write_off", doc_type="write_off", doc_id=wid, at=at, lot=lot,
                  allow_expired=True, note=number)
    city.sink.row(WRITE_OFFS_T, (wid, at, st.id, number, item.id, lot.id if lot else None, qty, reason_code, reason,
                                 unit, value, writer.user_id, writer.username, approver.user_id if approver else None,
                                 approver.username if approver else "", at, st.ids()))
    st.chain.record(writer, "inventory.written_off", "write_offs", wid,
                    {"number": number, "item": item.name, "qty": qty, "reason_code": reason_code, "value_fen": value,
                     "approver": approver.username if approver else None, "photo": False}, at)
    city.count("write_offs")


def _stocktake(at, city, st) -> None:
    """Started by the manager, counted (typed numbers) by the morning cashier, approved by the manager."""
    rng, stock, manager, counter = st.rng, st.stock, st.manager, st.cashiers[0]
    cats = city.extra["categories"]
    chosen = [cats[c] for c in rng.sample(COUNTED, rng.choice((1, 2)))]
    number = f"{st.code}-PD-{_year(at)}-{st.counters.next(f'PD:{st.id}:{_year(at)}'):04d}"
    tid = st.ids()
    st.chain.record(manager, "inventory.stocktake_started", "stocktakes", tid,
                    {"number": number, "categories": [c.code for c in chosen]}, at)
    for c in chosen:
        city.sink.row(ST_CATS_T, (tid, c.id))
    wanted = {c.id for c in chosen}
    on_shelf = [s for s in stock.items.values() if s.qty > 0 and s.item.category.id in wanted]
    rng.shuffle(on_shelf)
    lines, t = [], at
    for s in on_shelf[:60]:
        miss = rng.random() < st.profile.stocktake_miss_share
        counted = s.qty + (rng.choice((-1, -1, -2, -3, 1)) if miss else 0)
        if counted < 1:
            continue
        t = t + timedelta(seconds=rng.uniform(8, 25))
        line_id = st.ids()
        lines.append((s.item, s.qty, counted, price(st, s.item), line_id, t))
        city.sink.row(ST_COUNTS_T, (st.ids(), line_id, tid, counted, counter.user_id, counter.username, t))
        st.chain.record(counter, "inventory.stocktake_counted", "stocktakes", tid,
                        {"number": number, "item": s.item.name, "qty": counted}, t)
    done = t + timedelta(minutes=3)
    today = local_date(done)
    book_value = sum(book * unit for _i, book, _c, unit, _l, _t in lines)
    var_qty = sum(c - b for _i, b, c, _u, _l, _t in lines)
    var_value = sum((c - b) * u for _i, b, c, u, _l, _t in lines)
    var_abs = sum(abs(c - b) * u for _i, b, c, u, _l, _t in lines)
    for item, book, counted, unit, line_id, t_line in lines:
        city.sink.row(ST_LINES_T, (line_id, t_line, tid, item.id, counted, None, book, unit))
        if counted < book:
            stock.take(manager, item, book - counted, kind="stocktake_adjustment", doc_type="stocktake", doc_id=tid,
                       at=done, allow_expired=True, note=number)
        elif counted > book:
            expiry = stock.reference_expiry(item, today) if item.is_food else None
            if item.is_food and expiry is None:
                expiry = expiry_for(rng, item, today)
            stock.receive(manager, item, counted - book, kind="stocktake_adjustment", doc_type="stocktake",
                          doc_id=tid, at=done, expiry=expiry, note=number)
    ratio = ratio_bp(var_abs, book_value)
    city.sink.row(STOCKTAKES_T, (tid, at, st.id, number, "posted", False, None, "月末盘点", st.ids(),
                                 manager.user_id, manager.username, at, manager.user_id, manager.username, done,
                                 len(lines), book_value, var_qty, var_value, var_abs, ratio))
    st.chain.record(manager, "inventory.stocktake_posted", "stocktakes", tid,
                    {"number": number, "approver": manager.username, "lines": len(lines), "variance_qty": var_qty,
                     "variance_value_fen": var_value, "ratio_bp": ratio}, done)
    city.count("stocktakes")


def _close_month(at, city, st, first: date) -> None:
    cid = st.ids()
    city.sink.row(CLOSES_T, (cid, at, st.id, first, st.manager.user_id, st.manager.username, at, ""))
    st.chain.record(st.manager, "inventory.period_closed", "period_closes", cid, {"month": first.strftime("%Y-%m")},
                    at)


def local_hour(at) -> int:
    return local_time(at).hour


def _year(at) -> int:
    return local_date(at).year


def finish_store(city, st) -> None:
    st.stock.finish()
