"""The aid and points kinds that moved onto the board, planted through their services as before."""
from __future__ import annotations

import io
import uuid
from datetime import timedelta, timezone

import pytest
from PIL import Image

from supermarket.aid import campaigns
from supermarket.aid.campaigns import CampaignHandout
from supermarket.aid.handout import Approval
from supermarket.auth.permissions import Role
from supermarket.clock import SHANGHAI
from supermarket.models import utcnow
from supermarket.points import service as points_service
from supermarket.uow import unit_of_work
from tests.factories import make_user
from tests.supermarket.aid.factories import aid_item, hand_out, make_campaign, make_household, policy
from tests.supermarket.points.factories import NOW as POINTS_NOW
from tests.supermarket.points.factories import PIN, give_points, make_resident, make_table
from tests.supermarket.points.test_oversight import shift

from .helpers import evidence_ids, flags_of, run


def noon_before_now():
    local = utcnow().astimezone(SHANGHAI)
    noon = local.replace(hour=12, minute=0, second=0, microsecond=0)
    return (noon if noon < local else noon - timedelta(days=1)).astimezone(timezone.utc)


def _kinds(session, prefix):
    from sqlalchemy import select

    from supermarket.flags.models import Flag

    session.expire_all()
    return sorted(k for k in session.scalars(select(Flag.kind)) if k.startswith(prefix))


def test_aid_two_stores_proxy_address_and_unsigned(session, world):
    policy(session, value_cap_fen=100000)
    towel = aid_item(session, list(world.stores.values()), name="毛巾", price_fen=800)
    now = noon_before_now()
    both = make_household(session, world.stores["YL01"])
    a = hand_out(session, world, "YL01", both, [(towel, 1)], now=now - timedelta(minutes=30)).distribution
    b = hand_out(session, world, "FR01", both, [(towel, 1)], now=now - timedelta(minutes=20)).distribution
    proxied = make_household(session, world.stores["YL02"])
    for k in range(3):
        hand_out(session, world, "YL02", proxied, [(towel, 1)], signature=None, proxy=("邻居甲", "邻居"),
                 now=now - timedelta(minutes=10 - k))
    make_household(session, world.stores["YL01"], address="望月湖 3 栋 201")
    make_household(session, world.stores["YL02"], address="望月湖3栋，201")
    later = now + timedelta(hours=1)
    raised = run(session, later)
    assert raised == {"aid.two_stores": 1, "aid.proxy": 1, "aid.address": 1, "aid.unsigned": 3}
    [two] = flags_of(session, "aid.two_stores")
    assert evidence_ids(two, "distributions") == {str(a.id), str(b.id)} and two.store_id == world.stores["YL01"].id
    [addr] = flags_of(session, "aid.address")
    from supermarket.flags import service

    service.resolve(session, world.actor(session, "auditor-yl"), addr.id, outcome="explained", note="已入户核实",
                    now=later)
    assert run(session, later) == {}
    make_household(session, world.stores["YL01"], address="望月湖 3栋201")   # one more: raised again, linked
    assert run(session, later) == {"aid.address": 1}
    old, new = flags_of(session, "aid.address")
    assert new.previous_id == old.id and len(new.evidence) == 3


def test_two_proxy_pick_ups_are_not_flagged(session, world):
    policy(session, value_cap_fen=100000)
    towel = aid_item(session, list(world.stores.values()), name="毛巾", price_fen=800)
    now = noon_before_now()
    h = make_household(session, world.stores["YL02"])
    for k in range(2):
        hand_out(session, world, "YL02", h, [(towel, 1)], proxy=("邻居甲", "邻居"), now=now - timedelta(minutes=5 - k))
    assert "aid.proxy" not in run(session, now + timedelta(hours=1))


def test_aid_overrides_and_campaign_hand_outs_until_the_sheet_is_photographed(session, world):
    policy(session, value_cap_fen=1000)
    store = world.stores["YL01"]
    towel = aid_item(session, [store], name="毛巾", price_fen=800)
    h = make_household(session, store)
    now = utcnow()
    hand_out(session, world, "YL01", h, [(towel, 2)], override=Approval("manager-yl01", "2468"), reason="火灾",
             now=now)
    c = make_campaign(session, world, "YL01", [(towel, 1)])
    campaigns.add_households(session, world.actor(session, "manager-yl01"), c.id, codes=[h.code])
    campaigns.record_handout(session, world.actor(session, "cashier-yl01"), c.id,
                             CampaignHandout(h.id, witness=Approval("manager-yl01", "2468")), now=now)
    buf = io.BytesIO()
    Image.new("RGB", (100, 100), "white").save(buf, "PNG")
    campaigns.attach_sheet_photo(session, world.actor(session, "cashier-yl01"), c.id, buf.getvalue())
    assert run(session, now + timedelta(minutes=1)) == {"aid.override": 1}


@pytest.fixture
def table(session, world):
    return make_table(session, max_points_per_month=50, adjust_approval_threshold=500)


def test_points_bulk_entries_and_one_approver(session, world, table):
    people = [make_resident(session) for _ in range(10)]
    for i, person in enumerate(people):
        shift(session, world, person, approve_by="manager-yl01", at=POINTS_NOW + timedelta(seconds=30 * i))
    later = POINTS_NOW + timedelta(hours=1)
    assert run(session, later) == {"points.bulk_entries": 1}   # the store's only manager approves all: no flag
    make_user(session, "deputy-yl01", Role.STORE_MANAGER, store=world.stores["YL01"])
    assert run(session, later) == {"points.approver_share": 1}
    [flag] = flags_of(session, "points.approver_share")
    assert flag.detail == {"count": 10, "total": 10} and len(flag.evidence) == 10


def test_nine_quick_entries_are_not_bulk(session, world, table):
    for i in range(9):
        shift(session, world, make_resident(session), at=POINTS_NOW + timedelta(seconds=30 * i))
    assert run(session, POINTS_NOW + timedelta(hours=1)) == {}


def test_points_monthly_cap(session, world, table):
    person = make_resident(session, name="何大伟")
    points_service.adjust_points(session, world.actor(session, "manager-yl01"), resident_id=person.id, points=60,
                                 reason="补记", idempotency_key=uuid.uuid4(), now=POINTS_NOW)
    other = make_resident(session, name="刘小红")
    points_service.adjust_points(session, world.actor(session, "manager-yl01"), resident_id=other.id, points=50,
                                 reason="补记", idempotency_key=uuid.uuid4(), now=POINTS_NOW)
    assert run(session, POINTS_NOW + timedelta(hours=1)) == {"points.month_cap": 1}
    [flag] = flags_of(session, "points.month_cap")
    assert {"type": "resident", "id": str(person.id)} in flag.people


def test_a_resident_redeeming_unusually_often(session, world, table):
    busy, calm = make_resident(session, name="频繁者"), make_resident(session, name="普通人")
    give_points(session, busy, 100)
    give_points(session, calm, 100)
    cashier = world.actor(session, "cashier-yl01")
    for i in range(9):
        with unit_of_work(session):
            points_service.redeem(session, cashier, store_id=world.stores["YL01"].id, member_code=busy.member_code,
                                  pin=PIN, points=1, ref_type="sale", ref_id=f"b{i}",
                                  now=POINTS_NOW + timedelta(minutes=i))
    with unit_of_work(session):
        points_service.redeem(session, cashier, store_id=world.stores["YL01"].id, member_code=calm.member_code,
                              pin=PIN, points=1, ref_type="sale", ref_id="c", now=POINTS_NOW)
    assert run(session, POINTS_NOW + timedelta(hours=1)) == {"points.frequent_redeemer": 1}
    [flag] = flags_of(session, "points.frequent_redeemer")
    assert {"type": "resident", "id": str(busy.id)} in flag.people and len(flag.evidence) == 9


def test_seven_redemptions_are_not_frequent(session, world, table):
    busy = make_resident(session)
    give_points(session, busy, 100)
    cashier = world.actor(session, "cashier-yl01")
    for i in range(7):
        with unit_of_work(session):
            points_service.redeem(session, cashier, store_id=world.stores["YL01"].id, member_code=busy.member_code,
                                  pin=PIN, points=1, ref_type="sale", ref_id=f"b{i}",
                                  now=POINTS_NOW + timedelta(minutes=i))
    assert run(session, POINTS_NOW + timedelta(hours=1)) == {}


def _day_of_shifts(session, world, person, hours):
    """Shifts entered through the points service on one Changsha day (POINTS_NOW is 12:00 there), back to back
    from 07:00; each within the four hours a community-service shift allows."""
    credits_made, start = [], POINTS_NOW - timedelta(hours=5)
    for h in hours:
        credits_made.append(shift(session, world, person, start=start, hours=h, at=POINTS_NOW + timedelta(hours=8)))
        start += timedelta(hours=h)
    return credits_made


def test_hours_over_the_daily_cap_are_flagged_once_and_six_hours_are_not(session, world, table):
    over, near = make_resident(session, name="钱多多"), make_resident(session, name="孙平平")
    planted = _day_of_shifts(session, world, over, (4, 3))        # 7 h: accepted under the 8-hour cap
    _day_of_shifts(session, world, near, (3, 3))                    # 6 h
    later = POINTS_NOW + timedelta(hours=9)
    assert run(session, later) == {}
    make_table(session, max_points_per_month=50, adjust_approval_threshold=500, max_hours_per_day=6,
               effective_from=POINTS_NOW.date())                    # the federation lowers the cap to 6 hours
    assert run(session, later) == {"points.day_hours_cap": 1}
    [flag] = flags_of(session, "points.day_hours_cap")
    assert evidence_ids(flag, "points_credits") == {str(c.id) for c in planted}
    assert flag.detail == {"minutes": 420, "cap_hours": 6, "count": 2}
    assert {"type": "resident", "id": str(over.id)} in flag.people
    assert {"type": "user", "id": str(world.users["cashier-yl01"].id)} in flag.people
    assert flag.store_id == world.stores["YL01"].id and flag.period_start == flag.period_end
    assert run(session, later + timedelta(hours=1)) == {}


def test_a_rejected_shift_does_not_count_toward_the_daily_hours(session, world, table):
    from supermarket.points import credits as credit_service

    person = make_resident(session, name="周正")
    first, second = _day_of_shifts(session, world, person, (4, 3))
    credit_service.reject_credit(session, world.actor(session, "manager-yl01"), second.id, reason="未到岗",
                                 now=POINTS_NOW + timedelta(hours=8, minutes=30))
    make_table(session, max_points_per_month=50, adjust_approval_threshold=500, max_hours_per_day=6,
               effective_from=POINTS_NOW.date())
    assert run(session, POINTS_NOW + timedelta(hours=9)) == {}
