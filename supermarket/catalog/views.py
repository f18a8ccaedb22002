"""Catalog pages: items (list, search, create, edit, barcode shown, store price) and the federation's
categories (prohibited flag and reason, food, near-expiry days, quick keys)."""
from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from printing import LabelData, render_label
from printing.barcodes import barcode_svg
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..auth.decorators import allow
from ..auth.permissions import ALL_STAFF, STORE_ROLES, Role
from ..extensions import db
from ..forms import Posted, submit
from ..stores import service as stores_service
from ..wiring import items_in_store
from ..web import current_actor, form_data, load, send_pdf
from . import service
from .codes import printable
from .models import CONDITION_GRADES, ITEM_KINDS
from .schemas import (CategoryInSchema, CategoryUpdateSchema, ItemEditSchema, ItemFormSchema, ItemQuerySchema,
                      StorePriceFormSchema)

bp = Blueprint("catalog", __name__, template_folder="templates")
PAGE_SIZE = 50
CHECKBOXES = ("prohibited", "is_food", "quick_key")


KIND_LABELS = {"donated_new": _l("捐赠全新"), "donated_used": _l("捐赠二手"), "purchased": _l("采购")}


def _render_form(template: str, status: int = 200, **context):
    return render_template(template, categories=service.list_categories(db.session), kinds=ITEM_KINDS,
                           kind_labels=KIND_LABELS, grades=CONDITION_GRADES, **context), status


@bp.get("/items")
@allow(*ALL_STAFF)
def items():
    """The catalog, searchable by barcode, name or pinyin initials, with the store's price and stock."""
    actor = current_actor()
    q = load(ItemQuerySchema(), form_data(request.args))
    text = q["q"] or q["barcode"] or ""
    rows = service.list_items(db.session, q=text, category_id=q["category_id"], limit=PAGE_SIZE + 1,
                              offset=(q["page"] - 1) * PAGE_SIZE)
    page = rows[:PAGE_SIZE]
    if actor.store_id:  # a store's staff see their store's price and stock
        shown = [(s.item, s.price_fen, s.on_hand) for s in items_in_store(db.session, page, actor.store_id)]
    else:
        shown = [(item, item.default_price_fen, None) for item in page]
    return render_template("catalog/items.html", rows=shown, q=q, text=text,
                           has_more=len(rows) > PAGE_SIZE, categories=service.list_categories(db.session),
                           kind_labels=KIND_LABELS)


@bp.route("/items/new", methods=["GET", "POST"])
@allow(Role.CASHIER, Role.STORE_MANAGER, Role.FEDERATION_ADMIN)
def item_new():
    def page(posted=Posted()):
        return _render_form("catalog/item_form.html", posted.status, item=None, **posted.context)

    if request.method == "POST":
        return submit(ItemFormSchema(), lambda data: service.create_item(db.session, current_actor(), **data),
                      done=lambda item: _("已登记物品 %(name)s，条码 %(code)s", name=item.name, code=item.barcode),
                      then=lambda item: url_for("catalog.item_detail", item_id=item.id), page=page)
    return page()


@bp.get("/items/<uuid:item_id>")
@allow(*ALL_STAFF)
def item_detail(item_id):
    return _detail_page(item_id)


def _detail_page(item_id, posted: Posted = Posted()):
    actor = current_actor()
    item = service.get_item(db.session, item_id)
    here = items_in_store(db.session, [item], actor.store_id)[0] if actor.store_id else None
    return render_template("catalog/item_detail.html", item=item, here=here, kind_labels=KIND_LABELS,
                           barcode_svg=barcode_svg(*reversed(printable(item.barcode, item.barcode_kind))),
                           **posted.context), posted.status


@bp.get("/items/<uuid:item_id>/label.pdf")
@allow(*STORE_ROLES)
def item_label(item_id):
    """One 40×30 mm price label with the store's price (to re-label an item on the shelf)."""
    actor = current_actor()
    item = service.get_item(db.session, item_id)
    here = items_in_store(db.session, [item], actor.store_id)[0]
    store = stores_service.get_store(db.session, actor, actor.store_id)
    code, symbology = printable(item.barcode, item.barcode_kind)
    pdf = render_label([LabelData(code, item.name, here.price_fen, store.code, symbology)])
    return send_pdf(pdf, f"{item.barcode}.pdf")


@bp.route("/items/<uuid:item_id>/edit", methods=["GET", "POST"])
@allow(Role.STORE_MANAGER, Role.FEDERATION_ADMIN)
def item_edit(item_id):
    actor = current_actor()
    item = service.get_item(db.session, item_id)

    def page(posted=Posted()):
        return _render_form("catalog/item_form.html", posted.status, item=item, **posted.context)

    if request.method == "POST":
        values = form_data(request.form)
        values["active"] = values.get("active") == "on"
        values["sold_by_weight"] = values.get("sold_by_weight") == "on"
        values.setdefault("points_price", None)
        return submit(ItemEditSchema(), lambda data: service.update_item(db.session, actor, item.id, **data),
                      values=values, done=_("已保存"), then=url_for("catalog.item_detail", item_id=item.id),
                      page=page)
    return page()


@bp.post("/items/<uuid:item_id>/store-price")
@allow(Role.STORE_MANAGER)
def store_price(item_id):
    actor = current_actor()

    def page(posted: Posted):
        return _detail_page(item_id, posted)

    return submit(StorePriceFormSchema(), lambda data: service.set_store_price(
        db.session, actor, store_id=actor.store_id, item_id=item_id, price_fen=data["price_fen"]),
        done=_("已保存本店价格"), then=url_for("catalog.item_detail", item_id=item_id), form="store_price", page=page)


@bp.get("/categories")
@allow(*ALL_STAFF)
def categories():
    return render_template("catalog/categories.html", categories=service.list_categories(db.session))


def _category_values() -> dict:
    values = form_data(request.form)
    for name in CHECKBOXES:
        values[name] = values.get(name) == "on"
    return values


@bp.route("/categories/new", methods=["GET", "POST"])
@allow(Role.FEDERATION_ADMIN)
def category_new():
    def page(posted=Posted()):
        return render_template("catalog/category_form.html", category=None, **posted.context), posted.status

    if request.method == "POST":
        return submit(CategoryInSchema(), lambda data: service.create_category(db.session, current_actor(), **data),
                      values=_category_values(), done=lambda c: _("已创建类别 %(name)s", name=c.name),
                      then=url_for("catalog.categories"), page=page)
    return page()


@bp.route("/categories/<uuid:category_id>/edit", methods=["GET", "POST"])
@allow(Role.FEDERATION_ADMIN)
def category_edit(category_id):
    category = service.find_category(db.session, category_id)

    def page(posted=Posted()):
        return render_template("catalog/category_form.html", category=category, **posted.context), posted.status

    if request.method == "POST":
        return submit(CategoryUpdateSchema(),
                      lambda data: service.update_category(db.session, current_actor(), category.id, **data),
                      values=_category_values(), done=_("已保存类别 %(name)s", name=category.name),
                      then=url_for("catalog.categories"), page=page)
    return page()
