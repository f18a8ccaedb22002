"""Crediting from volunteer service: approval by a third person, caps, back-dating, posting and objections."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from supermarket.auth.permissions import Role, system_actor
from supermarket.errors import Forbidden, InvalidInput, NotFound
from supermarket.points import credits, service
from supermarket.points.credits import Claim
from supermarket.points.errors import (Backdated, CapExceeded, InvalidState, OverlappingShift, ResidentInactive,
                                       SelfApproval, UnknownActivity, UnknownMember)
from supermarket.points.models import PointsCredit, PointsEntry, PointsLot
from supermarket.points.rules import expiry_for
from tests.factories import make_user

from .factories import NOW, make_resident, make_table

PLATFORM = system_actor("platform")


@pytest.fixture
def resident(session, world):
    make_table(session)
    return make_resident(session)


def shift(resident, start_hours_ago=5, hours=2, activity="community-service", **kw):
    start = NOW - timedelta(hours=start_hours_ago)
    return Claim(member_code=resident.member_code, activity_code=activity, occurred_at=start,
                 started_at=start, ended_at=start + timedelta(hours=hours), minutes=int(hours * 60), **kw)


def enter(session, world, claim, key="k1", by="cashier-yl01"):
    return credits.enter_shift(session, world.actor(session, by), claim, store_id=None, idempotency_key=key, now=NOW)


def balance(session, resident):
    cached, total, lots = service.resident_balance_check(session, resident.id)
    assert cached == total == lots
    return cached


def test_a_shift_entered_by_a_cashier_and_approved_by_the_manager_lands_with_default_expiry(session, world, resident):
    credit = enter(session, world, shift(resident, hours=3))
    assert credit.status == "pending" and credit.points == 3 and credit.store_id == world.stores["YL01"].id
    assert balance(session, resident) == 0
    credits.approve_credit(session, world.actor(session, "manager-yl01"), credit.id, now=NOW)
    assert credit.status == "credited" and balance(session, resident) == 3
    lot = session.scalar(select(PointsLot))
    assert lot.expires_at.isoformat() == "2027-12-31T16:00:00+00:00"  # end of next year in Changsha
    entry = session.get(PointsEntry, credit.entry_id)
    assert entry.kind == "earn" and entry.ref_type == "credit" and entry.store_id == world.stores["YL01"].id


def test_the_same_shift_key_twice_is_one_shift(session, world, resident):
    a = enter(session, world, shift(resident))
    b = enter(session, world, shift(resident))
    assert a.id == b.id
    assert session.scalar(select(func.count()).select_from(PointsCredit)) == 1


def test_the_person_who_entered_it_cannot_approve_it(session, world, resident):
    credit = enter(session, world, shift(resident), by="manager-yl01")
    with pytest.raises(SelfApproval):
        credits.approve_credit(session, world.actor(session, "manager-yl01"), credit.id, now=NOW)
    credits.approve_credit(session, world.actor(session, "admin"), credit.id, now=NOW)
    assert credit.status == "credited"


def test_a_volunteer_who_is_staff_cannot_enter_or_approve_their_own_hours(session, world):
    make_table(session)
    manager = world.users["manager-yl01"]
    staff_resident = make_resident(session, staff_username=manager.username)
    with pytest.raises(SelfApproval):
        enter(session, world, shift(staff_resident), by="manager-yl01")
    credit = enter(session, world, shift(staff_resident), by="cashier-yl01")
    with pytest.raises(SelfApproval):
        credits.approve_credit(session, world.actor(session, "manager-yl01"), credit.id, now=NOW)
    assert credit.status == "pending"


def test_cashiers_and_other_stores_cannot_approve(session, world, resident):
    credit = enter(session, world, shift(resident))
    with pytest.raises(Forbidden):
        credits.approve_credit(session, world.actor(session, "cashier-yl01"), credit.id, now=NOW)
    with pytest.raises(NotFound):
        credits.approve_credit(session, world.actor(session, "manager-yl02"), credit.id, now=NOW)
    with pytest.raises(Forbidden):
        credits.approve_credit(session, world.actor(session, "auditor-yl"), credit.id, now=NOW)


def test_hours_beyond_the_activity_cap_are_refused(session, world, resident):
    with pytest.raises(CapExceeded) as e:
        enter(session, world, shift(resident, start_hours_ago=6, hours=5))
    assert "4 小时" in e.value.message
    assert session.scalar(select(func.count()).select_from(PointsCredit)) == 0


def test_hours_beyond_the_daily_cap_are_refused(session, world, resident):
    base = NOW - timedelta(hours=11)
    for i, key in enumerate(("a", "b")):
        start = base + timedelta(hours=4 * i)
        enter(session, world, Claim(resident.member_code, "community-service", start, minutes=240,
                                    started_at=start, ended_at=start + timedelta(hours=4)), key=key)
    start = base + timedelta(hours=8, minutes=30)
    with pytest.raises(CapExceeded) as e:
        enter(session, world, Claim(resident.member_code, "community-service", start, minutes=60,
                                    started_at=start, ended_at=start + timedelta(hours=1)), key="c")
    assert "8 小时" in e.value.message


def test_monthly_caps_overall_and_per_activity(session, world):
    make_table(session, max_points_per_month=20)
    resident = make_resident(session)
    at = NOW - timedelta(days=1)
    credits.post_credit(session, PLATFORM, Claim(resident.member_code, "good-deed", at, points=10),
                        idempotency_key="g1", now=NOW)
    with pytest.raises(CapExceeded) as e:  # good deeds: at most 10 a month
        credits.post_credit(session, PLATFORM, Claim(resident.member_code, "good-deed", at, points=5),
                            idempotency_key="g2", now=NOW)
    assert "好人好事" in e.value.message
    with pytest.raises(CapExceeded):  # 10 + 12 > 20 a month
        credits.post_credit(session, PLATFORM, Claim(resident.member_code, "recruit", at, points=12),
                            idempotency_key="r1", now=NOW)
    credits.post_credit(session, PLATFORM, Claim(resident.member_code, "recruit", at, points=10),
                        idempotency_key="r2", now=NOW)
    assert balance(session, resident) == 20


def test_back_dated_beyond_the_limit_and_future_shifts_are_refused(session, world, resident):
    with pytest.raises(Backdated) as e:
        enter(session, world, shift(resident, start_hours_ago=24 * 9))
    assert e.value.status == 422 and "7 天" in e.value.message
    enter(session, world, shift(resident, start_hours_ago=24 * 7 + 2), key="ok")  # 7 calendar days back
    with pytest.raises(InvalidInput):
        enter(session, world, shift(resident, start_hours_ago=1, hours=2), key="future")


def test_overlapping_shifts_and_bad_times_are_refused(session, world, resident):
    enter(session, world, shift(resident, start_hours_ago=5, hours=2), key="a")
    with pytest.raises(OverlappingShift):
        enter(session, world, shift(resident, start_hours_ago=4, hours=2), key="b")
    start = NOW - timedelta(hours=2)
    with pytest.raises(InvalidInput):
        enter(session, world, Claim(resident.member_code, "community-service", start, minutes=60,
                                    started_at=start, ended_at=start), key="c")


def test_unknown_member_activity_deduction_and_too_short(session, world, resident):
    with pytest.raises(UnknownMember):
        enter(session, world, Claim("NOBODY", "community-service", NOW, minutes=60))
    with pytest.raises(UnknownActivity):
        enter(session, world, shift(resident, activity="sky-diving"))
    with pytest.raises(UnknownActivity):
        enter(session, world, shift(resident, activity="uncivil"))
    with pytest.raises(InvalidInput):
        enter(session, world, shift(resident, hours=0.5))
    resident.status = "closed"
    session.commit()
    with pytest.raises(ResidentInactive):
        enter(session, world, shift(resident))


def test_platform_credit_by_hours_or_points_and_replay(session, world, resident):
    at = NOW - timedelta(days=2)
    claim = Claim(resident.member_code, "elder-care", at, minutes=credits.minutes_from_hours(Decimal("1.5")))
    credit, created = credits.post_credit(session, PLATFORM, claim, idempotency_key="p1", now=NOW)
    assert created and credit.status == "credited" and credit.points == 3 and credit.store_id is None
    again, created = credits.post_credit(session, PLATFORM, claim, idempotency_key="p1", now=NOW)
    assert again.id == credit.id and not created
    with pytest.raises(InvalidInput):  # points for an hourly activity
        credits.post_credit(session, PLATFORM, Claim(resident.member_code, "elder-care", at, points=3),
                            idempotency_key="p2", now=NOW)
    with pytest.raises(InvalidInput):  # not a multiple of the recruit item's 2 points
        credits.post_credit(session, PLATFORM, Claim(resident.member_code, "recruit", at, points=3),
                            idempotency_key="p3", now=NOW)
    assert balance(session, resident) == 3


def test_only_the_integration_role_or_federation_post_credits(session, world, resident):
    with pytest.raises(Forbidden):
        credits.post_credit(session, world.actor(session, "manager-yl01"),
                            Claim(resident.member_code, "recruit", NOW, points=2), idempotency_key="x", now=NOW)
    user = make_user(session, "platform-bot", Role.INTEGRATION)
    from tests.factories import actor_for

    credit, _ = credits.post_credit(session, actor_for(session, user),
                                    Claim(resident.member_code, "recruit", NOW, points=2), idempotency_key="y",
                                    now=NOW)
    assert credit.entered_by_name == "platform-bot"


def test_the_table_in_force_on_the_day_of_service_prices_it(session, world):
    make_table(session, effective_from=date(2020, 1, 1))
    make_table(session, effective_from=NOW.date(), expiry_policy="months", expiry_months=6,
               activities=[dict(code="community-service", name="社区服务", kind="hourly", points=3)])
    resident = make_resident(session)
    old, _ = credits.post_credit(session, PLATFORM, Claim(resident.member_code, "community-service",
                                                          NOW - timedelta(days=2), minutes=60),
                                 idempotency_key="old", now=NOW)
    new, _ = credits.post_credit(session, PLATFORM, Claim(resident.member_code, "community-service",
                                                          NOW - timedelta(hours=2), minutes=60),
                                 idempotency_key="new", now=NOW)
    assert (old.points, new.points) == (1, 3)
    lots = {lot.points: lot.expires_at for lot in session.scalars(select(PointsLot))}
    assert lots[3] == expiry_for(session.get(type(new.activity.table), new.table_id), new.occurred_at)
    assert lots[3].date().isoformat() == "2026-12-15"


@pytest.fixture
def published(session, world):
    make_table(session, publication_days=3)
    resident = make_resident(session)
    credit = enter(session, world, shift(resident))
    credits.approve_credit(session, world.actor(session, "manager-yl01"), credit.id, now=NOW)
    return resident, credit


def test_with_publication_credits_land_only_after_the_notice_period(session, world, published):
    resident, credit = published
    assert credit.status == "published" and balance(session, resident) == 0
    assert [c.id for c in credits.on_notice(session, NOW)] == [credit.id]
    admin = system_actor("job")
    assert credits.land_due_credits(session, admin, now=NOW + timedelta(days=2)) == 0
    assert credits.land_due_credits(session, admin, now=NOW + timedelta(days=3)) == 1
    assert credits.land_due_credits(session, admin, now=NOW + timedelta(days=4)) == 0
    assert credit.status == "credited" and balance(session, resident) == 2


def test_an_objection_holds_a_credit_until_resolved(session, world, published):
    resident, credit = published
    manager = world.actor(session, "manager-yl01")
    objection = credits.object_to_credit(session, manager, credit.id, raised_by="邻居王先生",
                                         reason="当天未见其到场", now=NOW)
    assert credits.land_due_credits(session, system_actor("job"), now=NOW + timedelta(days=5)) == 0
    credits.resolve_objection(session, manager, credit.id, objection.id, upheld=False, note="有签到表",
                              now=NOW + timedelta(days=5))
    with pytest.raises(InvalidState):
        credits.resolve_objection(session, manager, credit.id, objection.id, upheld=True, note="",
                                  now=NOW + timedelta(days=5))
    assert credits.land_due_credits(session, system_actor("job"), now=NOW + timedelta(days=5)) == 1
    assert balance(session, resident) == 2


def test_an_upheld_objection_rejects_the_credit(session, world, published):
    resident, credit = published
    manager = world.actor(session, "manager-yl01")
    objection = credits.object_to_credit(session, manager, credit.id, raised_by="社区", reason="重复登记", now=NOW)
    credits.resolve_objection(session, manager, credit.id, objection.id, upheld=True, note="", now=NOW)
    assert credit.status == "rejected"
    assert credits.land_due_credits(session, system_actor("job"), now=NOW + timedelta(days=9)) == 0
    with pytest.raises(InvalidState):
        credits.object_to_credit(session, manager, credit.id, raised_by="x", reason="y", now=NOW)
    assert balance(session, resident) == 0


def test_rejecting_a_pending_shift_frees_its_hours(session, world, resident):
    credit = enter(session, world, shift(resident, hours=4), key="a")
    credits.reject_credit(session, world.actor(session, "manager-yl01"), credit.id, reason="无签到记录", now=NOW)
    assert credit.status == "rejected"
    enter(session, world, shift(resident, hours=4), key="b")  # no longer overlaps or counts to the cap
    with pytest.raises(InvalidState):
        credits.approve_credit(session, world.actor(session, "manager-yl01"), credit.id, now=NOW)
