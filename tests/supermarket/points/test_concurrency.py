"""Two stores redeeming the same resident's points at the same moment, on PostgreSQL with real threads."""

import pytest

from supermarket.points import credits, service
from supermarket.points.errors import InsufficientBalance
from supermarket.uow import unit_of_work
from tests.concurrency import run_at_once

from .factories import NOW, PIN, give_points, make_resident, make_table

pytestmark = pytest.mark.pg


def run_in_threads(app, n, work):
    """Each worker on a plain session of its own; exceptions come back as they are (the test inspects them)."""
    return run_at_once(app, n, work, errors=Exception, as_error=lambda e: e, own_session=True)

def test_twenty_parallel_redemptions_of_ten_against_fifty_exactly_five_succeed(app, session, world):
    make_table(session)
    resident = make_resident(session)
    give_points(session, resident, 50)
    actors = [world.actor(session, "cashier-yl01"), world.actor(session, "cashier-fr01")]
    stores = [world.stores["YL01"].id, world.stores["FR01"].id]
    code = resident.member_code

    def work(s, i):
        with unit_of_work(s):
            return service.redeem(s, actors[i % 2], store_id=stores[i % 2], member_code=code, pin=PIN,
                                  points=10, ref_type="sale", ref_id=f"sale-{i}", now=NOW).balance_after

    results = run_in_threads(app, 20, work)
    ok = [r for r in results if isinstance(r, int)]
    refused = [r for r in results if isinstance(r, InsufficientBalance)]
    assert len(ok) == 5 and len(refused) == 15, results
    assert sorted(ok) == [0, 10, 20, 30, 40]
    session.expire_all()
    assert service.resident_balance_check(session, resident.id) == (0, 0, 0)


def test_the_same_credit_posted_five_times_at_once_makes_one_entry(app, session, world):
    from datetime import timedelta

    from supermarket.auth.permissions import system_actor
    from sqlalchemy import func, select

    from supermarket.points.models import PointsCredit, PointsEntry

    make_table(session)
    resident = make_resident(session)
    claim = credits.Claim(member_code=resident.member_code, activity_code="community-service",
                          occurred_at=NOW - timedelta(hours=3), minutes=120)
    actor = system_actor("platform")

    def work(s, i):
        credit, created = credits.post_credit(s, actor, claim, idempotency_key="platform-42", now=NOW)
        return credit.id, created

    results = run_in_threads(app, 5, work)
    assert len({r[0] for r in results}) == 1, results
    assert sum(r[1] for r in results) == 1
    assert session.scalar(select(func.count()).select_from(PointsCredit)) == 1
    assert session.scalar(select(func.count()).select_from(PointsEntry)) == 1
    session.expire_all()
    assert service.resident_balance_check(session, resident.id) == (2, 2, 2)
