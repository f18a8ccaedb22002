"""The rating procedure up to the publicity: rounds, the store's answers with evidence, submission (the auto
figures frozen), the district's return / review / acceptance and the on-site check. Each state change is one
transaction with one audit event, and goes through `idempotency.run_once` when the caller sends a key."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import audit
from ..auth.permissions import Actor, Role, require
from ..clock import local_today, utcnow
from ..errors import InvalidInput
from ..idempotency import run_once
from ..settings import setting
from ..standards import service as std_service
from ..standards import standard as std
from ..standards.results import RedLineHit, RuleScore, StoreScore
from ..stores.models import District, Store
from ..uploads import Upload
from ..uploads import check as check_upload
from ..uow import unit_of_work
from . import questions, score
from .decisions import current_decision, star_state  # noqa: F401  (the star now, for other domains)
from .common import as_uuid, load, require_auditor, require_manager, require_open_round, require_status, store_of
from .errors import (BadAnswer, BadEvidence, EvidenceMissing, EvidenceTooLarge, Locked,
                     ReasonRequired, TooSoon)
from .models import Answer, Assessment, Decision, Evidence, OnsiteCheck, RatingRound, Review

GRADES = ("A", "B", "C", "D")


def _days(name: str, default: int) -> int:
    return int(setting(name, default))


# --- rounds ---------------------------------------------------------------------------------------------------

def open_round(session, actor: Actor, *, name: str, deadline: date, district_code: str | None = None,
               idempotency_key=None, now: datetime | None = None) -> RatingRound:
    """A district auditor opens a round for their district, the federation for the city or one district; every
    open store in scope gets an assessment in draft."""
    now = now or utcnow()
    require(actor.role in (Role.DISTRICT_AUDITOR, Role.FEDERATION_ADMIN), _("只有区县慈善会或市慈善总会可以发起评定"))
    name = str(name or "").strip()
    if not name or len(name) > 100:
        raise InvalidInput(_("请填写评定名称（最多 100 字）"), fields={"name": [_("请填写评定名称（最多 100 字）")]})
    if deadline <= local_today(now):
        raise InvalidInput(_("截止日期须晚于今天"), fields={"deadline": [_("截止日期须晚于今天")]})
    district_id = None
    if actor.role is Role.DISTRICT_AUDITOR:
        district_id = next(iter(actor.district_ids))
    if district_code:
        row = session.scalar(select(District.id).where(District.code == str(district_code).strip().upper()))
        if row is None or (district_id is not None and row != district_id):
            raise InvalidInput(_("找不到区县 %(code)s", code=district_code), fields={"district": [_("找不到该区县")]})
        district_id = row
    doc = std.in_force(session, now=now)
    payload = {"name": name, "deadline": deadline, "district": str(district_id)}
    return run_once(session, actor, kind="rating.round", key=idempotency_key, payload=payload,
                    write=lambda claim: _open(session, actor, name, deadline, district_id, doc.version, claim, now),
                    load=lambda rid: session.get(RatingRound, as_uuid(rid)))[0]


def _open(session, actor, name, deadline, district_id, version, claim, now):
    stores = select(Store.id).where(Store.status != "closed")
    if district_id is not None:
        stores = stores.where(Store.district_id == district_id)
    with unit_of_work(session):
        rnd = RatingRound(name=name, deadline=deadline, district_id=district_id, standard_version=version,
                          opened_by=actor.username, created_at=now)
        session.add(rnd)
        session.flush()
        ids = list(session.scalars(stores))
        session.add_all([Assessment(round_id=rnd.id, store_id=sid, status="draft", standard_version=version,
                                    returned_items=[], created_at=now) for sid in ids])
        claim.record(session, rnd.id)
        audit.record(session, actor, "rating.round_open", rnd,
                     {"name": name, "deadline": deadline.isoformat(), "stores": len(ids), "version": version},
                     now=now)
    return rnd


def list_rounds(session, actor: Actor) -> list[RatingRound]:
    require(actor.role in (Role.DISTRICT_AUDITOR, Role.FEDERATION_ADMIN, Role.STORE_MANAGER),
            _("您无权查看星级评定"))
    stmt = select(RatingRound).order_by(RatingRound.created_at.desc())
    if not actor.all_stores:
        stmt = stmt.where(RatingRound.id.in_(select(Assessment.round_id).where(
            Assessment.store_id.in_(actor.store_ids))))
    return list(session.scalars(stmt.limit(200)))


def list_assessments(session, actor: Actor, *, store: str | None = None, status: str | None = None,
                     round_id=None) -> list[tuple[Assessment, Store]]:
    require(actor.role in (Role.DISTRICT_AUDITOR, Role.FEDERATION_ADMIN, Role.STORE_MANAGER),
            _("您无权查看星级评定"))
    stmt = select(Assessment, Store).join(Store, Store.id == Assessment.store_id)
    if not actor.all_stores:
        stmt = stmt.where(Assessment.store_id.in_(actor.store_ids))
    if store:
        stmt = stmt.where(Store.code == str(store).strip().upper())
    if status:
        stmt = stmt.where(Assessment.status == status)
    if round_id is not None:
        stmt = stmt.where(Assessment.round_id == round_id)
    return list(session.execute(stmt.order_by(Assessment.created_at.desc(), Store.code).limit(500)).all())


# --- the store's answers --------------------------------------------------------------------------------------

def _doc(session, a: Assessment):
    return std.by_version(session, a.standard_version) or std.in_force(session)


def answer(session, actor: Actor, assessment_id, rule_id: str, value: dict, evidence: list[Upload] = (), *,
           idempotency_key=None, now: datetime | None = None) -> Assessment:
    now = now or utcnow()
    a = load(session, actor, assessment_id)
    require_manager(actor, a)
    rule_id = str(rule_id or "").strip().upper()
    rule = _doc(session, a).rule(rule_id)
    if rule is None or rule.kind != "self":
        raise BadAnswer(_("%(id)s 不是自评项", id=rule_id), fields={"rule": [_("不是自评项")]})
    require_open_round(session, a)
    if a.status not in ("draft", "returned") or (a.status == "returned" and rule_id not in a.returned_items):
        raise Locked(_("申请已提交，自评项 %(id)s 不能再修改", id=rule_id))
    clean, grade = questions.question(rule_id).grade(rule_id, value if isinstance(value, dict) else {})
    files = [check_upload(u, field="evidence", allow_pdf=True, bad=BadEvidence, too_large=EvidenceTooLarge)
             for u in evidence]
    payload = {"id": str(a.id), "rule": rule_id, "value": clean, "files": [f["sha256"] for f in files]}
    return run_once(session, actor, kind="rating.answer", key=idempotency_key, payload=payload,
                    write=lambda claim: _answer(session, actor, a, rule_id, clean, grade, files, claim, now),
                    load=lambda rid: load(session, actor, rid))[0]


def _answer(session, actor, a, rule_id, clean, grade, files, claim, now):
    with unit_of_work(session):
        row = session.get(Answer, (a.id, rule_id))
        if row is None:
            row = Answer(assessment_id=a.id, rule_id=rule_id)
            session.add(row)
        row.value, row.grade, row.answered_by, row.answered_at = clean, grade, actor.username, now
        if files:
            current = list(session.scalars(select(Evidence).where(
                Evidence.assessment_id == a.id, Evidence.rule_id == rule_id, Evidence.purpose == "answer",
                Evidence.superseded_at.is_(None))))
            version = (session.scalar(select(func.max(Evidence.version)).where(
                Evidence.assessment_id == a.id, Evidence.rule_id == rule_id, Evidence.purpose == "answer")) or 0) + 1
            for old in current:  # replaced, never deleted
                old.superseded_at = now
            for f in files:
                session.add(Evidence(store_id=a.store_id, assessment_id=a.id, purpose="answer", rule_id=rule_id,
                                     version=version, uploaded_by=actor.username, uploaded_at=now, **f))
        claim.record(session, a.id)
        audit.record(session, actor, "rating.answer", a,
                     {"rule": rule_id, "value": clean, "grade": grade, "evidence": [f["sha256"] for f in files]},
                     store_id=a.store_id, now=now)
    return a


def evidence_of(session, assessment_id, *, current_only: bool = False) -> list[Evidence]:
    stmt = select(Evidence).where(Evidence.assessment_id == assessment_id).order_by(
        Evidence.rule_id, Evidence.version, Evidence.uploaded_at)
    if current_only:
        stmt = stmt.where(Evidence.superseded_at.is_(None))
    return list(session.scalars(stmt))


# --- submission -----------------------------------------------------------------------------------------------

def _too_soon(session, store_id, now: datetime) -> date | None:
    """The day the store may apply again, when that is still ahead (12 months after its last decision; 24 after
    a revocation: `reapply_after`)."""
    last = session.scalars(select(Decision).where(Decision.store_id == store_id)
                           .order_by(Decision.decided_at.desc()).limit(1)).first()
    if last is not None and local_today(now) < last.reapply_after:
        return last.reapply_after
    return None


def submit(session, actor: Actor, assessment_id, *, stars_applied: int, idempotency_key=None,
           now: datetime | None = None) -> Assessment:
    now = now or utcnow()
    a = load(session, actor, assessment_id)
    require_manager(actor, a)
    payload = {"id": str(a.id), "stars": stars_applied}
    return run_once(session, actor, kind="rating.submit", key=idempotency_key, payload=payload,
                    write=lambda claim: _submit(session, actor, a, stars_applied, claim, now),
                    load=lambda rid: load(session, actor, rid))[0]


def _submit(session, actor, a, stars_applied, claim, now):
    require_open_round(session, a)
    require_status(a, "draft", "returned")
    if isinstance(stars_applied, bool) or not isinstance(stars_applied, int) or not 1 <= stars_applied <= 5:
        raise InvalidInput(_("申请星级须为 1 到 5"), fields={"stars_applied": [_("申请星级须为 1 到 5")]})
    again = _too_soon(session, a.store_id, now)
    if again is not None:
        raise TooSoon(_("距上次评定不足规定期限，%(day)s 起方可再次申请", day=again.isoformat()))
    doc = _doc(session, a)
    answers = {r.rule_id: r for r in session.scalars(select(Answer).where(Answer.assessment_id == a.id))}
    with_files = set(session.scalars(select(Evidence.rule_id).where(
        Evidence.assessment_id == a.id, Evidence.purpose == "answer", Evidence.superseded_at.is_(None))))
    missing = {}
    for r in doc.rules:
        if r.kind != "self":
            continue
        if r.id not in answers:
            missing[r.id] = [_("尚未作答")]
        elif r.id not in with_files:
            missing[r.id] = [_("请上传证明材料")]
    if missing:
        raise EvidenceMissing(_("还有自评项未完成：%(ids)s", ids="、".join(sorted(missing))), fields=missing)
    first = a.frozen is None
    frozen = score.freeze(session, a.store_id, doc, now) if first else a.frozen
    with unit_of_work(session):
        a = load(session, actor, a.id, lock=True)
        require_status(a, "draft", "returned")
        a.frozen, a.stars_applied, a.status, a.submitted_at = frozen, stars_applied, "submitted", now
        a.returned_items = []
        a.review_due = local_today(now) + timedelta(days=_days("RATING_REVIEW_DAYS", 30))
        ev = evaluation(session, a)
        a.total, a.stars_allowed = ev.total, ev.stars
        claim.record(session, a.id)
        audit.record(session, actor, "rating.submit", a,
                     {"stars_applied": stars_applied, "total": ev.total, "stars_allowed": ev.stars,
                      "frozen_as_of": frozen["as_of"], "frozen_now": first}, store_id=a.store_id, now=now)
    return a


def evaluation(session, a: Assessment, *, live_actor: Actor | None = None) -> score.Evaluation:
    """The assessment's score now: frozen auto figures once submitted; before that the live provisional score
    (read through the standards' store card, as `live_actor` sees it)."""
    doc = _doc(session, a)
    answers = {r.rule_id: r.grade for r in session.scalars(select(Answer).where(Answer.assessment_id == a.id))}
    reviews = {r.rule_id: (r.grade, r.reason) for r in session.scalars(
        select(Review).where(Review.assessment_id == a.id).order_by(Review.reviewed_at))}
    check = session.scalar(select(OnsiteCheck).where(OnsiteCheck.assessment_id == a.id))
    live = None
    if a.frozen is None:
        live = std_service.store_card(session, live_actor, store_of(session, a).code) if live_actor else None
        if live is None:
            live = _live_system(session, a, doc)
    return score.evaluate(doc, a.frozen, answers, reviews, check.items if check else None,
                          bool(check and check.passed), a.stars_applied, live=live)


def _live_system(session, a, doc):
    data = score.freeze(session, a.store_id, doc, utcnow())
    return StoreScore("", "", "", "", local_today(), doc.version, 0, 0, {},
                      [RedLineHit(**h) for h in data["red_lines"]], data["functions"], None,
                      [RuleScore(**r) for r in data["rules"]])


# --- the district's review ------------------------------------------------------------------------------------

def return_items(session, actor: Actor, assessment_id, *, items: list[str], reason: str, idempotency_key=None,
                 now: datetime | None = None) -> Assessment:
    now = now or utcnow()
    a = load(session, actor, assessment_id)
    require_auditor(actor, a)
    doc = _doc(session, a)
    items = sorted({str(i).strip().upper() for i in (items or [])})
    bad = [i for i in items if (doc.rule(i) is None or doc.rule(i).kind != "self")]
    if not items or bad:
        raise InvalidInput(_("请指明退回的自评项"), fields={"items": [_("请指明退回的自评项")]})
    reason = str(reason or "").strip()
    if not reason or len(reason) > 300:
        raise ReasonRequired(_("请写明退回的理由"), fields={"reason": [_("请写明退回的理由")]})
    payload = {"id": str(a.id), "items": items, "reason": reason}

    def write(claim):
        require_open_round(session, a)
        require_status(a, "submitted")
        with unit_of_work(session):
            a.status, a.returned_items = "returned", items
            claim.record(session, a.id)
            audit.record(session, actor, "rating.return", a, {"items": items, "reason": reason},
                         store_id=a.store_id, now=now)
        return a
    return run_once(session, actor, kind="rating.return", key=idempotency_key, payload=payload, write=write,
                    load=lambda rid: load(session, actor, rid))[0]


@dataclass(frozen=True)
class ItemReview:
    rule: str
    grade: str
    reason: str = ""


def accept(session, actor: Actor, assessment_id, *, reviews: list[ItemReview] = (), idempotency_key=None,
           now: datetime | None = None) -> Assessment:
    """Confirm every item, overriding those named (another grade needs a reason). 4–5 stars go to the on-site
    check, the others straight to publicity."""
    now = now or utcnow()
    a = load(session, actor, assessment_id)
    require_auditor(actor, a)
    doc = _doc(session, a)
    payload = {"id": str(a.id), "reviews": [(r.rule, r.grade, r.reason) for r in reviews]}

    def write(claim):
        require_open_round(session, a)
        require_status(a, "submitted")
        current = {x.id: x for x in evaluation(session, a).lines}
        named = {}
        for r in reviews:
            rid = str(r.rule).strip().upper()
            line = current.get(rid)
            if line is None or line.kind == "audit" or line.grade == "N/A":
                raise InvalidInput(_("未知或不可复核的规则：%(id)s", id=rid), fields={f"reviews.{rid}": [_("未知的规则")]})
            if r.grade not in GRADES:
                raise InvalidInput(_("等级须为 A、B、C 或 D"), fields={f"reviews.{rid}.grade": [_("等级须为 A、B、C 或 D")]})
            reason = str(r.reason or "").strip()
            if r.grade != line.store_grade and not reason:
                raise ReasonRequired(_("改判 %(id)s 须写明理由", id=rid), fields={f"reviews.{rid}.reason": [_("请写明理由")]})
            named[rid] = (r.grade, reason[:300])
        with unit_of_work(session):
            for line in current.values():
                if line.kind == "self" or line.id in named:
                    grade, reason = named.get(line.id, (line.store_grade, ""))
                    session.add(Review(assessment_id=a.id, rule_id=line.id, store_grade=line.store_grade,
                                       grade=grade, reason=reason, reviewed_by=actor.username, reviewed_at=now))
            session.flush()
            band = next((b for b in doc.stars if b.stars == a.stars_applied), None)
            a.accepted_by, a.accepted_at = actor.username, now
            if band is not None and band.onsite:
                a.status = "onsite"
            else:
                a.status, a.publicity_ends = "publicity", now + timedelta(days=_days("RATING_PUBLICITY_DAYS", 7))
            ev = evaluation(session, a)
            a.total, a.stars_allowed = ev.total, ev.stars
            claim.record(session, a.id)
            audit.record(session, actor, "rating.accept", a,
                         {"overrides": {k: {"grade": v[0], "reason": v[1]} for k, v in named.items()
                                        if v[0] != current[k].store_grade},
                          "total": ev.total, "stars_allowed": ev.stars, "next": a.status},
                         store_id=a.store_id, now=now)
        return a
    return run_once(session, actor, kind="rating.accept", key=idempotency_key, payload=payload, write=write,
                    load=lambda rid: load(session, actor, rid))[0]
