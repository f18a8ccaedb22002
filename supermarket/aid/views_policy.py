"""Policy pages edited by the federation: eligibility categories and entitlements."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..auth.decorators import allow
from ..auth.permissions import ALL_STAFF, Role
from ..catalog import service as catalog
from ..errors import DomainError
from ..extensions import db
from ..web import current_actor, form_data, load
from . import entitlements
from .blueprint import bp
from .schemas import CategorySchema, EntitlementFormSchema


@bp.get("/aid/entitlements", endpoint="entitlements")
@allow(*ALL_STAFF)
def entitlements_list():
    return render_template("aid/entitlements.html", rows=entitlements.list_entitlements(db.session),
                           labels=entitlements.PERIOD_LABELS)


def _form(row=None):
    error, fields = None, {}
    if row is not None:
        values = {k: getattr(row, k) for k in entitlements.FIELDS}
        values["value_cap_yuan"] = f"{row.value_cap_fen / 100:.2f}" if row.value_cap_fen else ""
        values["goods_category_ids"] = [str(c.id) for c in row.goods_categories]
    else:
        values = {"period": "month", "goods_category_ids": []}
    if request.method == "POST":
        values = form_data(request.form)
        values["goods_category_ids"] = request.form.getlist("goods_category_ids")
        try:
            data = load(EntitlementFormSchema(), values)
            if row is None:
                entitlements.create_entitlement(db.session, current_actor(), **data)
            else:
                entitlements.update_entitlement(db.session, current_actor(), row.id, **data)
        except DomainError as e:
            error, fields = e.message, e.extra.get("fields", {})
        else:
            flash(_("发放标准已保存"))
            return redirect(url_for("aid.entitlements"))
    return render_template("aid/entitlement_form.html", row=row, values=values, error=error, fields=fields,
                           categories=entitlements.list_categories(db.session),
                           goods=catalog.list_categories(db.session), labels=entitlements.PERIOD_LABELS), \
        200 if not error else 422


@bp.route("/aid/entitlements/new", methods=["GET", "POST"])
@allow(Role.FEDERATION_ADMIN)
def entitlement_new():
    return _form()


@bp.route("/aid/entitlements/<uuid:entitlement_id>/edit", methods=["GET", "POST"])
@allow(Role.FEDERATION_ADMIN)
def entitlement_edit(entitlement_id):
    return _form(entitlements.get_entitlement(db.session, entitlement_id))


@bp.route("/aid/categories", methods=["GET", "POST"])
@allow(Role.FEDERATION_ADMIN)
def categories():
    error, fields = None, {}
    if request.method == "POST":
        values = form_data(request.form)
        values["active"] = request.form.get("active") == "on"
        try:
            entitlements.save_category(db.session, current_actor(), **load(CategorySchema(), values))
        except DomainError as e:
            error, fields = e.message, e.extra.get("fields", {})
        else:
            flash(_("救助类别已保存"))
            return redirect(url_for("aid.categories"))
    return render_template("aid/categories.html", rows=entitlements.list_categories(db.session), error=error,
                           fields=fields), 200 if not error else 422
