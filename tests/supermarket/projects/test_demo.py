"""The demo: projects with raised and spent, one reconciled session, one with an unexplained difference."""
from __future__ import annotations

from tests.demo_cache import demo_world
from supermarket.projects import metrics, service
from supermarket.projects.models import LiveSession
from supermarket.sales.models import Sale
from supermarket.auth.permissions import system_actor
from supermarket.models import utcnow
from datetime import timedelta


def test_the_demo_projects_and_sessions(app, session):
    ctx = demo_world()
    ids = ctx.extra["projects"]
    f = service.figures(session, [ids["winter_clothes"], ids["elderly_lunch"]])
    clothes, lunch = f[ids["winter_clothes"]], f[ids["elderly_lunch"]]
    assert clothes.raised_fen > clothes.spent_fen == 68000 and lunch.raised_fen > 0
    actor = system_actor()
    done = service.reconciliation(session, actor, ids["reconciled_session"])
    assert done.balanced and done.session.status == "closed" and done.session.published_at is not None
    open_one = service.reconciliation(session, actor, ids["unexplained_session"])
    assert open_one.session.status == "registered" and not open_one.balanced and not open_one.session.explanation
    project = service.get_project(session, actor, ids["winter_clothes"])
    assert service.months_missing(session, project, now=utcnow())  # this month's update is missing
    now = utcnow()
    active = metrics.active_livestream(session, now - timedelta(days=90), now)
    assert ctx.stores["YL01"].id in active and ctx.stores["FR01"].id not in active
    assert session.query(LiveSession).count() == 2
    # Change for charity: one sale at YL01 gave its change to the winter-clothes project, on its ledger.
    gift = session.get(Sale, ids["change_donated_sale"]).donation
    assert gift.project_id == ids["winter_clothes"] and 0 < gift.amount_fen < 100
    assert ("till_donation", gift.amount_fen) in [(r.kind, r.amount_fen)
                                                  for r in service.ledger(session, ids["winter_clothes"])]
