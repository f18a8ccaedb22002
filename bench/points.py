"""Benchmark the points ledger on SQLite (WAL, synchronous=FULL, as the app runs): one redemption (PIN check,
guarded balance, lots, audit event, commit) and one platform credit, each its own transaction; and the cost of
checking a PIN with the production hash (scrypt), which the till pays once per points payment.

Run from the project root: .venv/bin/python bench/points.py
"""
from __future__ import annotations

from supermarket.clock import local_midnight_utc
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

N = 1000


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    from werkzeug.security import check_password_hash, generate_password_hash

    from supermarket import create_app
    from supermarket.auth import service as auth_service
    from supermarket.auth.permissions import Role, build_actor, system_actor
    from supermarket.extensions import db
    from supermarket.models import utcnow
    from supermarket.points import credits, ledger, residents, rules, service
    from supermarket.stores import service as stores_service
    from supermarket.uow import unit_of_work

    path = Path(tempfile.mkdtemp()) / "points-bench.db"
    app = create_app("config.TestConfig", SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
    with app.app_context():
        db.create_all()
        session, admin, now = db.session, system_actor("bench"), utcnow()
        district = stores_service.create_district(session, admin, code="YL", name="岳麓区")
        store = stores_service.create_store(session, admin, code="YL01", name="望月湖", district_id=district.id)
        cashier = build_actor(session, auth_service.create_user(
            session, admin, username="cashier", display_name="收银员", password="changsha2023", role=Role.CASHIER,
            store_id=store.id))
        start = rules.local_date(now) - timedelta(days=1)
        rules.publish_table(session, admin, rules.TableInput(
            effective_from=start, max_points_per_month=None,
            activities=(rules.ActivityInput("recruit", "招募志愿者", "occurrence", 2),)),
            now=local_midnight_utc(start))
        person = residents.register_resident(session, admin, name="李秀英", phone="13800000001", pin="123456",
                                             pii_key="bench", store_id=store.id, now=now)
        with unit_of_work(session):
            for i in range(50):  # fifty lots, so redemptions walk real lots
                ledger.credit(session, ledger.Context(admin, now), person.id, "earn", 1000, f"seed-{i}",
                              now + timedelta(days=30 + i))

        redeem_ms = []
        for i in range(N):
            t = time.perf_counter()
            with unit_of_work(session):
                service.redeem(session, cashier, store_id=store.id, member_code=person.member_code, pin="123456",
                               points=3, ref_type="bench", ref_id=str(i), now=now)
            redeem_ms.append((time.perf_counter() - t) * 1000)

        credit_ms = []
        for i in range(N):
            claim = credits.Claim(person.member_code, "recruit", now - timedelta(hours=1), points=2)
            t = time.perf_counter()
            credits.post_credit(session, admin, claim, idempotency_key=f"bench-{i}", now=now)
            credit_ms.append((time.perf_counter() - t) * 1000)
        held = service.resident_balance_check(session, person.id)
        db.engine.dispose()

    scrypt = generate_password_hash("123456", method="scrypt")
    t = time.perf_counter()
    for _ in range(5):
        check_password_hash(scrypt, "123456")
    pin_ms = (time.perf_counter() - t) / 5 * 1000

    print(f"points_redeem_median_ms: {statistics.median(redeem_ms):.2f}")
    print(f"points_redeem_p99_ms: {percentile(redeem_ms, 0.99):.2f}")
    print(f"points_credit_median_ms: {statistics.median(credit_ms):.2f}")
    print(f"points_credit_p99_ms: {percentile(credit_ms, 0.99):.2f}")
    print(f"points_pin_check_scrypt_ms: {pin_ms:.1f}")
    print(f"points_books_balanced: {'yes' if held[0] == held[1] == held[2] == 50_000 - 3 * N + 2 * N else 'no'}")


if __name__ == "__main__":
    main()
