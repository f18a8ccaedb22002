"""Complaint pages: the public form and look-up (no login, nothing personal shown), staff entry from a call or a
visit, the answer, and the overdue list the district auditor works from."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..auth.decorators import allow, public
from ..auth.permissions import ALL_STAFF, Role
from ..extensions import db
from ..forms import Posted, submit
from ..models import utcnow
from ..stores.models import Store
from ..web import current_actor, form_data, load
from . import service
from .complaints import ANSWER_DAYS, can_answer, is_overdue
from .schemas import AnswerSchema, PublicComplaintSchema, ReferenceSchema, StaffComplaintSchema, StoreQuerySchema

bp = Blueprint("complaints", __name__)
WRITERS = (Role.CASHIER, Role.STORE_MANAGER)


@bp.route("/outreach/complaints", methods=["GET", "POST"])
@allow(*ALL_STAFF)
def complaints():
    actor = current_actor()

    def page(posted=Posted()):
        store_id = load(StoreQuerySchema(), form_data(request.args))["store_id"]
        rows = service.list_complaints(db.session, actor, store_id=store_id,
                                       unanswered=request.args.get("open") == "1")
        return render_template("outreach/complaints.html", complaints=rows, now=utcnow(), is_overdue=is_overdue,
                               can_write=actor.role in WRITERS, **posted.context), posted.status

    if request.method == "POST":
        return submit(StaffComplaintSchema(), lambda data: service.record_complaint(
            db.session, actor, now=utcnow(), **data), page=page,
            done=lambda row: _("已登记，编号 %(ref)s（请告知投诉人）", ref=row.reference),
            then=lambda row: url_for("outreach.complaints.complaint", complaint_id=row.id))
    return page()


@bp.get("/outreach/complaints/overdue")
@allow(Role.STORE_MANAGER, Role.DISTRICT_AUDITOR, Role.FEDERATION_ADMIN)
def overdue():
    actor = current_actor()
    rows = service.overdue(db.session, actor, now=utcnow())
    names = dict(db.session.execute(select(Store.id, Store.name).where(Store.id.in_({r.store_id for r in rows}))).all()) \
        if rows else {}
    return render_template("outreach/overdue.html", complaints=rows, names=names, now=utcnow(), days=ANSWER_DAYS)


@bp.route("/outreach/complaints/<uuid:complaint_id>", methods=["GET", "POST"])
@allow(*ALL_STAFF)
def complaint(complaint_id):
    actor = current_actor()
    row = service.get_complaint(db.session, actor, complaint_id)

    def page(posted=Posted()):
        return render_template("outreach/complaint.html", c=row, now=utcnow(), overdue=is_overdue(row, utcnow()),
                               can_answer=can_answer(actor, row) and row.answered_at is None,
                               **posted.context), posted.status

    if request.method == "POST":
        return submit(AnswerSchema(), lambda data: service.answer_complaint(
            db.session, actor, complaint_id, data["answer"], now=utcnow()), page=page, done=_("已答复"),
            then=url_for("outreach.complaints.complaint", complaint_id=complaint_id))
    return page()


# --- public ----------------------------------------------------------------------------------------------

@bp.route("/public/complaints", methods=["GET", "POST"])
@public
def public_form():
    def page(posted=Posted()):
        # Codes and addresses only: the form is the same for everyone, and names are what the staff pages show.
        stores = db.session.execute(select(Store.code, Store.address).order_by(Store.code)).all()
        return render_template("outreach/public_form.html", stores=stores, **posted.context), posted.status

    if request.method == "POST":
        def send(data):
            return service.submit_public(db.session, service.PublicComplaintInput(
                store_code=data["store_code"], category=data["category"], text=data["text"],
                contact=data["contact"], honeypot=data["website"]), address=request.remote_addr, now=utcnow())
        return submit(PublicComplaintSchema(), send, page=page,
                      done=lambda row: _("已收到，您的查询编号是 %(ref)s，请记下", ref=row.reference),
                      then=lambda row: url_for("outreach.complaints.public_status", reference=row.reference))
    return page()


@bp.get("/public/complaints/lookup")
@public
def public_lookup():
    values = form_data(request.args)
    if not values.get("reference"):
        return redirect(url_for("outreach.complaints.public_form"))
    ref = load(ReferenceSchema(), values)["reference"].strip().upper()
    return redirect(url_for("outreach.complaints.public_status", reference=ref))


@bp.get("/public/complaints/<reference>")
@public
def public_status(reference):
    status = service.public_status(db.session, reference, now=utcnow())
    return render_template("outreach/public_status.html", s=status, days=ANSWER_DAYS)
