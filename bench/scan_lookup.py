"""Benchmark the scan lookup: a catalog of 100,000 items and 3 stores on a temp SQLite file; barcode lookups
through the service (inventory.queries.scan_lookup: item, store price, on-hand in one query) and through the
HTTP API (test client, bearer token).

Run from the project root: .venv/bin/python bench/scan_lookup.py
Prints scan_service_p50_ms, scan_service_p99_ms (target < 5), scan_http_p50_ms, scan_http_p99_ms.
"""
from __future__ import annotations

import os
import random
import time

from _stockdb import build_catalog, make_app, percentile, temp_dir

from supermarket.auth import service as auth_service
from supermarket.auth.permissions import Actor, Role, system_actor
from supermarket.extensions import db

N_ITEMS = 100_000
N_SERVICE = 3_000
N_HTTP = 1_000


def stock_and_prices(stores, ids) -> None:
    rng = random.Random(7)
    conn = db.session.connection()
    for store in stores:
        conn.exec_driver_sql("INSERT INTO stock_balances (store_id, item_id, qty) VALUES (?, ?, ?)",
                             [(store.id.hex, i.hex, rng.randint(0, 50)) for i in rng.sample(ids, len(ids) // 2)])
        conn.exec_driver_sql("INSERT INTO store_prices (store_id, item_id, price_fen) VALUES (?, ?, 99)",
                             [(store.id.hex, i.hex) for i in rng.sample(ids, len(ids) // 10)])
    db.session.commit()


def main() -> None:
    from supermarket.inventory import queries

    with temp_dir() as tmp:
        app = make_app(tmp)
        with app.app_context():
            db.create_all()
            started = time.perf_counter()
            stores, ids, codes = build_catalog(N_ITEMS)
            stock_and_prices(stores, ids)
            store = stores[0]
            auth_service.create_user(db.session, system_actor("bench"), username="cashier", display_name="收银员",
                                     password="changsha2023", role=Role.CASHIER, store_id=store.id)
            print(f"# built {N_ITEMS} items, 3 stores in {time.perf_counter() - started:.1f}s")
            actor = Actor(None, "cashier", Role.CASHIER, store_ids=frozenset({store.id}))
            rng = random.Random(11)
            picks = [rng.choice(codes) for _ in range(N_SERVICE)]
            for code in picks[:200]:  # warm up the connection and statement caches
                queries.scan_lookup(db.session, actor, code, store_id=store.id)
            samples = []
            for code in picks:
                t = time.perf_counter()
                queries.scan_lookup(db.session, actor, code, store_id=store.id)
                samples.append((time.perf_counter() - t) * 1000)
            db.session.rollback()
            client = app.test_client()
            token = client.post("/api/v1/auth/token", json={"username": "cashier", "password": "changsha2023"})
            headers = {"Authorization": f"Bearer {token.get_json()['token']}"}
            http = []
            for i, code in enumerate(picks[:N_HTTP + 50]):
                t = time.perf_counter()
                resp = client.get(f"/api/v1/items?barcode={code}", headers=headers)
                elapsed = (time.perf_counter() - t) * 1000
                assert resp.status_code == 200, resp.get_data(as_text=True)
                if i >= 50:
                    http.append(elapsed)
            db.session.remove()
            db.engine.dispose()
    print(f"# load average {os.getloadavg()[0]:.1f}")
    print(f"scan_service_p50_ms: {percentile(samples, 50):.3f}")
    print(f"scan_service_p99_ms: {percentile(samples, 99):.3f}")
    print(f"scan_http_p50_ms: {percentile(http, 50):.3f}")
    print(f"scan_http_p99_ms: {percentile(http, 99):.3f}")


if __name__ == "__main__":
    main()
