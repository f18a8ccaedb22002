"""The points ledger at its edges, as a resident or an auditor would notice them: a lot of exactly 1 point is
spendable, lots are spent soonest-expiring first (oldest first on the same date, never-expiring last), an expiry
that finds the lot changed leaves it alone, and given-back points past their date are expired at once."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from supermarket.auth.permissions import system_actor
from supermarket.points import ledger
from supermarket.points.errors import InsufficientBalance
from supermarket.points.models import PointsEntry, PointsLot, PointsLotUse, Resident
from supermarket.uow import unit_of_work

from .factories import NOW, give_points, make_resident, make_table

JOB = system_actor("job")


@pytest.fixture
def resident(session, world):
    make_table(session)
    return make_resident(session)


def ctx(now=NOW, **kw):
    return ledger.Context(JOB, now, **kw)


def spend(session, resident, points, *, now=NOW, key="spend", first_lot_ids=()):
    with unit_of_work(session):
        return ledger.debit(session, ctx(now), resident.id, "redeem", points, key, first_lot_ids=first_lot_ids)


def lot_of(session, entry):
    return session.scalar(select(PointsLot).where(PointsLot.entry_id == entry.id))


def remaining(session, *entries):
    session.expire_all()
    return [lot_of(session, e).remaining for e in entries]


def uses(session, entry):
    return [(u.lot_id, u.points) for u in session.scalars(
        select(PointsLotUse).where(PointsLotUse.entry_id == entry.id).order_by(PointsLotUse.seq))]


def balance(session, resident):
    session.expire_all()
    return session.get(Resident, resident.id).balance


def test_a_lot_holding_exactly_one_point_can_be_spent(session, resident):
    one = give_points(session, resident, 1, expires_at=NOW + timedelta(days=30))
    entry = spend(session, resident, 1)
    assert remaining(session, one) == [0] and balance(session, resident) == 0
    assert uses(session, entry) == [(lot_of(session, one).id, 1)]
    assert (entry.points, entry.balance_after, entry.kind) == (-1, 0, "redeem")


def test_spent_out_lots_are_not_used_again(session, resident):
    a = give_points(session, resident, 2, expires_at=NOW + timedelta(days=10))
    b = give_points(session, resident, 3, expires_at=NOW + timedelta(days=20))
    spend(session, resident, 2, key="k1")
    second = spend(session, resident, 3, key="k2")
    assert uses(session, second) == [(lot_of(session, b).id, 3)]  # no 0-point use of the empty lot
    assert remaining(session, a, b) == [0, 0]


def test_the_soonest_expiring_lot_is_spent_first_never_expiring_last(session, resident):
    forever = give_points(session, resident, 5, expires_at=None, now=NOW - timedelta(days=9))
    late = give_points(session, resident, 5, expires_at=NOW + timedelta(days=60), now=NOW - timedelta(days=8))
    soon = give_points(session, resident, 5, expires_at=NOW + timedelta(days=5), now=NOW - timedelta(days=1))
    entry = spend(session, resident, 12)
    assert uses(session, entry) == [(lot_of(session, soon).id, 5), (lot_of(session, late).id, 5),
                                    (lot_of(session, forever).id, 2)]
    assert remaining(session, soon, late, forever) == [0, 0, 3]


def test_on_the_same_expiry_the_oldest_lot_is_spent_first(session, resident):
    same = NOW + timedelta(days=30)
    lots = [give_points(session, resident, 1, expires_at=same, now=NOW - timedelta(days=10 - i)) for i in range(6)]
    entry = spend(session, resident, 6)
    assert uses(session, entry) == [(lot_of(session, e).id, 1) for e in lots]


def test_lots_named_first_are_spent_before_the_expiry_order(session, resident):
    soon = give_points(session, resident, 4, expires_at=NOW + timedelta(days=5))
    late = give_points(session, resident, 4, expires_at=NOW + timedelta(days=50))
    entry = spend(session, resident, 5, first_lot_ids={lot_of(session, late).id})
    assert uses(session, entry) == [(lot_of(session, late).id, 4), (lot_of(session, soon).id, 1)]


def test_points_past_their_date_but_not_yet_expired_cannot_be_spent(session, resident):
    give_points(session, resident, 4, expires_at=NOW)  # past at NOW (the end is not included)
    give_points(session, resident, 3, expires_at=NOW + timedelta(seconds=1))
    with pytest.raises(InsufficientBalance) as e:
        spend(session, resident, 5)
    assert e.value.message == "积分余额不足（有 2 积分已过期，待清零）"
    assert balance(session, resident) == 7  # nothing changed
    spend(session, resident, 3)
    assert balance(session, resident) == 4


def test_the_balance_may_be_spent_to_zero_but_not_below(session, resident):
    give_points(session, resident, 5, expires_at=None)
    with pytest.raises(InsufficientBalance):
        spend(session, resident, 6)
    assert balance(session, resident) == 5
    assert spend(session, resident, 5).balance_after == 0


def test_an_expiry_that_finds_the_lot_changed_leaves_it_alone(session, resident):
    entry = give_points(session, resident, 10, expires_at=NOW - timedelta(days=1), now=NOW - timedelta(days=30))
    lot = lot_of(session, entry)
    with unit_of_work(session):  # the job read 10 remaining, but 4 were spent meanwhile
        session.execute(PointsLot.__table__.update().where(PointsLot.id == lot.id).values(remaining=6))
        assert ledger.expire_lot(session, ctx(), resident.id, lot.id, 10) is None
    assert remaining(session, entry) == [6] and balance(session, resident) == 10
    assert session.scalar(select(PointsEntry).where(PointsEntry.kind == "expire")) is None
    with unit_of_work(session):
        done = ledger.expire_lot(session, ctx(), resident.id, lot.id, 6)
    assert (done.kind, done.points, done.balance_after, done.idempotency_key) == ("expire", -6, 4, f"expire:{lot.id}")
    assert remaining(session, entry) == [0] and uses(session, done) == [(lot.id, 6)]


def test_an_empty_lot_is_not_expired_again(session, resident):
    entry = give_points(session, resident, 3, expires_at=NOW - timedelta(days=1), now=NOW - timedelta(days=30))
    lot = lot_of(session, entry)
    with unit_of_work(session):
        session.execute(PointsLot.__table__.update().where(PointsLot.id == lot.id).values(remaining=0))
        assert ledger.expire_lot(session, ctx(), resident.id, lot.id, 0) is None
    assert balance(session, resident) == 3
    assert session.scalar(select(PointsEntry).where(PointsEntry.kind == "expire")) is None


def test_points_given_back_keep_their_lots_expiry_and_past_ones_expire_at_once(session, resident):
    at_now = give_points(session, resident, 2, expires_at=NOW + timedelta(days=1), now=NOW - timedelta(days=5))
    later = give_points(session, resident, 3, expires_at=NOW + timedelta(days=1, seconds=1),
                        now=NOW - timedelta(days=4))
    debit = spend(session, resident, 5, now=NOW - timedelta(days=1))
    back_at = NOW + timedelta(days=1)  # the first lot's expiry is exactly now: dead on return
    with unit_of_work(session):
        entry = ledger.give_back(session, ctx(back_at), debit, 5, "back")
    assert (entry.kind, entry.points, entry.reverses_id) == ("reverse", 5, debit.id)
    new = {lot.origin_lot_id: lot for lot in session.scalars(select(PointsLot).where(PointsLot.entry_id == entry.id))}
    assert {k: (v.points, v.remaining) for k, v in new.items()} == {
        lot_of(session, at_now).id: (2, 0), lot_of(session, later).id: (3, 3)}
    assert new[lot_of(session, later).id].expires_at == NOW + timedelta(days=1, seconds=1)
    expired = session.scalars(select(PointsEntry).where(PointsEntry.kind == "expire")).all()
    assert [(e.points, e.balance_after) for e in expired] == [(-2, 3)]
    assert balance(session, resident) == 3


def test_give_back_returns_the_most_recently_used_lot_first_and_not_twice(session, resident):
    a = give_points(session, resident, 4, expires_at=NOW + timedelta(days=5))
    b = give_points(session, resident, 4, expires_at=NOW + timedelta(days=9))
    debit = spend(session, resident, 6)
    with unit_of_work(session):
        first = ledger.give_back(session, ctx(), debit, 1, "back1")
    got = session.scalar(select(PointsLot).where(PointsLot.entry_id == first.id))
    assert (got.origin_lot_id, got.points) == (lot_of(session, b).id, 1)
    assert ledger.restorable(session, debit) == [(lot_of(session, b).id, NOW + timedelta(days=9), 1),
                                                 (lot_of(session, a).id, NOW + timedelta(days=5), 4)]
    with unit_of_work(session):
        ledger.give_back(session, ctx(), debit, 5, "back2")
    assert ledger.restorable(session, debit) == []
    with pytest.raises(ValueError), unit_of_work(session):
        ledger.give_back(session, ctx(), debit, 1, "back3")
    assert balance(session, resident) == 8


def test_an_entry_records_who_where_why_and_is_found_by_its_key(session, resident, world):
    store = world.stores["YL01"].id
    actor = system_actor("u" * 70)
    with unit_of_work(session):
        entry = ledger.credit(session, ledger.Context(actor, NOW, store_id=store, ref_type="sale", ref_id=42,
                                                      reason="因" * 250), resident.id, "earn", 7, "key-7", None)
    assert ledger.entry_by_key(session, "key-7").id == entry.id and ledger.entry_by_key(session, "nope") is None
    assert (entry.store_id, entry.ref_type, entry.ref_id, entry.actor_name, entry.reason, entry.created_at) == (
        store, "sale", "42", "u" * 64, "因" * 200, NOW)
    lot = lot_of(session, entry)
    assert (lot.points, lot.remaining, lot.expires_at, lot.created_at) == (7, 7, None, NOW)


def test_lots_of_one_expiry_and_time_are_spent_in_lot_number_order(session, resident):
    same = NOW + timedelta(days=30)
    lots = [give_points(session, resident, 1, expires_at=same) for _ in range(6)]
    entry = spend(session, resident, 6)
    assert [lot_id for lot_id, _ in uses(session, entry)] == sorted((lot_of(session, e).id for e in lots), key=str)


def test_a_change_shows_at_once_on_the_resident_already_loaded(session, resident):
    give_points(session, resident, 9, expires_at=None)
    loaded = session.get(Resident, resident.id)
    assert loaded.balance == 9
    with unit_of_work(session):
        ledger.debit(session, ctx(), resident.id, "redeem", 4, "d1")
        assert loaded.balance == 5  # not the 9 read before


def test_an_entry_without_a_reference_records_none(session, resident):
    with unit_of_work(session):
        entry = ledger.credit(session, ctx(), resident.id, "earn", 3, "plain", None)
    assert (entry.ref_type, entry.ref_id, entry.reason, entry.store_id, entry.actor_id) == ("", "", "", None, None)


def test_a_lot_of_exactly_one_point_expires(session, resident):
    entry = give_points(session, resident, 1, expires_at=NOW - timedelta(days=1), now=NOW - timedelta(days=30))
    lot = lot_of(session, entry)
    with unit_of_work(session):
        done = ledger.expire_lot(session, ctx(), resident.id, lot.id, 1)
    assert (done.kind, done.points, done.balance_after) == ("expire", -1, 0)
    assert remaining(session, entry) == [0] and balance(session, resident) == 0


def test_one_residents_points_leave_every_other_balance_alone(session, resident):
    other = make_resident(session, name="王建国")
    give_points(session, other, 7, expires_at=NOW + timedelta(days=30))
    give_points(session, resident, 5, expires_at=NOW + timedelta(days=30))
    spend(session, resident, 2)
    assert (balance(session, resident), balance(session, other)) == (3, 7)
    with unit_of_work(session):
        assert ledger.change_balance(session, other.id, -7) == 0
    assert (balance(session, resident), balance(session, other)) == (3, 0)
