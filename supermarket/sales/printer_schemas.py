"""Shapes of the printer requests: a printer added on the settings page, a print sent to one."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from .models import PRINTER_KINDS


class PrinterForm(Schema):
    """The settings page's new printer (the service checks the address is a shop-LAN one)."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=40))
    host = fields.String(required=True, validate=validate.Length(min=1, max=45))
    port = fields.Integer(load_default=9100)
    paper_mm = fields.Integer(load_default=58, validate=validate.OneOf((58, 80)))
    kind = fields.String(load_default="receipt", validate=validate.OneOf(PRINTER_KINDS))


class PrintToSchema(Schema):
    """Which of the store's printers takes the print."""

    printer_id = fields.UUID(required=True)


class LabelPrintForm(PrintToSchema):
    copies = fields.Integer(load_default=1, validate=validate.Range(min=1, max=50))


class PrintedSchema(Schema):
    printed = fields.Boolean()
    copy = fields.Boolean()
    message = fields.String()
