"""One synthetic city for every benchmark: build it once on PostgreSQL, then reuse it.

    python bench/city.py --stores 1000 --days 90 [--seed 1] [--end-date 2026-12-01] [--rebuild]

From a benchmark:

    from bench.city import ensure_city
    url = ensure_city(stores=1000, days=90)   # postgresql+psycopg://…/bench_city_1000x90, ready and verified

The database (bench_city_<stores>x<days>, `_s<seed>` for another seed) lives on PG_URL (default
postgresql://postgres@127.0.0.1:5432). Its days end yesterday in Asia/Shanghai unless --end-date says
otherwise; a city whose end date is up to a week old is reused (see citygen/build.py for what makes one stale).
Prints `name: value` lines; progress goes to stderr. Without --stores and --days it lists the cities built.
"""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.citygen.build import city_meta, ensure_city, ensure_city_meta, list_cities  # noqa: E402

__all__ = ["ensure_city", "ensure_city_meta", "city_meta", "list_cities", "add_branch_schema"]


def work_copy(url: str, suffix: str) -> str:
    """`<city>__<suffix>`, copied from the city once (CREATE DATABASE … TEMPLATE) and reused, so a bench that
    writes keeps the shared city as built. A head-migrated copy (`<city>__<head>`) is already a copy: used as is."""
    import psycopg

    base, name = url.rsplit("/", 1)
    if "__" in name:
        return url
    copy = f"{name}__{suffix}"
    plain = base.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(f"{plain}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (copy,)).fetchone():
            conn.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{name}"')
    return f"{base}/{copy}"


def add_branch_schema(db) -> None:
    """Give a work copy of the city (not migrated: `work_copy`) this branch's newer tables, empty, and its newer
    indexes on the city's tables, so that a bench times the plans the migrated schema gets. An index whose
    definition changed under the same name is rebuilt (the overridden lines' index, which now covers the prices)."""
    from sqlalchemy import text

    db.metadata.create_all(db.engine)
    with db.engine.begin() as conn:
        covering = conn.execute(text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_sale_lines_overridden'")
                                ).scalar()
        if covering is not None and "INCLUDE" not in covering:
            conn.execute(text("DROP INDEX ix_sale_lines_overridden"))
    for table in db.metadata.sorted_tables:
        for index in table.indexes:
            index.create(db.engine, checkfirst=True)


def city_for(stores: int, days: int, *, no_build: bool) -> tuple[str, dict] | None:
    """The city's URL and stamp: built (or reused) by ensure_city_meta, or with `no_build` only an existing
    verified one (None, with a message on stderr, when there is none)."""
    if not no_build:
        return ensure_city_meta(stores, days, quiet=True)
    from bench.citygen.build import base_url, sqlalchemy_url

    url = sqlalchemy_url(base_url(), f"bench_city_{stores}x{days}")
    meta = city_meta(url)
    if not meta or meta.get("verified") != "yes":
        print(f"no verified city at {url.rsplit('/', 1)[1]}; run without --no-build", file=sys.stderr)
        return None
    return url, meta


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stores", type=int)
    parser.add_argument("--days", type=int)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--end-date", type=date.fromisoformat, default=None,
                        help="the last simulated day (default: yesterday in Asia/Shanghai)")
    parser.add_argument("--rebuild", action="store_true", help="build even if a fresh city exists")
    parser.add_argument("--resume", action="store_true",
                        help="finish a build that stopped after loading (verify, stamp, rename) instead of rebuilding")
    parser.add_argument("--max-age-days", type=int, default=7,
                        help="without --end-date, reuse a city ending at most this many days before yesterday")
    args = parser.parse_args(argv)
    if args.stores is None or args.days is None:
        # `make bench` runs every script without arguments: list the cities there are, build none.
        for name, meta in list_cities():
            print(f"city_database: {name}")
            print(f"city_end_date: {meta.get('end_date', '-')}")
            print(f"city_verified: {meta.get('verified', 'no')}")
        return 0
    url, meta = ensure_city_meta(args.stores, args.days, seed=args.seed, end_date=args.end_date,
                                 rebuild=args.rebuild, max_age_days=args.max_age_days,
                                 resume=args.resume)
    found = json.loads(meta["figures"])
    tables = found["tables"]
    params = json.loads(meta["params"])
    for name, value in (
            ("city_database", url.rsplit("/", 1)[1]),
            ("city_stores", tables["stores"]),
            ("city_days", params["days"]),
            ("city_start_date", meta["start_date"]),
            ("city_end_date", meta["end_date"]),
            ("city_sales", found["sales"]),
            ("city_sale_lines", tables["sale_lines"]),
            ("city_stock_movements", tables["stock_movements"]),
            ("city_audit_events", tables["audit_events"]),
            ("city_handouts", tables["distributions"]),
            ("city_points_credits", tables["points_credits"]),
            ("city_donations", tables["donations"]),
            ("city_rows", sum(tables.values())),
            ("city_build_s", meta["build_s"]),
            ("city_built_now", meta["built"]),
            ("city_verified", meta["verified"])):
        print(f"{name}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
