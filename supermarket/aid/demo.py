"""Demo aid: entitlements for every category, households of every category across the demo stores, a month of
signed and witnessed hand-outs (with a few that the auditor flags), one campaign, and household `DEMO-HH-1`
whose remaining entitlement this month is exactly ¥30 of its ¥100 cap, relative to the day `flask demo` runs.

The ID numbers are made up but valid (GB 11643 check digit); `demo_id_numbers()` lists them so tests can prove
no page ever shows one.
"""
from __future__ import annotations

import io
from datetime import date, datetime, timedelta, timezone

from PIL import Image, ImageDraw
from sqlalchemy import select

from ..settings import setting
from ..auth.permissions import Actor, Role, system_actor
from ..catalog import service as catalog
from ..catalog.models import Category
from ..demo import DEMO_PASSWORD
from ..inventory import service as stock
from ..models import utcnow
from ..privacy import id_check_char
from ..clock import SHANGHAI
from ..uow import unit_of_work
from . import campaigns, entitlements, households
from .handout import Approval, HandoutInput, LineInput, ProxyInput, distribute

HISTORY_DAYS = 95  # aid stock arrives before the central check's 90-day window
HISTORY_BACK_DAYS = (34, 48)  # earlier hand-outs (days ago) for every household but DEMO-HH-1
# YL01 hands out more often (small signed hand-outs), so its proxies' unsigned pick-ups and the campaign stay
# above the 90 % red line, though below the 95 % that grade C of A-02 asks: the store the central check shows one
# step from its first star.
EXTRA_SIGNED = {"YL01": (38, 41, 45, 52)}
PII_DEMO_NOTE = "Demo ID numbers are generated; real ones never appear in the demo."
# (name, unit, price fen, goods category)
ITEMS = [("爱心大米 5kg", "袋", 3500, "AIDGRAIN"), ("爱心食用油 1.8L", "桶", 3500, "AIDGRAIN"),
         ("爱心挂面 1kg", "包", 1000, "AIDGRAIN"), ("爱心毛巾", "条", 800, "AIDDAILY"),
         ("爱心牙膏", "支", 600, "AIDDAILY"), ("爱心洗衣粉 1kg", "袋", 1200, "AIDDAILY")]
# category: (period, value cap fen, item cap, goods categories)
RULES = {"dibao": ("month", 10000, None, ()), "tekun": ("month", 15000, 10, ()),
         "dibao_edge": ("month", 8000, None, ()), "disabled": ("month", 10000, None, ()),
         "elderly_alone": ("month", 10000, None, ()), "children": ("month", 6000, None, ("AIDDAILY",)),
         "temporary": ("quarter", 20000, None, ())}
# (code or None, head name, store, category, community, address, members, birth yyyymmdd)
HOUSEHOLDS = [
    ("DEMO-HH-1", "王建国", "YL01", "dibao", "望月湖社区", "望月湖街道 7 栋 302", 3, "19650312"),
    (None, "李秀英", "YL01", "tekun", "望月湖社区", "望月湖街道 3 栋 201", 1, "19480521"),
    (None, "张志强", "YL01", "disabled", "望月湖社区", "望月湖街道 3 栋 201", 2, "19720909"),
    (None, "刘桂兰", "YL01", "elderly_alone", "桐梓坡社区", "桐梓坡路 12 号", 1, "19400130"),
    (None, "陈小雨", "YL01", "children", "桐梓坡社区", "桐梓坡路 40 号", 4, "19850717"),
    (None, "赵德明", "YL01", "temporary", "望月湖社区", "望月湖街道 9 栋 101", 3, "19790203"),
    (None, "周美华", "YL02", "dibao", "观沙岭社区", "茶子山路 5 号", 2, "19600815"),
    (None, "吴国庆", "YL02", "dibao_edge", "观沙岭社区", "茶子山路 18 号", 3, "19691001"),
    (None, "郑丽娟", "YL02", "tekun", "观沙岭社区", "茶子山路 27 号", 1, "19551111"),
    (None, "孙建华", "YL02", "children", "观沙岭社区", "茶子山路 33 号", 5, "19880420"),
    (None, "黄志刚", "FR01", "dibao", "定王台社区", "解放西路 88 号", 2, "19661224"),
    (None, "何秀珍", "FR01", "elderly_alone", "定王台社区", "解放西路 102 号", 1, "19420607"),
    (None, "马文斌", "FR01", "disabled", "定王台社区", "解放西路 150 号", 2, "19760318"),
    (None, "罗春花", "FR01", "temporary", "定王台社区", "解放西路 66 号", 4, "19830929"),
    (None, "谢永红", "FR01", "dibao_edge", "定王台社区", "解放西路 71 号", 3, "19700512"),
    (None, "彭国强", "TX01", "dibao", "坡子街社区", "坡子街 12 号", 2, "19630415"),
    (None, "邹玉梅", "TX01", "elderly_alone", "坡子街社区", "坡子街 30 号", 1, "19451108"),
    (None, "钟立新", "TX02", "disabled", "书院路社区", "书院路 96 号", 3, "19740221"),
    (None, "阳春兰", "TX02", "dibao", "书院路社区", "书院路 150 号", 2, "19670730"),
    (None, "廖建平", "TX03", "dibao_edge", "青园社区", "友谊路 60 号", 4, "19810312"),
    (None, "石秀云", "TX03", "elderly_alone", "青园社区", "友谊路 88 号", 1, "19441219"),
]
REGION = {"YL01": "430104", "YL02": "430104", "FR01": "430102", "TX01": "430103", "TX02": "430103",
          "TX03": "430103"}
# TX01's neighbours collect for most of its households and it takes no signature: a red line for the central
# check (signature rate below 90 %).
UNSIGNED_STORES = ("TX01",)


def demo_id_numbers() -> list[str]:
    """The full (made-up, valid) ID numbers of the demo households, in HOUSEHOLDS order."""
    out = []
    for i, (_c, _n, store, _cat, _com, _addr, _m, birth) in enumerate(HOUSEHOLDS):
        first17 = f"{REGION[store]}{birth}{(i * 37 + 11) % 1000:03d}"
        out.append(first17 + id_check_char(first17))
    return out


def signature_png(seed: int = 0) -> bytes:
    """A scribble that passes the signature checks (a stand-in for a finger on the tablet)."""
    img = Image.new("RGBA", (360, 120), (255, 255, 255, 0))
    points = [(20 + 34 * k, 60 + ((k * 7 + seed * 13) % 5 - 2) * 15) for k in range(10)]
    ImageDraw.Draw(img).line(points, fill=(17, 17, 17, 255), width=4)
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def _staff(ctx, username: str) -> Actor:
    user = ctx.users[username]
    return Actor(user.id, user.username, Role(user.role), store_ids=frozenset({user.store_id}))


def _items(session, ctx, admin):
    have = {c.code: c for c in session.scalars(select(Category).where(Category.code.in_(["AIDGRAIN", "AIDDAILY"])))}
    for code, name, food in (("AIDGRAIN", "粮油", True), ("AIDDAILY", "日用品", False)):
        if code not in have:
            have[code] = catalog.create_category(session, admin, code=code, name=name, is_food=food,
                                                 near_expiry_days=30)
    items = {}
    for name, unit, price, cat in ITEMS:
        items[name] = catalog.create_item(session, admin, name=name, category_id=have[cat].id, kind="purchased",
                                          unit=unit, default_price_fen=price, store_id=ctx.stores["YL01"].id)
    return items, have


def _stock(session, ctx, admin, items, now):
    expiry = (now + timedelta(days=365)).date()
    with unit_of_work(session):
        for store in ctx.stores.values():
            for item in items.values():
                stock.receive(session, admin, store_id=store.id, item=item, qty=200, kind="intake",
                               doc_type="demo", doc_id="aid-demo", now=now - timedelta(days=HISTORY_DAYS),
                               expiry_date=expiry if item.is_food else None)


def _handout(session, ctx, store_code, household, basket, when, *, proxy=None, signed=True, override=None, seed=0):
    cashier = _staff(ctx, f"cashier-{store_code.lower()}")
    data = HandoutInput(
        household_code=household.code, lines=tuple(LineInput(qty=q, item_id=i.id) for i, q in basket),
        witness=Approval(f"manager-{store_code.lower()}", DEMO_PASSWORD),
        signature_png=signature_png(seed) if signed else None, proxy=proxy,
        override=Approval(f"manager-{store_code.lower()}", DEMO_PASSWORD) if override else None,
        override_reason=override or "", idempotency_key=f"demo-{household.code}-{when:%Y%m%d%H%M}-{store_code}")
    return distribute(session, cashier, data, now=when)


def load(session, ctx):
    admin = system_actor("demo")
    now = utcnow()
    today = now.astimezone(SHANGHAI).date()
    entitlements.ensure_default_categories(session)
    items, goods = _items(session, ctx, admin)
    _stock(session, ctx, admin, items, now)
    for code, (period, value, count, limited) in RULES.items():
        entitlements.create_entitlement(session, admin, category_code=code, period=period, value_cap_fen=value,
                                        item_cap=count, goods_category_ids=[goods[c].id for c in limited],
                                        effective_from=date(2024, 1, 1), effective_to=None, note="演示标准")
    ids = demo_id_numbers()
    made = []
    for (code, name, store, cat, community, address, members, _b), id_number in zip(HOUSEHOLDS, ids):
        made.append(households.register_household(
            session, admin, pii_key=_pii_key(), id_number=id_number, head_name=name, category_code=cat,
            store_id=ctx.stores[store].id, verified_on=today - timedelta(days=60), verified_by="社区民政专干",
            phone=f"138{len(made):04d}{5678 + len(made):04d}"[:11], community=community, address=address,
            members=members, proof_ref=f"长民低字{2024000 + len(made)}号", code=code, now=now))
    ctx.extra["aid_households"] = made
    ctx.extra["aid_items"] = items
    _month_of_handouts(session, ctx, made, items, now)
    _campaign(session, ctx, made, items, today, now)


def _pii_key() -> str:
    return setting("PII_HASH_KEY")


def _month_of_handouts(session, ctx, made, items, now):
    rice, oil, noodles, towel, paste, powder = (items[n] for n, *_r in ITEMS)
    month_start = datetime.combine(now.astimezone(SHANGHAI).date().replace(day=1), datetime.min.time(),
                                   tzinfo=SHANGHAI).astimezone(timezone.utc)
    # DEMO-HH-1: last month something, this month exactly ¥70 of its ¥100, so ¥30 is left today.
    hh1 = made[0]
    _handout(session, ctx, "YL01", hh1, [(noodles, 2), (towel, 1)], month_start - timedelta(days=5, hours=-10))
    _handout(session, ctx, "YL01", hh1, [(rice, 2)], month_start + (now - month_start) / 2, seed=1)
    # Everyone else: one or two small baskets at their store over the last month.
    baskets = [[(noodles, 1), (towel, 1)], [(paste, 2), (powder, 1)], [(rice, 1)], [(oil, 1)]]
    for n, h in enumerate(made[1:], start=1):
        store = h.store.code
        basket = [(towel, 1), (paste, 1)] if h.category_code == "children" else baskets[n % len(baskets)]
        # Handed out before the current month (≥ 33 days ago), so this month's entitlements stay as they were.
        for k, back in enumerate(HISTORY_BACK_DAYS):
            unsigned = store in UNSIGNED_STORES and k > 0
            _handout(session, ctx, store, h, [(paste, 1), (towel, 1)], now - timedelta(days=back + n % 4, hours=3),
                     seed=n + k, signed=not unsigned, proxy=ProxyInput("邻居代领", "邻居") if unsigned else None)
        for back in EXTRA_SIGNED.get(store, ()):
            _handout(session, ctx, store, h, [(paste, 1)], now - timedelta(days=back, hours=4), seed=n + back)
        if store in UNSIGNED_STORES:
            _handout(session, ctx, store, h, basket, now - timedelta(days=3 + n % 20, hours=2), signed=False,
                     proxy=ProxyInput("邻居代领", "邻居"))
            continue
        _handout(session, ctx, store, h, basket, now - timedelta(days=3 + n, hours=2), seed=n)
        if n % 3 == 0:
            _handout(session, ctx, store, h, [(paste, 1)], now - timedelta(days=20 + n % 7, hours=5), seed=n + 1)
    # Flags for the auditor: one household served at two stores on one day, a household collected by proxies
    # three times, and a manager's override for a household past its review date.
    noon = _recent_noon(now)  # the flagged hand-outs share one local day, whatever time the demo runs
    both = made[6]  # registered at YL02
    _handout(session, ctx, "YL01", both, [(towel, 1)], noon - timedelta(hours=2), seed=2)
    _handout(session, ctx, "YL02", both, [(paste, 1)], noon, seed=3)
    proxied = made[3]  # 刘桂兰, elderly alone: her neighbour collects
    for k in range(3):
        _handout(session, ctx, "YL01", proxied, [(paste, 1)], noon - timedelta(hours=1 + k * 2),
                 proxy=ProxyInput("邓阿姨", "邻居"), signed=k == 0)
    late = made[11]  # 何秀珍 at FR01: review overdue, served on a manager's override
    with unit_of_work(session):
        late.review_due = (now - timedelta(days=2)).astimezone(SHANGHAI).date()
        late.verified_on = late.review_due - timedelta(days=365)
    _handout(session, ctx, "FR01", late, [(noodles, 1)], now - timedelta(hours=4), seed=5,
             override="复核材料已提交社区，老人行动不便，先行发放")


def _recent_noon(now: datetime) -> datetime:
    """Noon (Asia/Shanghai) today, or yesterday when it is not noon yet."""
    local = now.astimezone(SHANGHAI)
    noon = local.replace(hour=12, minute=0, second=0, microsecond=0)
    return (noon if noon <= local else noon - timedelta(days=1)).astimezone(timezone.utc)


def _campaign(session, ctx, made, items, today, now):
    manager = _staff(ctx, "manager-yl01")
    campaign = campaigns.create_campaign(
        session, manager, name=f"{today.year}年送温暖", starts_on=today - timedelta(days=3),
        ends_on=today + timedelta(days=14),
        pack=[LineInput(qty=1, item_id=items["爱心大米 5kg"].id), LineInput(qty=1, item_id=items["爱心食用油 1.8L"].id),
              LineInput(qty=1, item_id=items["爱心毛巾"].id)])
    campaigns.add_households(session, manager, campaign.id, codes=[h.code for h in made if h.store.code == "YL01"])
    cashier = _staff(ctx, "cashier-yl01")
    for h in made[1:3]:
        campaigns.record_handout(session, cashier, campaign.id, campaigns.CampaignHandout(
            household_id=h.id, witness=Approval("manager-yl01", DEMO_PASSWORD)), now=now - timedelta(hours=1))
    ctx.extra["aid_campaign"] = campaign
