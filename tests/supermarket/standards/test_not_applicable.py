"""N/A: the weight is spread over the other rules of the category (hand-computed); a reason is required; an
N/A never passes a gate; red lines and stars."""
from __future__ import annotations

import pytest

from supermarket.errors import Forbidden
from supermarket.standards import service
from supermarket.standards.errors import LastApplicableRule, ReasonRequired, UnknownRule, UnknownStore
from supermarket.standards.models import NotApplicable
from supermarket.standards.results import CategoryScore, RedLineHit, RuleScore
from supermarket.standards.scoring import stars_of
from tests.supermarket.standards.fixture import AS_OF, build


def test_na_weight_is_spread_over_the_category(session, world):
    build(session, world)
    auditor = world.actor(session, "auditor-yl")
    service.mark_not_applicable(session, auditor, "YL01", "D-03", reason="本店不接收现金捐赠")
    card = service.check(session, auditor, store_code="YL01", as_of=AS_OF)[0]
    rules = {r.id: r for r in card.rules}
    # D (18) without D-03 (3): the others' 15 scale by 18/15 = 1.2.
    assert (rules["D-03"].grade, rules["D-03"].weight, rules["D-03"].points) == ("N/A", 0.0, 0.0)
    assert rules["D-03"].note.startswith("不适用：本店不接收现金捐赠（auditor-yl ")
    assert {k: (rules[k].weight, rules[k].points) for k in ("D-01", "D-02", "D-04", "D-05", "D-06")} == {
        "D-01": (4.8, 4.8), "D-02": (3.6, 3.6), "D-04": (4.8, 1.584), "D-05": (2.4, 2.4), "D-06": (2.4, 2.4)}
    assert card.categories["D"].points == 14.784 and card.categories["D"].max_points == 18
    assert card.total == 48.78  # 46.32 − 12.32 + 14.784
    assert service.not_applicable_list(session, auditor, "YL01")[0][:3] == ("D-03", "本店不接收现金捐赠",
                                                                           "auditor-yl")


def test_an_na_rule_never_passes_a_gate(session, world):
    build(session, world)
    admin = world.actor(session, "admin")
    service.mark_not_applicable(session, admin, "YL01", "D-04", reason="新店尚未满一个月")
    card = service.check(session, admin, store_code="YL01", as_of=AS_OF)[0]
    # D without D-04 (4): 14 → 18, the A rules scale by 18/14.
    assert card.total == 48.14
    assert "D-04 需达到 C" in card.next_star.missing


def test_bad_na_requests_write_nothing(session, world):
    auditor = world.actor(session, "auditor-yl")
    with pytest.raises(ReasonRequired) as e:
        service.mark_not_applicable(session, auditor, "YL01", "D-03", reason="  ")
    assert e.value.extra["fields"] == {"reason": ["请写明不适用的理由"]}
    with pytest.raises(UnknownRule):
        service.mark_not_applicable(session, auditor, "YL01", "X-01", reason="理由")
    with pytest.raises(UnknownStore):
        service.mark_not_applicable(session, auditor, "FR01", "D-03", reason="理由")  # another district
    with pytest.raises(UnknownStore):
        service.mark_not_applicable(session, auditor, "NOPE", "D-03", reason="理由")
    with pytest.raises(Forbidden):
        service.mark_not_applicable(session, world.actor(session, "manager-yl01"), "YL01", "D-03", reason="理由")
    service.mark_not_applicable(session, auditor, "YL01", "P-01", reason="理由")
    with pytest.raises(LastApplicableRule):
        service.mark_not_applicable(session, auditor, "YL01", "P-02", reason="理由")
    assert session.query(NotApplicable).count() == 1
    service.clear_not_applicable(session, auditor, "YL01", "P-01")
    assert session.query(NotApplicable).count() == 0


def _perfect(doc):
    rules = {r.id: RuleScore(r.id, r.category, r.name_zh, r.kind, r.weight, "A", r.weight, 1.0, 1, 1, "", 0)
             for r in doc.rules}
    cats = {c.code: CategoryScore(c.code, c.name_zh, c.weight, c.weight, 1.0) for c in doc.categories}
    return rules, cats


@pytest.mark.parametrize("hits, stars", [
    ([], 3),                                                 # 4 and 5 stars need the on-site check
    ([RedLineHit("RL-1", "过期食品", "cap", "")], 1),         # no star above 1
    ([RedLineHit("RL-5", "签收率", "downgrade", "")], 2),     # one star down
    ([RedLineHit("RL-2", "挪用", "unrated", "")], 0),         # not rated
])
def test_red_lines_cap_the_star(session, hits, stars):
    doc = service.current_standard(session)
    rules, cats = _perfect(doc)
    got, next_star = stars_of(doc, 95.0, cats, {f: True for f in ("publicity", "projects", "donations",
                                                                    "livestream", "distribution", "volunteering",
                                                                    "convenience")}, rules, hits)
    assert got == stars
    assert next_star.stars == stars + 1
    for h in hits:
        assert f"需消除红线 {h.id}" in next_star.missing
    if not hits:
        assert next_star.missing == ["需通过现场核查"]
