"""Demo intake: donors, pledges (one overdue per store) and two months of donations in every demo store.

Runs after the catalog/inventory demo: it uses `ctx.extra["items"]` when that step made them, otherwise it
creates the few categories and items it needs. Every donation goes through record_donation with the cashier
as receiver and the manager's password as the second person, as on a real tablet.
"""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from ..settings import setting
from ..demo import DEMO_PASSWORD
from ..auth.permissions import Actor, Role, system_actor
from ..catalog import service as catalog
from ..catalog.codes import gtin_check_digit
from ..catalog.models import Category, Item
from ..clock import SHANGHAI, local_today
from ..models import utcnow
from . import pledges, service
from .donors import DonorInput, create_donor
from .lines import LineInput, NewItemInput
from .pledges import PledgeInput
from .service import DonationInput, MoneyInput

CATEGORIES = [  # code, name, is_food, near_expiry_days, prohibited reason
    ("DAILY", "日用百货", False, 7, ""),
    ("CLOTH", "服装鞋帽", False, 7, ""),
    ("BOOK", "图书文具", False, 7, ""),
    ("FOOD", "粮油食品", True, 30, ""),
    ("MED", "药品", False, 7, "药品须由有资质的机构接收，门店不得接收"),
    ("UNDER", "贴身衣物", False, 7, "旧内衣、旧袜子等贴身衣物不予接收"),
]
ITEMS = [  # name, category code, unit, price fen
    ("东北大米 5kg", "FOOD", "袋", 2500), ("金龙鱼食用油 1.8L", "FOOD", "瓶", 2200),
    ("立白洗衣液 2kg", "DAILY", "瓶", 1800), ("纯棉毛巾", "DAILY", "条", 600), ("不锈钢保温杯", "DAILY", "个", 2000),
]
DONORS = {
    "YL01": [("person", "张建国", "13807310001", ""), ("person", "李秀英", "13907310002", ""),
             ("organisation", "湖南惠民食品有限公司", "0731-88880001", "刘经理"), ("person", "王伟", "", "")],
    "YL02": [("person", "陈志强", "13807310011", ""), ("organisation", "观沙岭小学家委会", "13907310012", "周老师"),
             ("person", "赵敏", "13607310013", "")],
    "FR01": [("person", "黄丽华", "13807310021", ""), ("organisation", "长沙市爱心商贸有限公司", "0731-84440021", "何总"),
             ("person", "孙浩", "13707310022", ""),
             ("person", "陈志强", "13807310011", "")],  # also gives at YL02: his history spans the city
    "TX01": [("person", "彭丽", "13807310031", ""), ("organisation", "坡子街商会", "0731-85550031", "胡会长")],
    "TX02": [("person", "蒋文", "13807310041", ""), ("organisation", "书院路社区居委会", "0731-85550041", "钟主任")],
    "TX03": [("person", "龙海燕", "13807310051", ""), ("organisation", "长沙青园物业服务有限公司", "0731-85550051", "贺经理"),
             ("person", "欧阳明", "13707310052", "")],
}
# Stores that let their overdue pledge lapse without a follow-up (the central check's F-06 shows it).
NO_FOLLOW_UP = ("TX02",)
# Donations per store over the two months (the 天心区 stores take in less than the older stores).
DONATIONS = {"TX01": 6, "TX02": 4, "TX03": 9}


def _categories(session) -> dict[str, Category]:
    """The categories to use: the catalog demo's when it made some, else our own small set."""
    existing = {c.code: c for c in catalog.list_categories(session)}
    if not existing:
        admin = system_actor("demo")
        for code, name, food, near, reason in CATEGORIES:
            existing[code] = catalog.create_category(session, admin, code=code, name=name, is_food=food,
                                                     near_expiry_days=near, prohibited=bool(reason),
                                                     prohibited_reason=reason)
    allowed = [c for c in existing.values() if not c.prohibited]
    food = next((c for c in allowed if c.is_food), None)
    plain = [c for c in allowed if not c.is_food]
    return {"food": food, "plain": plain[0], "cloth": existing.get("CLOTH", plain[-1]),
            "book": existing.get("BOOK", plain[0])}


def _items(session, ctx, cats) -> list[Item]:
    """Manufacturer-coded items anyone may take in (the catalog demo's, or a few of our own)."""
    given = [i for i in ctx.extra.get("items", []) if i.origin_store_id is None and not i.category.prohibited]
    if given:
        return given[:12]
    admin = system_actor("demo")
    made = []
    for n, (name, code, unit, price) in enumerate(ITEMS, 1):
        body = f"697000{n:06d}"
        barcode = body + str(gtin_check_digit(body))
        item = session.scalar(select(Item).where(Item.barcode == barcode))
        category = session.scalar(select(Category).where(Category.code == code)) or \
            (cats["food"] if code == "FOOD" else cats["plain"])
        made.append(item or catalog.create_item(session, admin, name=name, category_id=category.id,
                                                kind="donated_new", unit=unit, barcode=barcode,
                                                default_price_fen=price))
    return made


def _at(days_ago: int, hour: int, now: datetime) -> datetime:
    day = local_today(now) - timedelta(days=days_ago)
    return datetime.combine(day, time(hour, 15), tzinfo=SHANGHAI).astimezone(UTC)


def _lines(i: int, items: list[Item], cats, when: datetime) -> list[LineInput]:
    """A varied intake: known goods, food with expiry (sometimes near it), used clothes, an unvalued line."""
    today = local_today(when)
    lines = []
    for k in range(1 + i % 3):
        item = items[(i + k) % len(items)]
        expiry = today + timedelta(days=20 if (i + k) % 5 == 0 else 240) if item.is_food else None
        lines.append(LineInput(qty=1 + (i + k) % 4, unit_value_fen=item.default_price_fen * 2 or 1000,
                               valuation_basis="market", item_id=item.id, expiry_date=expiry))
    if i % 2 == 0:
        lines.append(LineInput(qty=1 + i % 3, unit_value_fen=8000, valuation_basis="declared",
                               new_item=NewItemInput(name=("儿童羽绒服", "男士夹克", "女式毛衣")[i % 3],
                                                     category_id=cats["cloth"].id, kind="donated_used",
                                                     condition_grade="AB"[i % 2], price_fen=2500)))
    if i % 5 == 3:
        lines.append(LineInput(qty=12, unit_value_fen=0, valuation_basis="unvalued",
                               new_item=NewItemInput(name="旧课外读物", category_id=cats["book"].id,
                                                     kind="donated_used", condition_grade="B", unit="本",
                                                     price_fen=200)))
    return lines


def load(session, ctx):
    now = utcnow()
    pii_key = setting("PII_HASH_KEY")
    cats = _categories(session)
    items = _items(session, ctx, cats)
    for code, store in ctx.stores.items():
        cashier = ctx.users[f"cashier-{code.lower()}"]
        manager = ctx.users[f"manager-{code.lower()}"]
        actor = Actor(cashier.id, cashier.username, Role.CASHIER, store_ids=frozenset({store.id}))
        donors = [create_donor(session, actor, DonorInput(kind=k, name=n, phone=p, contact_person=c),
                               pii_key=pii_key, now=_at(62, 9, now)) for k, n, p, c in DONORS.get(code, [])]
        overdue = pledges.create_pledge(session, actor, PledgeInput(
            donor_id=donors[1].id, kind="money", amount_fen=500000, due_date=_at(45, 9, now).date(),
            description="年度助学认捐"), now=_at(75, 9, now))
        if code not in NO_FOLLOW_UP:
            pledges.add_follow_up(session, actor, overdue.id, note="电话联系，对方表示月底前转账",
                                  next_contact_on=None, now=_at(20, 16, now))
        partly = pledges.create_pledge(session, actor, PledgeInput(
            donor_id=donors[0].id, kind="goods", amount_fen=100000, due_date=_at(-20, 9, now).date(),
            description="冬衣 20 件"), now=_at(50, 9, now))
        count = DONATIONS.get(code, 12)
        for i in range(count):
            when = _at(60 - i * (60 // count), 10 + i % 6, now)
            donor = None if i % 4 == 3 else donors[(i - i // 4) % len(donors)]
            money = []
            if i % 3 == 1:  # every third donation brings money; i = 4 and 10 bring only money
                method = ("cash", "wechat", "alipay", "bank_transfer")[i % 4]
                money = [MoneyInput(method, 20000 + 5000 * i, "" if method == "cash" else f"DEMO{code}{i:04d}")]
            service.record_donation(session, actor, DonationInput(
                idempotency_key=uuid.uuid4(), checker_username=manager.username, checker_secret=DEMO_PASSWORD,
                lines=[] if i % 6 == 4 else _lines(i, items, cats, when), money=money,
                donor_id=donor.id if donor else None, anonymous=donor is None,
                pledge_id=partly.id if i == 0 else None), pii_key=pii_key, now=when)
