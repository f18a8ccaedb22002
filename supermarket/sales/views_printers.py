"""Printing to the store's ESC/POS network printers from the pages: the printers on the till settings page (a
store manager adds and removes them), the Z report sent to one, and an item's price labels on a label printer
(linked from the item's page). The till's receipt goes through the API."""
from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _

from . import service
from ..auth.decorators import allow
from ..auth.permissions import STORE_ROLES, Role
from ..extensions import db
from ..forms import NoFields, Posted, submit
from ..models import utcnow
from ..web import current_actor
from .printer_schemas import LabelPrintForm, PrinterForm, PrintToSchema
from .views import bp, settings_page, shift_page


@bp.post("/settings/printers")
@allow(Role.STORE_MANAGER)
def printer_add():
    actor = current_actor()
    return submit(PrinterForm(), lambda data: service.add_printer(db.session, actor, actor.store_id, **data),
                  done=lambda printer: _("已添加打印机 %(name)s", name=printer.name),
                  then=url_for("sales.till_settings"), page=settings_page, form="printer")


@bp.post("/settings/printers/<uuid:printer_id>/remove")
@allow(Role.STORE_MANAGER)
def printer_remove(printer_id):
    actor = current_actor()
    return submit(NoFields(), lambda data: service.remove_printer(db.session, actor, actor.store_id, printer_id),
                  done=lambda printer: _("已删除打印机 %(name)s", name=printer.name),
                  then=url_for("sales.till_settings"), page=settings_page, form="remove")


@bp.post("/shifts/<uuid:shift_id>/escpos")
@allow(*STORE_ROLES)
def shift_escpos(shift_id):
    """The Z report on one of the store's thermal printers; a silent printer is a message on the page."""
    actor = current_actor()
    return submit(PrintToSchema(), lambda data: service.print_shift_report_to(
        db.session, actor, shift_id, data["printer_id"], now=utcnow()),
        done=lambda shift: _("班结报表 %(number)s 已发送到打印机", number=shift.number),
        then=url_for("sales.shift_detail", shift_id=shift_id), form="escpos",
        page=lambda posted: shift_page(shift_id, posted))


def _labels_page(item_id, posted: Posted = Posted()):
    from ..catalog import service as catalog_service
    from ..wiring import items_in_store

    actor = current_actor()
    item = catalog_service.get_item(db.session, item_id)
    return render_template("sales/item_labels.html", item=item,
                           here=items_in_store(db.session, [item], actor.store_id)[0],
                           printers=service.list_printers(db.session, actor, actor.store_id, kind="label"),
                           **posted.context), posted.status


@bp.route("/items/<uuid:item_id>/labels", methods=["GET", "POST"])
@allow(*STORE_ROLES)
def item_labels(item_id):
    """An item's price labels on one of the store's ESC/POS label printers."""
    actor = current_actor()
    if request.method == "POST":
        return submit(LabelPrintForm(), lambda data: service.print_labels_to(
            db.session, actor, item_id, data["printer_id"], copies=data["copies"], now=utcnow()),
            done=lambda done: _("已发送 %(n)d 张标签到 %(name)s", n=done[2], name=done[1].name),
            then=url_for("sales.item_labels", item_id=item_id), page=lambda posted: _labels_page(item_id, posted))
    return _labels_page(item_id)
