"""Demo points: the integration account, two versions of the points table, residents (DEMO-RESIDENT-1, phone
13800000001, PIN 123456), shifts entered and approved at each store, platform credits, redemptions, an
adjustment, points already expired and points about to expire."""
from __future__ import annotations

import uuid
from datetime import timedelta

from ..clock import local_midnight_utc
from ..auth import service as auth_service
from ..auth.permissions import Role, build_actor, system_actor
from ..demo import DEMO_PASSWORD
from ..models import utcnow
from ..uow import unit_of_work
from . import credits, residents, rules, service
from .credits import Claim
from ..clock import local_date

DEMO_CODE, DEMO_PHONE, DEMO_PIN = "DEMO-RESIDENT-1", "13800000001", "123456"
PII_KEY = "demo-pii-key"  # demo ID numbers are hashed with a fixed key (no real ID numbers in the demo)

ACTIVITIES = (
    rules.ActivityInput("community-service", "社区服务", "hourly", 1, max_hours_per_shift=4),
    rules.ActivityInput("elder-care", "助老服务", "hourly", 2, max_hours_per_shift=4),
    rules.ActivityInput("store-duty", "超市值班", "hourly", 1, max_hours_per_shift=4),
    rules.ActivityInput("recruit-volunteer", "招募志愿者", "occurrence", 2),
    rules.ActivityInput("good-deed", "好人好事", "occurrence", 5, max_points_per_month=60),
    rules.ActivityInput("uncivil-behaviour", "不文明行为", "deduction", 5),
)
# (name, phone, community, registering store, member code or None for a random one)
RESIDENTS = (
    ("李秀英", DEMO_PHONE, "望月湖社区", "YL01", DEMO_CODE),
    ("王建国", "13800000002", "望月湖社区", "YL01", None),
    ("张丽华", "13800000003", "桐梓坡社区", "YL01", None),
    ("刘志强", "13800000004", "观沙岭社区", "YL02", None),
    ("陈美玲", "13800000005", "茶子山社区", "YL02", None),
    ("杨文军", "13800000006", "定王台社区", "FR01", None),
    ("赵桂兰", "13800000007", "解放西社区", "FR01", None),
    ("黄海涛", "13800000008", "浏正街社区", "FR01", None),
)
# Volunteers of the 天心区 stores: TX01 and TX03 run volunteer shifts and redemptions, TX02 none (the central
# check counts its volunteering function as inactive).
TX_RESIDENTS = (
    ("胡晓燕", "13800000011", "坡子街社区", "TX01", None),
    ("唐志勇", "13800000012", "青园社区", "TX03", None),
    ("贺丽萍", "13800000013", "青园社区", "TX03", None),
)


def load(session, ctx):
    now = utcnow()
    admin = system_actor("demo")
    ctx.users["volunteer-platform"] = auth_service.create_user(
        session, admin, username="volunteer-platform", display_name="长沙市志愿服务平台", password=DEMO_PASSWORD,
        role=Role.INTEGRATION)
    _tables(session, admin, now)
    people = _residents(session, ctx, now)
    actors = {name: build_actor(session, user) for name, user in ctx.users.items()}
    # Everything that reaches the ledger, run in time order so each balance_after reads right.
    events = _platform_credits(actors["volunteer-platform"], people, now) + _shifts(actors, people, now)
    events += _redemptions(actors, people, now) + _bulk_entry(actors, people, now)
    events.append((now - timedelta(hours=3), lambda s: service.adjust_points(
        s, actors["manager-fr01"], resident_id=residents.find_by_code(s, people["13800000006"]).id, points=5,
        reason="社区表彰补记积分", idempotency_key=uuid.uuid4(), now=now - timedelta(hours=3))))
    for _at, run in sorted(events, key=lambda e: e[0]):
        run(session)
    service.expire_due(session, admin, now=now)
    ctx.extra["demo_resident"] = people[DEMO_CODE]


def _platform_credits(platform, people, now) -> list:
    """Credits from the city platform: last year's under version 1 (12-month expiry: some already past, some
    expiring within weeks), and a few recent ones."""
    plan = [(DEMO_CODE, "community-service", 400, 3, "old-1"), (DEMO_CODE, "community-service", 352, 4, "old-2"),
            (DEMO_CODE, "community-service", 340, 3, "old-3"), (DEMO_CODE, "elder-care", 338, 4, "old-4"),
            (DEMO_CODE, "community-service", 336, 4, "old-5"), (people["13800000003"], "elder-care", 345, 3, "old-6"),
            (DEMO_CODE, "elder-care", 3, 2, "r-0"),
            (people["13800000005"], "elder-care", 4, 3, "r-1"), (people["13800000007"], "elder-care", 5, 2, "r-2")]
    events = []
    for code, activity, days, hours, key in plan:
        at = now - timedelta(days=days, hours=5)
        events.append((at + timedelta(hours=4), lambda s, c=code, a=activity, t=at, h=hours, k=key: credits.post_credit(
            s, platform, Claim(c, a, t, minutes=h * 60), idempotency_key=f"demo-platform-{k}",
            now=t + timedelta(hours=4))))
    recruit_at = now - timedelta(days=6)
    events.append((recruit_at, lambda s: credits.post_credit(
        s, platform, Claim(people["13800000002"], "recruit-volunteer", recruit_at, points=4),
        idempotency_key="demo-platform-recruit", now=recruit_at + timedelta(hours=1))))
    return events


def _tables(session, admin, now):
    first_day = local_date(now) - timedelta(days=730)
    first = rules.TableInput(effective_from=first_day, activities=ACTIVITIES[:2], expiry_policy="months",
                             expiry_months=12, max_points_per_month=100, note="试行版：积分 12 个月有效")
    at = local_midnight_utc(first_day)
    rules.publish_table(session, admin, first, now=at)
    second_day = local_date(now) - timedelta(days=60)
    second = rules.TableInput(effective_from=second_day, activities=ACTIVITIES, max_points_per_month=100,
                              daily_redeem_cap=200, note="正式版：次年年底到期；新增值班、招募、好人好事、扣分项")
    rules.publish_table(session, admin, second, now=local_midnight_utc(second_day))


def _residents(session, ctx, now) -> dict:
    people = {}
    for name, phone, community, store, code in RESIDENTS + TX_RESIDENTS:
        staff = build_actor(session, ctx.users[f"cashier-{store.lower()}"])
        person = residents.register_resident(session, staff, name=name, phone=phone, community=community,
                                             pin=DEMO_PIN if phone == DEMO_PHONE else phone[-6:], pii_key=PII_KEY,
                                             member_code=code, now=now - timedelta(days=420))
        people[code or phone] = person.member_code
        people[phone] = person.member_code
    return people


def _shifts(actors, people, now) -> list:
    """Two weeks of shifts at each store: entered by the cashier, approved by the manager; the last still pending."""
    plan = {"YL01": (DEMO_CODE, people["13800000002"], people["13800000003"]),
            "YL02": (people["13800000004"], people["13800000005"]),
            "FR01": (people["13800000006"], people["13800000007"], people["13800000008"]),
            "TX01": (people["13800000011"],), "TX03": (people["13800000012"], people["13800000013"])}
    events = []
    for store, codes in plan.items():
        cashier, manager = actors[f"cashier-{store.lower()}"], actors[f"manager-{store.lower()}"]
        for day in range(1, 15, 2):
            for i, code in enumerate(codes):
                start = now - timedelta(days=day, hours=6 + 3 * i)
                minutes = 120 + 30 * (i % 2)
                claim = Claim(code, ("community-service", "store-duty", "elder-care")[(day + i) % 3], start,
                              minutes=minutes, started_at=start, ended_at=start + timedelta(minutes=minutes),
                              note="社区志愿服务签到表")

                def run(s, claim=claim, key=f"demo-{store}-{day}-{i}", approve=day > 1, c=cashier, m=manager):
                    credit = credits.enter_shift(s, c, claim, store_id=None, idempotency_key=key, now=claim.ended_at)
                    if approve:
                        credits.approve_credit(s, m, credit.id, now=claim.ended_at + timedelta(hours=2))
                events.append((claim.ended_at, run))
    return events


def _bulk_entry(actors, people, now) -> list:
    """A clean-up day entered in one sitting two days later: ten shifts within minutes, still pending (the
    oversight page flags it as a bulk entry)."""
    cashier, events = actors["cashier-yl02"], []
    day = now - timedelta(days=2)
    codes = [people[p[1]] for p in RESIDENTS] + [people["13800000004"], people["13800000005"]]
    for i, code in enumerate(codes):
        start = day - timedelta(hours=9 if i < len(RESIDENTS) else 5)
        claim = Claim(code, "community-service", start, minutes=120, started_at=start,
                      ended_at=start + timedelta(hours=2), note="茶子山社区环境整治")
        at = now - timedelta(hours=20) + timedelta(seconds=40 * i)
        events.append((at, lambda s, claim=claim, at=at, i=i: credits.enter_shift(
            s, cashier, claim, store_id=None, idempotency_key=f"demo-bulk-{i}", now=at)))
    return events


def _redemptions(actors, people, now) -> list:
    pins = {people[phone]: (DEMO_PIN if phone == DEMO_PHONE else phone[-6:])
            for _n, phone, *_r in RESIDENTS + TX_RESIDENTS}
    events = []
    for days, store, code, points in ((9, "YL01", DEMO_CODE, 6), (5, "FR01", DEMO_CODE, 4),
                                      (4, "YL02", people["13800000004"], 8), (2, "FR01", people["13800000006"], 5),
                                      (1, "YL01", people["13800000002"], 3),
                                      (3, "TX01", people["13800000011"], 2), (6, "TX03", people["13800000012"], 3)):
        cashier, at = actors[f"cashier-{store.lower()}"], now - timedelta(days=days, hours=1)

        def run(s, cashier=cashier, at=at, code=code, points=points, ref=f"{store}-{days}"):
            with unit_of_work(s):
                service.redeem(s, cashier, store_id=cashier.store_id, member_code=code, pin=pins[code],
                               points=points, ref_type="demo", ref_id=ref, now=at)
        events.append((at, run))
    return events
