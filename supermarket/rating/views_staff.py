"""Staff pages: the review queue (auditor, federation), a round's overview, a store's rating page, an
assessment (the store's answers and submission; the auditor's return, review, on-site check, objections and
decision), findings. The forms post to views_actions. Scope is the services': another district's record is 404."""
from __future__ import annotations

from io import BytesIO

from flask import redirect, render_template, send_file, url_for
from sqlalchemy import select

from ..auth.decorators import allow
from ..auth.permissions import Role
from ..clock import local_today
from ..errors import NotFound
from ..extensions import db
from ..forms import Posted
from ..models import utcnow
from ..standards.views import grade_class
from ..stores.models import District, Store
from ..web import current_actor
from . import decisions, findings, onsite, questions, review, service
from .common import STATUS_LABELS, as_uuid, load
from ..auth.models import User
from .models import Answer, Evidence, OnsiteCheck, OnsiteVisit, RatingRound, Review
from .views import bp

VIEWERS = (Role.FEDERATION_ADMIN, Role.DISTRICT_AUDITOR, Role.STORE_MANAGER)
OVERSIGHT = (Role.FEDERATION_ADMIN, Role.DISTRICT_AUDITOR)
QUEUE = ("submitted", "onsite", "publicity")


@bp.get("/rating")
@allow(*VIEWERS)
def home():
    actor = current_actor()
    if actor.role is Role.STORE_MANAGER:
        store = db.session.get(Store, actor.store_id)
        if store is None:
            raise NotFound()
        return redirect(url_for("rating.store_page", store_code=store.code))
    return queue_page()


def queue_page(posted: Posted | None = None):
    actor = current_actor()
    posted = posted or Posted()
    today = local_today(utcnow())
    rows = [(a, st) for a, st in service.list_assessments(db.session, actor) if a.status in QUEUE]
    rows.sort(key=lambda x: (x[0].review_due or today, x[1].code))
    districts = db.session.scalars(select(District).order_by(District.code)).all() if actor.all_stores else []
    # The decision is due within 15 days after the publicity (RATING_DECISION_DAYS).
    late_decisions = {a.id for a, _st in rows if decisions.decision_overdue(a, today)}
    return render_template("rating/queue.html", rows=rows, today=today, late_decisions=late_decisions, rounds=service.list_rounds(db.session, actor),
                           proposals=review.proposals(db.session, actor),
                           overdue=findings.listing(db.session, actor, overdue=True, now=utcnow()),
                           stores={s.id: s for s in db.session.scalars(select(Store))},
                           districts=districts, labels=STATUS_LABELS, **posted.context), posted.status


@bp.get("/rating/rounds/<round_id>")
@allow(*OVERSIGHT)
def round_page(round_id, posted: Posted | None = None):
    actor = current_actor()
    posted = posted or Posted()
    rnd = db.session.get(RatingRound, as_uuid(round_id)) if as_uuid(round_id) else None
    rows = service.list_assessments(db.session, actor, round_id=rnd.id) if rnd else []
    if rnd is None or not rows:
        raise NotFound()
    today = local_today(utcnow())
    late = [a.id for a, _st in rows if a.status in ("draft", "returned") and today > rnd.deadline]
    counts = {s: sum(1 for a, _st in rows if a.status == s) for s in STATUS_LABELS}
    overdue = {a.id: decisions.decision_due(a) for a, _st in rows if decisions.decision_overdue(a, today)}
    pending = sum(1 for a, _st in rows if a.status in decisions.PENDING)
    may_close = (rnd.status != "closed" and (actor.role is Role.FEDERATION_ADMIN if rnd.district_id is None
                                             else actor.role is Role.DISTRICT_AUDITOR))
    return render_template("rating/round.html", rnd=rnd, rows=rows, late=set(late), counts=counts,
                           labels=STATUS_LABELS, today=today, overdue=overdue, pending=pending,
                           may_close=may_close, **posted.context), posted.status


@bp.get("/rating/stores/<store_code>")
@allow(*VIEWERS)
def store_page(store_code, posted: Posted | None = None):
    actor = current_actor()
    posted = posted or Posted()
    store = db.session.scalar(select(Store).where(Store.code == str(store_code).strip().upper()))
    if store is None or not actor.can_see_store(store.id):
        raise NotFound()
    today = local_today(utcnow())
    history = decisions.decisions_of(db.session, store.id)
    current = history[0] if history else None
    return render_template("rating/store.html", store=store, current=current,
                           proposals=review.proposals(db.session, actor, status=None, store_id=store.id),
                           visits={v.assessment_id: v for v in db.session.scalars(
                               select(OnsiteVisit).where(OnsiteVisit.store_id == store.id))},
                           holds=decisions.holds_star(current, today), history=history,
                           assessments=service.list_assessments(db.session, actor, store=store.code),
                           findings=findings.listing(db.session, actor, store=store.code, now=utcnow()),
                           today=today, labels=STATUS_LABELS, is_overdue=findings.is_overdue,
                           **posted.context), posted.status


@bp.get("/rating/assessments/<assessment_id>")
@allow(*VIEWERS)
def assessment_page(assessment_id, posted: Posted | None = None):
    actor = current_actor()
    posted = posted or Posted()
    a = load(db.session, actor, assessment_id)
    s = db.session
    store = s.get(Store, a.store_id)
    ev = service.evaluation(s, a, live_actor=actor)
    answers = {r.rule_id: r for r in s.scalars(select(Answer).where(Answer.assessment_id == a.id))}
    reviews = list(s.scalars(select(Review).where(Review.assessment_id == a.id).order_by(Review.reviewed_at)))
    doc = service._doc(s, a)
    rnd = s.get(RatingRound, a.round_id)
    inspectors = [] if actor.role is not Role.DISTRICT_AUDITOR else list(s.scalars(
        select(User.username).where(User.role == Role.DISTRICT_AUDITOR.value, User.district_id == store.district_id,
                                    User.active.is_(True)).order_by(User.username)))
    return render_template(
        "rating/assessment.html", a=a, store=store, ev=ev, answers=answers, reviews=reviews, doc=doc,
        evidence=service.evidence_of(s, a.id), questions={r.id: questions.question(r.id) for r in doc.rules},
        check=s.scalar(select(OnsiteCheck).where(OnsiteCheck.assessment_id == a.id)),
        objections=decisions.objections(s, a.id), rnd=rnd, closed=rnd.status == "closed",
        visit=onsite.visit_of(s, a.id), inspectors=inspectors, results=onsite.RESULT_LABELS,
        decision_due=decisions.decision_due(a), decision_overdue=decisions.decision_overdue(a, local_today(utcnow())),
        labels=STATUS_LABELS, grade_class=grade_class, now=utcnow(), today=local_today(utcnow()),
        is_manager=actor.role is Role.STORE_MANAGER, is_auditor=actor.role is Role.DISTRICT_AUDITOR,
        is_city=actor.role is Role.FEDERATION_ADMIN, audit_rules=[r for r in doc.rules if r.kind == "audit"],
        **posted.context), posted.status


@bp.get("/rating/evidence/<evidence_id>")
@allow(*VIEWERS)
def evidence_file(evidence_id):
    actor = current_actor()
    row = db.session.get(Evidence, as_uuid(evidence_id)) if as_uuid(evidence_id) else None
    if row is None or not actor.can_see_store(row.store_id):
        raise NotFound()
    resp = send_file(BytesIO(row.data), mimetype=row.content_type, max_age=0)
    # Served as what it was checked to be, never sniffed into something else.
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Content-Security-Policy"] = "default-src 'none'"
    return resp


@bp.get("/rating/findings")
@allow(*VIEWERS)
def findings_page(posted: Posted | None = None):
    actor = current_actor()
    posted = posted or Posted()
    rows = findings.listing(db.session, actor, now=utcnow())
    stores = [s for s in db.session.scalars(select(Store).order_by(Store.code)) if actor.can_see_store(s.id)]
    files = findings.evidence_of(db.session, [f.id for f, _code in rows])
    return render_template("rating/findings.html", rows=rows, stores=stores, today=local_today(utcnow()),
                           is_overdue=findings.is_overdue, files=files, **posted.context), posted.status
