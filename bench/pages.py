"""Every GET page at city size: time each page of the url_map as each role, count its SQL statements, and time
the audit verification (full and daily).

    python bench/pages.py --stores 90 --days 365

Pages without URL parameters, and those whose parameters are a store, district or user id (taken from one
store: the first by code, its manager, cashier and district auditor, and the federation's `admin`), are read as
each role, best of two. The same pages are read on the demo database (`flask demo`, in memory) to count their
statements there: `pages_statements_growth` is the largest ratio of statements at city size over demo size.

Prints `name: value` lines: pages_max_ms, pages_over_200ms, pages_statements_growth, audit_verify_full_s,
audit_verify_daily_s (the events of the city's last day, after a checkpoint at the day before), public_aid_pdf_ms.
The city gets the tables and indexes of this branch's migrations that it lacks (created if missing).
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.city import ensure_city_meta  # noqa: E402

PASSWORD = "changsha2023"
ID_ARGS = ("store_id", "district_id", "user_id")
SKIP = {"static", "auth.logout", "i18n.switch"}
INDEXES = ("CREATE INDEX IF NOT EXISTS ix_points_entries_created_at ON points_entries (created_at)",
           "CREATE INDEX IF NOT EXISTS ix_points_credits_created_at ON points_credits (created_at)",
           "CREATE INDEX IF NOT EXISTS ix_distributions_store_day ON distributions (store_id, handed_out_on)",
           "CREATE INDEX IF NOT EXISTS ix_audit_checkpoints_chain_seq ON audit_checkpoints (chain, seq)")


def _pages(app, ids: dict) -> list[tuple[str, str]]:
    from flask import url_for

    out = []
    with app.test_request_context():
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            if "GET" not in rule.methods or rule.endpoint in SKIP or rule.rule.startswith("/api/"):
                continue
            if any(arg not in ID_ARGS for arg in rule.arguments):
                continue
            out.append((rule.endpoint, url_for(rule.endpoint, **{a: ids[a] for a in rule.arguments})))
    return out


def _sweep(app, users: dict, ids: dict, *, runs: int) -> dict:
    """{(role, endpoint): (status, best ms, statements)}."""
    from sqlalchemy import event

    from supermarket.extensions import db

    counter = Counter()

    def count(*_a, **_k):
        counter["n"] += 1

    found = {}
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        for role, username in users.items():
            client = app.test_client()
            r = client.post("/login", data={"username": username, "password": PASSWORD})
            assert r.status_code == 302, (username, r.status_code)
            for endpoint, url in _pages(app, ids[role]):
                best, statements, status = None, 0, 0
                for _ in range(runs):
                    counter["n"] = 0
                    start = time.perf_counter()
                    resp = client.get(url, headers={"Accept": "text/html"})
                    took = (time.perf_counter() - start) * 1000
                    status, statements = resp.status_code, counter["n"]
                    best = took if best is None else min(best, took)
                    db.session.remove()
                found[(role, endpoint)] = (status, best, statements)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return found


def _city_ids(session):
    from sqlalchemy import select

    from supermarket.auth.models import User
    from supermarket.stores.models import District, Store

    store = session.scalar(select(Store).order_by(Store.code).limit(1))
    district = session.get(District, store.district_id)
    low = store.code.lower()
    users = {"federation": "admin", "auditor": f"auditor-{district.code.lower()}", "manager": f"manager-{low}",
             "cashier": f"cashier-{low}-1"}
    from types import SimpleNamespace

    plain = SimpleNamespace(id=store.id, code=store.code), SimpleNamespace(id=district.id, code=district.code)
    cashier = session.scalar(select(User.id).where(User.username == users["cashier"]))
    return plain[0], plain[1], users, cashier


def _ids_for(users, store, district, cashier_id):
    return {role: {"store_id": store.id, "district_id": district.id, "user_id": cashier_id} for role in users}


def _demo_counts() -> dict:
    from supermarket import create_app
    from supermarket.extensions import db

    app = create_app("config.TestConfig")
    with app.app_context():
        db.create_all()
        assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
        store, district, users, cashier_id = _city_ids(db.session)
        users["cashier"] = f"cashier-{store.code.lower()}"
        from sqlalchemy import select

        from supermarket.auth.models import User

        cashier_id = db.session.scalar(select(User.id).where(User.username == users["cashier"]))
        return _sweep(app, users, _ids_for(users, store, district, cashier_id), runs=1)


def _audit_figures(app, url: str) -> tuple[float, float]:
    """(full run seconds, daily run seconds over the city's last day)."""
    from datetime import timedelta

    from sqlalchemy import func, select, text

    from supermarket.audit import checkpoints as cp
    from supermarket.audit.models import AuditCheckpoint, AuditEvent
    from supermarket.extensions import db
    from supermarket.models import utcnow

    with app.app_context():
        session = db.session
        session.execute(text("DELETE FROM audit_checkpoints"))
        session.commit()
        start = time.perf_counter()
        full = cp.verify_full(session, now=utcnow(), url=url)
        full_s = time.perf_counter() - start
        assert full.ok, full.broken
        # checkpoints at the end of the day before the last one: the daily run then reads one day of the city
        last = session.scalar(select(func.max(AuditEvent.at)))
        cut = last - timedelta(days=1)
        session.execute(text("DELETE FROM audit_checkpoints"))
        rows = session.execute(select(AuditEvent.chain, func.max(AuditEvent.seq)).where(AuditEvent.at <= cut)
                               .group_by(AuditEvent.chain)).all()
        prev = cp.GENESIS
        now = utcnow()
        for chain, seq in sorted(rows):
            h = session.scalar(select(AuditEvent.hash).where(AuditEvent.chain == chain, AuditEvent.seq == seq))
            digest = cp._checkpoint_hash(prev, chain, seq, h, now, False)
            session.add(AuditCheckpoint(chain=chain, seq=seq, event_hash=h, verified_at=now, full=False,
                                        prev_hash=prev, hash=digest))
            prev = digest
        session.commit()
        start = time.perf_counter()
        daily = cp.verify_daily(session, now=utcnow())
        daily_s = time.perf_counter() - start
        assert daily.ok, daily.broken
        print(f"audit_events_full: {full.events}")
        print(f"audit_events_daily: {daily.events}")
        return full_s, daily_s


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stores", type=int, default=90)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--no-demo", action="store_true", help="skip the demo's statement counts")
    parser.add_argument("--audit-only", metavar="URL", help=argparse.SUPPRESS)  # the fresh process of the audit
    args = parser.parse_args(argv)
    if args.audit_only:
        from supermarket import create_app

        full_s, daily_s = _audit_figures(create_app("config.TestConfig", SQLALCHEMY_DATABASE_URI=args.audit_only),
                                         args.audit_only)
        print(f"full_s: {full_s}")
        print(f"daily_s: {daily_s}")
        return 0
    url, meta = ensure_city_meta(args.stores, args.days)

    from sqlalchemy import text

    from supermarket import create_app
    from supermarket.extensions import db

    app = create_app("config.TestConfig", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        db.create_all()  # this branch's new tables, if the city lacks them
        for ddl in INDEXES:
            db.session.execute(text(ddl))
        db.session.commit()
        # The central check's daily facts, as the daily job (`standards.refresh`) keeps them in a running city: the
        # dashboards read the days the facts hold from them and only the rest from the ledgers. Not timed; kept in
        # the city's copy, so a second run only redoes the last day.
        from datetime import date, timedelta

        from supermarket.standards import facts

        end = date.fromisoformat(meta["end_date"])
        started = time.perf_counter()
        facts.refresh(db.session, through=end, since=end - timedelta(days=args.days))
        print(f"[pages] daily facts through {end} in {time.perf_counter() - started:.0f}s", file=sys.stderr)
        # And the dashboards' standing snapshot, as the hourly job (`oversight.standing`) keeps it. Not timed.
        from supermarket.oversight import standing

        standing.take(db.session)
        store, district, users, cashier_id = _city_ids(db.session)
        ids = _ids_for(users, store, district, cashier_id)
        city = _sweep(app, users, ids, runs=2)
        month = db.session.execute(text("SELECT max(handed_out_on) FROM distributions")).scalar()
        client = app.test_client()
        pdf_url = f"/public/aid.pdf?store={store.code}&month={month:%Y-%m}"
        first = time.perf_counter()
        assert client.get(pdf_url).status_code == 200
        first_ms = (time.perf_counter() - first) * 1000
        again = time.perf_counter()
        assert client.get(pdf_url).status_code == 200
        cached_ms = (time.perf_counter() - again) * 1000
    ok = {k: v for k, v in city.items() if v[0] == 200}
    slow = sorted(((v[1], k) for k, v in ok.items()), reverse=True)
    for ms, (role, endpoint) in slow[:10]:
        print(f"slowest: {role} {endpoint} {ms:.0f} ms {ok[(role, endpoint)][2]} statements")
    errors = sorted(k for k, v in city.items() if v[0] >= 500)
    for role, endpoint in errors:
        print(f"server_error: {role} {endpoint}")
    print(f"pages_timed: {len(ok)}")
    print(f"pages_max_ms: {slow[0][0]:.0f}" if slow else "pages_max_ms: -")
    print(f"pages_over_200ms: {sum(1 for v in ok.values() if v[1] > 200)}")
    if not args.no_demo:
        demo = _demo_counts()
        ratios = [(ok[k][2] / demo[k][2], k) for k in ok if k in demo and demo[k][0] == 200 and demo[k][2]]
        worst = max(ratios) if ratios else (1.0, None)
        print(f"pages_statements_growth: {worst[0]:.2f}" + (f"  ({worst[1][0]} {worst[1][1]})" if worst[1] else ""))
    # The verification is a command of its own (`flask audit verify`, run by cron): timed in a fresh process, not
    # in this one after the sweep of every page (whose heap and caches slowed the daily run by a third).
    import subprocess

    out = subprocess.run([sys.executable, __file__, "--audit-only", url], check=True, capture_output=True,
                         text=True).stdout
    figures = dict(line.split(": ", 1) for line in out.splitlines() if ": " in line)
    print(f"audit_events_full: {figures['audit_events_full']}")
    print(f"audit_events_daily: {figures['audit_events_daily']}")
    full_s, daily_s = float(figures["full_s"]), float(figures["daily_s"])
    print(f"audit_verify_full_s: {full_s:.2f}")
    print(f"audit_verify_daily_s: {daily_s:.2f}")
    print(f"public_aid_pdf_ms: {cached_ms:.0f}  (first rendering of that store month: {first_ms:.0f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
