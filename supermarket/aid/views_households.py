"""Household pages: the list, registration, the full record (each opening logged), edits, reviews, status
changes, the card PDF, and the read-access log."""
from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from . import service
from ..auth.decorators import allow
from ..auth.permissions import ALL_STAFF, OVERSIGHT, Role
from ..exports import DATE, TEXT, col, export_response, page_args, requested_format
from ..extensions import db
from ..forms import Posted, submit
from ..models import utcnow
from ..privacy import mask_id_last4, mask_name, normalise_id, valid_mainland_id
from ..stores import service as stores_service
from ..web import current_actor, form_data, load, send_pdf
from .views import bp
from ..clock import local_today
from .schemas import HouseholdInSchema, HouseholdQuerySchema, HouseholdUpdateSchema, ReviewSchema, StatusSchema

PAGE_SIZE = 50
MANAGERS = (Role.STORE_MANAGER, Role.FEDERATION_ADMIN)


VALIDITY_LABELS = {"active": _l("有效"), "suspended": _l("暂停")}


def _household_columns(today) -> list:
    """The list's columns, masked as on the screen (张*明, ****1234)."""
    return [
        col(_l("户编号"), TEXT, "code"),
        col(_l("户主"), TEXT, lambda h: mask_name(h.head_name)),
        col(_l("证件号"), TEXT, lambda h: mask_id_last4(h.id_last4)),
        col(_l("类别"), TEXT, lambda h: h.category.name),
        col(_l("社区"), TEXT, "community"),
        col(_l("复核期限"), DATE, "review_due"),
        col(_l("状态"), TEXT, lambda h: VALIDITY_LABELS.get(h.validity(today), _l("已过期"))),
    ]


@bp.route("/aid/households", methods=["GET", "POST"], endpoint="households")
@allow(*ALL_STAFF)
def households_list():
    """The list with its search. The search form posts, so a full ID number typed into it never lands in a URL
    (nor in the language links that repeat the URL, nor in access logs)."""
    actor = current_actor()
    q = load(HouseholdQuerySchema(), form_data(request.form) if request.method == "POST" else page_args())
    full_id = bool(q["q"]) and valid_mainland_id(q["q"])
    fmt = requested_format() if request.method == "GET" and not full_id else None
    if fmt:
        rows = service.list_households(db.session, actor, q=q["q"], status=q["status"],
                                       category_code=q["category_code"], limit=None)
        return export_response(_household_columns(local_today(utcnow())), rows, fmt, "households")
    if full_id and request.method == "GET":
        return redirect(url_for("aid.households", q=mask_id_last4(normalise_id(q["q"])[-4:])))
    rows = service.list_households(db.session, actor, q=q["q"], status=q["status"],
                                      category_code=q["category_code"], pii_key=current_app.config["PII_HASH_KEY"],
                                      limit=PAGE_SIZE + 1, offset=(q["page"] - 1) * PAGE_SIZE)
    if full_id:
        q["q"] = mask_id_last4(normalise_id(q["q"])[-4:])
    return render_template("aid/households.html", rows=rows[:PAGE_SIZE], has_more=len(rows) > PAGE_SIZE, q=q,
                           categories=service.list_categories(db.session), today=local_today(utcnow()))


@bp.route("/aid/households/new", methods=["GET", "POST"])
@allow(*MANAGERS)
def household_new():
    actor = current_actor()

    def page(posted=Posted(values={"verified_on": local_today(utcnow()).isoformat()})):
        posted.values.pop("id_number", None)  # never echo an ID number back into a page
        return render_template("aid/household_form.html", household=None,
                               categories=service.list_categories(db.session, include_inactive=False),
                               stores=stores_service.list_stores(db.session, actor), **posted.context), posted.status

    if request.method == "POST":
        return submit(HouseholdInSchema(), lambda data: service.register_household(
            db.session, actor, pii_key=current_app.config["PII_HASH_KEY"], now=utcnow(), **data),
            done=lambda household: _("已登记家庭 %(code)s", code=household.code),
            then=lambda household: url_for("aid.household", household_id=household.id), page=page)
    return page()


def _record(household_id, posted: Posted = Posted()):
    """The full record; opening it is logged (who, when, which household)."""
    actor = current_actor()
    household = service.open_record(db.session, actor, household_id)
    today = local_today(utcnow())
    return render_template("aid/household.html", h=household, today=today, **posted.context,
                           status=service.entitlement_status(db.session, household, today),
                           history=service.household_history(db.session, household),
                           show_contact=service.sees_contact(actor),
                           can_edit=service.can_register(actor, household.store_id)), posted.status


@bp.get("/aid/households/<uuid:household_id>")
@allow(*ALL_STAFF)
def household(household_id):
    return _record(household_id)


@bp.route("/aid/households/<uuid:household_id>/edit", methods=["GET", "POST"])
@allow(*MANAGERS)
def household_edit(household_id):
    actor = current_actor()
    h = service.get_household(db.session, actor, household_id)

    def page(posted=Posted(values={k: getattr(h, k) for k in service.EDITABLE})):
        return render_template("aid/household_form.html", household=h, categories=service.list_categories(db.session),
                               stores=[], **posted.context), posted.status

    if request.method == "POST":
        return submit(HouseholdUpdateSchema(), lambda data: service.update_household(db.session, actor, h.id, **data),
                      done=_("已保存"), then=url_for("aid.household", household_id=h.id), page=page)
    return page()


def _submit(household_id, form: str, schema, action, done: str):
    return submit(schema, action, done=done, then=url_for("aid.household", household_id=household_id), form=form,
                  page=lambda posted: _record(household_id, posted))


@bp.post("/aid/households/<uuid:household_id>/review")
@allow(*MANAGERS)
def household_review(household_id):
    return _submit(household_id, "review", ReviewSchema(), lambda data: service.review_household(
        db.session, current_actor(), household_id, **data), _("已记录复核"))


@bp.post("/aid/households/<uuid:household_id>/status")
@allow(*MANAGERS)
def household_status(household_id):
    return _submit(household_id, "status", StatusSchema(), lambda data: service.set_status(
        db.session, current_actor(), household_id, **data), _("状态已更新"))


@bp.get("/aid/households/<uuid:household_id>/card.pdf")
@allow(Role.CASHIER, Role.STORE_MANAGER, Role.FEDERATION_ADMIN)
def household_card(household_id):
    h = service.get_household(db.session, current_actor(), household_id)
    return send_pdf(service.card_pdf(h, issued_on=local_today(utcnow())), f"{h.code}.pdf")


@bp.get("/aid/record-views")
@allow(Role.STORE_MANAGER, *OVERSIGHT)
def record_views():
    page = max(1, request.args.get("page", 1, type=int) or 1)
    rows = service.list_record_views(db.session, current_actor(), limit=PAGE_SIZE + 1,
                                        offset=(min(page, 100000) - 1) * PAGE_SIZE)
    return render_template("aid/record_views.html", rows=rows[:PAGE_SIZE], has_more=len(rows) > PAGE_SIZE,
                           page=page)
