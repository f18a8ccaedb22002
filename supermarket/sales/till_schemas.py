"""Shapes of held sales and returns without receipt (API bodies, page forms and answers)."""
from __future__ import annotations

from marshmallow import Schema, fields, post_load, pre_load, validate

from ..auth.schemas import ApprovalSchema
from .returns_open import MAX_LIMIT_FEN, MAX_QTY
from .schemas import MAX_PRICE_FEN, CartLineSchema, TillItemSchema, YuanField, _ApprovalFields


class ParkSchema(Schema):
    lines = fields.List(fields.Nested(CartLineSchema), required=True, validate=validate.Length(min=1, max=200))
    label = fields.String(load_default="", validate=validate.Length(max=40))
    approval = fields.Nested(ApprovalSchema, load_default=None, allow_none=True)


class HeldOutSchema(Schema):
    id = fields.UUID()
    status = fields.String()
    label = fields.String()
    line_count = fields.Integer()
    total_fen = fields.Integer()
    parked_at = fields.AwareDateTime()
    cashier = fields.Function(lambda h: h.cashier.display_name if h.cashier else None)


class HeldLineOutSchema(Schema):
    item = fields.Nested(TillItemSchema)
    qty = fields.Integer()
    unit_price_fen = fields.Integer(allow_none=True)
    override_reason = fields.String()
    pay_with_points = fields.Boolean()
    weight_g = fields.Integer(allow_none=True)


class DiscardSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=2, max=200))


class OpenReturnSchema(Schema):
    barcode = fields.String(required=True, validate=validate.Length(min=1, max=32))
    qty = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=MAX_QTY))
    unit_price_fen = fields.Integer(load_default=None, allow_none=True, strict=True,
                                    validate=validate.Range(min=0, max=MAX_PRICE_FEN))
    reason = fields.String(required=True, validate=validate.Length(min=2, max=200))
    approval = fields.Nested(ApprovalSchema, load_default=None, allow_none=True)
    idempotency_key = fields.UUID(load_default=None)


class OpenReturnOutSchema(Schema):
    id = fields.UUID()
    number = fields.String()
    item_id = fields.UUID()
    name = fields.String()
    qty = fields.Integer()
    list_price_fen = fields.Integer()
    unit_price_fen = fields.Integer()
    refund_fen = fields.Integer()
    reason = fields.String()
    returned_at = fields.AwareDateTime()
    cashier = fields.Function(lambda r: r.cashier.username if r.cashier else None)
    approver = fields.Function(lambda r: r.approver.username if r.approver else None)


class OpenReturnForm(_ApprovalFields):
    """The till's return-without-receipt page: yuan and a quantity typed on the tablet."""

    barcode = fields.String(required=True, validate=validate.Length(min=1, max=32))
    qty = fields.Integer(required=True, validate=validate.Range(min=1, max=MAX_QTY))
    unit_price = YuanField(max_fen=MAX_PRICE_FEN, load_default=None, attribute="unit_price_fen")
    reason = fields.String(required=True, validate=validate.Length(min=2, max=200))

    @pre_load
    def blank_price(self, data, **kwargs):
        # An empty price field means "today's price".
        data = dict(data)
        if not str(data.get("unit_price", "")).strip():
            data.pop("unit_price", None)
        return data

    @post_load
    def make(self, data, **kwargs):
        data["approval"] = self.approval(data)
        return data


class LimitForm(Schema):
    limit = YuanField(max_fen=MAX_LIMIT_FEN, required=True, attribute="limit_fen")


class DiscardForm(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=2, max=200))
