"""The rating demo (issue 12, item 10): a valid star with its certificate, a submission waiting for review, a
draft, an overdue finding, an answered objection."""
from __future__ import annotations

from sqlalchemy import select

from supermarket.auth.permissions import system_actor
from supermarket.clock import local_today, utcnow
from supermarket.demo import load_demo
from supermarket.rating import decisions, findings, onsite, service
from supermarket.rating.models import Objection


def test_the_rating_demo(app, session, client, login):
    load_demo()
    admin = system_actor()
    by_store = {st.code: a for a, st in service.list_assessments(session, admin)}
    assert by_store["YL01"].status == "draft" and by_store["FR01"].status == "submitted"
    assert by_store["YL02"].status == "decided"
    # TX03 waits for its scheduled on-site check, which its manager sees.
    assert by_store["TX03"].status == "onsite" and by_store["TX03"].stars_applied == 4
    visit = onsite.visit_of(session, by_store["TX03"].id)
    assert visit.inspectors == ["auditor-tx", "auditor-tx-2"] and visit.scheduled_on > local_today(utcnow())
    d = decisions.current_decision(session, by_store["YL02"].store_id)
    assert decisions.holds_star(d, local_today(utcnow())) and d.stars >= 1
    assert [o.answered_at is not None for o in session.scalars(select(Objection))] == [True]
    overdue = findings.listing(session, admin, overdue=True)
    assert [code for _f, code in overdue] == ["TX02"]
    login("manager-tx03")
    assert "auditor-tx-2" in client.get("/rating/stores/TX03").get_data(as_text=True)
    login("manager-yl02")
    r = client.get("/api/v1/stores/YL02/certificate.pdf")
    assert r.status_code == 200 and r.data.startswith(b"%PDF-")
