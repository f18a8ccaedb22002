"""Donated goods and money coming in (intake/service.py, lines.py, donors.py, pledges.py): walk-in donors with
second-hand goods (a new item with the store's own code per line) and packaged goods, donor firms restocking
what runs low, money into the donation fund, receipts printed (or not), pledges fulfilled, followed up,
cancelled or left overdue. Every donation is received by the cashier on shift and checked by the manager.
"""
from __future__ import annotations

from datetime import timedelta

from supermarket.intake.donors import match_key
from supermarket.intake.lines import default_price_fen
from supermarket.privacy import id_hmac

from .base import hm, local, local_date, local_time
from .catalog import GRADE_PERCENT, create_item, expiry_for
from .names import FIRMS, address, id_number, person_name, phone
from .sink import Table

DONORS_T = Table("donors", ("id", "created_at", "store_id", "kind", "name", "contact_person", "phone", "address",
                            "id_hmac", "id_last4", "match_key", "note", "created_by_id"))
PLEDGES_T = Table("pledges", ("id", "created_at", "store_id", "donor_id", "kind", "amount_fen", "description",
                              "pledged_on", "due_date", "status", "fulfilled_fen", "cancel_reason", "created_by_name"))
FOLLOW_UPS_T = Table("pledge_follow_ups", ("id", "created_at", "store_id", "pledge_id", "contacted_at", "note",
                                           "next_contact_on", "actor_name"))
DONATIONS_T = Table("donations", ("id", "created_at", "store_id", "serial", "serial_year", "serial_no",
                                  "idempotency_key", "donor_id", "anonymous", "pledge_id", "received_at",
                                  "receiver_id", "receiver_name", "checker_id", "checker_name", "goods_value_fen",
                                  "money_fen", "total_value_fen", "unit_count", "has_near_expiry", "has_unvalued",
                                  "has_photo", "note", "print_count"))
LINES_T = Table("donation_lines", ("id", "store_id", "donation_id", "line_no", "item_id", "category_id", "qty",
                                   "unit", "unit_value_fen", "line_value_fen", "valuation_basis", "value_unknown",
                                   "condition_grade", "expiry_date", "near_expiry", "item_created", "movement_id"))
MONEY_T = Table("donation_money_lines", ("id", "store_id", "donation_id", "line_no", "method", "amount_fen",
                                         "reference"))
FUND_T = Table("donation_fund_entries", ("id", "created_at", "store_id", "occurred_at", "amount_fen", "kind",
                                         "method", "donation_id", "money_line_id", "reverses_id", "actor_name"))
REF_PREFIX = {"wechat": "4200", "alipay": "2088", "bank_transfer": "6222"}
FOLLOW_UP_NOTES = ("电话联系，对方表示月底前兑现", "对方负责人出差，约定下周再联系", "上门拜访，对方资金紧张，申请延期",
                   "微信联系未回复")


class Pledge:
    __slots__ = ("id", "donor", "kind", "amount", "what", "pledged_on", "due", "fulfilled", "status", "reason",
                 "created_by", "at")

    def __init__(self, id, donor, kind, amount, what, pledged_on, due, created_by, at):
        self.id, self.donor, self.kind, self.amount, self.what = id, donor, kind, amount, what
        self.pledged_on, self.due, self.created_by, self.at = pledged_on, due, created_by, at
        self.fulfilled, self.status, self.reason = 0, "open", ""


class Donor:
    __slots__ = ("id", "kind", "name", "phone", "written")

    def __init__(self, id, kind, name, phone_no):
        self.id, self.kind, self.name, self.phone, self.written = id, kind, name, phone_no, False


def setup_store(city, st, agenda) -> None:
    st.people, st.firms, st.pledges, st.low = [], [], [], set()
    st.stock.on_low = st.low.add


def plan_day(city, st, day, agenda) -> None:
    if not st.is_open:
        return
    rng, vol = st.rng, city.vol
    if st.low:
        wanted = sorted(st.low, key=lambda i: i.id)[:15]
        st.low.difference_update(wanted)
        agenda.add(local(day, rng.uniform(hm(9), hm(11))), _restock, city, st, wanted)
    mean = vol.person_donations_per_day * st.activity
    for _ in range(int(mean) + (rng.random() < mean - int(mean))):
        agenda.add(local(day, rng.uniform(hm(8, 40), hm(19, 30))), _walk_in, city, st)
    if rng.random() < vol.pledges_per_day:
        agenda.add(local(day, rng.uniform(hm(9), hm(17))), _pledge, city, st)


def _on_shift(st, at):
    return st.cashiers[0] if local_time(at).hour < 14 else st.cashiers[1]


def _person(city, st, at) -> Donor | None:
    rng = st.rng
    roll = rng.random()
    if roll < 0.15:
        return None  # anonymous
    if roll < 0.7 and st.people:
        return rng.choice(st.people)
    donor = Donor(st.ids(), "person", person_name(rng), phone("15", st.info.index * 10000 + len(st.people)))
    st.people.append(donor)
    return donor


def _firm(city, st) -> Donor:
    rng = st.rng
    if len(st.firms) < 4 and (not st.firms or rng.random() < 0.2):
        name = FIRMS[(st.info.index + len(st.firms) * 5) % len(FIRMS)]
        st.firms.append(Donor(st.ids(), "organisation", name, f"0731-8{st.info.index % 1000:03d}{len(st.firms):04d}"))
    return rng.choice(st.firms)


def _write_donor(city, st, donor: Donor, actor, at) -> None:
    """donors.add_donor, inside the donation's transaction (or on its own for a pledge)."""
    rng, key = st.rng, city.config["pii_key"]
    hashed = last4 = None
    if donor.kind == "person" and rng.random() < 0.1:
        number = id_number(st.info.district.region, 5_000_000 + st.info.index * 1000 + len(st.people))
        hashed, last4 = id_hmac(key, number), number[-4:]
    contact = person_name(rng) + "经理" if donor.kind == "organisation" else ""
    where = address(rng, st.info.district.name) if donor.kind == "organisation" or rng.random() < 0.3 else ""
    city.sink.row(DONORS_T, (donor.id, at, st.id, donor.kind, donor.name, contact, donor.phone, where, hashed,
                             last4 or "", match_key(key, donor.kind, donor.name, donor.phone, hashed), "",
                             actor.user_id))
    st.chain.record(actor, "intake.donor_created", "donors", donor.id, {"kind": donor.kind}, at)
    donor.written = True
    city.count("donors")


def _walk_in(at, city, st) -> None:
    rng, today = st.rng, local_date(at)
    donor = _person(city, st, at)
    lines = []
    for _ in range(rng.choice((1, 2, 2, 3, 4))):
        roll = rng.random()
        if roll < 0.7:
            cat, unit, name, value, variants, kind = rng.choice(city.extra["second_hand"])
            grade = rng.choice("AABBC") if kind == "donated_used" else None
            value = value * GRADE_PERCENT[grade] // 100
            basis = rng.choice(("market", "market", "market", "declared", "unvalued"))
            spec = (f"{name} {rng.choice(variants)}", cat, kind, unit, grade)
            qty = rng.choice((1, 1, 2, 2, 3, 4, 6)) if kind == "donated_used" else rng.randint(1, 4)
            lines.append((None, spec, qty, 0 if basis == "unvalued" else value, basis, None))
        else:
            item = rng.choice(city.extra["donatable"])
            expiry = expiry_for(rng, item, today, near=rng.random() < 0.2)
            lines.append((item, None, rng.randint(1, 6), item.price, "market", expiry))
    money = []
    if rng.random() < city.vol.money_donation_share:
        method = rng.choice(("cash", "cash", "wechat", "alipay", "bank_transfer"))
        money.append((method, rng.choice((20, 50, 100, 100, 200, 500, 1000)) * 100))
    _donation(at, city, st, donor, lines, money, None)


def _restock(at, city, st, items) -> None:
    """A donor firm brings what the store is running low on, with its invoice."""
    rng, today, stock = st.rng, local_date(at), st.stock
    lines = []
    for item in items:
        target = rng.randint(60, 120) if item.aid else rng.randint(20, 40)
        qty = target - stock.sellable(item)
        if qty > 0:
            lines.append((item, None, qty, item.price, "invoice", expiry_for(rng, item, today)))
    if lines:
        _donation(at, city, st, _firm(city, st), lines, [], None)


def _donation(at, city, st, donor, lines, money, pledge) -> None:
    """service.record_donation's writes, in its order: the serial, the donor, the donation, its lines (items
    created, goods received into lots), money lines with fund entries, the pledge's fulfilment, the event."""
    rng, stock, sink = st.rng, st.stock, city.sink
    receiver, checker = _on_shift(st, at), st.manager
    year = local_date(at).year
    number = st.counters.next(f"donation:{st.id}:{year}")
    serial = f"{st.code}-{year}-{number:06d}"
    if donor is not None and not donor.written:
        _write_donor(city, st, donor, receiver, at)
    did, today = st.ids(), local_date(at)
    goods = units = 0
    near = unvalued = False
    for n, (item, spec, qty, value, basis, expiry) in enumerate(lines, 1):
        created = item is None
        if created:
            name, cat, kind, unit, grade = spec
            shelf = default_price_fen(value) if value else rng.choice((500, 1000, 1500, 2000))
            item = create_item(city, st, receiver, name=name, category=cat, kind=kind, unit=unit, grade=grade,
                               price_fen=shelf, at=at)
            expiry = expiry_for(rng, item, today)
        mid = stock.receive(receiver, item, qty, kind="intake", doc_type="donation", doc_id=did, at=at,
                            expiry=expiry, unit_cost=value, note=serial)
        if created and item not in st.used_items:
            st.used_items.append(item)
        is_near = expiry is not None and expiry <= today + timedelta(days=item.category.near_expiry_days)
        sink.row(LINES_T, (st.ids(), st.id, did, n, item.id, item.category.id, qty, item.unit, value, qty * value,
                           basis, basis == "unvalued", item.grade, expiry, is_near, created, mid))
        goods, units = goods + qty * value, units + qty
        near, unvalued = near or is_near, unvalued or basis == "unvalued"
    cash = 0
    for n, (method, amount) in enumerate(money, 1):
        line_id = st.ids()
        ref = REF_PREFIX[method] + str(rng.randrange(10 ** 9, 10 ** 10)) if method in REF_PREFIX else ""
        sink.row(MONEY_T, (line_id, st.id, did, n, method, amount, ref))
        sink.row(FUND_T, (st.ids(), at, st.id, at, amount, "money_donation", method, did, line_id, None,
                          receiver.username))
        cash += amount
    prints = 1 if rng.random() < st.profile.receipt_print_share else 0
    if prints and rng.random() < 0.02:
        prints = 2
    sink.row(DONATIONS_T, (did, at, st.id, serial, year, number, st.ids(), donor.id if donor else None,
                           donor is None, pledge.id if pledge else None, at, receiver.user_id,
                           receiver.display_name, checker.user_id, checker.display_name, goods, cash, goods + cash,
                           units, near, unvalued, False, "", prints))
    if pledge is not None:
        pledge.fulfilled += goods + cash  # pledges.add_fulfilment
    st.chain.record(receiver, "intake.donation_recorded", "donations", did, {
        "serial": serial, "lines": len(lines), "units": units, "goods_value_fen": goods, "money_fen": cash,
        "checker": checker.username, "donor": "anonymous" if donor is None else donor.id,
        "pledge": pledge.id if pledge else None, "photo_sha256": None}, at)
    for copy in range(1, prints + 1):
        action = "intake.receipt_printed" if copy == 1 else "intake.receipt_reprinted"
        when = at + timedelta(seconds=rng.uniform(30, 300) * copy)
        st.agenda.add(when, _print, city, st, receiver, action, did, serial, copy)
    city.count("donations")


def _print(at, city, st, actor, action, did, serial, copy) -> None:
    st.chain.record(actor, action, "donations", did, {"serial": serial, "copy": copy}, at)


# --- pledges -----------------------------------------------------------------------------------------------------

def _pledge(at, city, st) -> None:
    """pledges.create_pledge, and what becomes of it: paid on time, paid in part, or overdue (followed up or
    not, sometimes cancelled by the manager)."""
    rng, today, actor = st.rng, local_date(at), _on_shift(st, at)
    donor = _firm(city, st) if rng.random() < 0.6 else _person(city, st, at)
    if donor is None:
        return
    if not donor.written:
        _write_donor(city, st, donor, actor, at)
    kind = "money" if rng.random() < 0.7 else "goods"
    amount = rng.randint(20, 300) * 1000
    due = today + timedelta(days=rng.randint(14, 60))
    # [id, store, donor, kind, amount, description, pledged_on, due, fulfilled, status, reason, created_by, at]
    what = "爱心大米、食用油" if kind == "goods" else ""
    pledge = Pledge(st.ids(), donor, kind, amount, what, today, due, actor.username, at)
    st.pledges.append(pledge)
    st.chain.record(actor, "intake.pledge_created", "pledges", pledge.id,
                    {"amount_fen": amount, "kind": kind, "due": due.isoformat()}, at)
    keeps = {"good": 0.75, "fair": 0.55, "poor": 0.35}[st.profile.name]
    roll = rng.random()
    if roll < keeps or roll < keeps + 0.1:  # paid in full, or (the next tenth) only half
        share = 1 if roll < keeps else 0.5
        on = max(today + timedelta(days=1), due - timedelta(days=rng.randint(0, 10)))
        st.schedule(on, rng.uniform(hm(9), hm(17)), _fulfil, city, st, pledge, int(amount * share))
        if share == 1:
            return
    if rng.random() < st.profile.pledge_follow_up:
        for k in range(rng.choice((1, 2))):
            st.schedule(due + timedelta(days=31 + 14 * k + rng.randint(0, 5)), rng.uniform(hm(9), hm(17)),
                        _follow_up, city, st, pledge)
    if rng.random() < 0.3:
        st.schedule(due + timedelta(days=rng.randint(60, 90)), rng.uniform(hm(18), hm(19)), _cancel, city, st, pledge)


def _fulfil(at, city, st, pledge, amount) -> None:
    if pledge.status != "open":
        return
    if pledge.kind == "money":
        _donation(at, city, st, pledge.donor, [], [(st.rng.choice(("bank_transfer", "wechat")), amount)], pledge)
    else:
        rice = city.extra["aid_items"][0]
        qty = max(1, amount // rice.price)
        _donation(at, city, st, pledge.donor, [(rice, None, qty, rice.price, "invoice",
                                             expiry_for(st.rng, rice, local_date(at)))], [], pledge)


def _follow_up(at, city, st, pledge) -> None:
    if pledge.status != "open" or pledge.fulfilled >= pledge.amount:
        return
    actor, note = _on_shift(st, at), st.rng.choice(FOLLOW_UP_NOTES)
    city.sink.row(FOLLOW_UPS_T, (st.ids(), at, st.id, pledge.id, at, note, local_date(at) + timedelta(days=14),
                                 actor.username))
    st.chain.record(actor, "intake.pledge_followed_up", "pledges", pledge.id, {"note": note[:100]}, at)


def _cancel(at, city, st, pledge) -> None:
    if pledge.status != "open" or pledge.fulfilled >= pledge.amount:
        return
    reason = "捐赠方经营困难，撤销认捐"
    pledge.status, pledge.reason = "cancelled", reason
    st.chain.record(st.manager, "intake.pledge_cancelled", "pledges", pledge.id, {"reason": reason[:100]}, at)


def finish_store(city, st) -> None:
    for p in st.pledges:
        city.sink.row(PLEDGES_T, (p.id, p.at, st.id, p.donor.id, p.kind, p.amount, p.what, p.pledged_on, p.due,
                                  p.status, p.fulfilled, p.reason, p.created_by))
    city.count("pledges", len(st.pledges))
