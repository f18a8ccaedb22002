"""Policy pages edited by the federation: eligibility categories and entitlements."""
from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _

from . import service
from ..auth.decorators import allow
from ..auth.permissions import ALL_STAFF, Role
from ..catalog import service as catalog
from ..extensions import db
from ..forms import Posted, submit
from ..web import current_actor, form_data
from .views import bp
from .schemas import CategorySchema, EntitlementFormSchema


@bp.get("/aid/entitlements", endpoint="entitlements")
@allow(*ALL_STAFF)
def entitlements_list():
    return render_template("aid/entitlements.html", rows=service.list_entitlements(db.session),
                           labels=service.PERIOD_LABELS)


def _form(row=None):
    if row is not None:
        values = {k: getattr(row, k) for k in service.FIELDS}
        values["value_cap_yuan"] = f"{row.value_cap_fen / 100:.2f}" if row.value_cap_fen else ""
        values["goods_category_ids"] = [str(c.id) for c in row.goods_categories]
    else:
        values = {"period": "month", "goods_category_ids": []}

    def page(posted=Posted(values=values)):
        return render_template("aid/entitlement_form.html", row=row, categories=service.list_categories(db.session),
                               goods=catalog.list_categories(db.session), labels=service.PERIOD_LABELS,
                               **posted.context), posted.status

    def save(data):
        if row is None:
            return service.create_entitlement(db.session, current_actor(), **data)
        return service.update_entitlement(db.session, current_actor(), row.id, **data)

    if request.method == "POST":
        posted_values = form_data(request.form)
        posted_values["goods_category_ids"] = request.form.getlist("goods_category_ids")
        return submit(EntitlementFormSchema(), save, values=posted_values, done=_("发放标准已保存"),
                      then=url_for("aid.entitlements"), page=page)
    return page()


@bp.route("/aid/entitlements/new", methods=["GET", "POST"])
@allow(Role.FEDERATION_ADMIN)
def entitlement_new():
    return _form()


@bp.route("/aid/entitlements/<uuid:entitlement_id>/edit", methods=["GET", "POST"])
@allow(Role.FEDERATION_ADMIN)
def entitlement_edit(entitlement_id):
    return _form(service.get_entitlement(db.session, entitlement_id))


@bp.route("/aid/categories", methods=["GET", "POST"])
@allow(Role.FEDERATION_ADMIN)
def categories():
    def page(posted=Posted()):
        return render_template("aid/categories.html", rows=service.list_categories(db.session),
                               **posted.context), posted.status

    if request.method == "POST":
        values = form_data(request.form)
        values["active"] = request.form.get("active") == "on"
        return submit(CategorySchema(), lambda data: service.save_category(db.session, current_actor(), **data),
                      values=values, done=_("救助类别已保存"), then=url_for("aid.categories"), page=page)
    return page()
