"""Shapes at the edge for till discounts: a discount on a cart line or the basket, the on-the-spot approval
check, and the store's limits on the settings page."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from ..auth.schemas import ApprovalSchema
from .discounts import MAX_LIMIT_FEN, Discount, Limit
from .schemas import YuanField

MAX_DISCOUNT_FEN = 100_000_000


class DiscountSchema(Schema):
    """Exactly one of `percent` (whole, 1–100) and `amount_fen` (> 0)."""
    percent = fields.Integer(strict=True, validate=validate.Range(
        min=1, max=100, error=str(_l("折扣百分比须为 1 到 100 之间的整数"))))
    amount_fen = fields.Integer(strict=True, validate=validate.Range(
        min=1, max=MAX_DISCOUNT_FEN, error=str(_l("折扣金额必须大于 0"))))

    @validates_schema
    def one_of(self, data, **kwargs):
        if ("percent" in data) == ("amount_fen" in data):
            raise ValidationError(str(_l("折扣请填写百分比或金额（只填一项）")), "percent")

    @post_load
    def make(self, data, **kwargs):
        return Discount(data.get("percent"), data.get("amount_fen"))


class DiscountCheckSchema(Schema):
    """A manager's approval of one discount, checked when given: `item_name` for a line discount (absent for
    the basket), `base_fen` what the discount applies to."""
    discount = fields.Nested(DiscountSchema, required=True)
    base_fen = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=MAX_DISCOUNT_FEN))
    item_name = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100))
    approval = fields.Nested(ApprovalSchema, required=True)


class DiscountCheckOutSchema(Schema):
    what = fields.String()
    amount_fen = fields.Integer()
    needed = fields.Boolean()
    approver = fields.String(allow_none=True)
    message = fields.String()


class DiscountLimitsForm(Schema):
    """The settings page's four fields: percent whole 0–100, amounts in yuan."""
    cashier_percent = fields.Integer(required=True, validate=validate.Range(
        min=0, max=100, error=str(_l("折扣百分比上限须在 0 到 100 之间"))),
        error_messages={"invalid": str(_l("请填写 0 到 100 之间的整数"))})
    cashier_amount = YuanField(max_fen=MAX_LIMIT_FEN, required=True)
    store_manager_percent = fields.Integer(required=True, validate=validate.Range(
        min=0, max=100, error=str(_l("折扣百分比上限须在 0 到 100 之间"))),
        error_messages={"invalid": str(_l("请填写 0 到 100 之间的整数"))})
    store_manager_amount = YuanField(max_fen=MAX_LIMIT_FEN, required=True)

    @post_load
    def make(self, data, **kwargs):
        return {"cashier": Limit(data["cashier_percent"], data["cashier_amount"]),
                "store_manager": Limit(data["store_manager_percent"], data["store_manager_amount"])}
