"""Benchmark `flask inventory verify` (recompute every balance from the ledger) over 100,000 and over 200,000
movements, each ledger in its own temp SQLite file built with bulk inserts.

Run from the project root: .venv/bin/python bench/stock_ledger.py
Prints verify_100k_s, verify_200k_s and verify_growth_ratio (target ≤ 2.2, i.e. linear). The two are timed in turn,
best of seven runs each, so a busy machine slows both alike (the CPU times are printed as a comment).
"""
from __future__ import annotations

import os
import random
import time
import uuid
from collections import defaultdict

from _stockdb import NOW, build_catalog, make_app, temp_dir

from supermarket.extensions import db

N_ITEMS = 5_000
MOVES_PER_LOT = 5  # an intake and four takes
RUNS = 7
STAMP = NOW.strftime("%Y-%m-%d %H:%M:%S.%f")


def add_ledger(stores, item_ids, n_moves: int, rng: random.Random, totals: dict) -> None:
    """Append `n_moves` movements (whole lots: one intake, then takes that never go below zero)."""
    lots, lot_balances, moves = [], [], []
    for _ in range(n_moves // MOVES_PER_LOT):
        store, item = rng.choice(stores).id.hex, rng.choice(item_ids).hex
        lot, qty = uuid.uuid4().hex, rng.randint(20, 60)
        lots.append((lot, store, item, STAMP, "bench", "b", STAMP))
        moves.append((uuid.uuid4().hex, store, item, lot, qty, "intake", STAMP))
        left = qty
        for _ in range(MOVES_PER_LOT - 1):
            n = rng.randint(1, 4)
            moves.append((uuid.uuid4().hex, store, item, lot, -n, "sale", STAMP))
            left -= n
        lot_balances.append((lot, store, item, left))
        totals[(store, item)] += left
    conn = db.session.connection()
    conn.exec_driver_sql("INSERT INTO lots (id, store_id, item_id, received_at, source_type, source_id, created_at)"
                         " VALUES (?, ?, ?, ?, ?, ?, ?)", lots)
    conn.exec_driver_sql("INSERT INTO lot_balances (lot_id, store_id, item_id, qty) VALUES (?, ?, ?, ?)",
                         lot_balances)
    conn.exec_driver_sql("INSERT INTO stock_movements (id, store_id, item_id, lot_id, qty, kind, doc_type, doc_id,"
                         " actor_name, occurred_at, note, created_at) VALUES (?, ?, ?, ?, ?, ?, 'bench', 'b',"
                         " 'bench', ?, '', ?)", [(*m, STAMP) for m in moves])
    conn.exec_driver_sql("INSERT OR REPLACE INTO stock_balances (store_id, item_id, qty) VALUES (?, ?, ?)",
                         [(s, i, q) for (s, i), q in totals.items()])
    db.session.commit()


def build(tmp: str, n_moves: int):
    """An app on its own SQLite file holding `n_moves` movements."""
    app = make_app(tmp)
    with app.app_context():
        db.create_all()
        stores, item_ids, _codes = build_catalog(N_ITEMS)
        add_ledger(stores, item_ids, n_moves, random.Random(5), defaultdict(int))
        db.session.remove()
    return app


def run_verify(app) -> tuple[float, float]:
    with app.app_context():
        start, start_cpu = time.perf_counter(), time.process_time()
        result = app.test_cli_runner().invoke(args=["inventory", "verify", "--full"])
        elapsed = time.perf_counter() - start, time.process_time() - start_cpu
        assert result.exit_code == 0, result.output
    return elapsed


def main() -> None:
    with temp_dir() as tmp100, temp_dir() as tmp200:
        apps = {"100k": build(tmp100, 100_000), "200k": build(tmp200, 200_000)}
        best = {name: (float("inf"), float("inf")) for name in apps}
        # Alternate the two sizes, best of RUNS each: a busy machine slows both alike.
        for _ in range(RUNS):
            for name, app in apps.items():
                wall, cpu = run_verify(app)
                best[name] = (min(best[name][0], wall), min(best[name][1], cpu))
        for app in apps.values():
            with app.app_context():
                db.engine.dispose()
    (t100, c100), (t200, c200) = best["100k"], best["200k"]
    print(f"# load average {os.getloadavg()[0]:.1f}; CPU seconds {c100:.3f} and {c200:.3f} (ratio {c200 / c100:.2f})")
    print(f"verify_100k_s: {t100:.3f}")
    print(f"verify_200k_s: {t200:.3f}")
    print(f"verify_growth_ratio: {t200 / t100:.2f}")


if __name__ == "__main__":
    main()
