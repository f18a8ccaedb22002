"""Adjustments, reversals, expiry, and a property test of the ledger's books."""
import uuid
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from supermarket.auth.permissions import system_actor
from supermarket.auth.errors import ApprovalFailed
from supermarket.errors import Forbidden, InvalidInput, NotFound
from supermarket.points import credits, service
from supermarket.points.errors import ApprovalRequired, InsufficientBalance, NotReversible, RefundTooLarge
from supermarket.points.models import PointsEntry, PointsLot
from supermarket.uow import unit_of_work

from .factories import NOW, PIN, give_points, make_resident, make_table

JOB = system_actor("job")


@pytest.fixture
def resident(session, world):
    make_table(session, adjust_approval_threshold=50)
    return make_resident(session)


def books(session, resident):
    cached, total, lots = service.resident_balance_check(session, resident.id)
    assert cached == total == lots
    return cached


def adjust(session, actor, resident, points, *, reason="活动补登", key=None, **kw):
    return service.adjust_points(session, actor, resident_id=resident.id, points=points, reason=reason,
                                 idempotency_key=key or uuid.uuid4(), now=NOW, **kw)


def test_small_adjustments_need_a_reason_but_no_second_person(session, world, resident):
    manager = world.actor(session, "manager-yl01")
    entry = adjust(session, manager, resident, 30)
    assert entry.kind == "adjust" and entry.store_id == world.stores["YL01"].id and books(session, resident) == 30
    adjust(session, manager, resident, -10)
    assert books(session, resident) == 20
    with pytest.raises(InvalidInput):
        adjust(session, manager, resident, 5, reason="  ")
    with pytest.raises(InvalidInput):
        adjust(session, manager, resident, 0)
    with pytest.raises(InsufficientBalance):
        adjust(session, manager, resident, -21)
    with pytest.raises(Forbidden):
        adjust(session, world.actor(session, "cashier-yl01"), resident, 5)


def test_the_same_adjustment_key_twice_is_one_adjustment(session, world, resident):
    manager = world.actor(session, "manager-yl01")
    key = uuid.uuid4()
    assert adjust(session, manager, resident, 10, key=key).id == adjust(session, manager, resident, 10, key=key).id
    assert books(session, resident) == 10


def test_an_adjustment_key_used_again_for_other_points_is_refused(session, world, resident):
    from supermarket.idempotency import IdempotencyMismatch

    manager = world.actor(session, "manager-yl01")
    key = uuid.uuid4()
    adjust(session, manager, resident, 10, key=key)
    with pytest.raises(IdempotencyMismatch):
        adjust(session, manager, resident, 20, key=key)
    assert books(session, resident) == 10


def test_large_adjustments_need_another_manager_of_the_store(session, world, resident):
    manager = world.actor(session, "manager-yl01")
    with pytest.raises(ApprovalRequired):
        adjust(session, manager, resident, 51)
    with pytest.raises(ApprovalFailed):  # the same person
        adjust(session, manager, resident, 51, approver_username="manager-yl01", approver_secret="2468")
    with pytest.raises(ApprovalFailed):  # a manager of another store
        adjust(session, manager, resident, 51, approver_username="manager-yl02", approver_secret="2468")
    with pytest.raises(ApprovalFailed):  # a cashier
        adjust(session, manager, resident, 51, approver_username="cashier-yl01", approver_secret="changsha2023")
    entry = adjust(session, manager, resident, 51, approver_username="admin", approver_secret="changsha2023")
    assert entry.points == 51 and books(session, resident) == 51


def test_reversing_a_redemption_gives_back_what_was_not_yet_refunded(session, world, resident):
    give_points(session, resident, 40)
    cashier = world.actor(session, "cashier-yl01")
    with unit_of_work(session):
        redemption = service.redeem(session, cashier, store_id=world.stores["YL01"].id,
                                    member_code=resident.member_code, pin=PIN, points=30, ref_type="sale",
                                    ref_id="s", now=NOW)
    with unit_of_work(session):
        service.refund_redemption(session, cashier, ref_type="sale", ref_id="s", points=10, now=NOW)
    manager = world.actor(session, "manager-yl01")
    reversal = service.reverse_entry(session, manager, redemption.id, reason="误操作", now=NOW)
    assert reversal.points == 20 and reversal.reverses_id == redemption.id and books(session, resident) == 40
    with pytest.raises(NotReversible):
        service.reverse_entry(session, manager, redemption.id, reason="again", now=NOW)
    with pytest.raises(NotFound):  # another store's entry
        service.reverse_entry(session, world.actor(session, "manager-yl02"), redemption.id, reason="x", now=NOW)


def test_reversing_a_credit_takes_its_points_back_and_marks_it(session, world, resident):
    claim = credits.Claim(resident.member_code, "community-service", NOW - timedelta(hours=3), minutes=120)
    credit, _ = credits.post_credit(session, JOB, claim, idempotency_key="c1", now=NOW)
    give_points(session, resident, 5)
    entry = session.get(PointsEntry, credit.entry_id)
    reversal = service.reverse_entry(session, JOB, entry.id, reason="虚报时长", now=NOW)
    assert reversal.points == -2 and credit.status == "reversed" and books(session, resident) == 5
    assert session.scalar(select(PointsLot.remaining).where(PointsLot.entry_id == entry.id)) == 0


def test_reversing_spent_points_is_refused(session, world, resident):
    entry = give_points(session, resident, 10)
    with unit_of_work(session):
        service.redeem(session, world.actor(session, "cashier-yl01"), store_id=world.stores["YL01"].id,
                       member_code=resident.member_code, pin=PIN, points=8, ref_type="sale", ref_id="s", now=NOW)
    with pytest.raises(InsufficientBalance):
        service.reverse_entry(session, JOB, entry.id, reason="x", now=NOW)
    assert books(session, resident) == 2


def test_expire_is_idempotent_and_only_takes_what_is_due(session, world, resident):
    give_points(session, resident, 10, expires_at=NOW - timedelta(days=1))
    give_points(session, resident, 7, expires_at=NOW + timedelta(days=1))
    partly = give_points(session, resident, 5, expires_at=NOW - timedelta(hours=1))
    with unit_of_work(session):  # spend 3 of the 5 before they are past (now - 2h)
        service.redeem(session, world.actor(session, "cashier-yl01"), store_id=world.stores["YL01"].id,
                       member_code=resident.member_code, pin=PIN, points=3, ref_type="sale", ref_id="s",
                       now=NOW - timedelta(days=3))
    result = service.expire_due(session, JOB, now=NOW)
    assert (result.residents, result.lots, result.points) == (1, 2, 7 + 5)  # 7 left of the first lot, 5 of partly
    assert books(session, resident) == 7
    again = service.expire_due(session, JOB, now=NOW)
    assert (again.lots, again.points) == (0, 0)
    assert session.scalar(select(func.count()).select_from(PointsEntry).where(PointsEntry.kind == "expire")) == 2
    assert partly.id  # (the redeemed points came from the soonest lot: the one past its date first)


def test_only_the_federation_runs_expiry(session, world, resident):
    with pytest.raises(Forbidden):
        service.expire_due(session, world.actor(session, "manager-yl01"), now=NOW)


# --- property test ------------------------------------------------------------------------------------------

operations = st.lists(st.one_of(
    st.tuples(st.just("earn"), st.integers(1, 40), st.integers(-5, 60)),
    st.tuples(st.just("redeem"), st.integers(1, 60), st.just(0)),
    st.tuples(st.just("refund"), st.integers(1, 30), st.just(0)),
    st.tuples(st.just("reverse"), st.integers(0, 10), st.just(0)),
    st.tuples(st.just("expire"), st.integers(0, 40), st.just(0)),
), min_size=1, max_size=25)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
def test_random_operations_keep_the_books_and_reversals_restore_exactly(app, ops):
    from supermarket.extensions import db
    from supermarket.points import ledger
    from tests.factories import make_world

    session = db.session
    for table in reversed(db.metadata.sorted_tables):
        session.execute(table.delete())
    session.commit()
    world = make_world(session)
    make_table(session)
    resident = make_resident(session)
    cashier, store = world.actor(session, "cashier-yl01"), world.stores["YL01"].id
    now = NOW
    sales: list[str] = []

    def balance():
        cached, total, lots = service.resident_balance_check(session, resident.id)
        assert cached == total == lots >= 0
        return cached

    for i, (op, n, m) in enumerate(ops):
        now += timedelta(minutes=10)
        before = balance()
        try:
            if op == "earn":
                give_points(session, resident, n, expires_at=now + timedelta(days=m), now=now, key=f"e{i}")
                assert balance() == before + n
            elif op == "redeem":
                with unit_of_work(session):
                    service.redeem(session, cashier, store_id=store, member_code=resident.member_code, pin=PIN,
                                   points=n, ref_type="sale", ref_id=f"s{i}", now=now)
                sales.append(f"s{i}")
                assert balance() == before - n
            elif op == "refund" and sales:
                with unit_of_work(session):
                    service.refund_redemption(session, cashier, ref_type="sale", ref_id=sales[-1], points=n,
                                              now=now)
            elif op == "reverse" and sales:
                redemption = ledger.entry_by_key(session, f"redeem:sale:{sales[n % len(sales)]}")
                owed = sorted((lot_id, at, left) for lot_id, at, left in ledger.restorable(session, redemption))
                reversal = service.reverse_entry(session, JOB, redemption.id, reason="测试", now=now)
                # exactly what was still unrefunded comes back, into lots with the original expiry
                back = sorted(session.execute(select(PointsLot.origin_lot_id, PointsLot.expires_at, PointsLot.points)
                                              .where(PointsLot.entry_id == reversal.id)).all())
                assert [tuple(b) for b in back] == owed and reversal.points == sum(o[2] for o in owed)
            elif op == "expire":
                now += timedelta(days=n)
                service.expire_due(session, JOB, now=now)
        except (InsufficientBalance, NotReversible, RefundTooLarge):
            assert balance() == before  # a refused operation changes nothing
        balance()


def test_a_deduction_item_of_the_table_takes_its_points_with_its_name(session, world, resident):
    give_points(session, resident, 12)
    manager = world.actor(session, "manager-yl01")
    entry = adjust(session, manager, resident, None, deduction="uncivil", reason="乱扔垃圾")
    assert entry.points == -5 and entry.reason == "不文明行为：乱扔垃圾" and books(session, resident) == 7
    from supermarket.points.errors import UnknownActivity

    with pytest.raises(UnknownActivity):  # an earning item is no deduction
        adjust(session, manager, resident, None, deduction="recruit")
