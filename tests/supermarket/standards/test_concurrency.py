"""Two refreshes (and two checks) at once on PostgreSQL: no error, the same facts as one run."""
from __future__ import annotations

from sqlalchemy import select

import pytest

from supermarket.standards import facts, service
from supermarket.standards.models import DailyFact, ScoreSnapshot
from tests.concurrency import run_at_once
from tests.supermarket.standards.fixture import AS_OF, build

pytestmark = pytest.mark.pg


def _facts(session):
    session.expire_all()
    return sorted(tuple(map(str, r)) for r in session.execute(select(DailyFact.__table__)))


def test_two_refreshes_at_once(app, session, world):
    build(session, world)
    session.commit()
    results = run_at_once(app, 2, lambda s, i: facts.refresh(s, through=AS_OF))
    assert all(isinstance(r, int) and r > 0 for r in results), results
    together = _facts(session)
    facts.refresh(session, through=AS_OF)
    assert _facts(session) == together and together


def test_two_checks_at_once(app, session, world):
    build(session, world)
    session.commit()
    admin = world.actor(session, "admin")
    results = run_at_once(app, 2, lambda s, i: [x.total for x in service.check(s, admin, as_of=AS_OF)])
    assert results[0] == results[1] == [15.0, 46.32, 15.0], results  # FR01, YL01 (the fixture), YL02
    session.expire_all()
    assert session.query(ScoreSnapshot).count() == 3
