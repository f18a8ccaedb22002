"""Benchmark aid: one counter hand-out end to end, and the month's auditor flags and public list at city scale.

Run from the project root: .venv/bin/python bench/aid.py   (DATABASE_URL=postgresql://… to run on PostgreSQL)
The hand-out is the service call the API makes (signature check, witness password with the production scrypt
hash, guarded usage UPDATE, three stock takes, audit event, commit), median of 30 on a file database. The month
figures read 1,000 households and 5,000 distributions (inserted directly) and are the best of three.
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._timing import best_of  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from supermarket import create_app  # noqa: E402
from supermarket.extensions import db  # noqa: E402
from tests import factories  # noqa: E402

N_HOUSEHOLDS, N_DISTRIBUTIONS = 1000, 5000


def main() -> None:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    app = create_app("config.TestConfig", SQLALCHEMY_DATABASE_URI=url, PASSWORD_HASH_METHOD="scrypt")
    with app.app_context():
        db.drop_all()
        db.create_all()
        session = db.session
        run(session)
        db.drop_all()


def run(session) -> None:
    from supermarket.aid import handout, public
    from supermarket.flags import detect as flag_detect
    from supermarket.flags.kinds import KINDS
    from supermarket.aid.models import Distribution, DistributionLine, Household
    from supermarket.models import utcnow
    from tests.supermarket.aid import factories as f

    world = factories.make_world(session)
    f.policy(session, value_cap_fen=10_000_000, item_cap=None)
    stores = list(world.stores.values())
    items = [f.aid_item(session, stores, name=f"物品{i}", price_fen=500 + i, qty=10_000) for i in range(3)]
    target = f.make_household(session, stores[0])
    cashier = world.actor(session, "cashier-yl01")

    times = []
    for k in range(30):
        data = f.handout_input(target, [(i, 1) for i in items], key=f"bench-{k:04d}")
        start = time.perf_counter()
        handout.distribute(session, cashier, data, now=utcnow())
        times.append(time.perf_counter() - start)

    from supermarket.auth.models import User
    from supermarket.auth.service import hash_secret, verify_approver

    manager = session.get(User, world.users["manager-yl01"].id)
    manager.pin_hash = hash_secret("2468")  # the production scrypt hash, as the witness check meets it
    session.commit()
    witness_times = []
    for _k in range(10):
        start = time.perf_counter()
        verify_approver(session, stores[0].id, "manager-yl01", "2468", not_user_id=cashier.user_id)
        witness_times.append(time.perf_counter() - start)

    today = utcnow().date()
    month = today.replace(day=1)
    rows = [dict(id=uuid.uuid4(), store_id=stores[i % 3].id, code=f"HB{i:06d}", head_name=f"测试户{i}",
                 id_hmac=uuid.uuid4().hex * 2, id_last4=f"{i % 10000:04d}", address_key=f"地址{i // 2}",
                 category_code="dibao", verified_on=today, review_due=today + timedelta(days=300),
                 status="active", members=1, phone="", community="", address=f"地址{i // 2}", proof_ref="",
                 verified_by="", status_reason="", created_at=utcnow()) for i in range(N_HOUSEHOLDS)]
    session.execute(insert(Household), rows)
    dists, lines = [], []
    for n in range(N_DISTRIBUTIONS):
        day = month + timedelta(days=n % 27)
        d_id = uuid.uuid4()
        dists.append(dict(id=d_id, store_id=stores[n % 3].id, serial=f"B-{n:06d}", household_id=rows[n % N_HOUSEHOLDS]["id"],
                          category_code="dibao", period_key=f"M{day:%Y-%m}", counts_toward_entitlement=True,
                          handed_out_at=utcnow(), handed_out_on=day, value_fen=1500, items=1,
                          operator_name="bench", witness_name="w" if n % 7 else "", witness_id=None if n % 7 == 0
                          else world.users["manager-yl01"].id, proxy_name="代领" if n % 5 == 0 else "",
                          proxy_relation="", override=n % 50 == 0, override_reason="", override_by="",
                          created_at=utcnow()))
        lines.append(dict(id=uuid.uuid4(), distribution_id=d_id, item_id=items[n % 3].id, item_name="物品",
                          unit="件", qty=1, unit_value_fen=1500, value_fen=1500, position=0))
    session.execute(insert(Distribution), dists)
    session.execute(insert(DistributionLine), lines)
    session.commit()
    # The aid flags are the anomaly board's aid detectors now (one query each, every store at once).
    aid_kinds = [k for k in KINDS if k.startswith("aid.")]
    find = lambda: flag_detect.run_detectors(session, now=utcnow(), kinds=aid_kinds)  # noqa: E731
    flags_s = best_of(3, find)
    n_flags = len(find())
    public_s = best_of(3, lambda: public.city_summary(session, month))
    print(f"aid_handout_median_ms: {statistics.median(times) * 1000:.1f}")
    print(f"aid_handout_p95_ms: {sorted(times)[int(len(times) * 0.95) - 1] * 1000:.1f}")
    print(f"aid_witness_check_median_ms: {statistics.median(witness_times) * 1000:.1f}")
    print(f"aid_flags_month_5000_s: {flags_s:.3f}")
    print(f"aid_flags_found: {n_flags}")
    print(f"aid_public_list_month_5000_s: {public_s:.3f}")


if __name__ == "__main__":
    main()
