"""A built city must pass the app's own checks: the audit chains (`audit.service.verify_chain`), the stock
balances against their ledger (`inventory.verify.verify_balances`) and the points books (the three-way check of
`points.service.resident_balance_check`, for every resident at once and through the function itself for a
sample); and the other caches (aid usage, pledges' fulfilment, returned quantities) must equal their rows. Any
failure raises CityInvalid: a benchmark must never run on a city that does not add up.
"""
from __future__ import annotations

import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor

import psycopg

FIGURE_TABLES = ("sales", "sale_lines", "sale_payments", "stock_movements", "audit_events", "distributions",
                 "points_credits", "points_entries", "donations", "lots", "shifts", "stocktakes", "write_offs",
                 "households", "residents", "items", "users", "stores")


class CityInvalid(AssertionError):
    pass


def verify(url: str, conninfo: str, progress, *, parts: int = 2) -> dict:
    """Run the checks; raises CityInvalid. Returns what was checked."""
    from supermarket import create_app
    from supermarket.extensions import db

    t = time.monotonic()
    events, chains = _verify_chains(url, conninfo, parts)
    progress.say(f"verify: {events:,} audit events in {chains:,} chains ok ({time.monotonic() - t:.0f}s)")
    app = create_app("config.TestConfig", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        try:
            t = time.monotonic()
            _rows(db.session)
            progress.say(f"verify: every ledger row is vouched for by its audit event "
                         f"({time.monotonic() - t:.0f}s)")
            t = time.monotonic()
            _stock(db.session)
            progress.say(f"verify: stock balances equal the ledger ({time.monotonic() - t:.0f}s)")
            t = time.monotonic()
            residents = _points(db.session)
            progress.say(f"verify: points books balanced for {residents:,} residents ({time.monotonic() - t:.0f}s)")
            t = time.monotonic()
            _caches(db.session)
            progress.say(f"verify: aid usage, pledges and returned quantities match their rows "
                         f"({time.monotonic() - t:.0f}s)")
        finally:
            db.session.rollback()
            db.engine.dispose()
    return {"audit_events": events, "audit_chains": chains, "residents": residents}


def _verify_chains(url: str, conninfo: str, parts: int) -> tuple[int, int]:
    """audit.service.verify_chain over every chain, in `parts` processes at once.

    Each process runs the app's function unchanged on a session whose search_path first finds two views,
    `audit_events` and `audit_chain_heads`, showing its share of the chains (by a hash of the chain name); the
    shares are disjoint and cover every chain, so together they check exactly what one call would, in a
    fraction of the time on several cores. The views are dropped afterwards."""
    if parts <= 1:
        return _verify_part((url, None))
    schemas = [f"city_verify_{k}" for k in range(parts)]
    with psycopg.connect(conninfo, autocommit=True) as conn:
        for k, name in enumerate(schemas):
            share = f"(hashtext(chain) & 2147483647) % {parts} = {k}"
            conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")
            conn.execute(f"CREATE SCHEMA {name}")
            for table in ("audit_events", "audit_chain_heads"):
                conn.execute(f"CREATE VIEW {name}.{table} AS SELECT * FROM public.{table} WHERE {share}")
    try:
        with ProcessPoolExecutor(max_workers=parts, mp_context=multiprocessing.get_context("fork")) as pool:
            results = list(pool.map(_verify_part, [(url, name) for name in schemas]))
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            for name in schemas:
                conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")
    return sum(r[0] for r in results), sum(r[1] for r in results)


def _verify_part(job) -> tuple[int, int]:
    from sqlalchemy import func, select

    from supermarket import create_app
    from supermarket.audit.models import AuditChainHead
    from supermarket.audit.service import verify_chain
    from supermarket.extensions import db

    url, schema = job
    app = create_app("config.TestConfig", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        session = db.session
        if schema:
            session.connection().exec_driver_sql(f"SET search_path TO {schema}, public")
        result = verify_chain(session)
        if not result.ok:
            raise CityInvalid(f"audit chain broken: {result.broken}")
        heads = session.scalar(select(func.count()).select_from(AuditChainHead))
        if heads != result.chains:
            raise CityInvalid(f"{heads} chain heads for {result.chains} chains")
        session.rollback()
        db.engine.dispose()
        return result.events, result.chains


def _rows(session) -> None:
    """The ledger rows against the digests their events carry (audit/rows.py, as `flask audit verify`)."""
    from supermarket.audit.rows import verify_rows

    problems = verify_rows(session)
    if problems:
        raise CityInvalid(f"{len(problems)} ledger rows differ from the audit chain, e.g. "
                          f"{[p.message for p in problems[:3]]}")


def _stock(session) -> None:
    from supermarket.inventory.verify import verify_balances

    drifts = verify_balances(session)
    if drifts:
        raise CityInvalid(f"{len(drifts)} stock balances differ from the ledger, e.g. {drifts[:3]}")


def _points(session) -> int:
    """resident_balance_check's three sums for every resident in one query, then the function itself for the
    residents with the largest balances."""
    from sqlalchemy import func, select, text

    from supermarket.points.models import Resident
    from supermarket.points.service import resident_balance_check

    off = session.execute(text("""
        SELECT r.id, r.balance, COALESCE(e.total, 0), COALESCE(l.total, 0) FROM residents r
        LEFT JOIN (SELECT resident_id, sum(points) AS total FROM points_entries GROUP BY resident_id) e
               ON e.resident_id = r.id
        LEFT JOIN (SELECT resident_id, sum(remaining) AS total FROM points_lots GROUP BY resident_id) l
               ON l.resident_id = r.id
        WHERE r.balance <> COALESCE(e.total, 0) OR r.balance <> COALESCE(l.total, 0)""")).all()
    if off:
        raise CityInvalid(f"{len(off)} residents' points do not add up, e.g. {off[:3]}")
    for resident_id in session.scalars(select(Resident.id).order_by(Resident.balance.desc()).limit(20)):
        cached, ledger, lots = resident_balance_check(session, resident_id)
        if not cached == ledger == lots:
            raise CityInvalid(f"resident {resident_id}: balance {cached}, ledger {ledger}, lots {lots}")
    return session.scalar(select(func.count()).select_from(Resident))


# The other cached sums the services keep beside a ledger (the app has no check of its own for these).
CACHES = {
    "aid_usage": """
        SELECT u.household_id FROM aid_usage u FULL JOIN (
            SELECT household_id, period_key, sum(value_fen) AS v, sum(items) AS n FROM distributions
            WHERE counts_toward_entitlement GROUP BY 1, 2) d USING (household_id, period_key)
        WHERE u.value_fen IS DISTINCT FROM d.v OR u.items IS DISTINCT FROM d.n""",
    "pledges.fulfilled_fen": """
        SELECT p.id FROM pledges p LEFT JOIN (
            SELECT pledge_id, sum(total_value_fen) AS paid FROM donations GROUP BY 1) d ON d.pledge_id = p.id
        WHERE p.fulfilled_fen <> COALESCE(d.paid, 0)""",
    "sale_lines.returned_qty": """
        SELECT l.id FROM sale_lines l LEFT JOIN (
            SELECT r.reverses_line_id, -sum(r.qty) AS back FROM sale_lines r JOIN sales s ON s.id = r.sale_id
            WHERE s.kind = 'return' GROUP BY 1) r ON r.reverses_line_id = l.id
        WHERE l.returned_qty <> COALESCE(r.back, 0)""",
}


def _caches(session) -> None:
    from sqlalchemy import text

    for name, sql in CACHES.items():
        wrong = session.execute(text(sql + " LIMIT 3")).all()
        if wrong:
            raise CityInvalid(f"{name} differs from its rows, e.g. {wrong}")


def figures(conninfo: str) -> dict:
    """Row counts of every table (exact), and the headline figures."""
    with psycopg.connect(conninfo) as conn:
        names = [r[0] for r in conn.execute(
            "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' "
            "ORDER BY relname").fetchall()]
        tables = {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
        sales = conn.execute("SELECT count(*) FROM sales WHERE kind = 'sale'").fetchone()[0]
    return {"tables": tables, "sales": sales}
