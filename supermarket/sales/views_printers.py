"""Printing to the store's ESC/POS network printers from the pages: the printers on the till settings page (a
store manager adds and removes them) and the Z report sent to one. The till's receipt goes through the API."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from . import service
from ..auth.decorators import allow
from ..auth.permissions import STORE_ROLES, Role
from ..extensions import db
from ..forms import NoFields, submit
from ..models import utcnow
from ..web import current_actor
from .printer_schemas import PrinterForm, PrintToSchema
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
