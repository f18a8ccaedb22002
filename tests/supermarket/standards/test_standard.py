"""The standard as data: the default file, draft validation with per-field Chinese errors (nothing written),
publishing as a new immutable version, and old scores keeping their version."""
from __future__ import annotations

import pytest

from supermarket.errors import Forbidden
from supermarket.standards import service, standard
from supermarket.standards.errors import StandardInvalid
from supermarket.standards.models import ScoreSnapshot, StandardVersion
from tests.supermarket.standards.fixture import AS_OF, EXPECTED_TOTAL, build


def test_the_default_file_is_the_research_standard(session):
    doc = service.current_standard(session)
    assert doc.version == 1 and len(doc.rules) == 37 and doc.window_days == 90
    assert sum(c.weight for c in doc.categories) == 100
    for c in doc.categories:
        assert sum(r.weight for r in doc.rules if r.category == c.code) == c.weight
    assert [x.id for x in doc.red_lines] == ["RL-1", "RL-2", "RL-3", "RL-4", "RL-5"]
    assert [(b.stars, b.min_total) for b in doc.stars] == [(5, 90), (4, 80), (3, 70), (2, 60), (1, 50)]
    assert doc.grade_levels == {"A": 1.0, "B": 0.66, "C": 0.33, "D": 0.0}


def _draft_body(session):
    return session.query(StandardVersion).filter_by(status="draft").one().body


@pytest.mark.parametrize("change, path, message", [
    ({"rules": [{"id": "D-01", "weight": 5}]}, "categories.D.weight", "类别 D 的规则权重之和（19）须等于类别权重（18）"),
    ({"categories": [{"code": "D", "weight": 19}]}, "categories", "各类别权重之和须为 100（现为 101）"),
    ({"rules": [{"id": "D-02", "thresholds": {"A": 0.9, "B": 0.95, "C": 0.8, "direction": "min"}}]},
     "rules.D-02.thresholds", "阈值须按 A ≥ B ≥ C 排列"),
    ({"rules": [{"id": "Z-99", "category": "D", "weight": 0, "kind": "self", "name_zh": "新规则"}]},
     "rules.Z-99.id", "未知的规则：Z-99"),
    ({"rules": [{"id": "D-02", "metric": "no_such_metric"}]}, "rules.D-02.metric", "自动规则须对应已知的指标"),
    ({"stars": [{"stars": 2, "min_total": 75}]}, "stars", "星级越高，最低总分不能越低"),
])
def test_a_bad_draft_is_refused_field_by_field_and_nothing_is_written(session, world, change, path, message):
    admin = world.actor(session, "admin")
    service.get_draft(session, admin)
    before = _draft_body(session)
    with pytest.raises(StandardInvalid) as e:
        service.update_draft(session, admin, change)
    assert message in e.value.extra["fields"][path]
    session.rollback()
    assert _draft_body(session) == before


def test_only_the_federation_edits_the_standard(session, world):
    with pytest.raises(Forbidden):
        service.get_draft(session, world.actor(session, "auditor-yl"))


def test_an_invalid_file_loads_nothing(session, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(standard.DEFAULT_FILE.read_text(encoding="utf-8").replace("weight: 12}", "weight: 13}", 1),
                   encoding="utf-8")
    with pytest.raises(StandardInvalid) as e:
        standard.load_file(session, bad)
    assert "各类别权重之和须为 100（现为 101）" in e.value.extra["fields"]["categories"]
    assert session.query(StandardVersion).count() == 0


def test_publishing_a_new_weight_changes_new_scores_and_leaves_old_ones(session, world):
    build(session, world)
    admin = world.actor(session, "admin")
    first = service.check(session, admin, store_code="YL01", as_of=AS_OF)[0]
    assert (first.standard_version, first.total) == (1, EXPECTED_TOTAL)

    service.get_draft(session, admin)
    # D-01 (graded A) gains a point, D-03 (graded D) loses one: D goes from 12.32 to 13.32.
    service.update_draft(session, admin, {"rules": [{"id": "D-01", "weight": 5}, {"id": "D-03", "weight": 2}]})
    published = service.publish_draft(session, admin, effective_from=AS_OF)
    assert published.version == 2
    second = service.check(session, admin, store_code="YL01", as_of=AS_OF)[0]
    assert (second.standard_version, second.total) == (2, EXPECTED_TOTAL + 1)

    rows = {r.version: r.total for r in session.query(ScoreSnapshot).all()}
    assert rows == {1: EXPECTED_TOTAL, 2: EXPECTED_TOTAL + 1}
    v1 = session.query(StandardVersion).filter_by(version=1).one()
    assert next(r for r in v1.body["rules"] if r["id"] == "D-01")["weight"] == 4


def test_a_published_version_is_never_edited(session, world):
    admin = world.actor(session, "admin")
    service.get_draft(session, admin)
    service.publish_draft(session, admin)
    draft = service.get_draft(session, admin)  # a new draft; version 2 stays as published
    assert draft.version is None and draft.status == "draft"
    assert session.query(StandardVersion).filter_by(status="published").count() == 2
