"""Staff pages for residents: look-up by member code, the directory, registration, a resident's account,
member card, PIN reset, status, adjustments and reversals."""
from __future__ import annotations

import uuid

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..auth.decorators import allow
from ..auth.permissions import Role
from ..exports import DATETIME, INT, TEXT, col, export_response, requested_format
from ..extensions import db
from ..forms import Posted, post_form, submit
from ..models import utcnow
from ..web import current_actor, form_data, load, send_pdf
from . import pin_reset, queries, residents, service
from .cards import member_card_pdf
from .credits import credits_of
from .rules import current_table_or_none
from .schemas import (AdjustSchema, LookupSchema, PinResetSchema, ReasonSchema, ResidentInSchema,
                      ResidentQuerySchema, StatusSchema)

bp = Blueprint("staff", __name__, url_prefix="/points")
STAFF = (Role.CASHIER, Role.STORE_MANAGER, Role.FEDERATION_ADMIN)
MANAGERS = (Role.STORE_MANAGER, Role.FEDERATION_ADMIN)
PAGE = 50


@bp.get("")
@allow(*STAFF, Role.DISTRICT_AUDITOR)
def home():
    if current_actor().role is Role.DISTRICT_AUDITOR:
        return redirect(url_for("points.admin.overview"))
    return render_template("points/home.html", error=None, code="")


@bp.get("/lookup")
@allow(*STAFF)
def lookup():
    code = request.args.get("code", "")
    posted = post_form(LookupSchema(), lambda data: residents.lookup(db.session, current_actor(), data["code"]),
                       {"code": code} if code else {})
    if not posted.ok:
        return render_template("points/home.html", code=code[:32], **posted.context), posted.status
    return redirect(url_for("points.staff.resident", resident_id=posted.result.id))


@bp.get("/residents")
@allow(*MANAGERS)
def directory():
    q = load(ResidentQuerySchema(), form_data(request.args))
    rows = residents.search_residents(db.session, current_actor(), q["q"], limit=PAGE + 1,
                                      offset=(q["page"] - 1) * PAGE)
    return render_template("points/residents.html", residents=rows[:PAGE], has_more=len(rows) > PAGE, q=q)


@bp.route("/residents/new", methods=["GET", "POST"])
@allow(*STAFF)
def register():
    actor = current_actor()

    def page(posted=Posted()):
        for secret in ("pin", "pin_confirm", "id_number"):  # never echoed back into a page
            posted.values.pop(secret, None)
        return render_template("points/resident_form.html", **posted.context), posted.status

    if request.method == "POST":
        return submit(ResidentInSchema(), lambda data: residents.register_resident(
            db.session, actor, pii_key=current_app.config["PII_HASH_KEY"], now=utcnow(), **data),
            done=lambda resident: _("已登记居民，会员码 %(code)s", code=resident.member_code),
            then=lambda resident: url_for("points.staff.resident", resident_id=resident.id), page=page)
    return page()


@bp.get("/residents/<uuid:resident_id>")
@allow(*STAFF, Role.DISTRICT_AUDITOR)
def resident(resident_id):
    fmt = requested_format()
    if fmt:
        return _entries_download(resident_id, fmt)
    return _resident_page(resident_id)


def _entries_download(resident_id, fmt: str):
    """Every points entry of the account (the page shows the latest 50), each store named as the page names it:
    by name where the viewer may see the store, else 其他门店."""
    actor = current_actor()
    person = residents.get_resident(db.session, actor, resident_id)
    label = queries.store_labeller(db.session, actor)
    columns = [
        col(_l("时间"), DATETIME, "created_at"),
        col(_l("类型"), TEXT, lambda e: queries.kind_label(e.kind)),
        col(_l("积分"), INT, "points"),
        col(_l("余额"), INT, "balance_after"),
        col(_l("地点"), TEXT, lambda e: label(e.store_id, e.kind)),
        col(_l("说明"), TEXT, "reason"),
    ]
    return export_response(columns, queries.iter_history(db.session, person.id), fmt,
                           f"points-{person.member_code}")


def _resident_page(resident_id, posted: Posted = Posted()):
    actor = current_actor()
    person = residents.get_resident(db.session, actor, resident_id)
    now = utcnow()
    return render_template(
        "points/resident.html", resident=person, name=queries.display_name(actor, person),
        expiring=queries.expiring_soon(db.session, person.id, now),
        entries=queries.history(db.session, person.id), credits=credits_of(db.session, person.id, limit=20),
        store_label=queries.store_labeller(db.session, actor), kind_label=queries.kind_label,
        new_key=uuid.uuid4(), pin_resets=pin_reset.recent_resets(db.session, person.id, now=now),
        **posted.context), posted.status


@bp.get("/residents/<uuid:resident_id>/card.pdf")
@allow(*STAFF)
def card(resident_id):
    actor = current_actor()
    person = residents.get_resident(db.session, actor, resident_id)
    return send_pdf(member_card_pdf(db.session, actor, person, now=utcnow()), f"member-card-{person.member_code}.pdf")


@bp.post("/residents/<uuid:resident_id>/pin")
@allow(Role.CASHIER, Role.STORE_MANAGER)
def reset_pin(resident_id):
    actor = current_actor()

    def page(posted):
        for secret in ("pin", "pin_confirm", "id_proof", "approver_secret"):  # never echoed back into a page
            posted.values.pop(secret, None)
        return _resident_page(resident_id, posted)

    return submit(PinResetSchema(), lambda data: pin_reset.reset_pin(
        db.session, actor, resident_id, data["pin"], id_proof=data["id_proof"], approval=data["approval"],
        pii_key=current_app.config["PII_HASH_KEY"], now=utcnow()),
        done=_("PIN 已更新"), then=url_for("points.staff.resident", resident_id=resident_id), form="pin",
        page=page)


@bp.post("/residents/<uuid:resident_id>/status")
@allow(*MANAGERS)
def set_status(resident_id):
    return submit(StatusSchema(), lambda data: residents.set_status(
        db.session, current_actor(), resident_id, data["status"], reason=data["reason"], now=utcnow()),
        done=_("状态已更新"), then=url_for("points.staff.resident", resident_id=resident_id), form="status",
        page=lambda posted: _resident_page(resident_id, posted))


@bp.route("/residents/<uuid:resident_id>/adjust", methods=["GET", "POST"])
@allow(*MANAGERS)
def adjust(resident_id):
    actor = current_actor()
    person = residents.get_resident(db.session, actor, resident_id)

    def page(posted=Posted(values={"idempotency_key": str(uuid.uuid4())})):
        posted.values.pop("approver_secret", None)
        table = current_table_or_none(db.session, utcnow())
        deductions = [a for a in table.activities if a.kind == "deduction"] if table else []
        return render_template("points/adjust.html", resident=person, name=queries.display_name(actor, person),
                               deductions=deductions, **posted.context), posted.status

    if request.method == "POST":
        return submit(AdjustSchema(), lambda data: service.adjust_points(db.session, actor, resident_id=person.id,
                                                                          now=utcnow(), **data),
                      done=_("积分已调整"), then=url_for("points.staff.resident", resident_id=person.id), page=page)
    return page()


@bp.post("/entries/<uuid:entry_id>/reverse")
@allow(*MANAGERS)
def reverse(entry_id):
    data = load(ReasonSchema(), form_data(request.form))
    entry = service.reverse_entry(db.session, current_actor(), entry_id, reason=data["reason"], now=utcnow())
    flash(_("已冲销"))
    return redirect(url_for("points.staff.resident", resident_id=entry.resident_id))
