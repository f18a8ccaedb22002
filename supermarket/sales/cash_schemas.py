"""Shapes of the cash drawer's requests (API bodies and page forms) and answers."""
from __future__ import annotations

from marshmallow import Schema, fields, post_load, validate

from ..auth.schemas import ApprovalSchema
from .cash import MAX_CASH_MOVE_FEN
from .schemas import YuanField, _ApprovalFields


class CashMoveSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(("paid_in", "paid_out")))
    amount_fen = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=MAX_CASH_MOVE_FEN))
    reason = fields.String(required=True, validate=validate.Length(min=2, max=200))
    approval = fields.Nested(ApprovalSchema, load_default=None, allow_none=True)
    idempotency_key = fields.UUID(load_default=None)


class NoSaleSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=2, max=200))
    idempotency_key = fields.UUID(load_default=None)


class CashMoveOutSchema(Schema):
    id = fields.UUID()
    shift_id = fields.UUID()
    store_id = fields.UUID()
    kind = fields.String()
    amount_fen = fields.Integer()
    reason = fields.String()
    at = fields.AwareDateTime()
    cashier = fields.Function(lambda m: m.cashier.username if m.cashier else None)
    approver = fields.Function(lambda m: m.approver.username if m.approver else None)


class CashMoveForm(_ApprovalFields):
    """The drawer dialog's paid in / paid out form: yuan typed on the tablet."""

    kind = fields.String(required=True, validate=validate.OneOf(("paid_in", "paid_out")))
    amount = YuanField(max_fen=MAX_CASH_MOVE_FEN, required=True, attribute="amount_fen")
    reason = fields.String(required=True, validate=validate.Length(min=2, max=200))

    @post_load
    def make(self, data, **kwargs):
        data["approval"] = self.approval(data)
        return data


class NoSaleForm(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=2, max=200))
    idempotency_key = fields.UUID(load_default=None)
