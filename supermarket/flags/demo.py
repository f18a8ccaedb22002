"""Demo flags: one planted pattern of each new kind, made through the services in the last days before
`flask demo` runs, by demo staff of their own (a second cashier at YL01, deputy managers at YL02 and FR01) so
the patterns stand out whatever volume the other demos have. Then the detectors run (the aid and points demos'
own oddities are raised too), a few flags are explained and one is confirmed.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select

from ..auth import service as auth_service
from ..auth.permissions import Role, build_actor, system_actor
from ..auth.service import Approval
from ..catalog import service as catalog
from ..clock import SHANGHAI, local_date, utcnow
from ..demo import DEMO_PASSWORD
from ..intake import pledges as pledge_service
from ..intake import service as intake
from ..intake.lines import LineInput
from ..intake.pledges import PledgeInput
from ..intake.service import DonationInput, MoneyInput
from ..inventory import corrections, ledger, stocktake_review, stocktakes, writeoffs
from ..inventory.models import StockMovement
from ..points import credits as points_credits
from ..points import pin_reset, residents, service as points_service
from ..sales import checkout, returns_open, reversals, shifts
from ..sales.inputs import Cart, CartLine, ShiftClose, Tendered
from ..uow import unit_of_work
from . import detect, service
from .models import Flag

PII_KEY = "demo-flags"
MANAGER_PIN = "2468"
DEPUTY_PIN = "1357"


def _actor(session, ctx, name):
    return build_actor(session, ctx.users[name])


_BARCODES = iter(range(1, 100))


def _item(session, ctx, name, category, price_fen, points_price=None):
    from ..catalog.codes import gtin_check_digit

    body = f"694900{next(_BARCODES):06d}"
    return catalog.create_item(session, system_actor("demo"), name=name, category_id=ctx.extra["categories"][category].id,
                               kind="purchased", default_price_fen=price_fen, points_price=points_price,
                               barcode=body + str(gtin_check_digit(body)))


def _stock(session, store, item, qty, at):
    with unit_of_work(session):
        ledger.receive(session, system_actor("demo"), store_id=store.id, item=item, qty=qty, kind="intake",
                       doc_type="demo", doc_id="demo-flags", now=at)


def _local(day, hh, mm=0) -> datetime:
    from datetime import time, timezone

    return datetime.combine(day, time(hh, mm), tzinfo=SHANGHAI).astimezone(timezone.utc)


def _sell(session, actor, lines, at, *, approval=None):
    total = sum((l.unit_price_fen or 0) * l.qty for l in lines)
    return checkout.checkout(session, actor, Cart(uuid.uuid4(), tuple(lines), (Tendered("cash", total),),
                                                  approval), now=at).sale


def _users(session, ctx):
    admin = system_actor("demo")
    for username, name, role, store in (("cashier2-yl01", "收银员 吴刚", Role.CASHIER, "YL01"),
                                        ("deputy-yl02", "观沙岭副店长 孙悦", Role.STORE_MANAGER, "YL02"),
                                        ("deputy-fr01", "定王台副店长 郑凯", Role.STORE_MANAGER, "FR01")):
        ctx.users[username] = auth_service.create_user(
            session, admin, username=username, display_name=name, password=DEMO_PASSWORD, role=role,
            store_id=ctx.stores[store].id, pin=DEPUTY_PIN if role is Role.STORE_MANAGER else None)


def _sales(session, ctx, today):
    """cashier2-yl01, three shifts each closed ¥20 short: a burst of tiny sales, 25 voids, price overrides, three
    returns without receipt, a sale paid with their own points; and ten identical baskets at YL02."""
    yl01 = ctx.stores["YL01"]
    tissue = _item(session, ctx, "纸巾（小包）", "DAILY", 300)
    soap = _item(session, ctx, "香皂", "DAILY", 500)
    bag = _item(session, ctx, "爱心环保袋", "DAILY", 300, points_price=30)
    for item, qty in ((tissue, 60), (soap, 60), (bag, 5)):
        _stock(session, yl01, item, qty, _local(today - timedelta(days=10), 8))
    for item in (tissue, soap):
        _stock(session, ctx.stores["YL02"], item, 30, _local(today - timedelta(days=10), 8))
    me = _actor(session, ctx, "cashier2-yl01")
    ok = Approval("manager-yl01", MANAGER_PIN)
    line = lambda item, price=None, reason="": CartLine(1, item_id=item.id, unit_price_fen=price or item.default_price_fen,
                                                         override_reason=reason)
    resident = residents.register_resident(session, system_actor("demo"), name="吴刚", phone="13800009901",
                                           pin="246810", pii_key=PII_KEY, staff_username="cashier2-yl01",
                                           store_id=yl01.id, now=_local(today - timedelta(days=9), 9))
    points_service.adjust_points(session, _actor(session, ctx, "manager-yl01"), resident_id=resident.id, points=40,
                                 reason="志愿服务补记", idempotency_key=uuid.uuid4(),
                                 now=_local(today - timedelta(days=9), 10))
    for back in (4, 3, 2):
        day = today - timedelta(days=back)
        opened = _local(day, 9)
        shifts.open_shift(session, me, float_fen=20000, now=opened)
        takings = 0
        if back == 4:   # 25 voids of 27 sales: well above any ordinary cashier's month (a demo cashier voids ~6)
            sold = [_sell(session, me, [line(soap)], opened + timedelta(minutes=10 + k)) for k in range(27)]
            takings += 2 * 500
            for k, sale in enumerate(sold[:25]):
                reversals.void_sale(session, me, sale.id, approval=ok, reason="顾客不要了",
                                    now=opened + timedelta(minutes=40 + k))
        if back == 3:   # price overrides, and three returns without receipt (their cash out of the drawer)
            for k in range(5):
                _sell(session, me, [line(soap, 300, "临期促销")], opened + timedelta(minutes=10 + k), approval=ok)
                takings += 300
            for k in range(3):
                returns_open.take_back_without_receipt(session, me, barcode=soap.barcode, qty=1, reason="顾客说没拿小票",
                                                       approval=ok, now=opened + timedelta(hours=2, minutes=k))
                takings -= 500
        if back == 2:   # 20 sales of ¥3 in under ten minutes, then their own points
            for k in range(20):
                _sell(session, me, [line(tissue)], _local(day, 15) + timedelta(seconds=28 * k))
                takings += 300
            pay = Tendered("points", points=30, member_code=resident.member_code, pin="246810")
            checkout.checkout(session, me, Cart(uuid.uuid4(), (CartLine(1, item_id=bag.id, pay_with_points=True),),
                                                (pay,)), now=_local(day, 16))
        shifts.close_shift(session, me, ShiftClose({"cash": 20000 + takings - 2000, "wechat": 0, "alipay": 0},
                                                   ok, note="点钞差异"), now=_local(day, 18))
    yl02 = _actor(session, ctx, "cashier-yl02")
    day = today - timedelta(days=5)
    shifts.open_shift(session, yl02, float_fen=20000, now=_local(day, 9))
    for k in range(10):
        _sell(session, yl02, [line(tissue), line(soap)], _local(day, 10) + timedelta(minutes=20 * k))
    shifts.close_shift(session, yl02, ShiftClose({"cash": 20000 + 8000, "wechat": 0, "alipay": 0},
                                                 Approval("manager-yl02", MANAGER_PIN)), now=_local(day, 17))


def _intake(session, ctx, today):
    """At FR01: a coat valued at ¥880 among ordinary ones, money without a receipt, an overdue pledge."""
    from ..intake import donors
    from ..intake.donors import DonorInput

    actor = _actor(session, ctx, "cashier-fr01")
    coat = _item(session, ctx, "二手棉衣", "CLOTH", 2000)
    at = _local(today - timedelta(days=12), 10)
    for k, value in enumerate((1500, 1800, 2000, 2200, 2500)):
        intake.record_donation(session, actor, DonationInput(uuid.uuid4(), "manager-fr01", DEMO_PASSWORD,
                                                             [LineInput(1, value, "market", item_id=coat.id)],
                                                             anonymous=True), pii_key=PII_KEY,
                               now=at + timedelta(minutes=k))
    intake.record_donation(session, actor, DonationInput(uuid.uuid4(), "manager-fr01", DEMO_PASSWORD,
                                                         [LineInput(2, 88000, "market", item_id=coat.id)],
                                                         anonymous=True, note="捐赠人要求开具抵税收据"),
                           pii_key=PII_KEY, now=_local(today - timedelta(days=3), 11))
    intake.record_donation(session, actor, DonationInput(uuid.uuid4(), "manager-fr01", DEMO_PASSWORD, [],
                                                         [MoneyInput("cash", 50000, "")], anonymous=True),
                           pii_key=PII_KEY, now=_local(today - timedelta(days=10), 15))
    donor = donors.create_donor(session, actor, DonorInput(kind="organisation", name="星城建材有限公司",
                                                           phone="073188880000"), pii_key=PII_KEY,
                                now=_local(today - timedelta(days=80), 10))
    pledge_service.create_pledge(session, actor, PledgeInput(donor_id=donor.id, kind="money", amount_fen=500000,
                                                             due_date=today - timedelta(days=45),
                                                             description="年中认捐"),
                                 now=_local(today - timedelta(days=80), 10))


def _stock_patterns(session, ctx, today, now):
    """At FR01: a week of write-offs far above the usual; a deputy manager correcting their own count."""
    fr01 = ctx.stores["FR01"]
    milk = _item(session, ctx, "盒装牛奶", "DAILY", 4500)
    battery = _item(session, ctx, "五号电池", "DAILY", 800)
    _stock(session, fr01, milk, 20, now - timedelta(days=20))
    _stock(session, fr01, battery, 10, now - timedelta(days=20))
    cashier = _actor(session, ctx, "cashier-fr01")
    for k in range(6):   # ¥270 this week
        writeoffs.write_off(session, cashier, store_id=fr01.id, item_id=milk.id, qty=1, reason_code="damaged",
                            reason="包装破损", now=now - timedelta(minutes=30 - k))
    deputy = _actor(session, ctx, "deputy-fr01")
    when = now - timedelta(days=6)
    take = stocktakes.start_stocktake(session, deputy, store_id=fr01.id, note="电池抽盘", now=when)
    stocktakes.record_count(session, deputy, take.id, item_id=battery.id, qty=7, now=when)
    manager = _actor(session, ctx, "manager-fr01")
    review = stocktake_review.review_stocktake(session, manager, take.id, today=local_date(when))
    stocktake_review.approve_stocktake(session, manager, take.id, approver_username="manager-fr01",
                                       approver_secret=MANAGER_PIN, digest=review.digest,
                                       now=when + timedelta(hours=1))
    move = session.scalar(select(StockMovement).where(StockMovement.kind == "stocktake_adjustment",
                                                      StockMovement.doc_id == str(take.id)))
    corrections.correct_movement(session, deputy, move.id, reason="复点后更正", qty=2, now=when + timedelta(days=2))


def _points(session, ctx, now):
    """A PIN reset at YL01 and a redemption soon after; a resident redeeming at FR01 nine times; YL02's shifts
    approved by one of its two managers; a resident over the monthly cap."""
    admin = system_actor("demo")
    people = [residents.register_resident(session, admin, name=name, phone=phone, pin="135790", pii_key=PII_KEY,
                                          community="望月湖社区", store_id=ctx.stores[store].id,
                                          now=now - timedelta(days=20))
              for name, phone, store in (("冯桂兰", "13800009911", "YL01"), ("蒋建国", "13800009912", "FR01"),
                                         ("韩梅", "13800009913", "YL02"), ("曹志强", "13800009914", "YL02"))]
    reset, frequent, volunteer, capped = people
    manager = _actor(session, ctx, "manager-yl01")
    for person in (reset, frequent):
        points_service.adjust_points(session, manager, resident_id=person.id, points=40, reason="志愿服务补记",
                                     idempotency_key=uuid.uuid4(), now=now - timedelta(days=15))
    cashier = _actor(session, ctx, "cashier-yl01")
    pin_reset.reset_pin(session, cashier, reset.id, "975310", id_proof="", approval=Approval("manager-yl01", "2468"),
                        pii_key=PII_KEY, now=now - timedelta(hours=5))
    with unit_of_work(session):
        points_service.redeem(session, cashier, store_id=ctx.stores["YL01"].id, member_code=reset.member_code,
                              pin="975310", points=20, ref_type="demo", ref_id="pin-reset",
                              now=now - timedelta(hours=3))
    fr = _actor(session, ctx, "cashier-fr01")
    for k in range(9):
        with unit_of_work(session):
            points_service.redeem(session, fr, store_id=ctx.stores["FR01"].id, member_code=frequent.member_code,
                                  pin="135790", points=2, ref_type="demo", ref_id=f"often-{k}",
                                  now=now - timedelta(days=9 - k))
    entering, approving = _actor(session, ctx, "cashier-yl02"), _actor(session, ctx, "manager-yl02")
    for k in range(10):
        start = now - timedelta(days=10 - k, hours=4)
        claim = points_credits.Claim(volunteer.member_code, "store-duty", start, minutes=60, started_at=start,
                                     ended_at=start + timedelta(hours=1))
        credit = points_credits.enter_shift(session, entering, claim, store_id=None, idempotency_key=str(uuid.uuid4()),
                                            now=start + timedelta(hours=2))
        points_credits.approve_credit(session, approving, credit.id, now=start + timedelta(hours=3))
    for k in range(3):
        points_service.adjust_points(session, _actor(session, ctx, "manager-yl02"), resident_id=capped.id, points=40,
                                     reason="社区活动补记", idempotency_key=uuid.uuid4(),
                                     now=now - timedelta(hours=2, minutes=k))
    _day_hours(session, ctx, now)


def _day_hours(session, ctx, now):
    """Seven hours of store duty yesterday at YL01, accepted under the 8-hour daily cap; today the federation
    lowers the cap to 6 hours (a new version of the points table), which puts yesterday over it."""
    from ..points import rules
    from ..points.demo import ACTIVITIES

    admin = system_actor("demo")
    person = residents.register_resident(session, admin, name="钱志远", phone="13800009915", pin="135790",
                                         pii_key=PII_KEY, community="望月湖社区", store_id=ctx.stores["YL01"].id,
                                         now=now - timedelta(days=20))
    yesterday = local_date(now) - timedelta(days=1)
    cashier = _actor(session, ctx, "cashier-yl01")
    for start_h, hours in ((8, 4), (13, 3)):
        start = _local(yesterday, start_h)
        claim = points_credits.Claim(person.member_code, "store-duty", start, minutes=hours * 60, started_at=start,
                                     ended_at=start + timedelta(hours=hours))
        points_credits.enter_shift(session, cashier, claim, store_id=None, idempotency_key=str(uuid.uuid4()),
                                   now=_local(yesterday, 18))
    rules.publish_table(session, admin, rules.TableInput(
        effective_from=local_date(now), activities=ACTIVITIES, max_points_per_month=100, daily_redeem_cap=200,
        max_hours_per_day=6, note="调整：每日服务时长上限由 8 小时降为 6 小时"), now=now)


def load(session, ctx) -> None:
    global _BARCODES
    _BARCODES = iter(range(1, 100))
    now = utcnow()
    today = now.astimezone(SHANGHAI).date()
    _users(session, ctx)
    _sales(session, ctx, today)
    _intake(session, ctx, today)
    _stock_patterns(session, ctx, today, now)
    _points(session, ctx, now)
    detect.detect(session, now=now)
    auditor_yl, auditor_fr = (_actor(session, ctx, n) for n in ("auditor-yl", "auditor-fr"))
    notes = {"sales.repeat_basket": (auditor_yl, "explained", "社区团购套装，已核对订单"),
             "aid.override": (auditor_fr, "explained", "火灾受灾家庭，特批有据"),
             "intake.money_no_receipt": (auditor_fr, "explained", "捐赠人不需要收据，已登记说明"),
             "sales.staff_purchase": (auditor_yl, "confirmed", "查实：收银员用本人积分在本人收银台购物")}
    done = set()
    for flag in session.scalars(select(Flag).order_by(Flag.raised_at)).all():
        if flag.kind in notes and flag.kind not in done:
            actor, outcome, note = notes[flag.kind]
            if actor.can_see_store(flag.store_id):
                service.resolve(session, actor, flag.id, outcome=outcome, note=note, now=now)
                done.add(flag.kind)
