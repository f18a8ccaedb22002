"""Aid to registered households (aid/households.py, entitlements.py, handout.py): the categories and the
federation's entitlements, households registered at each store with their review dates, re-verified on time
by diligent stores and left to lapse (then served on a manager's override) by poor ones, and hand-outs that
stay within the household's monthly (or quarterly) cap, signed on the tablet or collected by a proxy, witnessed
by the manager, with their stock movements.
"""
from __future__ import annotations

import hashlib
from datetime import date, timedelta

from supermarket.aid.demo import RULES, signature_png
from supermarket.aid.entitlements import DEFAULT_CATEGORIES, period_key
from supermarket.aid.households import add_months, address_key
from supermarket.privacy import id_hmac

from .base import SYSTEM, hm, local, local_date, local_time
from .catalog import price
from .names import RELATIONS, address, community, id_number, person_name, phone
from .sink import Table

RULES_T = Table("aid_entitlements", ("id", "created_at", "category_code", "period", "value_cap_fen", "item_cap",
                                     "effective_from", "effective_to", "note"))
RULE_GOODS_T = Table("aid_entitlement_goods", ("entitlement_id", "category_id"))
HOUSEHOLDS_T = Table("households", ("id", "created_at", "store_id", "code", "head_name", "id_hmac", "id_last4",
                                    "phone", "community", "address", "address_key", "members", "category_code",
                                    "proof_ref", "verified_by", "verified_on", "review_due", "status",
                                    "status_reason"))
USAGE_T = Table("aid_usage", ("household_id", "period_key", "value_fen", "items"))
FILES_T = Table("aid_files", ("id", "created_at", "store_id", "kind", "content_type", "data", "sha256",
                              "size_bytes", "width", "height", "campaign_id", "uploaded_by"))
DIST_T = Table("distributions", ("id", "created_at", "store_id", "serial", "idempotency_key", "household_id",
                                 "category_code", "period_key", "entitlement_id", "counts_toward_entitlement",
                                 "handed_out_at", "handed_out_on", "value_fen", "items", "operator_id",
                                 "operator_name", "witness_id", "witness_name", "signature_id", "proxy_name",
                                 "proxy_relation", "campaign_id", "override", "override_reason", "override_by"))
DIST_LINES_T = Table("distribution_lines", ("id", "distribution_id", "item_id", "item_name", "unit", "qty",
                                            "unit_value_fen", "value_fen", "position"))
CATEGORY_WEIGHTS = {"dibao": 30, "tekun": 10, "dibao_edge": 15, "disabled": 15, "elderly_alone": 15, "children": 10,
                    "temporary": 5}
# The aid demo's goods categories, mapped onto the city catalog's.
GOODS = {"AIDDAILY": "DAILY", "AIDGRAIN": "GRAIN"}
OVERRIDE_REASON = "复核材料已提交社区，先行发放"
VERIFIED_BY = "社区民政专干"


class Household:
    __slots__ = ("id", "code", "category", "verified_on", "review_due", "status", "reason", "at", "head_name",
                 "id_hmac", "id_last4", "phone", "community", "address", "members", "proof_ref")


def prepare(conn) -> None:
    """The categories the aid migration used to seed (0001_initial no longer does): added when missing."""
    with conn.cursor() as cur:
        cur.executemany("INSERT INTO aid_categories (code, name, review_months, active, position) "
                        "VALUES (%s, %s, %s, true, %s) ON CONFLICT (code) DO NOTHING",
                        [(code, name, months, n) for n, (code, name, months) in enumerate(DEFAULT_CATEGORIES)])


def setup_city(city) -> None:
    at = local(city.setup_day, hm(11))
    months = {code: review for code, _name, review in DEFAULT_CATEGORIES}
    cats = city.extra["categories"]
    rules = {}
    for n, (code, (period, value, count, limited)) in enumerate(RULES.items()):
        rid, when = city.ids(), at + timedelta(minutes=n)
        goods = [cats[GOODS[c]] for c in limited]
        city.sink.row(RULES_T, (rid, when, code, period, value, count, date(2024, 1, 1), None, "城市标准"))
        for g in goods:
            city.sink.row(RULE_GOODS_T, (rid, g.id))
        rules[code] = (rid, period, value, count, {g.id for g in goods})
        city.chain.record(SYSTEM, "aid.entitlement_created", "aid_entitlements", rid, {
            "category_code": code, "period": period, "value_cap_fen": value, "item_cap": count,
            "effective_from": date(2024, 1, 1), "effective_to": None, "note": "城市标准",
            "goods": [g.code for g in goods]}, when)
    city.extra["aid_rules"], city.extra["review_months"] = rules, months
    pngs = [signature_png(seed) for seed in range(8)]
    city.extra["signatures"] = [(png, hashlib.sha256(png).hexdigest()) for png in pngs]


def setup_store(city, st, agenda) -> None:
    rng, start = st.rng, city.params.start_date
    st.households, st.usage = [], {}
    codes, weights = list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values())
    for k in range(city.vol.households_per_store):
        hh = Household()
        hh.id, hh.category, hh.status, hh.reason = st.ids(), rng.choices(codes, weights)[0], "active", ""
        registered = start - timedelta(days=rng.randint(1, 390))
        hh.verified_on = registered - timedelta(days=rng.randint(0, 20))
        hh.review_due = add_months(hh.verified_on, city.extra["review_months"][hh.category])
        agenda.add(local(registered, rng.uniform(hm(9), hm(17))), _register, city, st, hh, k)
        if rng.random() < 0.02:
            st.schedule(start + timedelta(days=rng.randrange(city.params.days)), hm(16), _suspend, city, st, hh)


def _register(at, city, st, hh: Household, k: int) -> None:
    rng, key, info = st.rng, city.config["pii_key"], st.info
    number = id_number(info.district.region, info.index * 100 + k)
    hh.code = f"H{st.code}{st.counters.next(f'household:{st.id}'):06d}"
    hh.at = at
    hh.address = address(rng, info.district.name)
    hh.head_name, hh.id_hmac, hh.id_last4 = person_name(rng), id_hmac(key, number), number[-4:]
    hh.phone, hh.community = phone("18", info.index * 1000 + k), community(rng)
    hh.members, hh.proof_ref = rng.choice((1, 1, 2, 2, 3, 4, 5)), f"长民低字{rng.randint(2023000, 2026999)}号"
    st.households.append(hh)
    st.chain.record(st.manager, "aid.household_registered", "households", hh.id,
                    {"code": hh.code, "category": hh.category, "review_due": hh.review_due}, at)
    _plan_review(city, st, hh)


def _plan_review(city, st, hh: Household) -> None:
    """Diligent stores re-verify a household in the fortnight before its review date; others may be late or
    never do it (the household then counts as expired at the counter)."""
    rng, p = st.rng, st.profile
    if rng.random() < p.review_on_time:
        when = hh.review_due - timedelta(days=rng.randint(1, 14))
    elif rng.random() < 0.5:
        when = hh.review_due + timedelta(days=rng.randint(10, 60))
    else:
        return
    seconds = rng.uniform(hm(9), hm(17))
    if when < city.params.start_date:
        st.agenda.add(local(when, seconds), _review, city, st, hh)
    else:
        st.schedule(when, seconds, _review, city, st, hh)


def _review(at, city, st, hh: Household) -> None:
    if hh.status != "active":
        return
    hh.verified_on = local_date(at)
    hh.review_due = add_months(hh.verified_on, city.extra["review_months"][hh.category])
    st.chain.record(st.manager, "aid.household_reviewed", "households", hh.id,
                    {"verified_on": hh.verified_on, "review_due": hh.review_due}, at)
    _plan_review(city, st, hh)


def _suspend(at, city, st, hh: Household) -> None:
    if hh.status != "active":
        return
    hh.status, hh.reason = "suspended", "家庭收入超标，暂停领取，待复核"
    st.chain.record(st.manager, "aid.household_status", "households", hh.id,
                    {"from": "active", "to": "suspended", "reason": hh.reason}, at)


def plan_day(city, st, day, agenda) -> None:
    if not st.is_open or not st.households:
        return
    rng = st.rng
    mean = city.vol.handouts_per_day * st.activity
    for _ in range(max(0, round(rng.gauss(mean, mean ** 0.5)))):
        agenda.add(local(day, rng.uniform(hm(8, 45), hm(19, 30))), _handout, city, st)


def _handout(at, city, st) -> None:
    rng, stock, today = st.rng, st.stock, local_date(at)
    hh = rng.choice(st.households)
    if hh.status != "active":
        return
    override = ""
    if hh.review_due < today:
        if st.profile.name == "good":
            return  # not served until re-verified
        override = st.manager.username
    rid, period, cap, item_cap, allowed = city.extra["aid_rules"][hh.category]
    pkey = period_key(period, today)
    used = st.usage.get((hh.id, pkey), [0, 0])
    lines, value, items = [], 0, 0
    goods = [i for i in city.extra["aid_items"] if not allowed or i.category.id in allowed]
    for item in rng.sample(goods, min(len(goods), rng.choice((1, 2, 2, 3)))):
        unit = price(st, item)
        qty = rng.choice((1, 1, 2))
        if stock.sellable(item) < qty:
            continue
        if cap is not None and used[0] + value + unit * qty > cap or \
                item_cap is not None and used[1] + items + qty > item_cap:
            continue
        lines.append((item, qty, unit))
        value, items = value + unit * qty, items + qty
    if not lines:
        return
    st.usage[(hh.id, pkey)] = [used[0] + value, used[1] + items]
    operator, witness = (st.cashiers[0] if local_time(at).hour < 14 else st.cashiers[1]), st.manager
    proxy = rng.random() < st.profile.proxy_share
    day_key = today.strftime("%Y%m%d")
    serial = f"{st.code}-A-{day_key}-{st.counters.next(f'aid:{st.id}:{day_key}'):04d}"
    signature = None
    if not proxy:
        png, digest = city.extra["signatures"][rng.randrange(8)]
        signature = st.ids()
        city.sink.row(FILES_T, (signature, at, st.id, "signature", "image/png", png, digest, len(png), 360, 120,
                                None, operator.username))
    did = st.ids()
    proxy_name, relation = (person_name(rng), rng.choice(RELATIONS)) if proxy else ("", "")
    city.sink.row(DIST_T, (did, at, st.id, serial, st.ids(), hh.id, hh.category, pkey, rid, True, at, today, value,
                           items, operator.user_id, operator.username, witness.user_id, witness.username, signature,
                           proxy_name, relation, None, bool(override), OVERRIDE_REASON if override else "", override))
    for position, (item, qty, unit) in enumerate(lines):
        city.sink.row(DIST_LINES_T, (st.ids(), did, item.id, item.name, item.unit, qty, unit, unit * qty, position))
        stock.take(operator, item, qty, kind="aid_distribution", doc_type="distribution", doc_id=did, at=at)
    st.chain.record(operator, "aid.distributed", "distributions", did, {
        "serial": serial, "household": hh.code, "value_fen": value, "items": items, "proxy": proxy,
        "signed": signature is not None, "witness": witness.username, "campaign_id": None}, at)
    if override:
        st.chain.record(operator, "aid.override", "distributions", did,
                        {"serial": serial, "by": override, "reason": OVERRIDE_REASON}, at)
    city.count("handouts")


def finish_store(city, st) -> None:
    for hh in st.households:
        city.sink.row(HOUSEHOLDS_T, (hh.id, hh.at, st.id, hh.code, hh.head_name, hh.id_hmac, hh.id_last4, hh.phone,
                                     hh.community, hh.address, address_key(hh.address), hh.members, hh.category,
                                     hh.proof_ref, VERIFIED_BY, hh.verified_on, hh.review_due, hh.status, hh.reason))
    for (hh_id, pkey), (value, items) in st.usage.items():
        city.sink.row(USAGE_T, (hh_id, pkey, value, items))
    city.count("households", len(st.households))
