"""The rating's findings in the central check (wiring.STANDARD_FINDINGS), on the hand-computed YL01 fixture: an
overdue finding on a rule drops it one grade while it is open, closing it restores the points; a confirmed RL-2
finding hits the red line and leaves the store unrated; one query for all the stores."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event as sa_event

from supermarket.rating.models import Finding
from supermarket.standards import service, standard
from tests.supermarket.standards.fixture import AS_OF, EXPECTED_TOTAL, NOW, build


def _finding(session, world, *, rule="D-01", due_days=-3, status="open", red_line="", closed_days=None):
    row = Finding(store_id=world.stores["YL01"].id, rule_id=rule, red_line=red_line, severity="major",
                  description="入库登记不全", due_on=AS_OF + timedelta(days=due_days), status=status,
                  created_by="auditor-yl", created_at=NOW - timedelta(days=20),
                  closed_by="auditor-yl" if closed_days is not None else "",
                  closed_at=NOW + timedelta(days=closed_days) if closed_days is not None else None)
    session.add(row)
    session.commit()
    return row


def _card(session, world):
    return service.check(session, world.actor(session, "auditor-yl"), store_code="YL01", as_of=AS_OF)[0]


def test_an_overdue_finding_drops_its_rule_one_grade_until_closed(session, world):
    build(session, world)
    row = _finding(session, world, rule="D-01")
    _finding(session, world, rule="D-01", due_days=-1)  # a second one on the same rule: still one grade
    _finding(session, world, rule="D-04", due_days=0)   # due today: not overdue yet
    card = _card(session, world)
    rules = {r.id: r for r in card.rules}
    # D-01 weight 4: A 4.0 → B 4 × 0.66 = 2.64.
    assert (rules["D-01"].grade, rules["D-01"].points) == ("B", 2.64)
    assert rules["D-01"].note.startswith("整改逾期，降一档")
    assert (rules["D-04"].grade, rules["D-04"].points) == ("C", 1.32)
    assert card.total == round(EXPECTED_TOTAL - 1.36, 2)
    assert card.categories["D"].points == 10.96
    for f in session.query(Finding).filter(Finding.rule_id == "D-01"):
        f.status, f.closed_by, f.closed_at = "closed", "auditor-yl", NOW
    session.commit()
    card = _card(session, world)
    assert ({r.id: r for r in card.rules}["D-01"].grade, card.total) == ("A", EXPECTED_TOTAL)
    assert row.status == "closed"


def test_an_overdue_finding_on_a_d_rule_stays_d_and_an_answered_one_still_counts(session, world):
    build(session, world)
    _finding(session, world, rule="D-03")
    _finding(session, world, rule="D-02", status="answered")
    rules = {r.id: r for r in _card(session, world).rules}
    assert (rules["D-03"].grade, rules["D-03"].points) == ("D", 0.0)
    assert (rules["D-02"].grade, rules["D-02"].points) == ("B", 1.98)  # 3 × 0.66


def test_a_confirmed_rl2_finding_hits_the_red_line_and_leaves_the_store_unrated(session, world):
    build(session, world)
    _finding(session, world, rule="F-01", red_line="RL-2", due_days=5, status="answered")
    card = _card(session, world)
    assert "RL-2" not in [h.id for h in card.red_lines]  # not confirmed yet
    for f in session.query(Finding):
        f.status, f.closed_by, f.closed_at = "closed", "auditor-yl", NOW - timedelta(days=1)
    session.commit()
    card = _card(session, world)
    hit = next(h for h in card.red_lines if h.id == "RL-2")
    assert (hit.effect, hit.detail) == ("unrated", "评分期内经确认的整改问题")
    assert card.stars == 0
    assert "需消除红线 RL-2" in card.next_star.missing
    # Another store's finding does not count here, and YL02 is not touched.
    other = service.check(session, world.actor(session, "auditor-yl"), store_code="YL02", as_of=AS_OF)[0]
    assert "RL-2" not in [h.id for h in other.red_lines]


def test_a_confirmed_rl2_finding_outside_the_window_does_not_count(session, world):
    build(session, world)
    _finding(session, world, rule="F-01", red_line="RL-2", status="closed", closed_days=-200)
    assert "RL-2" not in [h.id for h in _card(session, world).red_lines]


class Counter:
    n = 0

    def hit(self, *args, **kw):
        self.n += 1


def test_the_findings_cost_the_same_statements_for_one_store_and_for_all(session, world):
    _finding(session, world, rule="D-01")
    _finding(session, world, rule="F-01", red_line="RL-2", status="closed", closed_days=-1)
    doc = standard.in_force(session, AS_OF)
    admin = world.actor(session, "admin")
    counts = []
    for store_id in (world.stores["YL01"].id, None):
        scope = service._scope(admin, store_id=store_id)
        stores = service._stores(session, scope)
        statements = Counter()
        bind = session.get_bind()
        sa_event.listen(bind, "before_cursor_execute", statements.hit)
        try:
            scores = service._compute(session, doc, scope, stores, AS_OF)
        finally:
            sa_event.remove(bind, "before_cursor_execute", statements.hit)
        counts.append((len(stores), statements.n))
        assert "RL-2" in [h.id for h in next(x for x in scores if x.store_code == "YL01").red_lines]
    assert counts[0][0] == 1 and counts[1][0] == 3
    assert counts[0][1] == counts[1][1] > 0, counts
