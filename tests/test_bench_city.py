"""The benchmarks' synthetic city (bench/city.py): a tiny one builds into a throwaway database, passes the app's
checks, has the volumes its parameters ask for, is reused by a second call, and the app serves it."""
from __future__ import annotations

import json
import os
import uuid
from datetime import date, timedelta

import psycopg
import pytest

PG = (os.environ.get("TEST_DATABASE_URL") or "").startswith("postgresql")
pytestmark = [pytest.mark.pg, pytest.mark.skipif(not PG, reason="needs PostgreSQL (TEST_DATABASE_URL)")]

STORES, DAYS, END = 3, 3, date(2026, 11, 30)


@pytest.fixture(scope="module")
def city():
    from bench.city import ensure_city_meta
    from bench.citygen.build import drop_city, plain_url

    base = plain_url(os.environ["TEST_DATABASE_URL"].rsplit("/", 1)[0])
    name = f"sm_city_{uuid.uuid4().hex[:10]}"
    try:
        url, meta = ensure_city_meta(STORES, DAYS, base=base, name=name, end_date=END, quiet=True)
        yield {"base": base, "name": name, "url": url, "meta": meta, "conninfo": f"{base}/{name}"}
    finally:
        drop_city(base, name)


def _one(city, sql, *args):
    with psycopg.connect(city["conninfo"]) as conn:
        return conn.execute(sql, args or None).fetchone()


def test_the_city_is_built_and_verified(city):
    meta = city["meta"]
    assert meta["built"] == "yes" and meta["verified"] == "yes"
    checks = json.loads(meta["checks"])
    assert checks["audit_chains"] == STORES + 1  # one per store and the city-wide chain
    assert checks["audit_events"] == json.loads(meta["figures"])["tables"]["audit_events"]
    assert (meta["start_date"], meta["end_date"]) == ((END - timedelta(days=DAYS - 1)).isoformat(), END.isoformat())


def test_volumes_follow_the_parameters(city):
    from bench.citygen.params import VOLUMES

    tables = json.loads(city["meta"]["figures"])["tables"]
    assert tables["stores"] == STORES and tables["districts"] == STORES  # 16 districts, but never more than stores
    # Per store a manager and two cashiers; per district an auditor; the admin and the volunteer platform.
    assert tables["users"] == 3 * STORES + STORES + 2
    assert _one(city, "SELECT count(*) FROM users WHERE role = 'store_manager' AND pin_hash IS NOT NULL")[0] == STORES
    expected = VOLUMES.sales_per_day * STORES * DAYS
    sales, first, last = _one(city, "SELECT count(*), min(business_date), max(business_date) FROM sales "
                                     "WHERE kind = 'sale'")
    assert 0.6 * expected < sales < 1.4 * expected
    assert (first, last) == (END - timedelta(days=DAYS - 1), END)
    lines = _one(city, "SELECT count(*) FROM sale_lines l JOIN sales s ON s.id = l.sale_id WHERE s.kind = 'sale'")[0]
    assert 2.5 < lines / sales < 3.5
    assert tables["residents"] == VOLUMES.residents_per_store * STORES
    assert tables["households"] == VOLUMES.households_per_store * STORES
    for table in ("shifts", "shift_counts", "donations", "donation_lines", "distributions", "points_credits",
                  "points_entries", "aid_files", "stock_balances", "lot_balances"):
        assert tables[table] > 0, table
    # Business hours in Asia/Shanghai, stored in UTC: 08:00–20:00 local is 00:00–12:00 UTC.
    hours = _one(city, "SELECT min(extract(hour FROM sold_at AT TIME ZONE 'UTC')), "
                       "max(extract(hour FROM sold_at AT TIME ZONE 'UTC')) FROM sales")
    assert 0 <= hours[0] and hours[1] < 12


def test_receipt_numbers_are_gapless_per_store_and_day(city):
    gaps = _one(city, "SELECT count(*) FROM (SELECT store_id, business_date, max(seq) - count(*) AS gap FROM sales "
                      "GROUP BY 1, 2) g WHERE gap <> 0")[0]
    assert gaps == 0
    claimed = _one(city, "SELECT count(*) FROM sequences q WHERE q.key LIKE 'receipt:%' AND q.last_value <> "
                         "(SELECT max(seq) FROM sales s WHERE q.key = 'receipt:' || s.store_id || ':' "
                         "|| to_char(s.business_date, 'YYYYMMDD'))")[0]
    assert claimed == 0


def test_a_second_call_reuses_the_city(city):
    from bench.city import ensure_city_meta

    url, meta = ensure_city_meta(STORES, DAYS, base=city["base"], name=city["name"], end_date=END, quiet=True)
    assert url == city["url"]
    assert meta["built"] == "no" and meta["built_at"] == city["meta"]["built_at"]


def test_a_stamp_that_differs_makes_the_city_stale(city):
    from bench.citygen import build
    from bench.citygen.params import CityParams

    meta = build.read_meta(city["base"], city["name"])
    same = CityParams(STORES, DAYS, end_date=END)
    assert build.stale_reason(meta, same, end_date_given=True, max_age_days=7) is None
    assert build.stale_reason(meta, CityParams(STORES, DAYS, seed=2, end_date=END), end_date_given=True,
                              max_age_days=7) == "other parameters"
    later = CityParams(STORES, DAYS, end_date=END + timedelta(days=3))
    assert build.stale_reason(meta, later, end_date_given=True, max_age_days=7).startswith("ends")
    assert build.stale_reason(meta, later, end_date_given=False, max_age_days=7) is None
    assert build.stale_reason({**meta, "generator_version": "0"}, same, end_date_given=True, max_age_days=7)
    # A newer schema does not make the city stale: callers get a copy migrated to their head (build.at_head).
    assert build.stale_reason({**meta, "alembic_head": "0000_x", "db_alembic": "0000_x"}, same, end_date_given=True,
                              max_age_days=7) is None


def test_a_build_stopped_after_loading_is_resumed(city):
    """`city.py --resume`: a loaded `<name>__building` (a build killed while verifying, before its stamp) is
    verified, stamped and renamed into place instead of simulated again."""
    from bench.city import ensure_city_meta
    from bench.citygen.build import drop_city

    name = f"{city['name']}_r"
    with psycopg.connect(f"{city['base']}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}__building" TEMPLATE "{city["name"]}"')
    try:
        with psycopg.connect(f"{city['base']}/{name}__building", autocommit=True) as conn:
            conn.execute("DROP TABLE bench_city_meta")  # killed before the stamp
        url, meta = ensure_city_meta(STORES, DAYS, base=city["base"], name=name, end_date=END, quiet=True,
                                     resume=True)
        assert url.rsplit("/", 1)[1] == name
        assert meta["built"] == "resumed" and meta["verified"] == "yes"
        assert json.loads(meta["checks"])["audit_chains"] == STORES + 1
        with psycopg.connect(f"{city['base']}/postgres", autocommit=True) as conn:
            assert conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (f"{name}__building",)).fetchone() is None
    finally:
        drop_city(city["base"], name)
        drop_city(city["base"], f"{name}__building")


# A row of the store's, for every kind of id a page takes.
IDS = {"store_id": "SELECT id FROM stores WHERE id = %s",
       "sale_id": "SELECT id FROM sales WHERE store_id = %s ORDER BY kind DESC, sold_at LIMIT 1",
       "shift_id": "SELECT id FROM shifts WHERE store_id = %s LIMIT 1",
       "donation_id": "SELECT donation_id FROM donation_money_lines WHERE store_id = %s LIMIT 1",
       "donor_id": "SELECT id FROM donors WHERE store_id = %s LIMIT 1",
       "pledge_id": "SELECT id FROM pledges WHERE store_id = %s LIMIT 1",
       "household_id": "SELECT id FROM households WHERE store_id = %s LIMIT 1",
       "distribution_id": "SELECT id FROM distributions WHERE store_id = %s AND signature_id IS NOT NULL LIMIT 1",
       "file_id": "SELECT signature_id FROM distributions WHERE store_id = %s AND signature_id IS NOT NULL LIMIT 1",
       "stocktake_id": "SELECT id FROM stocktakes WHERE store_id = %s LIMIT 1",
       "write_off_id": "SELECT id FROM write_offs WHERE store_id = %s LIMIT 1",
       "resident_id": "SELECT id FROM residents WHERE registered_store_id = %s LIMIT 1",
       "item_id": "SELECT item_id FROM donation_lines WHERE store_id = %s AND item_created LIMIT 1",
       "district_id": "SELECT district_id FROM stores WHERE id = %s",
       "credit_id": "SELECT id FROM points_credits WHERE store_id = %s LIMIT 1",
       "table_id": "SELECT table_id FROM points_credits WHERE store_id = %s LIMIT 1"}


def test_the_app_serves_the_city(city):
    """Every page that takes only ids renders the generated rows for the store's manager, its district's
    auditor and the federation admin: no page meets a row it cannot show."""
    from flask import url_for

    from supermarket import create_app
    from supermarket.demo import DEMO_PASSWORD
    from supermarket.extensions import db

    store_id, code = _one(city, "SELECT id, code FROM stores WHERE id IN (SELECT store_id FROM stocktakes) "
                                "ORDER BY code LIMIT 1") or _one(city, "SELECT id, code FROM stores ORDER BY code")
    ids = {name: _one(city, sql, store_id) for name, sql in IDS.items()}
    ids = {name: row[0] for name, row in ids.items() if row and row[0] is not None}
    district = _one(city, "SELECT code FROM districts WHERE id = %s", ids["district_id"])[0]
    app = create_app("config.TestConfig", SQLALCHEMY_DATABASE_URI=city["url"])
    with app.test_request_context():
        pages = sorted({url_for(rule.endpoint, **{a: ids[a] for a in rule.arguments})
                        for rule in app.url_map.iter_rules()
                        if "GET" in rule.methods and rule.endpoint != "static" and set(rule.arguments) <= set(ids)})
    shown = 0
    try:
        for username in (f"manager-{code.lower()}", f"auditor-{district.lower()}", "admin"):
            client = app.test_client()
            resp = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
            assert resp.status_code == 302, (username, resp.get_data(as_text=True)[:300])
            for page in pages:
                if page.endswith(".pdf") and not username.startswith("manager"):
                    continue  # documents once are enough: they are the slow pages
                status = client.get(page).status_code
                assert status < 500, (username, page, status)
                shown += status == 200
        assert client.get(f"/stores/{store_id}").status_code == 200
    finally:
        with app.app_context():
            db.engine.dispose()
    assert shown > 60, f"only {shown} pages rendered"


def test_the_app_carries_on_where_the_city_ends(city):
    """The app's own services continue the generated ledgers: a shift, a sale paid partly in a resident's
    points, the close with the manager's PIN; the chain, the stock and the points books still hold. (Runs last:
    it adds to the city.)"""
    from sqlalchemy import select

    from supermarket import create_app
    from supermarket.audit.service import verify_chain
    from supermarket.auth.demo import DEMO_PIN
    from supermarket.auth.models import User
    from supermarket.auth.permissions import build_actor
    from supermarket.extensions import db
    from supermarket.inventory.verify import verify_balances
    from supermarket.points.demo import DEMO_PIN as RESIDENT_PIN
    from supermarket.points.service import resident_balance_check
    from supermarket.sales import checkout, shifts
    from supermarket.sales.inputs import Approval, Cart, CartLine, ShiftClose, Tendered

    store_id, code = _one(city, "SELECT id, code FROM stores ORDER BY code LIMIT 1")
    member, resident_id, balance = _one(city, "SELECT member_code, id, balance FROM residents "
                                              "WHERE registered_store_id = %s ORDER BY balance DESC LIMIT 1", store_id)
    points_item, points_price = _one(city, "SELECT i.id, i.points_price FROM items i JOIN stock_balances b "
                                           "ON b.item_id = i.id AND b.store_id = %s WHERE b.qty > 2 AND "
                                           "i.points_price <= %s AND NOT i.is_food ORDER BY i.points_price LIMIT 1",
                                     store_id, balance)
    cash_item = _one(city, "SELECT b.item_id FROM stock_balances b JOIN items i ON i.id = b.item_id "
                           "WHERE b.store_id = %s AND b.qty > 2 AND NOT i.is_food AND i.id <> %s "
                           "ORDER BY i.barcode LIMIT 1", store_id, points_item)[0]
    app = create_app("config.TestConfig", SQLALCHEMY_DATABASE_URI=city["url"])
    try:
        with app.app_context():
            session = db.session
            user = session.scalar(select(User).where(User.username == f"cashier-{code.lower()}-1"))
            cashier = build_actor(session, user)
            shifts.open_shift(session, cashier, float_fen=10000)
            lines = (CartLine(1, item_id=cash_item), CartLine(1, item_id=points_item, pay_with_points=True))
            tenders = (Tendered("cash", 100_000),
                       Tendered("points", points=points_price, member_code=member, pin=RESIDENT_PIN))
            cart = Cart(uuid.uuid4(), lines, tenders)
            sale = checkout.checkout(session, cashier, cart).sale
            assert sale.points_total == points_price
            shift = shifts.get_current_shift(session, cashier)
            counted = shifts.expected_takings(session, shift)
            shifts.close_shift(session, cashier, ShiftClose(counted, Approval(f"manager-{code.lower()}", DEMO_PIN)))
            assert verify_chain(session).ok
            assert verify_balances(session) == []
            cached, ledger, lots = resident_balance_check(session, resident_id)
            assert cached == ledger == lots == balance - points_price
    finally:
        with app.app_context():
            db.engine.dispose()
