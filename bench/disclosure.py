"""Benchmark disclosure: close a month for every store of the synthetic city, then time the public pages.

    .venv/bin/python bench/disclosure.py [--stores 1000] [--days 90]     (dev: --stores 60 --days 90)

- month_close_all_s: `service.close_months` for every store (a fixed number of set-based figure queries for all of them, projects included, the
  chain heads, one disclosure row and one audit event per store), one transaction. It runs in a transaction that
  is rolled back afterwards, so the city stays as it was and the run can be repeated; stores whose stock month is
  not closed get a period close first (setup, not timed).
- public_store_page_ms / public_month_page_ms: a store's public page and its published month page, warm
  (median of 30 GETs through the app, no ETag sent: the full render each time). One store's month is published
  for real for this (kept: the city copy is this branch's own, see bench/city.py).
- donation_trace_ms: the trace page of a donation whose goods were sold, warm, median of 30.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.city import city_meta, ensure_city  # noqa: E402


def _median_ms(client, url: str, runs: int = 30) -> float:
    assert client.get(url).status_code == 200, url
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        resp = client.get(url)
        times.append(time.perf_counter() - start)
        assert resp.status_code == 200
    return statistics.median(times) * 1000


def main(argv=None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stores", type=int, default=1000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--url", help="an already migrated city database to use as it is (skips ensure_city)")
    args = parser.parse_args(argv)
    url = args.url or ensure_city(stores=args.stores, days=args.days)
    meta = city_meta(url) or {}

    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from supermarket import create_app
    from supermarket.auth.permissions import system_actor
    from supermarket.clock import month_start, next_month, parse_month, previous_month
    from supermarket.disclosure import service, trace
    from supermarket.extensions import db
    from supermarket.intake.models import Donation, DonationLine
    from supermarket.inventory.models import PeriodClose, StockMovement
    from supermarket.stores.models import Store

    end = meta.get("end_date")
    end_day = parse_month(str(end)[:7]) if end else None
    # The last month wholly inside the city's days.
    month = previous_month(end_day) if end_day else None
    app = create_app("config.TestConfig", SQLALCHEMY_DATABASE_URI=url)
    admin = system_actor("bench")
    now = datetime.combine(next_month(month).replace(day=5), datetime.min.time(), timezone.utc)
    print(f"disclosure_city: {url.rsplit('/', 1)[1]}")
    print(f"disclosure_month: {month:%Y-%m}")
    with app.app_context():
        store_ids = list(db.session.scalars(select(Store.id).order_by(Store.code)))
        print(f"disclosure_stores: {len(store_ids)}")

        # --- the close of every store, rolled back afterwards ---
        conn = db.engine.connect()
        outer = conn.begin()
        session = Session(bind=conn, join_transaction_mode="create_savepoint")
        try:
            closed = dict(session.execute(select(PeriodClose.store_id, func.max(PeriodClose.month))
                                          .group_by(PeriodClose.store_id)).all())
            session.add_all(PeriodClose(store_id=s, month=month, closed_by_name="bench", closed_at=now)
                            for s in store_ids if closed.get(s) is None or closed[s] < month)
            session.commit()
            start = time.perf_counter()
            result = service.close_months(session, admin, month, store_ids, now=now)
            elapsed = time.perf_counter() - start
            print(f"month_close_all_s: {elapsed:.2f}")
            print(f"month_close_published: {len(result.closed)}")
            print(f"month_close_refused: {len(result.refused)}")
        finally:
            session.close()
            outer.rollback()
            conn.close()

        # --- public pages of one store, published for real ---
        session = db.session
        store = session.get(Store, store_ids[0])
        rows = service.versions(session, store.id, month)
        if not rows:
            if not session.scalar(select(func.count()).select_from(PeriodClose)
                                  .where(PeriodClose.store_id == store.id, PeriodClose.month >= month)):
                last = session.scalar(select(func.max(PeriodClose.month)).where(PeriodClose.store_id == store.id))
                m = next_month(last) if last else month
                while m <= month:
                    session.add(PeriodClose(store_id=store.id, month=m, closed_by_name="bench", closed_at=now))
                    m = next_month(m)
                session.commit()
            earlier = session.scalar(select(func.max(service.Disclosure.month))
                                     .where(service.Disclosure.store_id == store.id))
            m = next_month(earlier) if earlier else month
            while m <= month:
                service.close_months(session, admin, m, [store.id], now=now)
                m = next_month(m)
        client = app.test_client()
        print(f"public_store_page_ms: {_median_ms(client, f'/public/stores/{store.code}'):.1f}")
        print(f"public_month_page_ms: {_median_ms(client, f'/public/stores/{store.code}/{month:%Y-%m}'):.1f}")
        print(f"public_city_page_ms: {_median_ms(client, '/public/', runs=5):.1f}")

        # --- a donation's trace page: one whose goods went several ways ---
        donation_id = session.scalar(
            select(Donation.id).join(DonationLine, DonationLine.donation_id == Donation.id)
            .where(Donation.store_id == store.id, Donation.received_at < now)
            .join(StockMovement, StockMovement.id == DonationLine.movement_id)
            .order_by(Donation.received_at).limit(1))
        token = trace.ensure_token(session, admin, session.get(Donation, donation_id), now=now).token
        print(f"donation_trace_ms: {_median_ms(client, f'/public/trace/{token}'):.1f}")
        print(f"month_start: {month_start(month)}")


if __name__ == "__main__":
    main()
