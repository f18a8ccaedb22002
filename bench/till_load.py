"""Load test of the till: the app under gunicorn on PostgreSQL, 8 tablets posting sales over HTTP for 20 s.

Run from the project root: .venv/bin/python bench/till_load.py [--seconds 20] [--clients 8] [--workers 4]

A throwaway database is made on PG_URL (default postgresql://postgres@127.0.0.1:5432, as tools/pg_testdb.py) and
dropped afterwards. Eight tills: two cashiers in each of four stores, each with an open shift and a bearer
token, selling 1–5 random items (qty 1, cash) from the store's 40 stocked items, one sale in five with a line
discount and one in ten with a basket discount. Each client is closed-loop
(it waits for its answer before the next sale), so the load is bounded. At the end the stock is checked:
every item's balance must equal its initial stock minus the quantities on the sales that went through, and the
number of sales in the database must equal the 201 answers the clients received.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BASE = os.environ.get("PG_URL", "postgresql://postgres@127.0.0.1:5432")
STORES, TILLS_PER_STORE, ITEMS_PER_STORE, STOCK = 4, 2, 40, 100_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_snapshot() -> tuple[float, int, int]:
    """(seconds the machine's cores spent busy, steal ticks, all ticks), from /proc/stat: idle, iowait and
    steal (time the host gave to other guests) are not busy."""
    try:
        with open("/proc/stat") as f:
            fields = [int(v) for v in f.readline().split()[1:9]]
    except OSError:
        return 0.0, 0, 0
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK"), steal, sum(fields)


def process_cpu(pids: list[int]) -> float:
    """Seconds of CPU (user + system) the given processes have used; a process gone meanwhile counts 0."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except OSError:
                continue
    return found


def backends(name: str) -> list[int]:
    """The PostgreSQL server processes serving the bench database (the server runs on this machine)."""
    import psycopg

    with psycopg.connect(f"{BASE}/postgres", autocommit=True) as conn:
        return [row[0] for row in conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", (name,))]


def seed(url: str) -> dict:
    """Schema (migrations) and the tills: stores, cashiers with open shifts and tokens, stocked items."""
    from flask_migrate import upgrade

    from supermarket import create_app
    from supermarket.auth.permissions import Actor, Role, system_actor
    from supermarket.auth.service import create_user, issue_token
    from supermarket.catalog import service as catalog
    from supermarket.catalog.codes import gtin_check_digit
    from supermarket.extensions import db
    from supermarket.inventory import ledger
    from supermarket.sales import shifts
    from supermarket.stores import service as stores
    from supermarket.uow import unit_of_work

    app = create_app("config.TestConfig", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        s, admin = db.session, system_actor("bench")
        district = stores.create_district(s, admin, code="YL", name="岳麓区")
        cat = catalog.create_category(s, admin, code="GEN", name="日用品")
        shop = Actor(None, "bench", Role.STORE_MANAGER)
        tills, items = [], {}
        past = datetime.now(timezone.utc) - timedelta(days=1)
        for n in range(STORES):
            store = stores.create_store(s, admin, code=f"YL{n + 1:02d}", name=f"门店{n + 1}", district_id=district.id)
            items[store.id] = []
            for k in range(ITEMS_PER_STORE):
                body = f"69{n:02d}{k:08d}"
                item = catalog.create_item(s, shop, name=f"物品{n}-{k}", category_id=cat.id, kind="purchased",
                                           barcode=body + str(gtin_check_digit(body)), default_price_fen=100 + k * 10)
                items[store.id].append((item.barcode, item.default_price_fen, item.id))
            with unit_of_work(s):
                for _code, _price, item_id in items[store.id]:
                    ledger.receive(s, admin, store_id=store.id, item=catalog.get_item(s, item_id), qty=STOCK,
                                   kind="intake", doc_type="bench", doc_id="seed", now=past)
            for t in range(TILLS_PER_STORE):
                name = f"till-{n}-{t}"
                user = create_user(s, admin, username=name, display_name=name, password="bench-password-1",
                                   role=Role.CASHIER, store_id=store.id)
                actor = Actor(user.id, name, Role.CASHIER, store_ids=frozenset({store.id}))
                shifts.open_shift(s, actor, float_fen=0, now=past)
                token, _row = issue_token(s, name, "bench-password-1")
                tills.append({"token": token, "store_id": store.id})
        db.session.remove()
        db.engine.dispose()
    return {"tills": tills, "items": items}


def client(port: int, till: dict, items: list, stop: float, out: dict, lock: threading.Lock) -> None:
    rnd = random.Random(till["token"])
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": f"Bearer {till['token']}", "Content-Type": "application/json"}
    latencies, errors, sold = [], 0, {}
    k = 0
    while time.perf_counter() < stop:
        picked = rnd.sample(items, rnd.randint(1, 5))
        sale = {"idempotency_key": str(uuid.uuid4()),
                "lines": [{"barcode": code, "qty": 1} for code, _p, _id in picked],
                # cash for the undiscounted sum: a discounted sale gives change
                "payments": [{"method": "cash", "amount_fen": sum(p for _c, p, _id in picked)}]}
        # Discounts in the mix, within the cashier's limit: a line discount in one sale of five, a basket
        # discount in one of ten.
        if k % 5 == 0:
            sale["lines"][0]["discount"] = {"percent": 10}
        if k % 10 == 3:
            sale["discount"] = {"percent": 5}
        k += 1
        body = json.dumps(sale)
        t0 = time.perf_counter()
        try:
            conn.request("POST", "/api/v1/sales", body=body, headers=headers)
            resp = conn.getresponse()
            resp.read()
            ok = resp.status == 201
            if resp.getheader("Connection", "").lower() == "close":
                conn.close()
        except (OSError, http.client.HTTPException):
            ok = False
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        latencies.append(time.perf_counter() - t0)
        if ok:
            for _c, _p, item_id in picked:
                sold[item_id] = sold.get(item_id, 0) + 1
        else:
            errors += 1
    conn.close()
    with lock:
        out["latencies"] += latencies
        out["errors"] += errors
        for item_id, n in sold.items():
            out["sold"][item_id] = out["sold"].get(item_id, 0) + n


def stock_exact(url: str, sold: dict, sales_ok: int) -> bool:
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        balances = {row[0]: row[1] for row in conn.execute("SELECT item_id, qty FROM stock_balances")}
        in_db = conn.execute("SELECT count(*) FROM sales WHERE kind = 'sale'").fetchone()[0]
        per_item = {row[0]: row[1] for row in conn.execute("SELECT item_id, sum(qty) FROM sale_lines GROUP BY item_id")}
    exact = all(balances[item_id] == STOCK - n for item_id, n in sold.items())
    untouched = all(qty == STOCK for item_id, qty in balances.items() if item_id not in sold)
    return exact and untouched and in_db == sales_ok and per_item == sold


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=8)
    # As the README's production command: sync workers (each request has a process to itself; behind a
    # reverse proxy, keep-alive to the app buys nothing). gthread pins keep-alive connections to workers, and
    # their latencies split in two when the connections do not divide evenly among them.
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()

    import psycopg

    name = f"sm_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(f"{BASE}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"{BASE.replace('postgresql://', 'postgresql+psycopg://')}/{name}"
    server = None
    try:
        data = seed(url)
        port = free_port()
        env = dict(os.environ, DATABASE_URL=url, FLASK_CONFIG="production", SECRET_KEY="bench-" + "x" * 40,
                   PII_HASH_KEY="bench-pii-" + "y" * 40, RATELIMIT_ENABLED="0",
                   DB_POOL_SIZE=str(args.threads + 1))
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--preload", "-w", str(args.workers), "-k", args.worker_class, "--threads",
             str(args.threads), "-b", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
            cwd=ROOT, env=env)
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        tills = (data["tills"] * args.clients)[:args.clients]
        # Warm every worker up (connection pools, first-request work) before the clock starts.
        warm = {"latencies": [], "errors": 0, "sold": {}}
        lock = threading.Lock()
        threads = [threading.Thread(target=client, args=(port, t, data["items"][t["store_id"]],
                                                         time.perf_counter() + 3, warm, lock)) for t in tills]
        [t.start() for t in threads]
        [t.join() for t in threads]
        out = {"latencies": [], "errors": 0, "sold": {}}
        stop = time.perf_counter() + args.seconds
        threads = [threading.Thread(target=client, args=(port, t, data["items"][t["store_id"]], stop, out, lock))
                   for t in tills]
        # The app's and the database's own CPU (gunicorn's workers, the PostgreSQL backends of this database):
        # unlike the machine's, it does not count whatever else the host is running meanwhile.
        app_pids, db_pids = children(server.pid), backends(name)
        app0, db0 = process_cpu(app_pids), process_cpu(db_pids)
        cpu0, t0 = cpu_snapshot(), time.perf_counter()
        [t.start() for t in threads]
        [t.join() for t in threads]
        elapsed, cpu1 = time.perf_counter() - t0, cpu_snapshot()
        app_s, db_s = process_cpu(app_pids) - app0, process_cpu(db_pids) - db0
        sold = dict(warm["sold"])
        for item_id, n in out["sold"].items():
            sold[item_id] = sold.get(item_id, 0) + n
        ok = len(out["latencies"]) - out["errors"]
        warm_ok = len(warm["latencies"]) - warm["errors"]
        lat = sorted(out["latencies"])
        print(f"till_sales_per_s: {ok / elapsed:.1f}")
        print(f"till_p50_ms: {statistics.median(lat) * 1000:.1f}")
        print(f"till_p99_ms: {lat[min(len(lat) - 1, int(0.99 * (len(lat) - 1)))] * 1000:.1f}")
        print("# p75/p90/p95/max ms:", [round(lat[int(q * (len(lat) - 1))] * 1000, 1) for q in (0.75, 0.9, 0.95, 1)],
              f"load average {os.getloadavg()[0]:.1f}")
        # The whole machine's CPU (app, database, clients) per sale: steadier than latency on a shared host.
        steal = (cpu1[1] - cpu0[1]) / max(cpu1[2] - cpu0[2], 1)
        print(f"# machine cpu ms per sale: {(cpu1[0] - cpu0[0]) / max(ok, 1) * 1000:.2f} (steal {steal:.0%})")
        print(f"# app cpu ms per sale: {app_s / max(ok, 1) * 1000:.2f}, database {db_s / max(ok, 1) * 1000:.2f}")
        print(f"till_errors: {out['errors'] + warm['errors']}")
        print(f"till_stock_exact: {'yes' if stock_exact(url, sold, ok + warm_ok) else 'no'}")
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        with psycopg.connect(f"{BASE}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
