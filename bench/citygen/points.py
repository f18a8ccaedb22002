"""Volunteer points: the points table, residents registered at each store, credits (shifts entered by a cashier
and approved by the manager; records posted by the city's volunteer platform), and redemptions at the till —
the ledger rows of points/{credits,service,ledger}.py: credits, entries with the balance after, lots with
their expiry, and the lot uses of every debit. The resident's balance and the lots' remaining points are
written when the store is done and equal the sum of the ledger.
"""
from __future__ import annotations

from bisect import insort
from datetime import timedelta
from types import SimpleNamespace

from supermarket.points.demo import ACTIVITIES
from supermarket.points.residents import MEMBER_ALPHABET, MEMBER_CODE_LENGTH
from supermarket.points.rules import expiry_for, points_for_minutes

from .base import SYSTEM, hm, local, local_date, local_time
from .names import community, person_name, phone
from .sink import Table

TABLES_T = Table("points_tables", ("id", "created_at", "version", "effective_from", "point_value_fen",
                                   "expiry_policy", "expiry_months", "max_hours_per_day", "max_points_per_month",
                                   "backdate_days", "publication_days", "daily_redeem_cap",
                                   "adjust_approval_threshold", "note", "created_by"))
ACTIVITIES_T = Table("points_activities", ("id", "table_id", "code", "name", "kind", "points", "per_hours",
                                           "max_hours_per_shift", "max_points_per_month"))
RESIDENTS_T = Table("residents", ("id", "created_at", "member_code", "name", "phone", "id_hmac", "id_last4",
                                  "community", "status", "pin_hash", "session_version", "balance", "user_id",
                                  "registered_store_id"))
ENTRIES_T = Table("points_entries", ("id", "created_at", "resident_id", "kind", "points", "balance_after",
                                     "idempotency_key", "store_id", "actor_id", "actor_name", "ref_type", "ref_id",
                                     "reverses_id", "reason"))
LOTS_T = Table("points_lots", ("id", "created_at", "resident_id", "entry_id", "points", "remaining", "expires_at",
                               "origin_lot_id"))
USES_T = Table("points_lot_uses", ("id", "entry_id", "lot_id", "points", "seq"))
CREDITS_T = Table("points_credits", ("id", "created_at", "idempotency_key", "resident_id", "table_id", "activity_id",
                                     "source", "store_id", "occurred_at", "started_at", "ended_at", "minutes",
                                     "occurrences", "points", "status", "entered_by_id", "entered_by_name",
                                     "approved_by_id", "approved_by_name", "approved_at", "publish_until",
                                     "entry_id", "note"))
# The demo's second (current) version of the points table.
TABLE = SimpleNamespace(point_value_fen=100, expiry_policy="end_of_following_year", expiry_months=None,
                        max_hours_per_day=8, max_points_per_month=100, backdate_days=7, publication_days=0,
                        daily_redeem_cap=200, adjust_approval_threshold=50,
                        note="正式版：次年年底到期；新增值班、招募、好人好事、扣分项")
SHIFT_NOTES = ("社区志愿服务签到表", "超市值班签到", "助老上门服务记录", "社区环境整治")


class Credit:
    __slots__ = ("id", "at", "key", "resident", "activity", "source", "store_id", "occurred", "started", "ended",
                 "minutes", "occurrences", "points", "status", "entered_by", "approver", "approved_by_name",
                 "approved_at", "entry_id", "note")

    def __init__(self, id, at, key, resident, activity, source, store_id, occurred, started, ended, minutes,
                 occurrences, points, status, entered_by, note=""):
        self.id, self.at, self.key, self.resident, self.activity = id, at, key, resident, activity
        self.source, self.store_id, self.occurred, self.started, self.ended = source, store_id, occurred, started, ended
        self.minutes, self.occurrences, self.points, self.status = minutes, occurrences, points, status
        self.entered_by, self.note = entered_by, note
        self.approver, self.approved_by_name, self.approved_at, self.entry_id = None, "", None, None


class Lot:
    """Points that arrived together and expire together; spent in live_lots() order (expiry, age, id)."""

    __slots__ = ("key", "id", "points", "remaining", "expires_at", "at", "entry_id")

    def __init__(self, id, points, expires_at, at, entry_id):
        self.key = (expires_at, at, id)
        self.id, self.points, self.remaining, self.expires_at, self.at, self.entry_id = \
            id, points, points, expires_at, at, entry_id

    def __lt__(self, other):
        return self.key < other.key

    def live(self, at) -> bool:
        return self.remaining > 0 and (self.expires_at is None or self.expires_at > at)


class Resident:
    __slots__ = ("id", "code", "name", "phone", "community", "at", "balance", "lots", "months", "days", "spent")

    def __init__(self, id, code, name, phone_no, community_name, at):
        self.id, self.code, self.name, self.phone = id, code, name, phone_no
        self.community, self.at = community_name, at
        self.balance, self.lots = 0, []  # the Lots with points left
        self.months, self.days, self.spent = {}, {}, {}

    @property
    def member_code(self) -> str:
        return self.code


def setup_city(city) -> None:
    day = city.setup_day
    at = local(day, hm(9, 10))
    table_id = city.ids()
    t = TABLE
    city.sink.row(TABLES_T, (table_id, at, 1, day, t.point_value_fen, t.expiry_policy, t.expiry_months,
                             t.max_hours_per_day, t.max_points_per_month, t.backdate_days, t.publication_days,
                             t.daily_redeem_cap, t.adjust_approval_threshold, t.note, SYSTEM.username))
    acts = {}
    for a in ACTIVITIES:
        hourly = a.kind == "hourly"
        row = SimpleNamespace(id=city.ids(), code=a.code, name=a.name, kind=a.kind, points=a.points,
                              per_hours=a.per_hours if hourly else 1,
                              max_hours_per_shift=a.max_hours_per_shift if hourly else None,
                              max_points_per_month=a.max_points_per_month if a.kind != "deduction" else None)
        acts[a.code] = row
        city.sink.row(ACTIVITIES_T, (row.id, table_id, row.code, row.name, row.kind, row.points, row.per_hours,
                                     row.max_hours_per_shift, row.max_points_per_month))
    city.chain.record(SYSTEM, "points.table_published", "points_tables", table_id,
                      {"version": 1, "effective_from": day.isoformat(), "activities": [a.code for a in ACTIVITIES]}, at)
    city.extra["points_table"] = table_id
    city.extra["activities"] = acts


def setup_store(city, st, agenda) -> None:
    st.residents, st.pending_credits, st.points_lots = [], {}, []
    rng, start = st.rng, city.params.start_date
    for k in range(city.vol.residents_per_store):
        name = person_name(rng)
        res = Resident(st.ids(), "".join(rng.choice(MEMBER_ALPHABET) for _ in range(MEMBER_CODE_LENGTH)), name,
                       phone("13", st.info.index * 1000 + k), community(rng), None)
        if rng.random() < 0.8:  # most registered before the period, the rest join during it
            when = local(start - timedelta(days=rng.randint(1, 300)), hm(rng.randint(9, 18), rng.randint(0, 59)))
            agenda.add(when, _register, city, st, res)
        else:
            st.schedule(start + timedelta(days=rng.randrange(city.params.days)), hm(rng.randint(9, 18)),
                        _register, city, st, res)


def _register(at, city, st, res: Resident) -> None:
    res.at = at
    st.residents.append(res)
    st.chain.record(st.cashiers[0], "points.resident_registered", "residents", res.id, {"member_code": res.code}, at)


def plan_day(city, st, day, agenda) -> None:
    rng, vol = st.rng, city.vol
    if not st.residents:
        return
    mean = vol.credits_per_day * st.activity
    for _ in range(max(0, round(rng.gauss(mean, mean ** 0.5)))):
        res = rng.choice(st.residents)
        if rng.random() < vol.platform_credit_share:
            agenda.add(local(day, rng.uniform(hm(8), hm(19, 59))), _platform_credit, city, st, res)
        elif st.is_open:
            _plan_shift(city, st, day, agenda, res)


def _plan_shift(city, st, day, agenda, res: Resident) -> None:
    rng = st.rng
    acts = city.extra["activities"]
    if rng.random() < 0.85:
        act = acts[rng.choice(("community-service", "store-duty", "elder-care"))]
        minutes = rng.choice((60, 90, 120, 120, 150, 180, 240))
        started = local(day, rng.uniform(hm(8, 30), hm(18, 30)) - minutes * 60)
        claim = (act, started, minutes, None, started, started + timedelta(minutes=minutes))
    else:
        act = acts[rng.choice(("recruit-volunteer", "good-deed"))]
        started = local(day, rng.uniform(hm(8, 30), hm(18)))
        claim = (act, started, None, act.points * rng.choice((1, 1, 2)), None, None)
    entered = (claim[5] or claim[1]) + timedelta(minutes=rng.uniform(3, 25))
    agenda.add(entered, _enter_shift, city, st, res, claim)


def _price(act, minutes, points) -> int:
    return points_for_minutes(act, minutes) if minutes else points


def _fits(res: Resident, act, day, minutes, points) -> bool:
    """The caps of credits._check_caps: hours a day, points a month, an activity's own monthly cap, no two
    shifts of one resident on one day (so they never overlap)."""
    month = (day.year, day.month)
    if minutes and (res.days.get(day, 0) + minutes > TABLE.max_hours_per_day * 60 or res.days.get(day, 0)):
        return False
    if res.months.get(month, 0) + points > TABLE.max_points_per_month:
        return False
    cap = act.max_points_per_month
    return not cap or res.months.get((month, act.code), 0) + points <= cap


def _count(res: Resident, act, day, minutes, points) -> None:
    month = (day.year, day.month)
    res.months[month] = res.months.get(month, 0) + points
    res.months[(month, act.code)] = res.months.get((month, act.code), 0) + points
    if minutes:
        res.days[day] = res.days.get(day, 0) + minutes


def _enter_shift(at, city, st, res: Resident, claim) -> None:
    act, occurred, minutes, points, started, ended = claim
    points = _price(act, minutes, points)
    day = local_date(occurred)
    if points <= 0 or not _fits(res, act, day, minutes, points):
        return
    _count(res, act, day, minutes, points)
    rng = st.rng
    cashier = st.cashiers[0] if local_time(at).hour < 14 else st.cashiers[1]
    credit = Credit(st.ids(), at, f"shift:{st.ids()}", res, act, "shift", st.id, occurred, started, ended, minutes,
                    None if minutes else points // act.points, points, "pending", cashier, rng.choice(SHIFT_NOTES))
    st.chain.record(cashier, "points.shift_entered", "points_credits", credit.id,
                    {"member_code": res.code, "activity": act.code, "minutes": minutes, "points": points}, at)
    st.pending_credits[credit.id] = credit
    delay = rng.randint(0, st.profile.approval_days)
    st.schedule(local_date(at) + timedelta(days=delay), rng.uniform(hm(19), hm(19, 58)), _approve, city, st, credit)
    city.count("points_credits")


def _approve(at, city, st, credit) -> None:
    if at <= credit.at:
        at = credit.at + timedelta(minutes=5)
    manager = st.manager
    st.pending_credits.pop(credit.id, None)
    if st.rng.random() < 0.015:
        credit.status = "rejected"
        reason = "签到记录不完整"
        st.chain.record(manager, "points.credit_rejected", "points_credits", credit.id, {"reason": reason}, at)
    else:
        credit.status, credit.approver, credit.approved_by_name, credit.approved_at = \
            "credited", manager, manager.username, at
        credit.entry_id = _earn(city, st, credit, manager, at)
        st.chain.record(manager, "points.credit_approved", "points_credits", credit.id,
                        {"points": credit.points, "status": "credited"}, at)
    _write_credit(city, credit)


def _platform_credit(at, city, st, res: Resident) -> None:
    """credits.post_credit: approved on the platform already, lands at once; a city-wide audit event."""
    rng, acts, platform = st.rng, city.extra["activities"], city.extra["platform"]
    act = acts[rng.choice(("community-service", "elder-care"))]
    minutes = rng.choice((60, 120, 180, 240))
    occurred = local(local_date(at) - timedelta(days=rng.randint(1, 3)), rng.uniform(hm(9), hm(17)))
    points = _price(act, minutes, None)
    day = local_date(occurred)
    if res.at is None or occurred < res.at or not _fits(res, act, day, minutes, points):
        return
    _count(res, act, day, minutes, points)
    key = f"vp-{st.ids()}"
    credit = Credit(st.ids(), at, key, res, act, "integration", None, occurred, None, None, minutes, None, points,
                    "credited", platform)
    credit.approved_by_name, credit.approved_at = platform.username, at  # credits._approved: no approver id
    credit.entry_id = _earn(city, st, credit, platform, at, store_id=None)
    city.chain.record(platform, "points.credit_posted", "points_credits", credit.id,
                      {"key": key, "member_code": res.code, "activity": act.code, "points": points,
                       "source": "integration", "status": "credited"}, at, ids=st.ids)
    _write_credit(city, credit)
    city.count("points_credits")


def _earn(city, st, credit, actor, at, *, store_id="store") -> str:
    """ledger.credit: the balance, an earn entry, one lot expiring under the table's policy."""
    res, points = credit.resident, credit.points
    store = st.id if store_id == "store" else store_id
    res.balance += points
    entry = _entry(city, st, res, "earn", points, f"credit:{credit.id}", store, actor, "credit", credit.id,
                   credit.activity.name, at)
    expires = expiry_for(TABLE, credit.occurred)
    lot = Lot(st.ids(), points, expires, at, entry)
    insort(res.lots, lot)
    st.points_lots.append((res, lot))
    return entry


def _entry(city, st, res, kind, points, key, store_id, actor, ref_type, ref_id, reason, at) -> str:
    eid = st.ids()
    city.sink.row(ENTRIES_T, (eid, at, res.id, kind, points, res.balance, key, store_id, actor.user_id,
                              actor.username, ref_type, ref_id, None, reason))
    return eid


def pick_resident(st, points: int, at):
    """A resident of the store who can pay `points` now (balance, and the table's daily redemption cap)."""
    day = local_date(at)
    for _ in range(6):
        res = st.rng.choice(st.residents) if st.residents else None
        if res is None:
            return None
        live = sum(lot.remaining for lot in res.lots if lot.live(at))
        if res.balance >= points and live >= points and res.spent.get(day, 0) + points <= TABLE.daily_redeem_cap:
            return res
    return None


def redeem(city, st, res: Resident, points: int, sale_id: str, at, actor) -> None:
    """service.redeem inside the sale: the guarded balance, a redeem entry, soonest-expiring lots first."""
    res.balance -= points
    day = local_date(at)
    res.spent[day] = res.spent.get(day, 0) + points
    eid = _entry(city, st, res, "redeem", -points, f"redeem:sale:{sale_id}", st.id, actor, "sale", sale_id, "", at)
    left, seq = points, 0
    for lot in res.lots:
        if left == 0:
            break
        if not lot.live(at):
            continue
        n = min(left, lot.remaining)
        lot.remaining -= n
        left -= n
        city.sink.row(USES_T, (st.ids(), eid, lot.id, n, seq))
        seq += 1
    assert left == 0, "redeemed more than the live lots hold"
    res.lots = [lot for lot in res.lots if lot.remaining > 0]
    st.chain.record(actor, "points.redeemed", "points_entries", eid,
                    {"member_code": res.code, "points": points, "ref": f"sale:{sale_id}"}, at)
    city.count("points_redemptions")


def _write_credit(city, c: Credit) -> None:
    approver = c.approver
    city.sink.row(CREDITS_T, (c.id, c.at, c.key, c.resident.id, city.extra["points_table"], c.activity.id, c.source,
                              c.store_id, c.occurred, c.started, c.ended, c.minutes, c.occurrences, c.points,
                              c.status, c.entered_by.user_id, c.entered_by.username,
                              approver.user_id if approver else None, c.approved_by_name, c.approved_at, None,
                              c.entry_id, c.note))


def finish_store(city, st) -> None:
    for credit in st.pending_credits.values():
        _write_credit(city, credit)
    for res, lot in st.points_lots:
        city.sink.row(LOTS_T, (lot.id, lot.at, res.id, lot.entry_id, lot.points, lot.remaining, lot.expires_at, None))
    pin = city.config["resident_pin_hash"]
    for res in st.residents:
        city.sink.row(RESIDENTS_T, (res.id, res.at, res.code, res.name, res.phone, None, None, res.community,
                                    "active", pin, 1, res.balance, None, st.id))
    city.count("residents", len(st.residents))
