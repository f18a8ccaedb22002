"""The assessment's score: the auto rules as frozen at the first submission (the standards' own scoring, run
once for the store, then stored and never recomputed), the self rules from the store's answers, the audit rules
from the on-site check, and the district's overrides on top. Stars come from the standard's bands and gates
(scoring.stars_of); a band's on-site gate passes once a signed on-site check passed."""
from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import select

from ..clock import local_today
from ..standards import facts as facts_mod
from ..standards import service as std_service
from ..standards.results import CategoryScore, RedLineHit, RuleScore, StandardDoc
from ..standards.scoring import band_gaps, stars_of
from ..stores.models import Store


def freeze(session, store_id, doc: StandardDoc, now: datetime) -> dict:
    """The store's auto figures under `doc` as of now, as plain JSON (refreshing the daily facts first)."""
    as_of = local_today(now)
    facts_mod.refresh(session, through=as_of, since=as_of - timedelta(days=doc.window_days - 1), now=now)
    scope = select(Store.id).where(Store.id == store_id)
    score = std_service._compute(session, doc, scope, std_service._stores(session, scope), as_of)[0]
    return {"as_of": as_of.isoformat(), "version": doc.version,
            "rules": [asdict(r) for r in score.rules],
            "red_lines": [asdict(h) for h in score.red_lines], "functions": dict(score.functions)}


@dataclass(frozen=True)
class Line:
    id: str
    name_zh: str
    kind: str
    weight: float
    store_grade: str | None     # the store's (self), the ledgers' (auto, frozen) or None (audit before the visit)
    grade: str | None           # after the district's review and the on-site check
    points: float
    value: float | None
    reason: str                 # the override's reason ('' when confirmed or not reviewed)


@dataclass(frozen=True)
class Evaluation:
    lines: list[Line]
    total: float
    stars: int
    missing: list[str]          # what the target star still lacks ([] = nothing)
    red_lines: list[RedLineHit]
    target: int | None = None   # the star applied for, or (before applying) the next star up


def evaluate(doc: StandardDoc, frozen: dict | None, answers: dict[str, str], reviews: dict[str, tuple[str, str]],
             onsite: dict[str, str] | None, onsite_passed: bool, applied: int | None,
             live=None) -> Evaluation:
    """`answers` {rule: grade}, `reviews` {rule: (grade, reason)}, `onsite` {rule: grade}. Before submission
    (`frozen` None) the auto rules come from `live` (the store's provisional StoreScore) instead."""
    if frozen is not None:
        base = [RuleScore(**r) for r in frozen["rules"]]
        hits = [RedLineHit(**h) for h in frozen["red_lines"]]
        functions = dict(frozen["functions"])
    else:
        base, hits, functions = list(live.rules), list(live.red_lines), dict(live.functions)
    lines, scores = [], {}
    for r in base:
        if r.grade == "N/A":
            store_grade = grade = "N/A"
        else:
            store_grade = r.grade if r.kind == "auto" else answers.get(r.id) if r.kind == "self" else None
            if r.kind == "audit" and onsite:
                store_grade = onsite.get(r.id)
            grade = reviews.get(r.id, (store_grade, ""))[0]
        points = round(r.weight * float(doc.grade_levels.get(grade, 0)), 4) if grade not in (None, "N/A") else 0.0
        lines.append(Line(r.id, r.name_zh, r.kind, r.weight, store_grade, grade, points, r.value,
                          reviews.get(r.id, ("", ""))[1]))
        scores[r.id] = replace(r, grade=grade, points=points)
    categories = {}
    for c in doc.categories:
        pts = round(sum(x.points for x in lines if scores[x.id].category == c.code), 4)
        categories[c.code] = CategoryScore(c.code, c.name_zh, pts, c.weight, round(pts / c.weight, 4) if c.weight else 0)
    total = round(sum(x.points for x in lines), 2)
    rated = replace(doc, stars=[replace(b, onsite=False) for b in doc.stars]) if onsite_passed else doc
    stars, _next = stars_of(rated, total, categories, functions, scores, hits)
    missing = []
    target = applied or (stars + 1 if any(b.stars == stars + 1 for b in rated.stars) else None)
    band = next((b for b in rated.stars if b.stars == target), None)
    if band is not None and stars < target:
        missing = band_gaps(band, total, categories, functions, scores, rated)
    return Evaluation(lines, total, stars, missing, hits, target)
