"""Outreach pages: publicity events, the convenience-service quick log, training, the files. Complaints and the
store profile have their own modules, nested here."""
from __future__ import annotations

import uuid
from io import BytesIO

from flask import Blueprint, render_template, request, send_file, url_for
from flask_babel import gettext as _

from ..auth.decorators import allow
from ..auth.permissions import ALL_STAFF, STORE_ROLES, Role
from ..clock import day_bounds_utc, local_today
from ..extensions import db
from ..forms import Posted, submit
from ..i18n import local_date, local_datetime
from ..models import utcnow
from ..privacy import mask_phone
from ..web import current_actor, form_data, load
from . import labels, service
from .files import Upload
from .schemas import (EventInSchema, ServiceLogInSchema, ServiceTypeInSchema, StoreQuerySchema, ToggleSchema,
                      TrainingInSchema)
from .services_log import DEFAULT_TYPES, today_counts
from .training import store_people
from .views_complaints import bp as complaints_bp
from .views_profile import bp as profile_bp

bp = Blueprint("outreach", __name__, template_folder="templates")
for child in (complaints_bp, profile_bp):
    bp.register_blueprint(child)
WRITERS = (Role.CASHIER, Role.STORE_MANAGER)


@bp.context_processor
def helpers():
    return {"labels": labels, "label": labels.label, "local_date": local_date, "local_datetime": local_datetime,
            "mask_phone": mask_phone}


def _store_query():
    return load(StoreQuerySchema(), form_data(request.args))["store_id"]


@bp.get("/outreach")
@allow(*ALL_STAFF)
def home():
    actor = current_actor()
    overdue = service.overdue(db.session, actor, now=utcnow())
    return render_template("outreach/home.html", overdue=len(overdue))


@bp.route("/outreach/events", methods=["GET", "POST"])
@allow(*ALL_STAFF)
def events():
    actor = current_actor()

    def page(posted=Posted()):
        rows = service.list_events(db.session, actor, store_id=_store_query())
        return render_template("outreach/events.html", events=rows, can_write=actor.role in WRITERS,
                               today=local_today(utcnow()), **posted.context), posted.status

    if request.method == "POST":
        photos = tuple(Upload(f.filename or "", f.read()) for f in request.files.getlist("photos") if f.filename)

        def record(data):
            return service.record_event(db.session, actor, service.EventInput(photos=photos, **data), now=utcnow())
        return submit(EventInSchema(), record, done=_("已登记宣传活动"), then=url_for("outreach.events"), page=page)
    return page()


@bp.route("/outreach/services", methods=["GET", "POST"])
@allow(*ALL_STAFF)
def services():
    """The quick log: tap a service, tap 登记 (count 1 unless changed)."""
    actor = current_actor()

    def page(posted=Posted()):
        store_id = _store_query() if actor.store_id is None else actor.store_id
        types = service.list_service_types(db.session, actor, store_id) if store_id else []
        counts = today_counts(db.session, store_id, *day_bounds_utc(local_today(utcnow()))) if store_id else {}
        values = dict(posted.values)
        values["idempotency_key"] = str(uuid.uuid4())  # a fresh key per page: a double tap logs once
        return render_template("outreach/services.html", types=types, counts=counts,
                               logs=service.list_logs(db.session, actor, store_id=store_id, limit=20),
                               can_write=actor.role in WRITERS, can_manage=actor.role is Role.STORE_MANAGER,
                               **{**posted.context, "values": values}), posted.status

    if request.method == "POST":
        def log(data):
            return service.log_service(db.session, actor, data["type_id"], count=data["count"],
                                       member_code=data["member_code"], idempotency_key=data["idempotency_key"],
                                       now=utcnow())
        return submit(ServiceLogInSchema(), log, page=page, then=url_for("outreach.services"),
                      done=lambda row: _("已登记：%(name)s %(n)d 次", name=row.type.name, n=row.count))
    return page()


def _types_page(actor, posted=Posted()):
    return render_template("outreach/service_types.html",
                           types=service.list_service_types(db.session, actor, active_only=False),
                           suggestions=DEFAULT_TYPES, **posted.context), posted.status


@bp.route("/outreach/services/types", methods=["GET", "POST"])
@allow(Role.STORE_MANAGER)
def service_types():
    actor = current_actor()
    if request.method == "POST":
        return submit(ServiceTypeInSchema(), lambda data: service.add_service_type(
            db.session, actor, data["name"], now=utcnow()), done=_("已添加服务类型"),
            then=url_for("outreach.service_types"), page=lambda posted: _types_page(actor, posted))
    return _types_page(actor)


@bp.post("/outreach/services/types/<uuid:type_id>/toggle")
@allow(Role.STORE_MANAGER)
def service_type_toggle(type_id):
    actor = current_actor()
    values = form_data(request.form)
    return submit(ToggleSchema(), lambda data: service.set_service_type_active(
        db.session, actor, type_id, data["active"], now=utcnow()), values=values,
        done=_("已更新"), then=url_for("outreach.service_types"), page=lambda posted: _types_page(actor, posted))


@bp.route("/outreach/trainings", methods=["GET", "POST"])
@allow(*ALL_STAFF)
def trainings():
    actor = current_actor()

    def page(posted=Posted()):
        people = store_people(db.session, actor) if actor.role in STORE_ROLES else []
        return render_template("outreach/trainings.html", people=people, can_write=actor.role in WRITERS,
                               trainings=service.list_trainings(db.session, actor, store_id=_store_query()),
                               **posted.context), posted.status

    if request.method == "POST":
        values = form_data(request.form)
        values["user_ids"] = request.form.getlist("user_ids")
        values["member_codes"] = [c for c in (request.form.get("member_codes") or "").replace("，", ",")
                                  .replace(" ", ",").split(",") if c]

        def record(data):
            return service.record_training(db.session, actor, service.TrainingInput(
                held_on=data["held_on"], topic=data["topic"], trainer=data["trainer"], minutes=data["minutes"],
                user_ids=tuple(data["user_ids"]), member_codes=tuple(data["member_codes"]),
                store_id=data["store_id"]), now=utcnow())
        return submit(TrainingInSchema(), record, values=values, done=_("已登记培训"),
                      then=url_for("outreach.trainings"), page=page)
    return page()


@bp.get("/outreach/files/<uuid:file_id>")
@allow(*ALL_STAFF)
def file(file_id):
    row = service.get_file(db.session, current_actor(), file_id)
    resp = send_file(BytesIO(row.data), mimetype=row.content_type, download_name=row.filename or "file",
                     as_attachment=row.content_type == "application/pdf", etag=row.sha256)
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Cache-Control"] = "private, max-age=3600"
    return resp

