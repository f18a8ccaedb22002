"""The demo's outreach data makes the stores differ for visible reasons."""
from __future__ import annotations

from datetime import timedelta

from supermarket.auth.permissions import system_actor
from tests.demo_cache import demo_world
from supermarket.models import utcnow
from supermarket.outreach import complaints, metrics


def test_demo_outreach_differs_by_store(app, session):
    ctx = demo_world()
    now = utcnow()
    start = now - timedelta(days=90)
    ids = {code: s.id for code, s in ctx.stores.items()}
    assert metrics.active_publicity(session, None, start, now) == {ids["YL01"], ids["FR01"]}
    assert metrics.active_convenience(session, None, start, now) == {ids["YL01"], ids["YL02"]}
    overdue = complaints.overdue(session, system_actor(), now=now)
    assert [c.reference for c in overdue] == [ctx.extra["outreach_overdue_reference"]]
    status = complaints.public_status(session, ctx.extra["outreach_answered_reference"], now=now)
    assert status.answered_at is not None
    c02 = metrics.c02(session, None, start, now)
    assert c02[ids["YL01"]][1] == 7 and c02[ids["FR01"]][1] == 0
    assert metrics.c05(session, None, start, now)[ids["YL01"]][0] == 1.0
