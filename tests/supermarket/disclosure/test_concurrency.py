"""Two tablets closing or correcting the same month at once (PostgreSQL, real threads)."""
import pytest

from supermarket.disclosure import service
from supermarket.disclosure.models import Disclosure
from tests.concurrency import run_at_once
from .factories import AFTER, LATE, MONTH, close_stock, october

pytestmark = pytest.mark.pg


def test_two_closes_at_once_publish_one_version(app, session, world):
    october(session, world)
    close_stock(session, world)
    store_id = world.stores["YL01"].id
    manager = world.actor(session, "manager-yl01")  # built before the threads: the world's rows are this session's

    def close(s, i):
        return service.close_month(s, manager, store_id, MONTH, now=AFTER).version

    results = run_at_once(app, 2, close)
    assert sorted(map(str, results)) == ["1", "disclosure.already_closed"]
    assert session.query(Disclosure).count() == 1


def test_two_corrections_at_once_make_one_new_version(app, session, world):
    october(session, world)
    close_stock(session, world)
    v1 = service.close_month(session, world.actor(session, "manager-yl01"), world.stores["YL01"].id, MONTH,
                             now=AFTER)
    v1_id = v1.id
    manager = world.actor(session, "manager-yl01")
    session.commit()

    def correct(s, i):
        return service.correct(s, manager, v1_id, f"原因{i}", now=LATE).version

    results = run_at_once(app, 2, correct)
    assert sorted(map(str, results)) == ["2", "disclosure.not_reviewable"]
    assert sorted(d.version for d in session.query(Disclosure)) == [1, 2]
