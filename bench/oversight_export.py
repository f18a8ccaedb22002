"""Benchmark the list downloads: an .xlsx of 100,000 sale rows through the sales list's own URL.

Run from the project root: .venv/bin/python bench/oversight_export.py [--rows N] [--pg]
The rows are bulk-inserted into a throwaway SQLite file (or, with --pg, a throwaway PostgreSQL database that is
dropped afterwards), all on one store and one day, so the list's own query returns every one of them. The time is
the whole request (query in batches of 1,000, typed cells, the write-only workbook, reading the response);
the peak is tracemalloc's over a second, identical request (tracing slows Python down, so it is not timed).
Prints `export_sales_100k_s` (target < 20) and `export_peak_mb` (target < 200).
"""
from __future__ import annotations

import argparse
import io
import shutil
import sys
import tempfile
import time
import tracemalloc
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DAY = date(2026, 11, 27)
START = datetime(2026, 11, 26, 16, 0, tzinfo=timezone.utc)  # 00:00 on 27 November in Changsha


def _pg_database():
    import psycopg

    name = f"bench_export_{uuid.uuid4().hex[:8]}"
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def _drop_pg(name):
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _load() -> str:
    import os

    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def seed(session, n: int):
    from supermarket.auth.permissions import Role
    from supermarket.sales.models import Payment, Sale
    from supermarket.sales import shifts
    from tests import factories

    district = factories.make_district(session, "YL", "岳麓区")
    store = factories.make_store(session, district, "YL01")
    cashier = factories.make_user(session, "cashier-yl01", Role.CASHIER, store=store)
    factories.make_user(session, "manager-yl01", Role.STORE_MANAGER, store=store)
    shift = shifts.open_shift(session, factories.actor_for(session, cashier), float_fen=20000, now=START)
    sales_t, pay_t = Sale.__table__, Payment.__table__
    batch = 10_000
    for first in range(0, n, batch):
        sales, pays = [], []
        for i in range(first, min(first + batch, n)):
            sid = uuid.uuid4()
            total = 100 + (i * 37) % 20000
            sales.append({"id": sid, "store_id": store.id, "kind": "sale", "number": f"YL01-20261127-{i + 1:06d}",
                          "business_date": DAY, "seq": i + 1, "shift_id": shift.id, "cashier_id": cashier.id,
                          "sold_at": START + timedelta(seconds=i * 0.8), "total_fen": total, "points_total": 0,
                          "change_fen": 0, "status": "completed", "reason": "", "print_count": 1})
            pays.append({"id": uuid.uuid4(), "sale_id": sid, "position": 0, "method": "cash" if i % 3 else "wechat",
                         "amount_fen": total, "points": 0, "reference": "", "member_code": ""})
        session.execute(sales_t.insert(), sales)
        session.execute(pay_t.insert(), pays)
        session.commit()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--pg", action="store_true", help="a throwaway PostgreSQL database instead of SQLite")
    args = parser.parse_args()

    import openpyxl

    from supermarket import create_app
    from supermarket.extensions import db

    tmp = Path(tempfile.mkdtemp())
    pg_name = None
    if args.pg:
        pg_name, url = _pg_database()
    else:
        url = f"sqlite:///{tmp / 'export-bench.db'}"
    try:
        app = create_app("config.TestConfig", SQLALCHEMY_DATABASE_URI=url)
        with app.app_context():
            db.create_all()
            t = time.perf_counter()
            seed(db.session, args.rows)
            print(f"# seeded {args.rows} sales in {time.perf_counter() - t:.1f} s ({'PostgreSQL' if args.pg else 'SQLite'})")
            db.session.remove()
        client = app.test_client()
        assert client.post("/login", data={"username": "manager-yl01", "password": "changsha2023"}).status_code == 302
        url = f"/sales/?date={DAY.isoformat()}&format=xlsx"

        t, cpu = time.perf_counter(), time.process_time()
        resp = client.get(url)
        body = resp.get_data()
        seconds, cpu_seconds = time.perf_counter() - t, time.process_time() - cpu
        assert resp.status_code == 200, resp.status_code

        tracemalloc.start()
        again = client.get(url)
        again.get_data()
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()

        ws = openpyxl.load_workbook(io.BytesIO(body), read_only=True).active
        rows = sum(1 for _ in ws.iter_rows(min_row=2, values_only=True))
        assert rows == args.rows, rows
        print(f"# {rows} rows, {len(body) / 1e6:.1f} MB of xlsx")
        # On a shared, loaded host the wall time says more about the neighbours than about the export: the
        # process's CPU time is what the export itself costs (one thread; the database is in-process on SQLite).
        print(f"# export wall {seconds:.2f} s, cpu {cpu_seconds:.2f} s, load average {_load()}")
        print(f"export_sales_100k_s: {seconds:.2f}")
        print(f"export_peak_mb: {peak / 1e6:.1f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if pg_name:
            _drop_pg(pg_name)


if __name__ == "__main__":
    main()
