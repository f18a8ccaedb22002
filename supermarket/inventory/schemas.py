"""Shapes at the edge for stock pages and the inventory documents. Rules live in the services."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from ..text_rules import MULTILINE
from ..catalog.schemas import ItemSchema, YuanField
from .ledger import MAX_QTY
from .models import WRITE_OFF_REASONS
from .queries import STOCK_FILTERS

QTY = validate.Range(min=1, max=MAX_QTY, error=_l("数量须为 1 到 {max} 之间的整数"))
KEY = validate.Length(max=64)


class ItemRefSchema(Schema):
    """An item named by a scanned barcode or by its id (links from other pages)."""

    barcode = fields.String(load_default=None, validate=validate.Length(min=1, max=64))
    item_id = fields.UUID(load_default=None)

    @validates_schema
    def one_item(self, data, **kwargs):
        if not data.get("barcode") and not data.get("item_id"):
            raise ValidationError([_l("请扫码或选择物品")], "barcode")


class StockQuerySchema(Schema):
    store_id = fields.UUID(load_default=None)
    category_id = fields.UUID(load_default=None)
    status = fields.String(load_default=None, validate=validate.OneOf(STOCK_FILTERS))
    q = fields.String(load_default=None, validate=validate.Length(max=64))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class PageQuerySchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))


class StockRowSchema(Schema):
    item = fields.Nested(ItemSchema)
    qty = fields.Integer()
    price_fen = fields.Integer()
    value_fen = fields.Integer()
    next_expiry = fields.Date(allow_none=True)


class StockPageSchema(Schema):
    store_id = fields.UUID()
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()
    items = fields.List(fields.Nested(StockRowSchema))


# --- stocktakes ----------------------------------------------------------------------------------------------

class StocktakeStartSchema(Schema):
    scope = fields.String(required=True, validate=validate.OneOf(("all", "categories")))
    category_ids = fields.List(fields.UUID(), load_default=list, validate=validate.Length(max=100))
    note = fields.String(load_default="", validate=validate.Length(max=200), metadata=MULTILINE)
    idempotency_key = fields.String(load_default=None, validate=KEY)

    @validates_schema
    def categories_when_some(self, data, **kwargs):
        if data.get("scope") == "categories" and not data.get("category_ids"):
            raise ValidationError([_l("请至少选择一个类别")], "category_ids")

    @post_load
    def to_categories(self, data, **kwargs):
        """The service takes the categories only: none means the whole store."""
        if data.pop("scope") == "all":
            data["category_ids"] = []
        return data


class CountSchema(ItemRefSchema):
    """A scan (barcode, qty 1) or a typed number; a negative number corrects a miscount."""

    qty = fields.Integer(load_default=1, validate=[validate.Range(min=-MAX_QTY, max=MAX_QTY),
                                                   validate.NoneOf([0], error=_l("数量不能为 0"))])


class SetCountSchema(Schema):
    counted_qty = fields.Integer(required=True, validate=validate.Range(min=0, max=MAX_QTY))


class LineExpirySchema(Schema):
    expiry_date = fields.Date(required=True)


class ApproveSchema(Schema):
    approver_username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    approver_secret = fields.String(required=True, validate=validate.Length(min=1, max=200))
    digest = fields.String(required=True, validate=validate.Length(min=1, max=64))


class StocktakeLineSchema(Schema):
    id = fields.UUID()
    item = fields.Nested(ItemSchema)
    counted_qty = fields.Integer()


# --- write-offs, transfers, periods, settings, corrections ---------------------------------------------------

class WriteOffSchema(ItemRefSchema):
    lot_id = fields.UUID(load_default=None)
    qty = fields.Integer(required=True, validate=QTY)
    reason_code = fields.String(required=True, validate=validate.OneOf(WRITE_OFF_REASONS))
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200))
    approver_username = fields.String(load_default=None, validate=validate.Length(max=64))
    approver_secret = fields.String(load_default=None, validate=validate.Length(max=200))
    idempotency_key = fields.String(load_default=None, validate=KEY)


class TransferLineInSchema(ItemRefSchema):
    qty = fields.Integer(required=True, validate=QTY)


class TransferShipSchema(Schema):
    to_store_id = fields.UUID(required=True)
    lines = fields.List(fields.Nested(TransferLineInSchema), required=True, validate=validate.Length(min=1, max=100))
    note = fields.String(load_default="", validate=validate.Length(max=200), metadata=MULTILINE)
    idempotency_key = fields.String(load_default=None, validate=KEY)


class TransferReceiveSchema(Schema):
    received = fields.Dict(keys=fields.UUID(), values=fields.Integer(validate=validate.Range(min=0, max=MAX_QTY)),
                           required=True)
    note = fields.String(load_default="", validate=validate.Length(max=200), metadata=MULTILINE)


class CloseMonthSchema(Schema):
    month = fields.Date(required=True, format="%Y-%m")
    note = fields.String(load_default="", validate=validate.Length(max=200), metadata=MULTILINE)


class SettingsSchema(Schema):
    write_off_approval_fen = YuanField(required=True, max_fen=100_000_000, data_key="write_off_approval_yuan")
    low_stock_qty = fields.Integer(required=True, validate=validate.Range(min=0, max=100_000))


class CorrectionSchema(Schema):
    qty = fields.Integer(load_default=None, validate=QTY)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=150))
