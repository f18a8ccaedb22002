"""Benchmark the outreach metrics for every store of a synthetic city at once (the way the standard's engine
will call them): the two functions' "active" tests and C-01…C-05, O-01, O-04, O-05 over a 90-day window.

The city's shifts and volunteer credits are real (bench/city.py); outreach records are seeded into the city's
migrated copy once (three events, two service types with sixty logs, four complaints, a profile per store).

    .venv/bin/python bench/outreach.py --stores 60 --days 90
Prints `name: value` lines (seconds, best of three).
"""
from __future__ import annotations

import argparse
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _seed(session, now) -> int:
    """Outreach rows for every store (once per city copy). Returns the number of stores seeded."""
    from sqlalchemy import func, insert, select

    from supermarket.outreach.models import (ZONES, Complaint, OutreachFile, ProfileItem, PublicityEvent,
                                             ServiceLog, ServiceType, StoreProfile)
    from supermarket.stores.models import Store

    if session.scalar(select(func.count()).select_from(ServiceType)):
        return 0
    stores = list(session.scalars(select(Store.id)))
    photo = b"\x89PNG\r\n\x1a\n" + b"\0" * 64  # the bench reads, it never serves the bytes
    for n, store_id in enumerate(stores):
        events = [dict(id=uuid.uuid4(), store_id=store_id, held_on=(now - timedelta(days=10 + 30 * k)).date(),
                       kind="community", title="宣传", place="", people_reached=50, note="", created_at=now)
                  for k in range(3)]
        session.execute(insert(PublicityEvent), events)
        session.execute(insert(OutreachFile), [dict(id=uuid.uuid4(), store_id=store_id, purpose="event_photo",
                                                    filename="p.png", content_type="image/png", size_bytes=72,
                                                    sha256="0" * 64, data=photo, event_id=e["id"], created_at=now)
                                               for e in events[:2]])
        types = [dict(id=uuid.uuid4(), store_id=store_id, name=name, position=i, active=True, created_at=now)
                 for i, name in enumerate(("代缴费", "政策咨询"))]
        session.execute(insert(ServiceType), types)
        session.execute(insert(ServiceLog), [dict(id=uuid.uuid4(), store_id=store_id, type_id=types[i % 2]["id"],
                                                  count=1, served_at=now - timedelta(hours=36 * i), created_at=now)
                                             for i in range(60)])
        session.execute(insert(Complaint), [dict(id=uuid.uuid4(), store_id=store_id, reference=f"B{n:06d}{i}",
                                                 channel="web", category="other", text="bench", contact="",
                                                 source_hash="", received_at=now - timedelta(days=5 + 10 * i),
                                                 answer="ok" if i % 2 else "",
                                                 answered_at=now - timedelta(days=10 * i) if i % 2 else None,
                                                 created_at=now) for i in range(4)])
        session.execute(insert(StoreProfile), [dict(store_id=store_id, floor_area_m2=60 + n % 80,
                                                    legal_form="charity_org", operator_name="", created_at=now)])
        session.execute(insert(ProfileItem), [dict(id=uuid.uuid4(), store_id=store_id, kind="zone", code=z,
                                                   present=bool((n + i) % 3)) for i, z in enumerate(ZONES)])
    session.commit()
    return len(stores)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stores", type=int, default=60)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--url", help="a city database already at this branch's head (skips ensure_city)")
    parser.add_argument("--end-date", type=str, help="with --url: the city's last day (YYYY-MM-DD)")
    args = parser.parse_args(argv)

    from bench.city import ensure_city_meta
    from supermarket import create_app
    from supermarket.extensions import db
    from supermarket.outreach import metrics

    if args.url:
        url, meta = args.url, {"end_date": args.end_date}
    else:
        url, meta = ensure_city_meta(stores=args.stores, days=args.days)
    app = create_app("config.TestConfig", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        from datetime import date, datetime, timezone

        end_day = date.fromisoformat(str(meta["end_date"])) + timedelta(days=1)
        end = datetime(end_day.year, end_day.month, end_day.day, tzinfo=timezone.utc) - timedelta(hours=8)
        start = end - timedelta(days=90)
        seeded = _seed(db.session, end - timedelta(hours=1))
        print(f"outreach_city_stores: {args.stores}")
        print(f"outreach_seeded_stores: {seeded}")
        fns = {"active_publicity": metrics.active_publicity, "active_convenience": metrics.active_convenience,
               **{rule.lower().replace("-", ""): fn for rule, fn in metrics.RULE_METRICS.items()},
               "c03_declared": metrics.c03_declared}
        for name, fn in fns.items():
            best, result = None, None
            for _ in range(3):
                t0 = time.perf_counter()
                result = fn(db.session, None, start, end)
                elapsed = time.perf_counter() - t0
                best = elapsed if best is None else min(best, elapsed)
                db.session.rollback()
            print(f"outreach_{name}_all_stores_s: {best:.3f}")
            print(f"outreach_{name}_stores_answered: {len(result)}")
        db.session.remove()
        db.engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
