"""The on-site check (现场核查) of a 4–5 star application, as a scheduled step: the district schedules the visit
(the day, at least two inspectors, none of them the store's own staff), the store sees it, and the inspectors
record per `audit` rule of the standard what they found (met / partly / not met, a note, photos), signed by two
of them. Also what the central check reads of the rating (wiring.STANDARD_RATING): the current round's results.

Grades from results: met → A, partly → C (it still passes a gate that asks C), not met → D. The API may still
send grades (A–D) instead of results; B reads as partly met.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import audit
from ..auth.errors import ApprovalFailed
from ..auth.models import User
from ..auth.permissions import Actor, Role, require
from ..auth.service import verify_approver
from ..clock import local_midnight_utc, local_today, utcnow
from ..errors import InvalidInput
from ..idempotency import run_once
from ..uow import unit_of_work
from ..uploads import Upload
from ..uploads import check as check_upload
from . import service
from .common import load, require_auditor, require_open_round, require_status, store_of
from .errors import BadEvidence, BadSignature, EvidenceTooLarge, OutOfOrder
from .models import (
    Answer,
    Assessment,
    Evidence,
    OnsiteCheck,
    OnsiteVisit,
    RatingRound,
    Review,
)

GRADE_OF = {"met": "A", "partly": "C", "not_met": "D"}
RESULT_OF = {"A": "met", "B": "partly", "C": "partly", "D": "not_met"}
RESULT_LABELS = {"met": _l("达标"), "partly": _l("部分达标"), "not_met": _l("未达标")}


def visit_of(session, assessment_id) -> OnsiteVisit | None:
    return session.scalar(select(OnsiteVisit).where(OnsiteVisit.assessment_id == assessment_id))


# --- scheduling -----------------------------------------------------------------------------------------------

def schedule(session, actor: Actor, assessment_id, *, scheduled_on: date, inspectors: list[str], note: str = "",
             idempotency_key=None, now: datetime | None = None) -> Assessment:
    """The store's district schedules (or moves) the visit; the inspectors are auditors of that district."""
    now = now or utcnow()
    a = load(session, actor, assessment_id)
    require_auditor(actor, a)
    errors: dict[str, list[str]] = {}
    if scheduled_on < local_today(now):
        errors["scheduled_on"] = [_("核查日期不能早于今天")]
    names = list(dict.fromkeys(str(n).strip() for n in (inspectors or []) if str(n).strip()))
    if len(names) < 2:
        errors["inspectors"] = [_("至少安排两名核查人")]
    else:
        problems = _inspector_problems(session, store_of(session, a), names)
        if problems:
            errors["inspectors"] = problems
    note = str(note or "").strip()
    if len(note) > 300:
        errors["note"] = [_("最多 300 个字")]
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], fields=errors)
    payload = {"id": str(a.id), "on": scheduled_on, "inspectors": names, "note": note}

    def write(claim):
        require_open_round(session, a)
        require_status(a, "onsite")
        if session.scalar(select(OnsiteCheck.id).where(OnsiteCheck.assessment_id == a.id)) is not None:
            raise OutOfOrder(_("现场核查已记录，不能再改期"))
        with unit_of_work(session):
            row = visit_of(session, a.id)
            moved = row is not None
            if row is None:
                row = OnsiteVisit(assessment_id=a.id, store_id=a.store_id)
                session.add(row)
            row.scheduled_on, row.inspectors, row.note = scheduled_on, names, note
            row.scheduled_by, row.scheduled_at = actor.username, now
            claim.record(session, a.id)
            audit.record(session, actor, "rating.onsite_schedule", a,
                         {"scheduled_on": scheduled_on.isoformat(), "inspectors": ", ".join(names),
                          "rescheduled": moved}, store_id=a.store_id, now=now)
        return a
    return run_once(session, actor, kind="rating.onsite_schedule", key=idempotency_key, payload=payload,
                    write=write, load=lambda rid: load(session, actor, rid))[0]


def _inspector_problems(session, store, names: list[str]) -> list[str]:
    users = {u.username: u for u in session.scalars(select(User).where(User.username.in_(names)))}
    problems = []
    for name in names:
        user = users.get(name)
        if user is None or not user.active:
            problems.append(_("找不到账号 %(name)s", name=name))
        elif user.store_id == store.id:
            problems.append(_("%(name)s 是本店人员，不能核查本店", name=name))
        elif user.role != Role.DISTRICT_AUDITOR.value or user.district_id != store.district_id:
            problems.append(_("%(name)s 不是本区县的审核员", name=name))
    return problems


# --- the check ------------------------------------------------------------------------------------------------

def _clean_items(rule_ids: list[str], items: dict, notes: dict) -> tuple[dict, dict]:
    """({rule: grade}, {rule: {"result", "note"}}) or InvalidInput naming each bad item."""
    items = {str(k).strip().upper(): str(v or "").strip() for k, v in (items or {}).items()}
    notes = {str(k).strip().upper(): str(v or "").strip() for k, v in (notes or {}).items()}
    bad = {}
    for k in rule_ids:
        v = items.get(k, "")
        if v not in GRADE_OF and v not in RESULT_OF:
            bad[f"items.{k}"] = [_("请选择：达标、部分达标或未达标")]
        if len(notes.get(k, "")) > 300:
            bad[f"notes.{k}"] = [_("最多 300 个字")]
    bad.update({f"items.{k}": [_("不是现场核查项")] for k in items if k not in rule_ids})
    if bad:
        raise InvalidInput(_("请为每个现场核查项填写结果"), fields=bad)
    grades, results = {}, {}
    for k in rule_ids:
        v = items[k]
        result = v if v in GRADE_OF else RESULT_OF[v]
        grades[k] = v if v in RESULT_OF else GRADE_OF[v]
        results[k] = {"result": result, "note": notes.get(k, "")}
    return grades, results


def onsite(session, actor: Actor, assessment_id, *, visited_on: date, items: dict[str, str], passed: bool | None,
           note: str = "", notes: dict[str, str] | None = None, second_auditor: str, second_secret: str,
           photos: list[Upload] = (), item_photos: dict[str, list[Upload]] | None = None,
           idempotency_key=None, now: datetime | None = None) -> Assessment:
    """Record the scheduled check: the acting inspector and a second, distinct inspector (their password) sign.
    `passed` None: passed when no item is not met."""
    now = now or utcnow()
    a = load(session, actor, assessment_id)
    require_auditor(actor, a)
    visit = visit_of(session, a.id)
    if visit is None:
        raise OutOfOrder(_("请先安排现场核查（日期与核查人）"))
    require(actor.username in visit.inspectors, _("只有安排的核查人可以记录核查结果"))
    if visited_on < visit.scheduled_on or visited_on > local_today(now):
        msg = _("核查日期须在安排的日期（%(d)s）与今天之间", d=visit.scheduled_on.isoformat())
        raise InvalidInput(msg, fields={"visited_on": [msg]})
    wanted = [r.id for r in service._doc(session, a).rules if r.kind == "audit"]
    grades, results = _clean_items(wanted, items, notes or {})
    if passed is None:
        passed = all(x["result"] != "not_met" for x in results.values())
    files = [("", check_upload(u, field="photos", allow_pdf=False, bad=BadEvidence, too_large=EvidenceTooLarge))
             for u in photos]
    for rule, uploads in (item_photos or {}).items():
        rule = str(rule).strip().upper()
        files += [(rule, check_upload(u, field=f"photos.{rule}", allow_pdf=False, bad=BadEvidence,
                                      too_large=EvidenceTooLarge)) for u in uploads if rule in wanted]
    payload = {"id": str(a.id), "visited_on": visited_on, "items": grades, "results": results,
               "passed": bool(passed), "note": note, "second": second_auditor,
               "files": [[r, f["sha256"]] for r, f in files]}

    def write(claim):
        require_open_round(session, a)
        require_status(a, "onsite")
        second = _second_inspector(session, actor, visit, second_auditor, second_secret)
        with unit_of_work(session):
            session.add(OnsiteCheck(assessment_id=a.id, visited_on=visited_on, items=grades, results=results,
                                    passed=bool(passed), note=str(note or "")[:500], auditor_1=actor.username,
                                    auditor_2=second, signed_at=now))
            for rule, f in files:
                session.add(Evidence(store_id=a.store_id, assessment_id=a.id, purpose="onsite", rule_id=rule,
                                     uploaded_by=actor.username, uploaded_at=now, **f))
            session.flush()
            a.status = "publicity"
            a.publicity_ends = now + timedelta(days=service._days("RATING_PUBLICITY_DAYS", 7))
            ev = service.evaluation(session, a)
            a.total, a.stars_allowed = ev.total, ev.stars
            claim.record(session, a.id)
            audit.record(session, actor, "rating.onsite", a,
                         {"items": grades, "results": {k: v["result"] for k, v in results.items()},
                          "passed": bool(passed), "auditors": [actor.username, second],
                          "photos": [f["sha256"] for _r, f in files], "total": ev.total, "stars_allowed": ev.stars},
                         store_id=a.store_id, now=now)
        return a
    return run_once(session, actor, kind="rating.onsite", key=idempotency_key, payload=payload, write=write,
                    load=lambda rid: load(session, actor, rid))[0]


def _second_inspector(session, actor, visit: OnsiteVisit, username, secret) -> str:
    try:
        user = verify_approver(session, None, username, secret, roles=(Role.DISTRICT_AUDITOR,),
                               not_user_id=actor.user_id)
    except ApprovalFailed as e:  # the same message, under this domain's field
        raise BadSignature(e.message, fields={"second_auditor": [e.message]}) from None
    if user.username == actor.username or user.username not in visit.inspectors:
        msg = _("第二位签名人须为安排的另一位核查人")
        raise BadSignature(msg, fields={"second_auditor": [msg]})
    return user.username


# --- what the central check reads -----------------------------------------------------------------------------

@dataclass(frozen=True)
class RatingResults:
    """A store's current round as the central check counts it: the self rules' grades once the district
    accepted them (its overrides on top), the audit rules' grades and the verdict of the on-site check."""
    round_name: str
    self_grades: dict          # {rule: grade}, {} before the district's acceptance
    audit_grades: dict         # {rule: grade}, {} before the check
    onsite_passed: bool
    visited_on: date | None


def standard_results(session, store_ids, last_day: date) -> dict:
    """{store_id: RatingResults} for the stores whose current round (the latest opened by `last_day`) has
    anything to count, in three statements whatever the number of stores (wiring.STANDARD_RATING)."""
    end = local_midnight_utc(last_day + timedelta(days=1))
    rows = session.execute(
        select(Assessment.store_id, Assessment.id, RatingRound.name, RatingRound.created_at, Assessment.accepted_at,
               OnsiteCheck.items, OnsiteCheck.passed, OnsiteCheck.visited_on)
        .join(RatingRound, RatingRound.id == Assessment.round_id)
        .outerjoin(OnsiteCheck, (OnsiteCheck.assessment_id == Assessment.id) & (OnsiteCheck.signed_at < end))
        .where(Assessment.store_id.in_(store_ids), RatingRound.created_at < end)).all()
    current: dict = {}
    for row in rows:  # the latest round of each store
        if row.store_id not in current or row.created_at > current[row.store_id].created_at:
            current[row.store_id] = row
    accepted = {r.id for r in current.values() if r.accepted_at is not None and r.accepted_at < end}
    answers: dict = {}
    reviews: dict = {}
    if accepted:
        in_scope = select(Assessment.id).where(Assessment.store_id.in_(store_ids), Assessment.accepted_at < end)
        for aid, rule, grade in session.execute(select(Answer.assessment_id, Answer.rule_id, Answer.grade)
                                                .where(Answer.assessment_id.in_(in_scope))):
            answers.setdefault(aid, {})[rule] = grade
        for aid, rule, grade in session.execute(select(Review.assessment_id, Review.rule_id, Review.grade)
                                                .where(Review.assessment_id.in_(in_scope), Review.reviewed_at < end)
                                                .order_by(Review.reviewed_at)):
            reviews.setdefault(aid, {})[rule] = grade
    out = {}
    for store_id, r in current.items():
        self_grades = {**answers.get(r.id, {}), **reviews.get(r.id, {})} if r.id in accepted else {}
        audit_grades = dict(r.items or {})
        if self_grades or audit_grades:
            out[store_id] = RatingResults(r.name, self_grades, audit_grades, bool(r.passed), r.visited_on)
    return out
