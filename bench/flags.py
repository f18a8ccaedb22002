"""Benchmark the anomaly board's detectors on the synthetic city.

    python bench/flags.py [--stores 1000] [--days 90]        (development: --stores 60 --days 90)

Everything the bench writes happens inside one transaction on the city database that is rolled back at the end
(the services run on a session joined to it with savepoints), so the city stays as built. Into it go a district
of two stores of the bench's own, both planted through the real services (no hand-written rows):
- QB01 with one pattern of each of ten kinds (a burst of tiny sales, ten identical baskets, 25 voids, price
  overrides, three short shift closes, a staff member paying with their own points, money without a receipt, an
  overdue pledge, a week of write-offs, a redemption right after a PIN reset);
- QB02, a clean store with a month of ordinary trade: a daily shift counted exactly, 15 sales a day of random
  baskets, a void every ten days, an override every fifteen, a printed money donation and a small write-off
  every week.
Then every detector runs over every store of the city (flags_detect_all_s, flags_statements) and, from the same
state, over 100 stores (flags_statements_100: the same number, one query per detector whatever the stores).
flags_planted_found counts the planted kinds raised at QB01, flags_false_on_clean the flags raised at QB02.
The city's own stores (its "poor" and "fair" profiles are careless on purpose) raise flags too:
flags_raised_city counts them.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
import uuid
from datetime import datetime, time as dtime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.city import ensure_city_meta  # noqa: E402

PIN, PASSWORD = "2468", "changsha2023"
PLANTED = ("sales.burst", "sales.repeat_basket", "sales.void_rate", "sales.override_share", "shift.cash_difference",
           "sales.staff_purchase", "intake.money_no_receipt", "intake.pledge_overdue", "stock.writeoff_spike",
           "points.pin_reset_then_redeem")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stores", type=int, default=1000)
    parser.add_argument("--days", type=int, default=90)
    args = parser.parse_args(argv)
    url, meta = ensure_city_meta(args.stores, args.days)
    from datetime import date

    end = date.fromisoformat(str(meta["end_date"]))
    from supermarket import create_app
    from supermarket.extensions import db

    app = create_app("config.TestConfig", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        conn = db.engine.connect()
        outer = conn.begin()
        try:
            from sqlalchemy.orm import Session

            from supermarket.flags.models import Flag, FlagPerson, FlagThreshold

            db.metadata.create_all(conn, tables=[Flag.__table__, FlagPerson.__table__, FlagThreshold.__table__])
            session = Session(bind=conn, join_transaction_mode="create_savepoint")
            run(session, conn, end)
        finally:
            outer.rollback()
            conn.close()
    return 0


def _local(day, hh, mm=0):
    from supermarket.clock import SHANGHAI

    return datetime.combine(day, dtime(hh, mm), tzinfo=SHANGHAI).astimezone(timezone.utc)


class Bench:
    """The bench's district, stores, staff and items, and the services' calls the plants need."""

    def __init__(self, session, now):
        from supermarket.auth import service as auth_service
        from supermarket.auth.permissions import Role, build_actor, system_actor
        from supermarket.catalog import service as catalog
        from supermarket.catalog.codes import gtin_check_digit
        from supermarket.catalog.models import Category
        from supermarket.stores import service as stores
        from sqlalchemy import select

        self.s, self.now, admin = session, now, system_actor("bench")
        # In the city's first district, so the void-rate median is that of the city's ordinary cashiers.
        from supermarket.stores.models import District

        district = session.scalar(select(District).order_by(District.code))
        self.stores = {code: stores.create_store(session, admin, code=code, name=f"基准门店{code}",
                                                 district_id=district.id, address="") for code in ("QB01", "QB02")}
        self.users = {}
        for username, role, code in (("qb-cashier-1", Role.CASHIER, "QB01"), ("qb-manager-1", Role.STORE_MANAGER, "QB01"),
                                     ("qb-cashier-2", Role.CASHIER, "QB02"), ("qb-manager-2", Role.STORE_MANAGER, "QB02")):
            self.users[username] = auth_service.create_user(
                session, admin, username=username, display_name=username, password=PASSWORD, role=role,
                store_id=self.stores[code].id, pin=PIN if role is Role.STORE_MANAGER else None)
        self.actor = lambda name: build_actor(session, self.users[name])
        category = session.scalar(select(Category).where(Category.code == "DAILY")) or session.scalar(select(Category))
        self.items = []
        for k, (name, price, points) in enumerate((("纸巾（小包）", 300, None), ("香皂", 500, None),
                                                   ("洗衣液", 2500, None), ("毛巾", 1200, None), ("大米 5kg", 3900, None),
                                                   ("食用油", 6500, None), ("拖鞋", 1500, None), ("保温杯", 3000, None),
                                                   ("环保袋", 300, 30))):
            body = f"69499{k:07d}"
            self.items.append(catalog.create_item(session, admin, name=name, category_id=category.id,
                                                  kind="purchased", default_price_fen=price, points_price=points,
                                                  barcode=body + str(gtin_check_digit(body))))
        from supermarket.inventory import ledger
        from supermarket.uow import unit_of_work

        with unit_of_work(session):
            for store in self.stores.values():
                for item in self.items:
                    ledger.receive(session, admin, store_id=store.id, item=item, qty=2000, kind="intake",
                                   doc_type="bench", doc_id="bench", now=now - timedelta(days=40))

    def sell(self, who, items, at, *, price=None, approval=None, payments=None):
        from supermarket.sales import checkout
        from supermarket.sales.inputs import Cart, CartLine, Tendered

        lines = tuple(CartLine(1, item_id=i.id, unit_price_fen=price,
                               override_reason="临期促销" if price else "") for i in items)
        total = sum((price or i.default_price_fen) for i in items)
        return checkout.checkout(self.s, self.actor(who), Cart(uuid.uuid4(), lines, payments or (Tendered("cash", total),),
                                                                approval), now=at).sale

    def shift(self, who, day, body, *, short_fen=0, manager="qb-manager-1"):
        """Open a shift at 9:00, run `body(opened) -> takings`, close at 20:00 counted `short_fen` short."""
        from supermarket.auth.service import Approval
        from supermarket.sales import shifts
        from supermarket.sales.inputs import ShiftClose

        actor = self.actor(who)
        opened = _local(day, 9)
        shifts.open_shift(self.s, actor, float_fen=20000, now=opened)
        body(opened)
        expected = shifts.expected_takings(self.s, shifts.get_current_shift(self.s, actor))
        counted = dict(expected)
        counted["cash"] = counted.get("cash", 0) - short_fen   # expected includes the float
        # A close further off than the store's limit needs a reason (sales.shifts.check_variance_reason).
        shifts.close_shift(self.s, actor, ShiftClose(counted, Approval(manager, PIN), note="点钞差异" if short_fen else ""),
                           now=_local(day, 20))


def plant(b: Bench, today) -> None:
    """QB01: one pattern of each of PLANTED, through the services."""
    from supermarket.auth.service import Approval
    from supermarket.intake import donors, pledges, service as intake
    from supermarket.intake.donors import DonorInput
    from supermarket.intake.pledges import PledgeInput
    from supermarket.intake.service import DonationInput, MoneyInput
    from supermarket.inventory import writeoffs
    from supermarket.points import pin_reset, residents, service as points_service
    from supermarket.sales import reversals
    from supermarket.sales.inputs import CartLine, Tendered
    from supermarket.uow import unit_of_work

    s, now, items = b.s, b.now, b.items
    ok = Approval("qb-manager-1", PIN)
    tissue, soap, liquid, towel, bag = items[0], items[1], items[2], items[3], items[8]
    resident = residents.register_resident(s, b.actor("qb-manager-1"), name="基准员工", phone="13900009901",
                                           pin="246810", pii_key="bench", staff_username="qb-cashier-1",
                                           now=now - timedelta(days=20))
    points_service.adjust_points(s, b.actor("qb-manager-1"), resident_id=resident.id, points=40, reason="补记",
                                 idempotency_key=uuid.uuid4(), now=now - timedelta(days=20))

    def burst_day(opened):
        for k in range(20):
            b.sell("qb-cashier-1", [tissue], opened + timedelta(hours=5, seconds=28 * k))
        for k in range(10):
            b.sell("qb-cashier-1", [liquid, towel], opened + timedelta(hours=1, minutes=20 * k))
        pay = Tendered("points", points=30, member_code=resident.member_code, pin="246810")
        from supermarket.sales import checkout
        from supermarket.sales.inputs import Cart

        checkout.checkout(s, b.actor("qb-cashier-1"), Cart(uuid.uuid4(), (CartLine(1, item_id=bag.id, pay_with_points=True),),
                                                         (pay,)), now=opened + timedelta(hours=8))

    def void_day(opened):
        sold = [b.sell("qb-cashier-1", [soap], opened + timedelta(minutes=k)) for k in range(27)]
        for k, sale in enumerate(sold[:25]):
            reversals.void_sale(s, b.actor("qb-cashier-1"), sale.id, approval=ok, reason="顾客不要了",
                                now=opened + timedelta(minutes=40 + k))

    def override_day(opened):
        for k in range(6):
            b.sell("qb-cashier-1", [towel], opened + timedelta(minutes=10 + k), price=800, approval=ok)

    b.shift("qb-cashier-1", today - timedelta(days=4), void_day, short_fen=2000)
    b.shift("qb-cashier-1", today - timedelta(days=3), override_day, short_fen=2000)
    b.shift("qb-cashier-1", today - timedelta(days=2), burst_day, short_fen=2000)

    cashier = b.actor("qb-cashier-1")
    intake.record_donation(s, cashier, DonationInput(uuid.uuid4(), "qb-manager-1", PASSWORD, [],
                                                     [MoneyInput("cash", 50000, "")], anonymous=True),
                           pii_key="bench", now=now - timedelta(days=10))
    donor = donors.create_donor(s, cashier, DonorInput(kind="organisation", name="基准建材公司", phone="073100000000"),
                                pii_key="bench", now=now - timedelta(days=80))
    pledges.create_pledge(s, cashier, PledgeInput(donor_id=donor.id, kind="money", amount_fen=500000,
                                                  due_date=today - timedelta(days=45), description=""),
                          now=now - timedelta(days=80))
    for k in range(6):
        writeoffs.write_off(s, cashier, store_id=b.stores["QB01"].id, item_id=items[4].id, qty=1, reason_code="damaged",
                            reason="破损", now=now - timedelta(hours=2, minutes=k))
    pin_reset.reset_pin(s, cashier, resident.id, "975310", id_proof="", approval=Approval("qb-manager-1", PASSWORD),
                        pii_key="bench", now=now - timedelta(hours=6))
    with unit_of_work(s):
        points_service.redeem(s, cashier, store_id=b.stores["QB01"].id, member_code=resident.member_code,
                              pin="975310", points=5, ref_type="bench", ref_id="pin", now=now - timedelta(hours=5))


def clean(b: Bench, today, days: int = 30) -> None:
    """QB02: a month of ordinary trade."""
    from supermarket.auth.service import Approval
    from supermarket.intake import service as intake
    from supermarket.intake.service import DonationInput, MoneyInput
    from supermarket.inventory import writeoffs
    from supermarket.sales import reversals

    s, rng = b.s, random.Random(7)
    ok = Approval("qb-manager-2", PIN)
    cashier = b.actor("qb-cashier-2")
    for back in range(days, 0, -1):
        day = today - timedelta(days=back)

        def trade(opened, back=back):
            for k in range(15):
                at = opened + timedelta(minutes=20 + 40 * k + rng.randint(0, 15))
                basket = rng.sample(b.items[:8], rng.randint(1, 4))
                if back % 15 == 0 and k == 3:
                    b.sell("qb-cashier-2", [b.items[3]], at, price=1000, approval=ok)
                    continue
                sale = b.sell("qb-cashier-2", basket, at)
                if back % 10 == 0 and k == 5:
                    reversals.void_sale(s, cashier, sale.id, approval=ok, reason="顾客改主意",
                                        now=at + timedelta(minutes=2))
        b.shift("qb-cashier-2", day, trade, manager="qb-manager-2")
        if back % 7 == 0:
            result = intake.record_donation(s, cashier, DonationInput(uuid.uuid4(), "qb-manager-2", PASSWORD, [],
                                                                      [MoneyInput("cash", 20000, "")],
                                                                      anonymous=True),
                                            pii_key="bench", now=_local(day, 11))
            intake.record_receipt_print(s, cashier, result.donation.id, now=_local(day, 11, 5))
            writeoffs.write_off(s, cashier, store_id=b.stores["QB02"].id, item_id=b.items[1].id, qty=2,
                                reason_code="damaged", reason="破损", now=_local(day, 12))


def run(session, conn, end) -> None:
    from sqlalchemy import event, select

    from supermarket.clock import local_midnight_utc
    from supermarket.flags import detect
    from supermarket.flags.models import Flag
    from supermarket.stores.models import Store

    now = local_midnight_utc(end + timedelta(days=1)) - timedelta(minutes=1)
    today = end
    started = time.perf_counter()
    b = Bench(session, now)
    plant(b, today)
    clean(b, today)
    plant_s = time.perf_counter() - started
    print(f"[flags] planted in {plant_s:.0f}s", file=sys.stderr)

    counted = {"n": 0}

    @event.listens_for(conn, "before_cursor_execute")
    def _count(*_a, **_k):
        counted["n"] += 1

    ids = [b.stores["QB01"].id, b.stores["QB02"].id]
    ids += [sid for sid in session.scalars(select(Store.id).order_by(Store.code)) if sid not in ids][:98]
    counted["n"] = 0
    detect.detect(session, now=now, store_ids=ids)
    statements_100 = counted["n"]
    # Undo the 100-store run's flags, so the full run starts from the same state (no flags yet).
    from sqlalchemy import delete

    from supermarket.flags.models import FlagPerson

    session.execute(delete(FlagPerson))
    session.execute(delete(Flag))
    session.commit()

    for code in sorted(__import__("supermarket.flags.kinds", fromlist=["KINDS"]).KINDS):
        started = time.perf_counter()
        detect.run_detectors(session, now=now, kinds=[code])
        print(f"flags_detector_{code.replace('.', '_')}_s: {time.perf_counter() - started:.2f}")
    counted["n"] = 0
    started = time.perf_counter()
    raised = detect.detect(session, now=now)
    detect_s = time.perf_counter() - started
    statements = counted["n"]
    event.remove(conn, "before_cursor_execute", _count)

    at = {code: {k for k, in session.execute(select(Flag.kind).where(Flag.store_id == store.id))}
          for code, store in b.stores.items()}
    found = sum(1 for kind in PLANTED if kind in at["QB01"])
    false_clean = session.scalar(select(__import__("sqlalchemy").func.count()).select_from(Flag)
                                 .where(Flag.store_id == b.stores["QB02"].id))
    stores = session.scalar(select(__import__("sqlalchemy").func.count()).select_from(Store))
    print(f"flags_city_stores: {stores}")
    print(f"flags_plant_s: {plant_s:.1f}")
    print(f"flags_detect_all_s: {detect_s:.2f}")
    print(f"flags_statements: {statements}")
    print(f"flags_statements_100: {statements_100}")
    print(f"flags_planted: {len(PLANTED)}")
    print(f"flags_planted_found: {found}")
    missed = sorted(set(PLANTED) - at["QB01"])
    if missed:
        print(f"flags_planted_missed: {','.join(missed)}")
    print(f"flags_false_on_clean: {false_clean}")
    if false_clean:
        print(f"flags_false_on_clean_kinds: {','.join(sorted(at['QB02']))}")
    print(f"flags_raised_city: {sum(raised.values())}")
    for kind, n in sorted(raised.items()):
        print(f"flags_raised_{kind.replace('.', '_')}: {n}")


if __name__ == "__main__":
    sys.exit(main())
