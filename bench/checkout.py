"""Benchmark the checkout: a 5-line cash sale through the checkout service, against a floor of plain sqlite3.
One sale in five carries a line discount and one in ten a basket discount (the floor writes none).

Run from the project root: .venv/bin/python bench/checkout.py [--sales 1000]

Both run on one SQLite file with the app's settings (WAL, synchronous=FULL, foreign keys on), interleaved sale by
sale so they see the same file and cache. The checkout is timed as a request sees it: a fresh session per sale
(store, items and prices loaded again), the service call, the commit. The floor does the same writes with plain
sqlite3 and nothing else: the guarded shift, stock and lot UPDATEs, the receipt counter upsert, the sale, line,
payment and movement INSERTs and the audit chain update and INSERT, in one transaction.
"""
from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

N_LINES = 5


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def setup(app):
    """A store, a cashier with an open shift, five stocked items; returns what both loops need."""
    from supermarket.auth.permissions import Actor, Role, system_actor
    from supermarket.auth.service import create_user
    from supermarket.catalog import service as catalog
    from supermarket.catalog.codes import gtin_check_digit
    from supermarket.extensions import db
    from supermarket.inventory import ledger
    from supermarket.inventory.models import Lot
    from supermarket.sales import shifts
    from supermarket.stores import service as stores
    from supermarket.uow import unit_of_work

    s, admin = db.session, system_actor("bench")
    district = stores.create_district(s, admin, code="YL", name="岳麓区")
    store = stores.create_store(s, admin, code="YL01", name="望月湖慈善超市", district_id=district.id)
    user = create_user(s, admin, username="cashier", display_name="收银员", password="bench-password",
                       role=Role.CASHIER, store_id=store.id)
    cat = catalog.create_category(s, admin, code="GEN", name="日用品")
    items = []
    for n in range(N_LINES):
        body = f"6900000{n:05d}"
        items.append(catalog.create_item(s, Actor(None, "bench", Role.STORE_MANAGER), name=f"物品{n}",
                                         category_id=cat.id, kind="purchased", barcode=body + str(gtin_check_digit(body)),
                                         default_price_fen=100 + n * 50))
    now = datetime.now(timezone.utc) - timedelta(days=1)
    with unit_of_work(s):
        for item in items:
            ledger.receive(s, admin, store_id=store.id, item=item, qty=1_000_000, kind="intake", doc_type="bench",
                           doc_id="seed", now=now)
    actor = Actor(user.id, user.username, Role.CASHIER, store_ids=frozenset({store.id}))
    shift = shifts.open_shift(s, actor, float_fen=0, now=now)
    lots = {i.id: s.scalar(db.select(Lot.id).where(Lot.item_id == i.id)) for i in items}
    return {"actor": actor, "store_id": store.id, "shift_id": shift.id, "user_id": user.id,
            "items": [(i.id, i.barcode, i.default_price_fen, lots[i.id]) for i in items]}


def checkout_once(app, ctx, n: int) -> float:
    from supermarket.extensions import db
    from supermarket.sales.checkout import checkout
    from supermarket.sales.discounts import Discount
    from supermarket.sales.inputs import Cart, CartLine, Tendered

    # Discounts in the mix, within the cashier's limit (an approval would time the password hash): one sale in
    # five with a line discount, one in ten with a basket discount. The cash given covers the undiscounted total.
    lines = [CartLine(qty=1, barcode=code) for _id, code, _p, _lot in ctx["items"]]
    if n % 5 == 0:
        lines[0] = CartLine(qty=1, barcode=lines[0].barcode, discount=Discount(percent=10))
    basket = Discount(percent=5) if n % 10 == 3 else None
    total = sum(price for _id, _c, price, _lot in ctx["items"])
    cart = Cart(uuid.uuid4(), tuple(lines), (Tendered("cash", total + 1000),), discount=basket)
    t0 = time.perf_counter()
    checkout(db.session, ctx["actor"], cart, now=datetime.now(timezone.utc))
    elapsed = time.perf_counter() - t0
    db.session.remove()  # the request ends: the next sale starts with a fresh session
    return elapsed


def _hex(u: uuid.UUID) -> str:
    return u.hex  # SQLAlchemy stores UUIDs as 32 hex characters on SQLite


def floor_once(conn: sqlite3.Connection, ctx, n: int) -> float:
    """The same writes with plain sqlite3, nothing else."""
    store, shift, user = _hex(ctx["store_id"]), _hex(ctx["shift_id"]), _hex(ctx["user_id"])
    now = datetime.now(timezone.utc).replace(tzinfo=None).isoformat(sep=" ")
    sale_id = uuid.uuid4().hex
    t0 = time.perf_counter()
    conn.execute("BEGIN")
    cur = conn.execute("UPDATE shifts SET status='open' WHERE open_cashier_id=? AND store_id=? AND status='open'",
                       (user, store, ))
    assert cur.rowcount == 1
    total = 0
    for item_id, _code, price, lot in ctx["items"]:
        item = _hex(item_id)
        assert conn.execute("UPDATE stock_balances SET qty=qty-1 WHERE store_id=? AND item_id=? AND qty>=1",
                            (store, item)).rowcount == 1
        assert conn.execute("UPDATE lot_balances SET qty=qty-1 WHERE lot_id=? AND qty>=1", (_hex(lot),)).rowcount == 1
        conn.execute("INSERT INTO stock_movements (id, created_at, store_id, item_id, lot_id, qty, kind, doc_type, "
                     "doc_id, actor_id, actor_name, occurred_at, note) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                     (uuid.uuid4().hex, now, store, item, _hex(lot), -1, "sale", "sale", sale_id, user, "cashier",
                      now, ""))
        total += price
    seq = conn.execute("INSERT INTO sequences (key, last_value) VALUES (?, 1) ON CONFLICT (key) DO UPDATE SET "
                       "last_value = last_value + 1 RETURNING last_value", (f"floor:{store}",)).fetchone()[0]
    conn.execute("INSERT INTO sales (id, created_at, store_id, kind, number, business_date, seq, shift_id, "
                 "cashier_id, sold_at, total_fen, points_total, change_fen, idempotency_key, status, reason, "
                 "print_count) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                 (sale_id, now, store, "sale", f"FLOOR-{seq:07d}", "2000-01-01", seq, shift, user, now, total, 0,
                  1000, uuid.uuid4().hex, "completed", "", 0))
    for k, (item_id, _code, price, _lot) in enumerate(ctx["items"], start=1):
        conn.execute("INSERT INTO sale_lines (id, sale_id, line_no, item_id, name, qty, list_price_fen, "
                     "unit_price_fen, line_total_fen, fund, pay_with_points, points_total, override_reason, "
                     "returned_qty) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                     (uuid.uuid4().hex, sale_id, k, _hex(item_id), f"物品{k}", 1, price, price, price, "purchased",
                      0, 0, "", 0))
    conn.execute("INSERT INTO sale_payments (id, sale_id, position, method, amount_fen, tendered_fen, points, "
                 "reference, member_code) VALUES (?,?,?,?,?,?,?,?,?)",
                 (uuid.uuid4().hex, sale_id, 1, "cash", total, total + 1000, 0, "", ""))
    chain = f"floor-{store}"
    row = conn.execute("UPDATE audit_chain_heads SET seq = seq + 1 WHERE chain=? RETURNING seq, hash",
                       (chain,)).fetchone()
    conn.execute("INSERT INTO audit_events (id, chain, seq, at, actor_id, actor_name, role, store_id, action, "
                 "subject_type, subject_id, summary, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                 (uuid.uuid4().hex, chain, row[0], now, user, "cashier", "cashier", store, "sales.sale_completed",
                  "sales", sale_id, '{"lines":5}', row[1], uuid.uuid4().hex * 2))
    conn.execute("UPDATE audit_chain_heads SET hash=? WHERE chain=?", (uuid.uuid4().hex * 2, chain))
    conn.execute("COMMIT")
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sales", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=50)
    args = parser.parse_args()

    from supermarket import create_app
    from supermarket.extensions import db

    tmp = tempfile.mkdtemp(prefix="bench-checkout-")
    path = os.path.join(tmp, "bench.db")
    app = create_app("config.TestConfig", SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}", TESTING=False)
    with app.app_context():
        db.create_all()
        ctx = setup(app)
        db.session.remove()
        conn = sqlite3.connect(path, isolation_level=None)
        for pragma in ("foreign_keys=ON", "journal_mode=WAL", "synchronous=FULL", "busy_timeout=15000"):
            conn.execute(f"PRAGMA {pragma}")
        conn.execute("INSERT INTO audit_chain_heads (chain, seq, hash) VALUES (?, 0, ?)",
                     (f"floor-{ctx['store_id'].hex}", "0" * 64))
        for n in range(args.warmup):
            checkout_once(app, ctx, n)
            floor_once(conn, ctx, n)
        service, floor = [], []
        for n in range(args.sales):
            service.append(checkout_once(app, ctx, n))
            floor.append(floor_once(conn, ctx, n))
        conn.close()
    ms = lambda v: f"{v * 1000:.3f}"  # noqa: E731
    med, fmed = statistics.median(service), statistics.median(floor)
    print(f"checkout_median_ms: {ms(med)}")
    print(f"checkout_p99_ms: {ms(percentile(service, 99))}")
    print(f"floor_median_ms: {ms(fmed)}")
    print(f"floor_p99_ms: {ms(percentile(floor, 99))}")
    print(f"checkout_ratio_vs_floor: {med / fmed:.2f}")


if __name__ == "__main__":
    main()
