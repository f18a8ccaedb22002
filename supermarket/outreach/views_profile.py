"""The store profile page: area and zones, operator and agreement, signage photos, rule documents, opening hours.
Managers edit their own store's; overseers read any store they may see (?store_id=)."""
from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import Schema, fields, validate

from ..auth.decorators import allow
from ..auth.permissions import ALL_STAFF, Role
from ..errors import InvalidInput
from ..extensions import db
from ..forms import Posted, submit
from ..models import utcnow
from ..stores.models import Store
from ..web import current_actor, form_data, load
from . import service
from .files import Upload
from .models import RULES, SIGNAGE, ZONES
from .schemas import BasicsSchema, HoursSchema, StoreQuerySchema

bp = Blueprint("profile", __name__)
EDITORS = (Role.STORE_MANAGER, Role.FEDERATION_ADMIN)


class DocumentSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(("signage", "rule", "agreement")))
    code = fields.String(load_default="", validate=validate.Length(max=24))


def _page(actor, store_id, posted=Posted()):
    view = service.get_profile(db.session, actor, store_id)
    store = db.session.get(Store, view.store_id)
    return render_template("outreach/profile.html", view=view, store=store, zones=ZONES, signage=SIGNAGE,
                           rules=RULES, can_edit=actor.role in EDITORS and actor.role is not None and
                           (actor.role is Role.FEDERATION_ADMIN or actor.store_id == view.store_id),
                           store_query=store_id, **posted.context), posted.status


def _store_arg():
    return load(StoreQuerySchema(), form_data(request.args))["store_id"]


def _then(store_id):
    return url_for("outreach.profile.profile", store_id=store_id) if store_id else \
        url_for("outreach.profile.profile")


@bp.get("/outreach/profile")
@allow(*ALL_STAFF)
def profile():
    actor, store_id = current_actor(), _store_arg()
    if store_id is None and actor.store_id is None:
        # An overseer picks a store first: the stores they may see, by name.
        from ..stores import service as stores_service
        return render_template("outreach/profile_stores.html", stores=stores_service.list_stores(db.session, actor))
    return _page(actor, store_id)


@bp.post("/outreach/profile/basics")
@allow(*EDITORS)
def basics():
    actor, store_id = current_actor(), _store_arg()
    values = form_data(request.form)
    values["zones"] = request.form.getlist("zones")
    return submit(BasicsSchema(), lambda data: service.update_basics(db.session, actor, store_id=store_id,
                                                                     now=utcnow(), **data),
                  values=values, done=_("已保存"), then=_then(store_id),
                  page=lambda posted: _page(actor, store_id, posted), form="basics")


@bp.post("/outreach/profile/hours")
@allow(*EDITORS)
def hours():
    actor, store_id = current_actor(), _store_arg()
    return submit(HoursSchema(), lambda data: service.set_opening_hours(
        db.session, actor, HoursSchema.week(data), store_id=store_id, now=utcnow()),
        done=_("营业时间已保存"), then=_then(store_id), page=lambda posted: _page(actor, store_id, posted),
        form="hours")


@bp.post("/outreach/profile/documents")
@allow(*EDITORS)
def documents():
    actor, store_id = current_actor(), _store_arg()
    upload = request.files.get("file")

    def attach(data):
        if upload is None or not upload.filename:
            raise InvalidInput(_("请选择文件"), fields={"file": [_("请选择文件")]})
        return service.attach_document(db.session, actor, data["kind"], data["code"],
                                       Upload(upload.filename, upload.read()), store_id=store_id, now=utcnow())
    return submit(DocumentSchema(), attach, done=_("文件已上传"), then=_then(store_id),
                  page=lambda posted: _page(actor, store_id, posted), form="documents")


@bp.post("/outreach/profile/clear")
@allow(*EDITORS)
def clear():
    actor, store_id = current_actor(), _store_arg()
    return submit(DocumentSchema(), lambda data: service.clear_item(db.session, actor, data["kind"], data["code"],
                                                                    store_id=store_id, now=utcnow()),
                  done=_("已取消"), then=_then(store_id), page=lambda posted: _page(actor, store_id, posted),
                  form="clear")
