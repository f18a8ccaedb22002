"""`flask rating review-due`: two quarters below the band propose a downgrade, one dip does not; RL-2 revokes
(re-application after 24 months), RL-4 suspends until closed; running twice changes nothing more."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timezone

from sqlalchemy import func, select

from supermarket.rating import review, service
from supermarket.rating.models import Assessment, Decision, Proposal
from supermarket.audit.models import AuditEvent
from tests.supermarket.rating.helpers import rated_store

NOW = datetime(2026, 12, 5, 2, 0, tzinfo=timezone.utc)
DECIDED = datetime(2026, 1, 10, 2, 0, tzinfo=timezone.utc)


def _count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def test_two_quarters_below_propose_a_downgrade_one_dip_does_not(session, world, runner, monkeypatch):
    low = rated_store(session, world, "YL01", 2, decided_at=DECIDED, valid_from=date(2026, 1, 10))
    dip = rated_store(session, world, "YL02", 2, decided_at=DECIDED, valid_from=date(2026, 1, 10))
    real = review.quarter_score

    def scored(session, d, quarter_end):
        ev = real(session, d, quarter_end)
        # YL02 was well within its band in the earlier quarter: one dip only.
        return replace(ev, total=95.0) if d.id == dip.id and quarter_end == date(2026, 6, 30) else ev
    monkeypatch.setattr(review, "quarter_score", scored)

    assert review.last_quarters(date(2026, 12, 5)) == [date(2026, 6, 30), date(2026, 9, 30)]
    counts = review.review_due(session, NOW)
    rows = session.scalars(select(Proposal).where(Proposal.kind == "downgrade")).all()
    assert [p.decision_id for p in rows] == [low.id] and counts["proposed"] == 1
    assert "连续两个季度" in rows[0].reason
    events = _count(session, AuditEvent)

    rows_before = _count(session, Proposal)
    again = review.review_due(session, NOW)
    assert again["proposed"] == 0 and _count(session, Proposal) == rows_before
    assert _count(session, AuditEvent) == events
    result = runner.invoke(args=["rating", "review-due", "--now", NOW.isoformat()])
    assert result.exit_code == 0 and "降级建议 0" in result.output
    assert _count(session, Proposal) == rows_before

    # The district confirms: a new decision one star lower replaces the old.
    auditor = world.actor(session, "auditor-yl")
    new = review.confirm_downgrade(session, auditor, rows[0].id, now=NOW)
    assert new.stars == 1 and session.get(Decision, low.id).status == "downgraded"
    assert world.stores["YL01"].star_level == 1
    other = world.actor(session, "auditor-fr")
    import pytest
    from supermarket.errors import NotFound
    with pytest.raises(NotFound):
        review.confirm_downgrade(session, other, rows[0].id, now=NOW)


def test_rl2_revokes_and_blocks_reapplying_rl4_suspends_until_closed(session, world, monkeypatch):
    from supermarket.rating import findings
    from supermarket.rating.errors import TooSoon
    import pytest

    monkeypatch.setattr(review, "_quarters", lambda *a, **k: 0)
    rated_store(session, world, "YL01", 3, decided_at=DECIDED, valid_from=date(2026, 1, 10))
    rated_store(session, world, "YL02", 2, decided_at=DECIDED, valid_from=date(2026, 1, 10))
    auditor = world.actor(session, "auditor-yl")
    findings.record(session, auditor, store="YL01", rule="F-01", severity="critical", red_line="RL-2",
                    description="截留义卖款 3200 元未入账", due_on=date(2026, 12, 31), now=NOW)
    f4 = findings.record(session, auditor, store="YL02", rule="F-05", severity="major", red_line="RL-4",
                         description="市场监管部门立案调查", due_on=date(2026, 12, 31), now=NOW)
    counts = review.review_due(session, NOW)
    assert (counts["revoked"], counts["suspended"]) == (1, 1)
    d1 = session.scalar(select(Decision).where(Decision.store_id == world.stores["YL01"].id))
    assert d1.status == "revoked" and d1.reapply_after == date(2028, 12, 5)
    assert world.stores["YL01"].star_level is None and world.stores["YL02"].star_level is None
    assert review.review_due(session, NOW) == {k: 0 for k in counts}

    service.open_round(session, auditor, name="2027 年评定", deadline=date(2027, 3, 1), now=NOW)
    a = session.scalar(select(Assessment).where(Assessment.store_id == world.stores["YL01"].id,
                                                Assessment.status == "draft"))
    with pytest.raises(TooSoon) as e:
        service.submit(session, world.actor(session, "manager-yl01"), a.id, stars_applied=1, now=NOW)
    assert "2028-12-05 起方可再次申请" in e.value.message

    findings.close(session, auditor, f4.id, now=NOW)
    assert review.review_due(session, NOW)["reinstated"] == 1
    assert world.stores["YL02"].star_level == 2
