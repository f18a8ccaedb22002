"""Benchmark the central check on the synthetic city (PostgreSQL).

    python bench/compliance.py [--stores 1000] [--days 90] [--no-build]

Works on a copy of the city (`<city>__standards`, made once with CREATE DATABASE … TEMPLATE and reused), so the
shared city stays as built; the copy gets the standards tables and this run empties them first.
- facts_full_s: every daily fact of the city's days from the raw ledgers (empty facts table);
- facts_day_s: one more refresh (the last day again, for every store — what the daily job does);
- compliance_all_s: `service.check` for every store (refresh of the last day, every rule from the facts,
  red lines, stars, snapshots written); compliance_score_s: the same without the refresh;
- compliance_statements / compliance_statements_100: SQL statements of that check for the whole city and for
  a 100-store scope (an actor whose scope is the first 100 stores; min(100, stores) on a smaller city);
- board_city_ms / board_store_ms: service.board() for the whole city and service.store_card() for one store
  reading the stored snapshots (service calls: the pages are built on another branch), best of 5.
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

TABLES = ("standards_versions", "standards_not_applicable", "standards_daily_facts", "standards_cashier_facts",
          "standards_goods_category_facts", "standards_refresh_state", "standards_scores")



class Counter:
    def __init__(self, engine):
        self.n = 0
        event.listen(engine, "before_cursor_execute", self.hit)

    def hit(self, *args, **kw):
        self.n += 1


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stores", type=int, default=1000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--no-build", action="store_true",
                        help="use the existing city of that size even if its schema head differs from this "
                             "branch's (the copy gets this branch's standards tables); never builds one")
    args = parser.parse_args(argv)
    found = city_for(args.stores, args.days, no_build=args.no_build)
    if found is None:
        return 1
    city_url, meta = found
    from datetime import date

    end = date.fromisoformat(meta["end_date"])
    url = work_copy(city_url, "standards")

    from supermarket import create_app
    from supermarket.auth.permissions import Actor, Role, system_actor
    from supermarket.extensions import db
    from supermarket.sales.models import SaleLine
    from supermarket.standards import facts, service
    from supermarket.stores.models import Store

    app = create_app("config.TestConfig", SQLALCHEMY_DATABASE_URI=url, STANDARDS_FACT_HORIZON_DAYS=args.days)
    with app.app_context():
        # The copy's standards tables are ours: recreate them empty, in this branch's shape.
        tables = [db.metadata.tables[t] for t in TABLES]
        db.metadata.drop_all(db.engine, tables=tables, checkfirst=True)
        db.metadata.create_all(db.engine, tables=tables)
        # A city built before a domain's tables existed (outreach, projects …) gets them empty: the check reads
        # them (no records = those rules "无记录"); and this branch's newer indexes.
        add_branch_schema(db)
        session = db.session
        stores = session.scalar(select(func.count()).select_from(Store))
        lines = session.scalar(select(func.count()).select_from(SaleLine))
        print(f"compliance_stores: {stores}")
        print(f"compliance_sale_lines: {lines}")
        session.execute(text("ANALYZE"))
        session.commit()

        start = time.perf_counter()
        facts.refresh(session, through=end)
        print(f"facts_full_s: {time.perf_counter() - start:.2f}")
        start = time.perf_counter()
        facts.refresh(session, through=end)
        print(f"facts_day_s: {time.perf_counter() - start:.2f}")

        admin = system_actor("bench")
        service.current_standard(session)  # the default version exists before anything is timed
        counter = Counter(db.engine)
        counter.n = 0
        start = time.perf_counter()
        scores = service.check(session, admin, as_of=end)
        print(f"compliance_all_s: {time.perf_counter() - start:.2f}")
        print(f"compliance_statements: {counter.n}")
        assert len(scores) == stores

        from supermarket.standards import standard
        doc = standard.in_force(session, end)
        scope = service._scope(admin)
        store_rows = service._stores(session, scope)
        start = time.perf_counter()
        service._compute(session, doc, scope, store_rows, end)
        print(f"compliance_score_s: {time.perf_counter() - start:.2f}")

        first = [s.id for s in store_rows[:100]]
        subset = Actor(user_id=None, username="bench-100", role=Role.STORE_MANAGER, store_ids=frozenset(first))
        counter.n = 0
        service.check(session, subset, as_of=end)
        print(f"compliance_statements_100: {counter.n}")
        print(f"compliance_statements_100_stores: {len(first)}")

        service.check(session, admin, as_of=end)  # fresh snapshots for every store
        board_s = best_of(5, lambda: service.board(session, admin, as_of=end))
        code = store_rows[0].code
        card_s = best_of(5, lambda: service.store_card(session, admin, code, as_of=end))
        print(f"board_city_ms: {board_s * 1000:.0f}")
        print(f"board_store_ms: {card_s * 1000:.0f}")
        stars = {}
        for s in scores:
            stars[s.stars] = stars.get(s.stars, 0) + 1
        print(f"compliance_star_distribution: {dict(sorted(stars.items()))}")
        db.session.remove()
        db.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
