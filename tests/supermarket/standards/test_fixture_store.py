"""A fixture store with hand-made records gets exactly the hand-computed value and grade of every auto rule,
the hand-computed total and star (SQLite and PostgreSQL alike)."""
from __future__ import annotations

import pytest

from supermarket.standards import service
from supermarket.standards.models import ScoreSnapshot
from tests.supermarket.standards.fixture import AS_OF, EXPECTED, EXPECTED_TOTAL, build


@pytest.fixture
def scored(session, world):
    build(session, world)
    return service.check(session, world.actor(session, "admin"), store_code="YL01", as_of=AS_OF)[0]


def test_every_auto_rule_gets_the_hand_computed_value_and_grade(scored):
    got = {r.id: (r.grade, r.points, r.value) for r in scored.rules if r.kind == "auto"}
    assert got == EXPECTED


def test_total_star_and_next_star(scored):
    assert scored.total == EXPECTED_TOTAL
    assert scored.stars == 0
    assert scored.next_star.stars == 1
    assert scored.next_star.missing == ["差 3.68 分"]
    assert scored.functions == {"publicity": False, "projects": False, "donations": True, "livestream": False,
                                "distribution": True, "volunteering": False, "convenience": False}
    assert scored.red_lines == []
    assert scored.categories["D"].points == 12.32 and scored.categories["D"].max_points == 18


def test_self_and_audit_rules_wait_for_assessment(scored):
    pending = {r.id: (r.grade, r.points, r.note) for r in scored.rules if r.kind != "auto"}
    assert pending == {"C-01": (None, 0.0, "待自评"), "C-02": (None, 0.0, "待自评"), "C-05": (None, 0.0, "待自评"),
                       "P-01": (None, 0.0, "待现场核查")}


def test_the_score_is_stored_with_its_version(session, scored):
    row = session.query(ScoreSnapshot).one()
    assert (row.version, row.as_of, row.total, row.stars) == (1, AS_OF, EXPECTED_TOTAL, 0)


def test_exceptions_point_at_the_documents(session, world, scored):
    auditor = world.actor(session, "auditor-yl")
    shifts = service.rule_exceptions(session, auditor, "YL01", "F-02", as_of=AS_OF)
    assert [(r.endpoint, "现金差异 ¥100.00" in r.detail) for r in shifts] == [("sales.shift_detail", True)]
    over = service.rule_exceptions(session, auditor, "YL01", "A-03", as_of=AS_OF)
    assert [r.endpoint for r in over] == ["aid.distribution"]
    gaps = service.rule_exceptions(session, auditor, "YL01", "D-04", as_of=AS_OF)
    assert [r.label for r in gaps] == ["缺少盘点", "缺少盘点"]
    receipts = service.rule_exceptions(session, auditor, "YL01", "D-03", as_of=AS_OF)
    assert [r.endpoint for r in receipts] == ["intake.donation"]
