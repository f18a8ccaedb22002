"""Two people answering one complaint, and a double tap logging one service, at the same moment (PostgreSQL,
real threads)."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from supermarket.outreach import service
from supermarket.outreach.models import ServiceLog
from tests.concurrency import run_at_once

from .helpers import NOW

pytestmark = pytest.mark.pg


def test_a_complaint_answered_by_three_at_once_keeps_one_answer(app, session, world):
    c = service.record_complaint(session, world.actor(session, "cashier-yl01"), channel="phone", category="goods",
                                 text="并发", now=NOW)
    actors = [world.actor(session, u) for u in ("manager-yl01", "auditor-yl", "admin")]
    complaint_id = c.id

    def work(s, i):
        return service.answer_complaint(s, actors[i], complaint_id, f"答复{i}", now=NOW).answer

    results = run_at_once(app, 3, work)
    assert len([r for r in results if r.startswith("答复")]) == 1, results
    assert results.count("outreach.already_answered") == 2, results
    session.expire_all()
    assert service.get_complaint(session, actors[0], complaint_id).answer in {"答复0", "答复1", "答复2"}


def test_a_double_tap_logs_one_service(app, session, world):
    kind = service.add_service_type(session, world.actor(session, "manager-yl01"), "代缴费", now=NOW)
    cashier = world.actor(session, "cashier-yl01")
    key, type_id = uuid.uuid4(), kind.id

    def work(s, i):
        return service.log_service(s, cashier, type_id, idempotency_key=key, now=NOW).id

    results = run_at_once(app, 4, work)
    assert len(set(results)) == 1 and isinstance(results[0], uuid.UUID), results
    assert session.scalar(select(func.count()).select_from(ServiceLog)) == 1
