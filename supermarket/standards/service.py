"""The central check's entry points (signatures fixed by STANDARDS_CONTRACT.md).

Scope: the federation admin sees every store, a district auditor the stores of their district, a store manager
their own store; anyone else nothing. A store (or district) outside the scope answers NotFound, as if it did not
exist. `board()` and `store_card()` read the stored snapshots of the version in force on the as-of day and
compute them (refreshing the facts first) when there are none, or when today's are older than
STANDARDS_SNAPSHOT_MAX_AGE_S seconds (default 600): today's figures are live, past days cost one read.
"""
from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, insert, select

from .. import audit, wiring
from ..auth.permissions import Actor, Role, require
from ..errors import InvalidInput
from ..clock import local_midnight_utc, local_today, utcnow
from ..settings import setting
from ..stores.models import District, Store
from ..uow import unit_of_work
from . import facts as facts_mod
from . import records
from . import standard as std
from .errors import (FutureDate, LastApplicableRule, ReasonRequired, UnknownDistrict, UnknownRule,
                     UnknownStore)
from .exceptions import find as find_exceptions
from .metrics import Ctx, compute_all, read_facts
from .models import NotApplicable, ScoreSnapshot
from .results import (Board, CategoryScore, ExceptionRow, NextStar, RedLineHit, RuleScore, StandardDoc,
                      StoreScore)
from .scoring import (effective_weights, functions_active, overdue_drop, rated, red_lines_hit, rule_score,
                      stars_of)

VIEWERS = (Role.FEDERATION_ADMIN, Role.DISTRICT_AUDITOR, Role.STORE_MANAGER)
NA_DECIDERS = (Role.FEDERATION_ADMIN, Role.DISTRICT_AUDITOR)


@dataclass(frozen=True)
class _Store:
    id: uuid.UUID
    code: str
    name: str
    district_code: str
    district_name: str


# --- the standard ---------------------------------------------------------------------------------------------

def current_standard(session, *, now: datetime | None = None) -> StandardDoc:
    return std.in_force(session, now=now)


def get_draft(session, actor, *, now=None) -> StandardDoc:
    return std.get_draft(session, actor, now=now)


def update_draft(session, actor, body: dict, *, now=None) -> StandardDoc:
    return std.update_draft(session, actor, body, now=now)


def publish_draft(session, actor, *, effective_from: date | None = None, now=None) -> StandardDoc:
    return std.publish_draft(session, actor, effective_from=effective_from, now=now)


# --- scope ----------------------------------------------------------------------------------------------------

def _scope(actor: Actor, *, district_id=None, store_id=None):
    """A SELECT of the visible stores' ids (its size never depends on the number of stores)."""
    require(actor.role in VIEWERS, _("您无权查看标准化核查"))
    stmt = select(Store.id).where(Store.status != "closed")
    if not actor.all_stores:
        if actor.role is Role.DISTRICT_AUDITOR:
            stmt = stmt.where(Store.district_id.in_(actor.district_ids))
        else:
            stmt = stmt.where(Store.id.in_(actor.store_ids))
    if district_id is not None:
        stmt = stmt.where(Store.district_id == district_id)
    if store_id is not None:
        stmt = stmt.where(Store.id == store_id)
    return stmt


def _stores(session, scope) -> list[_Store]:
    rows = session.execute(select(Store.id, Store.code, Store.name, District.code, District.name)
                           .join(District, District.id == Store.district_id).where(Store.id.in_(scope))
                           .order_by(Store.code))
    return [_Store(*r) for r in rows]


def _find_store(session, actor: Actor, code: str) -> _Store:
    row = session.execute(select(Store.id, Store.code, Store.name, District.code, District.name)
                          .join(District, District.id == Store.district_id)
                          .where(Store.code == str(code or "").strip().upper())).first()
    if row is None or not actor.can_see_store(row[0]):
        raise UnknownStore(_("找不到门店 %(code)s", code=code))
    require(actor.role in VIEWERS, _("您无权查看标准化核查"))
    return _Store(*row)


def _district_id(session, actor: Actor, code: str):
    row = session.execute(select(District.id).where(District.code == str(code).strip().upper())).first()
    if row is None or not (actor.all_stores or row[0] in actor.district_ids):
        raise UnknownDistrict(_("找不到区县 %(code)s", code=code))
    return row[0]


def _as_of(as_of, now: datetime) -> date:
    today = local_today(now)
    if as_of is None:
        return today
    if isinstance(as_of, str):
        try:
            as_of = date.fromisoformat(as_of.strip())
        except ValueError:
            raise FutureDate(_("日期格式应如 2026-11-30"), fields={"as_of": [_("日期格式应如 2026-11-30")]})
    if as_of > today:
        raise FutureDate(_("核查日期不能晚于今天（%(today)s）", today=today.isoformat()),
                         fields={"as_of": [_("不能晚于今天")]})
    return as_of


# --- computing and storing scores -----------------------------------------------------------------------------

def _na_map(session, scope) -> dict:
    out: dict = {}
    for row in session.scalars(select(NotApplicable).where(NotApplicable.store_id.in_(scope))):
        out.setdefault(row.store_id, {})[row.rule_id] = row
    return out


def _na_note(row: NotApplicable) -> str:
    return _("不适用：%(reason)s（%(who)s %(day)s）", reason=row.reason, who=row.decided_by,
             day=local_today(row.decided_at).isoformat())


def _compute(session, doc: StandardDoc, scope, stores: list[_Store], as_of: date) -> list[StoreScore]:
    first = as_of - timedelta(days=doc.window_days - 1)
    facts = read_facts(session, scope, first, as_of)
    ctx = Ctx(session, scope, as_of, doc.window_days, facts, [s.id for s in stores])
    values = compute_all(ctx, [r.metric for r in doc.rules if r.kind == "auto" and r.metric])
    active = records.active_functions(session, ctx.store_ids, ctx.t0, ctx.t1)
    na = _na_map(session, scope)
    overdue, confirmed = wiring.standard_findings(session, scope, first, as_of)
    rating = wiring.standard_rating(session, scope, as_of)
    out = []
    for s in stores:
        decided = na.get(s.id, {})
        weights = effective_weights(doc, set(decided))
        rules = [rule_score(doc, r, weights[r.id], values, s.id,
                            _na_note(decided[r.id]) if r.id in decided else None) for r in doc.rules]
        rules = _with_rating(doc, rules, rating.get(s.id))
        late = overdue.get(s.id, ())
        rules = [overdue_drop(doc, r) if r.id in late else r for r in rules]
        by_id = {r.id: r for r in rules}
        categories = {}
        for c in doc.categories:
            points = round(sum(r.points for r in rules if r.category == c.code), 4)
            categories[c.code] = CategoryScore(c.code, c.name_zh, points, c.weight,
                                               round(points / c.weight, 4) if c.weight else 0.0)
        total = round(sum(r.points for r in rules), 2)
        functions = functions_active(facts.get(s.id, {}), {f for f, ids in active.items() if s.id in ids})
        hits = red_lines_hit(doc, by_id, values, s.id, confirmed.get(s.id, set()))
        passed = bool(rating.get(s.id) and rating[s.id].onsite_passed)
        stars, next_star = stars_of(doc, total, categories, functions, by_id, hits, onsite=passed)
        out.append(StoreScore(s.code, s.name, s.district_code, s.district_name, as_of, doc.version, total, stars,
                              categories, hits, functions, next_star, rules))
    return out


def _with_rating(doc: StandardDoc, rules: list[RuleScore], got) -> list[RuleScore]:
    """The self and audit rules as the store's current rating round graded them (scoring's docstring)."""
    if got is None:
        return rules
    out = []
    for r in rules:
        if r.kind == "self" and r.id in got.self_grades:
            r = rated(doc, r, got.self_grades[r.id], _("%(round)s：区县审核 %(grade)s", round=got.round_name,
                                                        grade=got.self_grades[r.id]))
        elif r.kind == "audit" and r.id in got.audit_grades:
            r = rated(doc, r, got.audit_grades[r.id], _("现场核查 %(day)s：%(grade)s", grade=got.audit_grades[r.id],
                                                         day=got.visited_on.isoformat() if got.visited_on else ""))
        out.append(r)
    return out


def _snapshot_row(score: StoreScore, store_id, now: datetime) -> dict:
    return {"id": uuid.uuid4(), "store_id": store_id, "version": score.standard_version, "as_of": score.as_of,
            "total": score.total, "stars": score.stars,
            "categories": {k: asdict(v) for k, v in score.categories.items()},
            "red_lines": [asdict(h) for h in score.red_lines], "functions": dict(score.functions),
            "next_star": asdict(score.next_star) if score.next_star else None,
            "rules": [asdict(r) for r in score.rules], "computed_at": now}


def _from_snapshot(row: ScoreSnapshot, s: _Store) -> StoreScore:
    ns = row.next_star
    return StoreScore(s.code, s.name, s.district_code, s.district_name, row.as_of, row.version, row.total,
                      row.stars, {k: CategoryScore(**v) for k, v in row.categories.items()},
                      [RedLineHit(**h) for h in row.red_lines], dict(row.functions),
                      NextStar(ns["stars"], list(ns["missing"])) if ns else None,
                      [RuleScore(**r) for r in row.rules])


def _score_and_store(session, doc, scope, stores, as_of, now) -> list[StoreScore]:
    """Refresh the facts the window needs, score every store of the scope, replace their snapshots of this
    version and day (one DELETE, one multi-row INSERT)."""
    facts_mod.refresh(session, through=_facts_through(session, as_of),
                      since=as_of - timedelta(days=doc.window_days - 1), now=now)
    scores = _compute(session, doc, scope, stores, as_of)
    ids = {s.code: s.id for s in stores}
    with unit_of_work(session):
        facts_mod.advisory_lock(session, facts_mod.SNAPSHOT_LOCK)  # two checks at once: one after the other
        session.execute(delete(ScoreSnapshot).where(ScoreSnapshot.store_id.in_(scope),
                                                    ScoreSnapshot.version == doc.version,
                                                    ScoreSnapshot.as_of == as_of))
        if scores:
            session.execute(insert(ScoreSnapshot.__table__).execution_options(insertmanyvalues_page_size=4000),
                            [_snapshot_row(x, ids[x.store_code], now) for x in scores])
    return scores


def _facts_through(session, as_of: date) -> date:
    """Up to the as-of day, or (for a past day) just redo the last refreshed day: the window is there."""
    covered = facts_mod.covered(session)
    return max(covered[1], as_of) if covered else as_of


def _fresh(row: ScoreSnapshot, as_of: date, now: datetime) -> bool:
    if row.computed_at >= local_midnight_utc(as_of + timedelta(days=1)):
        return True  # computed after the day was over: final
    return row.computed_at >= now - timedelta(seconds=int(setting("STANDARDS_SNAPSHOT_MAX_AGE_S", 600)))


def _scores(session, actor, scope, as_of: date, now: datetime, *, force: bool = False) -> tuple:
    doc = std.in_force(session, as_of, now=now)
    stores = _stores(session, scope)
    if not force:
        rows = {r.store_id: r for r in session.scalars(
            select(ScoreSnapshot).where(ScoreSnapshot.store_id.in_(scope), ScoreSnapshot.version == doc.version,
                                        ScoreSnapshot.as_of == as_of))}
        if stores and all(s.id in rows and _fresh(rows[s.id], as_of, now) for s in stores):
            return doc, [_from_snapshot(rows[s.id], s) for s in stores]
    return doc, _score_and_store(session, doc, scope, stores, as_of, now)


# --- entry points ---------------------------------------------------------------------------------------------

def board(session, actor, *, as_of=None, district=None, stars=None, rule=None, red_line=None, sort="total",
          now: datetime | None = None) -> Board:
    """The stores of the actor's scope. Filters: district (code), stars (int: exactly), rule (id: stores whose
    grade on it is below A, or not assessed), red_line (id: stores hitting it). The star distribution counts the
    stores of the scope after the district filter only. sort: total (highest first), -total, store, stars."""
    now = now or utcnow()
    as_of = _as_of(as_of, now)
    district_id = _district_id(session, actor, district) if district else None
    doc, scores = _scores(session, actor, _scope(actor, district_id=district_id), as_of, now)
    rule = str(rule).strip().upper() if rule else None
    if rule and doc.rule(rule) is None:
        raise UnknownRule(_("未知的规则：%(id)s", id=rule))
    distribution = {n: 0 for n in range(0, 6)}
    for x in scores:
        distribution[x.stars] = distribution.get(x.stars, 0) + 1
    if stars not in (None, ""):
        if not str(stars).strip().isdigit() or int(stars) > 5:
            raise InvalidInput(_("星级须为 0 到 5"), fields={"stars": [_("星级须为 0 到 5")]})
        scores = [x for x in scores if x.stars == int(stars)]
    if rule:
        scores = [x for x in scores if next(r for r in x.rules if r.id == rule).grade not in ("A", "N/A")]
    if red_line:
        scores = [x for x in scores if any(h.id == red_line for h in x.red_lines)]
    keys = {"total": lambda x: (-x.total, x.store_code), "-total": lambda x: (x.total, x.store_code),
            "store": lambda x: x.store_code, "stars": lambda x: (-x.stars, -x.total, x.store_code)}
    scores.sort(key=keys.get(sort, keys["total"]))
    districts = session.execute(select(District.code, District.name).where(
        District.id.in_(select(Store.district_id).where(Store.id.in_(_scope(actor))))).order_by(District.code)).all()
    return Board(as_of, doc, scores, distribution, [tuple(d) for d in districts])


def store_card(session, actor, store_code, *, as_of=None, now: datetime | None = None) -> StoreScore:
    now = now or utcnow()
    as_of = _as_of(as_of, now)
    store = _find_store(session, actor, store_code)
    _doc, scores = _scores(session, actor, _scope(actor, store_id=store.id), as_of, now)
    return scores[0]


def rule_exceptions(session, actor, store_code, rule_id, *, as_of=None, limit=500,
                    now: datetime | None = None) -> list[ExceptionRow]:
    now = now or utcnow()
    as_of = _as_of(as_of, now)
    store = _find_store(session, actor, store_code)
    doc = std.in_force(session, as_of, now=now)
    rule = doc.rule(str(rule_id or "").strip().upper())
    if rule is None:
        raise UnknownRule(_("未知的规则：%(id)s", id=rule_id))
    ctx = Ctx(session, None, as_of, doc.window_days, {})
    return find_exceptions(ctx, rule.metric if rule.kind == "auto" else None, store.id, max(1, min(int(limit), 5000)))


def check(session, actor, *, store_code=None, as_of=None, now: datetime | None = None) -> list[StoreScore]:
    """Refresh what is stale, score every store of the scope (or the one store), store the snapshots."""
    now = now or utcnow()
    as_of = _as_of(as_of, now)
    store_id = _find_store(session, actor, store_code).id if store_code else None
    _doc, scores = _scores(session, actor, _scope(actor, store_id=store_id), as_of, now, force=True)
    return scores


def refresh(session, *, through: date | None = None, now: datetime | None = None) -> int:
    return facts_mod.refresh(session, through=through, now=now)


def refresh_job(session, now: datetime) -> dict:
    """The daily job (wiring.JOBS `standards.refresh`): the facts up to today."""
    return {"facts": facts_mod.refresh(session, now=now)}


def home_summary(session, store_id) -> tuple[int, list[str]] | None:
    """The store's latest provisional stars and its three biggest gaps (rules losing the most points)."""
    row = session.scalars(select(ScoreSnapshot).where(ScoreSnapshot.store_id == store_id)
                          .order_by(ScoreSnapshot.as_of.desc(), ScoreSnapshot.computed_at.desc()).limit(1)).first()
    if row is None:
        return None
    gaps = sorted((r for r in row.rules if r["grade"] != "N/A" and r["weight"] - r["points"] > 1e-9),
                  key=lambda r: (-(r["weight"] - r["points"]), r["id"]))[:3]
    return row.stars, [_("%(id)s %(name)s：失 %(lost)s 分", id=r["id"], name=r["name_zh"],
                         lost=f"{round(r['weight'] - r['points'], 2):g}") for r in gaps]


# --- not applicable -------------------------------------------------------------------------------------------

def mark_not_applicable(session, actor, store_code, rule_id, *, reason: str, now: datetime | None = None) -> None:
    now = now or utcnow()
    store = _find_store(session, actor, store_code)
    require(actor.role in NA_DECIDERS, _("只有区县慈善会或市慈善总会可以认定不适用"))
    reason = str(reason or "").strip()
    if not reason:
        raise ReasonRequired(_("请写明不适用的理由"), fields={"reason": [_("请写明不适用的理由")]})
    if len(reason) > 200:
        raise ReasonRequired(_("理由最多 200 个字"), fields={"reason": [_("最多 200 个字")]})
    doc = std.in_force(session, now=now)
    rule = doc.rule(str(rule_id or "").strip().upper())
    if rule is None:
        raise UnknownRule(_("未知的规则：%(id)s", id=rule_id), fields={"rule_id": [_("未知的规则")]})
    decided = set(session.scalars(select(NotApplicable.rule_id).where(NotApplicable.store_id == store.id)))
    others = [r for r in doc.rules if r.category == rule.category and r.id != rule.id and r.id not in decided]
    if not others:
        raise LastApplicableRule(_("该类别至少要保留一条适用的规则"), fields={"rule_id": [_("该类别的最后一条规则")]})
    with unit_of_work(session):
        row = session.get(NotApplicable, (store.id, rule.id))
        if row is None:
            row = NotApplicable(store_id=store.id, rule_id=rule.id)
            session.add(row)
        row.reason, row.decided_by, row.decided_at = reason, actor.username, now
        _forget_today(session, store.id, now)
        audit.record(session, actor, "standards.not_applicable", None, {"rule": rule.id, "reason": reason},
                     store_id=store.id, subject_type="standards_rule", subject_id=rule.id, now=now)


def clear_not_applicable(session, actor, store_code, rule_id, *, now: datetime | None = None) -> None:
    now = now or utcnow()
    store = _find_store(session, actor, store_code)
    require(actor.role in NA_DECIDERS, _("只有区县慈善会或市慈善总会可以认定不适用"))
    row = session.get(NotApplicable, (store.id, str(rule_id or "").strip().upper()))
    if row is None:
        raise UnknownRule(_("该规则未被认定为不适用"))
    with unit_of_work(session):
        session.delete(row)
        _forget_today(session, store.id, now)
        audit.record(session, actor, "standards.applicable_again", None, {"rule": row.rule_id},
                     store_id=store.id, subject_type="standards_rule", subject_id=row.rule_id, now=now)


def _forget_today(session, store_id, now: datetime) -> None:
    """Today's snapshots of the store are recomputed on the next view (past days keep what they said)."""
    session.execute(delete(ScoreSnapshot).where(ScoreSnapshot.store_id == store_id,
                                                ScoreSnapshot.as_of == local_today(now)))


def not_applicable_list(session, actor, store_code) -> list:
    store = _find_store(session, actor, store_code)
    rows = session.scalars(select(NotApplicable).where(NotApplicable.store_id == store.id)
                           .order_by(NotApplicable.rule_id))
    return [(r.rule_id, r.reason, r.decided_by, r.decided_at) for r in rows]
