"""From metric values to grades, points, categories, red lines, functions, stars and the next star's gaps.

Points: a rule graded G earns weight × grade_levels[G] (A 1, B 0.66, C 0.33, D 0). Self and audit rules not
assessed yet earn 0 (grade None). Totals are rounded to 2 decimals.

N/A redistribution (documented in the README): in category c with weight W_c, let N be the rules marked N/A for
the store and S = Σ w_i over the other rules of c. Each other rule's weight becomes w_i × W_c / S, so the
category keeps its full weight and the rules keep their proportions; the N/A rule has weight 0, grade 'N/A'.
(The last applicable rule of a category cannot be marked N/A, so S > 0 whenever W_c > 0.) An N/A rule never
passes a red line or a gate: red lines read the ledgers whatever the N/A, and a gate that names an N/A rule
fails.

Findings (整改, the rating's, read through wiring.STANDARD_FINDINGS): while a finding on a rule is open past its
due date, the rule's grade drops one step (A→B, B→C, C→D; several overdue findings on one rule still drop it one
step) and its points follow the grade; closing (or answering and getting closed) restores it. Rules not graded
(self/audit not assessed, N/A) are not touched. A finding naming red line RL-2 or RL-4, once the auditor closes
it (confirmed) within the window, hits that red line with the standard's effect (RL-2 and RL-4: not rated).

The rating (read through wiring.STANDARD_RATING): the store's current round (the latest it is part of) grades
the `self` rules once the district accepted the self-assessment (its overrides on top), and the `audit` rules
from the round's signed on-site check; that check, when it passed, also passes a band's on-site gate. Until
then those rules earn 0 and the 4- and 5-star bands stay out of reach. A new round starts the store afresh.
"""
from __future__ import annotations

from dataclasses import replace

from flask_babel import gettext as _

from .metrics import METRICS, Value
from .results import (FUNCTION_LABELS, FUNCTIONS, CategoryScore, NextStar, RedLineHit, RuleDef, RuleScore,
                      StandardDoc, StarBand)

PASSING = ("A", "B", "C")


def grade_of(value: float, thresholds: dict) -> str:
    direction = thresholds.get("direction", "min")
    for g in ("A", "B", "C"):
        limit = float(thresholds[g])
        if (value >= limit - 1e-9) if direction == "min" else (value <= limit + 1e-9):
            return g
    return "D"


def grade_value(v: Value, thresholds: dict) -> str:
    """The worst grade of the value and of every `also` condition."""
    grades = [grade_of(v.value, thresholds)]
    for name, sub in (thresholds.get("also") or {}).items():
        if name in v.also:
            grades.append(grade_of(float(v.also[name]), sub))
    return max(grades)  # 'A' < 'B' < 'C' < 'D'


def effective_weights(doc: StandardDoc, na: set[str]) -> dict[str, float]:
    weights: dict[str, float] = {}
    for c in doc.categories:
        rules = [r for r in doc.rules if r.category == c.code]
        applicable = sum(r.weight for r in rules if r.id not in na)
        factor = c.weight / applicable if applicable else 0.0
        for r in rules:
            weights[r.id] = 0.0 if r.id in na else r.weight * factor
    return weights


def rule_score(doc: StandardDoc, rule: RuleDef, weight: float, values: dict, store_id, na_note: str | None):
    if na_note is not None:
        return RuleScore(rule.id, rule.category, rule.name_zh, rule.kind, 0.0, "N/A", 0.0, None, None, None,
                         na_note, 0)
    if rule.kind != "auto":
        note = _("待自评") if rule.kind == "self" else _("待现场核查")
        return RuleScore(rule.id, rule.category, rule.name_zh, rule.kind, round(weight, 4), None, 0.0, None, None,
                         None, note, 0)
    metric = METRICS.get(rule.metric)
    v = values.get(rule.metric, {}).get(store_id)
    if v is None and metric is not None and metric.empty_ok and metric.compute is not None:
        # Nothing recorded = nothing wrong: the best value in the rule's direction.
        best = 0.0 if rule.thresholds.get("direction") == "max" else 1.0
        v = Value(best, 0, None, _("评分期内无相关记录"))
    if v is None or v.value is None:
        return RuleScore(rule.id, rule.category, rule.name_zh, rule.kind, round(weight, 4), "D", 0.0, None, None,
                         None, _("无记录"), 0)
    grade = grade_value(v, rule.thresholds)
    points = round(weight * float(doc.grade_levels.get(grade, 0)), 4)
    return RuleScore(rule.id, rule.category, rule.name_zh, rule.kind, round(weight, 4), grade, points,
                     round(v.value, 4), v.numerator, v.denominator, v.note, v.exceptions)


def rated(doc: StandardDoc, score: RuleScore, grade: str | None, note: str) -> RuleScore:
    """A self or audit rule graded by the rating (the district's review, the on-site check); N/A stays N/A."""
    if grade not in ("A", "B", "C", "D") or score.grade == "N/A":
        return score
    return replace(score, grade=grade, points=round(score.weight * float(doc.grade_levels.get(grade, 0)), 4),
                   note=note)


def overdue_drop(doc: StandardDoc, score: RuleScore) -> RuleScore:
    """The rule's score while a finding on it is overdue: one grade lower (see the module's docstring)."""
    if score.grade not in ("A", "B", "C", "D"):
        return score
    grade = "BCDD"["ABCD".index(score.grade)]
    points = round(score.weight * float(doc.grade_levels.get(grade, 0)), 4)
    note = _("整改逾期，降一档") + (f"；{score.note}" if score.note else "")
    return replace(score, grade=grade, points=points, note=note)


def functions_active(facts: dict, active: set[str] = frozenset()) -> dict[str, bool]:
    """§7.2 over the window: donations, distribution and volunteering from the store's daily facts; publicity,
    projects, livestream and convenience named in `active` (records.active_functions)."""
    return {
        "publicity": "publicity" in active, "projects": "projects" in active,
        "livestream": "livestream" in active, "convenience": "convenience" in active,
        "donations": bool(facts.get("donations")),
        "distribution": bool(facts.get("dists_signed")),
        "volunteering": bool(facts.get("credits_approved")) and bool(facts.get("redemptions")),
    }


def red_lines_hit(doc: StandardDoc, rules: dict[str, RuleScore], values: dict, store_id,
                  confirmed: set[str] = frozenset()) -> list[RedLineHit]:
    """RL-1 from the expired-outbound metric, RL-5 from the signature rate (both read whatever the N/A);
    RL-2/RL-4 from a confirmed finding (`confirmed`: the red lines of findings the auditor closed in the window);
    RL-3 needs the disclosure records, which are not kept yet."""
    hits = []
    expired = values.get("expired_outbound", {}).get(store_id)
    signed = values.get("signed_distributions", {}).get(store_id)
    for line in doc.red_lines:
        detail = None
        if line.id == "RL-1" and expired is not None and expired.value:
            detail = _("评分期内 %(n)d 笔过期食品出库", n=int(expired.value))
        elif line.id == "RL-5" and signed is not None and signed.value is not None and signed.value < 0.90:
            detail = _("发放签收率 %(pct)s%%，低于 90%%", pct=f"{signed.value * 100:.1f}")
        elif line.id in confirmed:
            detail = _("评分期内经确认的整改问题")
        if detail:
            hits.append(RedLineHit(line.id, line.name_zh, line.effect, detail))
    return hits


def band_gaps(band: StarBand, total: float, categories: dict[str, CategoryScore], functions: dict[str, bool],
              rules: dict[str, RuleScore], doc: StandardDoc, onsite: bool = False) -> list[str]:
    """What the store lacks for `band` (empty = every gate passes); `onsite`: a signed on-site check passed."""
    missing = []
    if total + 1e-9 < band.min_total:
        missing.append(_("差 %(points)s 分", points=f"{round(band.min_total - total, 2):g}"))
    if band.min_category_ratio is not None:
        for c in doc.categories:
            score = categories[c.code]
            if score.max_points > 0 and score.ratio + 1e-9 < band.min_category_ratio:
                missing.append(_("%(name)s 需达到 %(pct)s%%", name=c.name_zh,
                                 pct=f"{band.min_category_ratio * 100:g}"))
    inactive = [f for f in FUNCTIONS if not functions.get(f)]
    for f in band.required_functions:
        if not functions.get(f):
            missing.append(_("缺少 %(name)s 功能", name=FUNCTION_LABELS[f]))
    active = len(FUNCTIONS) - len(inactive)
    if band.min_functions is not None and active < band.min_functions:
        short = band.min_functions - active
        if band.min_functions >= len(FUNCTIONS):
            missing += [_("缺少 %(name)s 功能", name=FUNCTION_LABELS[f]) for f in inactive
                        if f not in band.required_functions]
        else:
            missing.append(_("还需 %(n)d 项功能活跃", n=short))
    for rid in band.rule_gates:
        r = rules.get(rid)
        if r is None or r.grade not in PASSING:
            missing.append(_("%(id)s 需达到 C", id=rid))
    if band.onsite and not onsite:
        missing.append(_("需通过现场核查"))
    return missing


def stars_of(doc: StandardDoc, total: float, categories, functions, rules, hits: list[RedLineHit],
             onsite: bool = False):
    """(stars, next_star): the highest band whose gates pass, then the red lines' effects."""
    stars = 0
    for band in doc.stars:  # highest first
        if not band_gaps(band, total, categories, functions, rules, doc, onsite):
            stars = band.stars
            break
    effects = {x.id: x for x in doc.red_lines}
    capped = stars
    for hit in hits:
        line = effects[hit.id]
        if line.effect == "unrated":
            capped = 0
        elif line.effect == "cap" and line.max_stars is not None:
            capped = min(capped, int(line.max_stars))
        elif line.effect == "downgrade":
            capped = max(capped - line.downgrade, 0)
    top = max((b.stars for b in doc.stars), default=0)
    next_star = None
    if capped < top:
        target = capped + 1
        band = next((b for b in doc.stars if b.stars == target), None)
        missing = band_gaps(band, total, categories, functions, rules, doc, onsite) if band else []
        missing += [_("需消除红线 %(id)s", id=h.id) for h in hits]
        next_star = NextStar(target, missing)
    return capped, next_star
