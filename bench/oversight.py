"""Benchmark the dashboards on the synthetic city (PostgreSQL).

    python bench/oversight.py [--stores 1000] [--days 90] [--no-build]

Works on a copy of the city (`<city>__oversight`, made once with CREATE DATABASE … TEMPLATE and reused), so the
shared city stays as built; the copy gets this branch's missing tables, and the central check's daily facts are
refreshed over the city's days first and the standing snapshot taken (not timed: the periodic jobs do that, not
the page).
- dashboard_city_ms: `service.dashboard` for the federation (the whole city, by district), the city's last full
  month, with the previous month and the same month a year earlier, best of 3;
- dashboard_district_ms: the same for the district auditor of the city's first district;
- dashboard_statements: SQL statements of one city dashboard (constant whatever the number of stores).
Prints `name: value` lines.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, func, select, text  # noqa: E402

from bench._timing import best_of  # noqa: E402
from bench.city import add_branch_schema, city_for, work_copy  # noqa: E402



def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stores", type=int, default=1000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--no-build", action="store_true", help="use the existing city of that size; never build")
    args = parser.parse_args(argv)
    found = city_for(args.stores, args.days, no_build=args.no_build)
    if found is None:
        return 1
    city_url, meta = found
    from datetime import date, datetime, timedelta, timezone

    end = date.fromisoformat(meta["end_date"])
    url = work_copy(city_url, "oversight")

    from supermarket import create_app
    from supermarket.auth.permissions import Actor, Role, system_actor
    from supermarket.clock import add_months, month_end, month_start
    from supermarket.extensions import db
    from supermarket.oversight import service, standing
    from supermarket.oversight.periods import Period
    from supermarket.standards import facts
    from supermarket.stores.models import District, Store

    app = create_app("config.TestConfig", SQLALCHEMY_DATABASE_URI=url, STANDARDS_FACT_HORIZON_DAYS=args.days + 1)
    with app.app_context():
        # The copy's facts are ours: recreate them empty, in this branch's shape (the dashboards' money columns).
        facts_tables = [db.metadata.tables[t] for t in (
            "standards_daily_facts", "standards_cashier_facts", "standards_goods_category_facts",
            "standards_refresh_state", "oversight_standing")]
        db.metadata.drop_all(db.engine, tables=facts_tables, checkfirst=True)
        add_branch_schema(db)  # those, the tables of domains newer than the city, empty, and newer indexes
        session = db.session
        print(f"oversight_stores: {session.scalar(select(func.count()).select_from(Store))}")
        session.execute(text("ANALYZE"))
        session.commit()
        start = time.perf_counter()
        facts.refresh(session, through=end, since=end - timedelta(days=args.days))
        print(f"oversight_facts_refresh_s: {time.perf_counter() - start:.2f}")

        # The last full month of the city (its current one when the city ends on a month's last day).
        last = month_start(end) if end == month_end(end) else add_months(month_start(end), -1)
        period = Period("month", last, month_end(last))
        now = datetime.combine(end, datetime.min.time(), tzinfo=timezone.utc) + timedelta(hours=4)
        # The standing figures as the hourly job (oversight.standing) keeps them: taken once, not timed.
        start = time.perf_counter()
        standing.take(session, now=now)
        print(f"oversight_standing_snapshot_s: {time.perf_counter() - start:.2f}")
        admin = system_actor("bench")
        district = session.scalars(select(District).order_by(District.code)).first()
        auditor = Actor(None, "bench-auditor", Role.DISTRICT_AUDITOR,
                        store_ids=frozenset(session.scalars(select(Store.id).where(Store.district_id == district.id))),
                        district_ids=frozenset({district.id}))
        statements = {"n": 0}
        event.listen(db.engine, "before_cursor_execute", lambda *a, **k: statements.__setitem__("n", statements["n"] + 1))
        service.dashboard(session, admin, period, now=now)  # warm: caches, plans
        statements["n"] = 0
        service.dashboard(session, admin, period, now=now)
        print(f"dashboard_statements: {statements['n']}")
        city_s = best_of(3, lambda: service.dashboard(session, admin, period, now=now))
        district_s = best_of(3, lambda: service.dashboard(session, auditor, period, now=now))
        print(f"dashboard_period: {period.start.isoformat()}..{period.end.isoformat()}")
        print(f"dashboard_city_ms: {city_s * 1000:.0f}")
        print(f"dashboard_district_ms: {district_s * 1000:.0f}")
        print(f"dashboard_district_stores: {len(auditor.store_ids)}")
        db.session.remove()
        db.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
