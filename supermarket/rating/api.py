"""The rating procedure's JSON API. Every state change takes an `idempotency_key` (replayed: the first answer
again with `Idempotent-Replay: true`); another district's assessment answers 404."""
from __future__ import annotations

import json

from flask import Blueprint, request, url_for
from sqlalchemy import select

from ..api import doc
from ..auth.decorators import allow, public
from ..auth.permissions import Role
from ..errors import InvalidInput
from ..extensions import db, limiter
from ..models import utcnow
from ..uploads import Upload
from ..web import created, current_actor, load, send_pdf
from . import decisions, documents, findings, onsite as onsite_mod, review, service
from .common import load as load_assessment
from .common import as_uuid, store_of
from .models import Answer, OnsiteCheck, Proposal, Review
from .schemas import (AcceptInSchema, AnswerInSchema, AssessmentQuerySchema, ConfirmInSchema, DecideInSchema,
                      FindingInSchema, ObjectionAnswerInSchema, ObjectionInSchema, OnsiteInSchema, RejectInSchema,
                      ReturnInSchema, RoundInSchema, ScheduleInSchema, SubmitInSchema, assessment_json,
                      assessment_row, decision_json, downgrade_json, finding_json, objection_json, proposal_json,
                      round_json)

bp = Blueprint("rating", __name__)
VIEWERS = (Role.FEDERATION_ADMIN, Role.DISTRICT_AUDITOR, Role.STORE_MANAGER)
OVERSIGHT = (Role.FEDERATION_ADMIN, Role.DISTRICT_AUDITOR)


def detail(a) -> dict:
    s = db.session
    answers = list(s.scalars(select(Answer).where(Answer.assessment_id == a.id)))
    reviews = list(s.scalars(select(Review).where(Review.assessment_id == a.id).order_by(Review.reviewed_at)))
    check = s.scalar(select(OnsiteCheck).where(OnsiteCheck.assessment_id == a.id))
    ev = service.evaluation(s, a, live_actor=current_actor())
    return assessment_json(a, store_of(s, a), ev, answers, service.evidence_of(s, a.id), reviews, check,
                           decisions.objections(s, a.id))


@bp.get("/rating/rounds")
@allow(*VIEWERS)
@doc(summary="Assessment rounds the caller may see")
def rounds():
    return {"rounds": [round_json(r) for r in service.list_rounds(db.session, current_actor())]}


@bp.post("/rating/rounds")
@allow(*OVERSIGHT)
@doc(summary="Open a round (a district auditor: their district; the federation: the city or `district`); every "
             "open store in scope gets an assessment in draft", body=RoundInSchema)
def open_round():
    data = load(RoundInSchema(), request.get_json(silent=True))
    rnd = service.open_round(db.session, current_actor(), name=data["name"], deadline=data["deadline"],
                             district_code=data["district"], idempotency_key=data["idempotency_key"], now=utcnow())
    return created(round_json(rnd), False)


@bp.get("/assessments")
@allow(*VIEWERS)
@doc(summary="Assessments of the caller's scope (query: store, status)", query=AssessmentQuerySchema)
def assessments():
    q = load(AssessmentQuerySchema(), request.args.to_dict())
    rows = service.list_assessments(db.session, current_actor(), store=q["store"], status=q["status"])
    return {"assessments": [assessment_row(a, st) for a, st in rows]}


@bp.get("/assessments/<assessment_id>")
@allow(*VIEWERS)
@doc(summary="One assessment: the score as it stands (frozen auto figures once submitted), answers, evidence "
             "(SHA-256, versions), reviews with both grades, the on-site check and the objections")
def assessment(assessment_id):
    return detail(load_assessment(db.session, current_actor(), assessment_id))


def _answer_input(schema=None):
    """JSON, or multipart with a `payload` JSON field and `evidence` files (photos or PDFs)."""
    files = []
    if request.mimetype == "multipart/form-data":
        try:
            raw = json.loads(request.form.get("payload") or "null")
        except ValueError:
            raise InvalidInput(fields={"payload": ["JSON"]}) from None
        files = [Upload(f.filename or "", f.stream.read()) for f in request.files.getlist("evidence") if f.filename]
    else:
        raw = request.get_json(silent=True)
    return load(schema or AnswerInSchema(), raw), files


@bp.post("/assessments/<assessment_id>/answer")
@allow(Role.STORE_MANAGER)
@doc(summary="Answer one self rule (JSON, or multipart: `payload` JSON + `evidence` files); a new file replaces "
             "the rule's evidence as a new version, the old kept", body=AnswerInSchema)
def answer(assessment_id):
    data, files = _answer_input()
    before = _replay_marker(data)
    a = service.answer(db.session, current_actor(), assessment_id, data["rule"], data["value"], files,
                       idempotency_key=data["idempotency_key"], now=utcnow())
    return created(detail(a), before, 200)


def _replay_marker(data) -> bool:
    """Was the key used before (by this caller)? Then the answer is a replay."""
    from ..idempotency import IdempotencyKey, key_scope
    key = data.get("idempotency_key")
    if not key:
        return False
    return db.session.get(IdempotencyKey, (key_scope(current_actor()), str(key))) is not None


@bp.post("/assessments/<assessment_id>/submit")
@allow(Role.STORE_MANAGER)
@doc(summary="Submit (freezes the auto figures at the first submission, locks the answers)", body=SubmitInSchema)
def submit(assessment_id):
    data = load(SubmitInSchema(), request.get_json(silent=True))
    replay = _replay_marker(data)
    a = service.submit(db.session, current_actor(), assessment_id, stars_applied=data["stars_applied"],
                       idempotency_key=data["idempotency_key"], now=utcnow())
    return created(detail(a), replay, 200)


@bp.post("/assessments/<assessment_id>/return")
@allow(Role.DISTRICT_AUDITOR)
@doc(summary="Return the named self items for changes (the others stay locked)", body=ReturnInSchema)
def return_items(assessment_id):
    data = load(ReturnInSchema(), request.get_json(silent=True))
    replay = _replay_marker(data)
    a = service.return_items(db.session, current_actor(), assessment_id, items=data["items"], reason=data["reason"],
                             idempotency_key=data["idempotency_key"], now=utcnow())
    return created(detail(a), replay, 200)


@bp.post("/assessments/<assessment_id>/accept")
@allow(Role.DISTRICT_AUDITOR)
@doc(summary="Confirm every item, overriding those named (another grade needs a reason); 4–5 stars go on to the "
             "on-site check, the others to publicity", body=AcceptInSchema)
def accept(assessment_id):
    data = load(AcceptInSchema(), request.get_json(silent=True))
    replay = _replay_marker(data)
    reviews = [service.ItemReview(r["rule"], r["grade"], r["reason"]) for r in data["reviews"]]
    a = service.accept(db.session, current_actor(), assessment_id, reviews=reviews,
                       idempotency_key=data["idempotency_key"], now=utcnow())
    return created(detail(a), replay, 200)


@bp.post("/assessments/<assessment_id>/onsite")
@allow(Role.DISTRICT_AUDITOR)
@doc(summary="Record the scheduled on-site check (each audit rule: a grade A–D, or met / partly / not_met with "
             "`notes`), by one of the scheduled inspectors, signed by another's password",
     body=OnsiteInSchema)
def onsite(assessment_id):
    data = load(OnsiteInSchema(), request.get_json(silent=True))
    replay = _replay_marker(data)
    a = onsite_mod.onsite(db.session, current_actor(), assessment_id, visited_on=data["visited_on"],
                       items=data["items"], passed=data["passed"], note=data["note"], notes=data["notes"],
                       second_auditor=data["second_auditor"], second_secret=data["second_secret"],
                       idempotency_key=data["idempotency_key"], now=utcnow())
    return created(detail(a), replay, 200)


@bp.post("/assessments/<assessment_id>/schedule")
@allow(Role.DISTRICT_AUDITOR)
@doc(summary="Schedule (or move) the on-site check of a 4–5 star application: the day and at least two "
             "inspectors, auditors of the store's district, none of the store's staff", body=ScheduleInSchema)
def schedule(assessment_id):
    data = load(ScheduleInSchema(), request.get_json(silent=True))
    replay = _replay_marker(data)
    a = onsite_mod.schedule(db.session, current_actor(), assessment_id, scheduled_on=data["scheduled_on"],
                            inspectors=data["inspectors"], note=data["note"],
                            idempotency_key=data["idempotency_key"], now=utcnow())
    return created(detail(a), replay, 200)


@bp.post("/assessments/<assessment_id>/objections/<reference>/answer")
@allow(Role.DISTRICT_AUDITOR)
@doc(summary="Answer an objection raised during publicity", body=ObjectionAnswerInSchema)
def answer_objection(assessment_id, reference):
    data = load(ObjectionAnswerInSchema(), request.get_json(silent=True))
    replay = _replay_marker(data)
    row = decisions.answer_objection(db.session, current_actor(), assessment_id, reference, answer=data["answer"],
                                     idempotency_key=data["idempotency_key"], now=utcnow())
    return created(objection_json(row), replay, 200)


@bp.post("/assessments/<assessment_id>/decide")
@allow(*OVERSIGHT)
@doc(summary="Decide after publicity (every objection answered): rated N stars, or 0 = not rated with reasons; "
             "4–5 stars are confirmed by the federation; more than 15 days after the publicity, `late_reason` is "
             "required", body=DecideInSchema)
def decide(assessment_id):
    data = load(DecideInSchema(), request.get_json(silent=True))
    replay = _replay_marker(data)
    row = decisions.decide(db.session, current_actor(), assessment_id, stars=data["stars"], reasons=data["reasons"],
                           late_reason=data["late_reason"], idempotency_key=data["idempotency_key"], now=utcnow())
    return created(decision_json(row), replay)


@bp.get("/findings")
@allow(*VIEWERS)
@doc(summary="Findings of the caller's scope (query: store, status, overdue=1)")
def list_findings():
    a = request.args
    rows = findings.listing(db.session, current_actor(), store=a.get("store") or None,
                            status=a.get("status") or None, overdue=a.get("overdue") == "1", now=utcnow())
    return {"findings": [finding_json(f, code) for f, code in rows]}


@bp.post("/findings")
@allow(Role.DISTRICT_AUDITOR)
@doc(summary="Record a finding (rule, severity, due date; red_line RL-2/RL-4 when it confirms one); JSON, or "
             "multipart: `payload` JSON + `evidence` files (photos or PDFs, checked like the store's response)",
     body=FindingInSchema)
def create_finding():
    data, files = _answer_input(FindingInSchema())
    replay = _replay_marker(data)
    row = findings.record(db.session, current_actor(), store=data["store"], rule=data["rule"],
                          severity=data["severity"], description=data["description"], due_on=data["due_on"],
                          red_line=data["red_line"], assessment_id=data["assessment"], evidence=files,
                          idempotency_key=data["idempotency_key"], now=utcnow())
    body = finding_json(row, data["store"].upper())
    body["evidence"] = [{"filename": e.filename, "sha256": e.sha256, "purpose": e.purpose}
                        for e in findings.evidence_of(db.session, [row.id]).get(row.id, [])]
    return created(body, replay)


@bp.post("/rating/proposals/<proposal_id>/confirm")
@allow(Role.DISTRICT_AUDITOR)
@doc(summary="Confirm a proposed one-star downgrade (the district's auditor): a new decision one star lower; "
             "another district's proposal answers 404", body=ConfirmInSchema)
def confirm_proposal(proposal_id):
    data = load(ConfirmInSchema(), request.get_json(silent=True))
    replay = _replay_marker(data)
    new = review.confirm_downgrade(db.session, current_actor(), proposal_id,
                                   idempotency_key=data["idempotency_key"], now=utcnow())
    proposal = db.session.scalar(select(Proposal).where(Proposal.kind == "downgrade",
                                                        Proposal.id == as_uuid(proposal_id)))
    return created(downgrade_json(new, proposal), replay)


@bp.post("/rating/proposals/<proposal_id>/reject")
@allow(Role.DISTRICT_AUDITOR)
@doc(summary="Reject a proposed downgrade with a reason (the district's auditor): the star stays; the store sees "
             "the reason", body=RejectInSchema)
def reject_proposal(proposal_id):
    data = load(RejectInSchema(), request.get_json(silent=True))
    replay = _replay_marker(data)
    p = review.reject_downgrade(db.session, current_actor(), proposal_id, reason=data["reason"],
                                idempotency_key=data["idempotency_key"], now=utcnow())
    return created(proposal_json(p), replay, 200)


@bp.post("/rating/rounds/<round_id>/close")
@allow(*OVERSIGHT)
@doc(summary="Close a round after its deadline once every submitted assessment is decided (the district's "
             "auditor for a district round, the federation for a city round); nothing changes in it afterwards",
     body=ConfirmInSchema)
def close_round(round_id):
    data = load(ConfirmInSchema(), request.get_json(silent=True))
    replay = _replay_marker(data)
    rnd = decisions.close_round(db.session, current_actor(), round_id, idempotency_key=data["idempotency_key"],
                                now=utcnow())
    body = round_json(rnd)
    body.update(status=rnd.status, closed_by=rnd.closed_by, closed_at=rnd.closed_at.isoformat())
    return created(body, replay, 200)


def objection_rate_limit() -> str:
    from ..settings import setting
    return setting("RATING_OBJECTION_RATE_LIMIT", "10 per hour")


@bp.get("/rating/publicity")
@public
@doc(summary="Results in publicity now (public, no login): store, star proposed, total and rule scores",
     tags=("public",))
def publicity():
    out = []
    for a, st in decisions.in_publicity(db.session, utcnow()):
        ev = service.evaluation(db.session, a)
        out.append({"id": str(a.id), "store": st.code, "name": st.name, "stars_proposed": a.stars_allowed,
                    "stars_applied": a.stars_applied, "total": a.total,
                    "publicity_ends": a.publicity_ends.isoformat(),
                    "rules": [{"id": x.id, "name": x.name_zh, "grade": x.grade, "points": x.points}
                              for x in ev.lines]})
    return {"publicity": out}


@bp.post("/rating/publicity/<assessment_id>/objections")
@public
@limiter.limit(objection_rate_limit)
@doc(summary="Object to a result in publicity (public, no login, rate-limited); answers a reference number",
     body=ObjectionInSchema, tags=("public",))
def object_to(assessment_id):
    data = load(ObjectionInSchema(), request.get_json(silent=True))
    row = decisions.object_to(db.session, assessment_id, text=data["text"], contact=data["contact"], now=utcnow())
    return {"reference": row.reference}, 201


@bp.get("/stores/<store_code>/certificate.pdf")
@allow(*VIEWERS)
@doc(summary="The store's star certificate (PDF, with the QR code of its public verification page); 404 when "
             "the store holds no valid star")
def certificate(store_code):
    store, d = documents.valid_decision(db.session, current_actor(), store_code, utcnow())
    url = url_for("rating.public_verify", cert_token=d.token, _external=True)
    return send_pdf(documents.certificate_pdf(db.session, store, d, url), f"certificate-{store.code}.pdf")


@bp.get("/assessments/<assessment_id>/report.pdf")
@allow(*VIEWERS)
@doc(summary="The assessment report (PDF): rule by rule, values, grades, overrides with reasons, evidence with "
             "SHA-256")
def report(assessment_id):
    a = load_assessment(db.session, current_actor(), assessment_id)
    return send_pdf(documents.report_pdf(db.session, a, utcnow()), f"assessment-{a.id}.pdf")
