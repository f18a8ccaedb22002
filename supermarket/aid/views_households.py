"""Household pages: the list, registration, the full record (each opening logged), edits, reviews, status
changes, the card PDF, and the read-access log."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..auth.decorators import allow
from ..auth.permissions import ALL_STAFF, OVERSIGHT, Role
from ..errors import DomainError
from ..extensions import db
from ..models import utcnow
from ..privacy import mask_id_last4, normalise_id, valid_mainland_id
from ..stores import service as stores_service
from ..web import current_actor, form_data, load, send_pdf
from . import documents, households, queries
from .blueprint import act, bp
from .entitlements import entitlement_status, list_categories
from ..clock import local_today
from .households import sees_contact
from .schemas import HouseholdInSchema, HouseholdQuerySchema, HouseholdUpdateSchema, ReviewSchema, StatusSchema

PAGE_SIZE = 50
MANAGERS = (Role.STORE_MANAGER, Role.FEDERATION_ADMIN)


@bp.route("/aid/households", methods=["GET", "POST"], endpoint="households")
@allow(*ALL_STAFF)
def households_list():
    """The list with its search. The search form posts, so a full ID number typed into it never lands in a URL
    (nor in the language links that repeat the URL, nor in access logs)."""
    actor = current_actor()
    q = load(HouseholdQuerySchema(), form_data(request.form if request.method == "POST" else request.args))
    full_id = bool(q["q"]) and valid_mainland_id(q["q"])
    if full_id and request.method == "GET":
        return redirect(url_for("aid.households", q=mask_id_last4(normalise_id(q["q"])[-4:])))
    rows = households.list_households(db.session, actor, q=q["q"], status=q["status"],
                                      category_code=q["category_code"], pii_key=current_app.config["PII_HASH_KEY"],
                                      limit=PAGE_SIZE + 1, offset=(q["page"] - 1) * PAGE_SIZE)
    if full_id:
        q["q"] = mask_id_last4(normalise_id(q["q"])[-4:])
    return render_template("aid/households.html", rows=rows[:PAGE_SIZE], has_more=len(rows) > PAGE_SIZE, q=q,
                           categories=list_categories(db.session), today=local_today(utcnow()))


@bp.route("/aid/households/new", methods=["GET", "POST"])
@allow(*MANAGERS)
def household_new():
    actor = current_actor()
    error, fields, values = None, {}, {"verified_on": local_today(utcnow()).isoformat()}
    if request.method == "POST":
        values = form_data(request.form)
        try:
            data = load(HouseholdInSchema(), values)
            household = households.register_household(db.session, actor, pii_key=current_app.config["PII_HASH_KEY"],
                                                      now=utcnow(), **data)
        except DomainError as e:
            error, fields = e.message, e.extra.get("fields", {})
        else:
            flash(_("已登记家庭 %(code)s", code=household.code))
            return redirect(url_for("aid.household", household_id=household.id))
        values.pop("id_number", None)  # never echo an ID number back into a page
    return render_template("aid/household_form.html", household=None, error=error, fields=fields, values=values,
                           categories=list_categories(db.session, include_inactive=False),
                           stores=stores_service.list_stores(db.session, actor)), 200 if not error else 422


def _record(household_id, *, error=None, status=200):
    """The full record; opening it is logged (who, when, which household)."""
    actor = current_actor()
    household = households.open_record(db.session, actor, household_id)
    today = local_today(utcnow())
    return render_template("aid/household.html", h=household, error=error, today=today,
                           status=entitlement_status(db.session, household, today),
                           history=queries.household_history(db.session, household),
                           show_contact=sees_contact(actor),
                           can_edit=households.can_register(actor, household.store_id)), status


@bp.get("/aid/households/<uuid:household_id>")
@allow(*ALL_STAFF)
def household(household_id):
    return _record(household_id)


@bp.route("/aid/households/<uuid:household_id>/edit", methods=["GET", "POST"])
@allow(*MANAGERS)
def household_edit(household_id):
    actor = current_actor()
    h = households.get_household(db.session, actor, household_id)
    error, fields = None, {}
    values = {k: getattr(h, k) for k in households.EDITABLE}
    if request.method == "POST":
        values = form_data(request.form)
        try:
            households.update_household(db.session, actor, h.id, **load(HouseholdUpdateSchema(), values))
        except DomainError as e:
            error, fields = e.message, e.extra.get("fields", {})
        else:
            flash(_("已保存"))
            return redirect(url_for("aid.household", household_id=h.id))
    return render_template("aid/household_form.html", household=h, error=error, fields=fields, values=values,
                           categories=list_categories(db.session), stores=[]), 200 if not error else 422


def _act(household_id, action, done: str):
    return act(action, done=done, then=url_for("aid.household", household_id=household_id),
               refused=lambda message, status: _record(household_id, error=message, status=status))


@bp.post("/aid/households/<uuid:household_id>/review")
@allow(*MANAGERS)
def household_review(household_id):
    data = load(ReviewSchema(), form_data(request.form))
    return _act(household_id, lambda: households.review_household(db.session, current_actor(), household_id, **data),
                _("已记录复核"))


@bp.post("/aid/households/<uuid:household_id>/status")
@allow(*MANAGERS)
def household_status(household_id):
    data = load(StatusSchema(), form_data(request.form))
    return _act(household_id, lambda: households.set_status(db.session, current_actor(), household_id, **data),
                _("状态已更新"))


@bp.get("/aid/households/<uuid:household_id>/card.pdf")
@allow(Role.CASHIER, Role.STORE_MANAGER, Role.FEDERATION_ADMIN)
def household_card(household_id):
    h = households.get_household(db.session, current_actor(), household_id)
    return send_pdf(documents.card_pdf(h, issued_on=local_today(utcnow())), f"{h.code}.pdf")


@bp.get("/aid/record-views")
@allow(Role.STORE_MANAGER, *OVERSIGHT)
def record_views():
    page = max(1, request.args.get("page", 1, type=int) or 1)
    rows = households.list_record_views(db.session, current_actor(), limit=PAGE_SIZE + 1,
                                        offset=(min(page, 100000) - 1) * PAGE_SIZE)
    return render_template("aid/record_views.html", rows=rows[:PAGE_SIZE], has_more=len(rows) > PAGE_SIZE,
                           page=page)
