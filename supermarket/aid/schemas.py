"""Shapes at the edge for aid: forms and JSON in, JSON out. Rules that need the database live in the services."""
from __future__ import annotations

import base64
import binascii
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from ..text_rules import MULTILINE
from ..auth.schemas import ApprovalSchema
from ..auth.service import Approval
from .handout import HandoutInput, LineInput, ProxyInput
from .images import SIGNATURE_MAX_BYTES
from .models import HOUSEHOLD_STATUSES, PERIODS

NAME = validate.Length(min=1, max=32)
PHONE = validate.Regexp(r"^[0-9+\- ]{0,20}$", error=_l("电话只能包含数字"))
MAX_CAP_FEN = 10_000_000


class YuanField(fields.Field):
    """A yuan amount typed on a form ("100" or "99.5") as int fen, parsed with Decimal (never a float)."""

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            amount = Decimal(str(value).strip().lstrip("¥"))
        except (InvalidOperation, ValueError) as e:
            raise ValidationError(_l("请输入金额，如 100 或 99.50")) from e
        if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
            raise ValidationError(_l("金额最多两位小数"))
        fen = int(amount * 100)
        if not 0 < fen <= MAX_CAP_FEN:
            raise ValidationError(_l("金额必须在 0.01 到 100000 元之间"))
        return fen


class Base64Png(fields.String):
    """A PNG sent as base64 (a `data:image/png;base64,` prefix is allowed), as bytes. The content is checked by
    the service; here only the length and the encoding."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if text.startswith("data:"):
            text = text.partition(",")[2]
        if len(text) > (SIGNATURE_MAX_BYTES * 4) // 3 + 8:
            raise ValidationError(_l("签名图片太大"))
        try:
            return base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError) as e:
            raise ValidationError(_l("签名不是有效的 base64 编码")) from e


# --- households -------------------------------------------------------------------------------------------

class HouseholdInSchema(Schema):
    head_name = fields.String(required=True, validate=NAME)
    id_number = fields.String(required=True, validate=validate.Length(min=1, max=24))
    phone = fields.String(load_default="", validate=PHONE)
    community = fields.String(load_default="", validate=validate.Length(max=64))
    address = fields.String(load_default="", validate=validate.Length(max=200))
    members = fields.Integer(load_default=1, validate=validate.Range(min=1, max=30))
    category_code = fields.String(required=True, validate=validate.Length(min=1, max=32))
    proof_ref = fields.String(load_default="", validate=validate.Length(max=100))
    verified_by = fields.String(load_default="", validate=validate.Length(max=64))
    verified_on = fields.Date(required=True)
    review_due = fields.Date(load_default=None, allow_none=True)
    store_id = fields.UUID(load_default=None, allow_none=True)


class HouseholdUpdateSchema(Schema):
    head_name = fields.String(validate=NAME)
    phone = fields.String(validate=PHONE)
    community = fields.String(validate=validate.Length(max=64))
    address = fields.String(validate=validate.Length(max=200))
    members = fields.Integer(validate=validate.Range(min=1, max=30))
    category_code = fields.String(validate=validate.Length(min=1, max=32))
    proof_ref = fields.String(validate=validate.Length(max=100))


class ReviewSchema(Schema):
    verified_on = fields.Date(required=True)
    verified_by = fields.String(required=True, validate=validate.Length(min=1, max=64))
    proof_ref = fields.String(load_default="", validate=validate.Length(max=100))
    review_due = fields.Date(load_default=None, allow_none=True)


class StatusSchema(Schema):
    status = fields.String(required=True, validate=validate.OneOf(HOUSEHOLD_STATUSES))
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200))


class HouseholdQuerySchema(Schema):
    q = fields.String(load_default=None, validate=validate.Length(max=32))
    status = fields.String(load_default=None, validate=validate.OneOf(HOUSEHOLD_STATUSES))
    category_code = fields.String(load_default=None, validate=validate.Length(max=32))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100000))


class FindSchema(Schema):
    last4 = fields.String(required=True, validate=validate.Regexp(r"^[0-9]{3}[0-9Xx]$",
                                                                  error=_l("请输入身份证号后四位")))
    name = fields.String(required=True, validate=NAME)


# --- hand-out ---------------------------------------------------------------------------------------------

class LineSchema(Schema):
    barcode = fields.String(load_default=None, validate=validate.Length(min=1, max=32))
    item_id = fields.UUID(load_default=None)
    qty = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=99))

    @validates_schema
    def one_reference(self, data, **kwargs):
        if (data.get("barcode") is None) == (data.get("item_id") is None):
            raise ValidationError(_l("每行需要 barcode 或 item_id 之一"), "barcode")

    @post_load
    def make(self, data, **kwargs):
        return LineInput(qty=data["qty"], barcode=data["barcode"], item_id=data["item_id"])


class OverrideSchema(ApprovalSchema):
    """A manager's approval of a hand-out beyond the entitlement, with the reason."""

    reason = fields.String(required=True, validate=validate.Length(min=1, max=200))

    @post_load
    def make(self, data, **kwargs):
        return {"approval": Approval(data["username"], data.get("secret") or data["password"]),
                "reason": data["reason"]}  # HandoutSchema splits the approval from the reason


class ProxySchema(Schema):
    name = fields.String(required=True, validate=NAME)
    relation = fields.String(required=True, validate=validate.Length(min=1, max=32))

    @post_load
    def make(self, data, **kwargs):
        return ProxyInput(data["name"].strip(), data["relation"].strip())


class QuoteSchema(Schema):
    household_code = fields.String(required=True, validate=validate.Length(min=1, max=32))
    lines = fields.List(fields.Nested(LineSchema), required=True, validate=validate.Length(min=1, max=50))


class HandoutSchema(Schema):
    idempotency_key = fields.String(required=True, validate=validate.Length(min=8, max=64))
    household_code = fields.String(required=True, validate=validate.Length(min=1, max=32))
    lines = fields.List(fields.Nested(LineSchema), required=True, validate=validate.Length(min=1, max=50))
    signature_png = Base64Png(load_default=None, allow_none=True)
    proxy = fields.Nested(ProxySchema, load_default=None, allow_none=True)
    witness = fields.Nested(ApprovalSchema, required=True)
    override = fields.Nested(OverrideSchema, load_default=None, allow_none=True)

    @post_load
    def make(self, data, **kwargs):
        override = data["override"]
        return HandoutInput(
            household_code=data["household_code"], lines=tuple(data["lines"]), witness=data["witness"],
            signature_png=data["signature_png"], proxy=data["proxy"],
            override=override["approval"] if override else None,
            override_reason=override["reason"] if override else "", idempotency_key=data["idempotency_key"])


# --- policy -----------------------------------------------------------------------------------------------

class CategorySchema(Schema):
    code = fields.String(required=True, validate=validate.Regexp(r"^[a-z][a-z0-9_]{1,31}$",
                                                                 error=_l("代码只能是小写字母、数字和下划线")))
    name = fields.String(required=True, validate=validate.Length(min=1, max=32))
    review_months = fields.Integer(required=True, validate=validate.Range(min=1, max=36))
    active = fields.Boolean(load_default=False)


class EntitlementFormSchema(Schema):
    category_code = fields.String(required=True, validate=validate.Length(min=1, max=32))
    period = fields.String(load_default="month", validate=validate.OneOf(PERIODS))
    value_cap_fen = YuanField(load_default=None, allow_none=True, data_key="value_cap_yuan")
    item_cap = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1, max=1000))
    goods_category_ids = fields.List(fields.UUID(), load_default=list)
    effective_from = fields.Date(required=True)
    effective_to = fields.Date(load_default=None, allow_none=True)
    note = fields.String(load_default="", validate=validate.Length(max=200), metadata=MULTILINE)


# --- campaigns --------------------------------------------------------------------------------------------

class CampaignFormSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=64))
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    counts_toward_entitlement = fields.Boolean(load_default=False)
    pack = fields.List(fields.Nested(LineSchema), required=True, validate=validate.Length(min=1, max=20))


class CampaignHouseholdsSchema(Schema):
    codes = fields.String(load_default="", validate=validate.Length(max=5000))
    category_code = fields.String(load_default=None, validate=validate.Length(max=32))


class CampaignHandoutFormSchema(Schema):
    household_id = fields.UUID(required=True)
    proxy_name = fields.String(load_default="", validate=validate.Length(max=32))
    proxy_relation = fields.String(load_default="", validate=validate.Length(max=32))
    witness_username = fields.String(load_default="", validate=validate.Length(max=64))
    witness_password = fields.String(load_default="", validate=validate.Length(max=128))


class MonthQuerySchema(Schema):
    month = fields.String(load_default=None, validate=validate.Regexp(r"^\d{4}-(0[1-9]|1[0-2])$",
                                                                      error=_l("月份格式应为 2026-11")))
    store = fields.String(load_default=None, validate=validate.Length(max=16))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))


# --- output -----------------------------------------------------------------------------------------------

class EntitlementOutSchema(Schema):
    period_key = fields.String()
    period_label = fields.String()
    value_cap_fen = fields.Integer(allow_none=True)
    item_cap = fields.Integer(allow_none=True)
    used_value_fen = fields.Integer()
    used_items = fields.Integer()
    remaining_value_fen = fields.Integer(allow_none=True)
    remaining_items = fields.Integer(allow_none=True)
    goods_names = fields.List(fields.String())
    has_rule = fields.Function(lambda s: s.entitlement is not None)


class CounterHouseholdSchema(Schema):
    """What the counter shows: the name (to check against the ID card), never the ID number beyond ****1234."""

    code = fields.String()
    head_name = fields.String()
    id_masked = fields.String()
    category = fields.String()
    members = fields.Integer()
    status = fields.String()
    review_due = fields.Date()
    store_code = fields.String()
    entitlement = fields.Nested(EntitlementOutSchema)


class QuoteLineSchema(Schema):
    item_id = fields.Function(lambda pl: str(pl.item.id))
    barcode = fields.Function(lambda pl: pl.item.barcode)
    name = fields.Function(lambda pl: pl.item.name)
    unit = fields.Function(lambda pl: pl.item.unit)
    qty = fields.Integer()
    unit_value_fen = fields.Integer()
    value_fen = fields.Integer()


class DistributionOutSchema(Schema):
    id = fields.UUID()
    serial = fields.String()
    household_code = fields.Function(lambda d: d.household.code)
    store_code = fields.Function(lambda d: d.store.code)
    handed_out_at = fields.DateTime()
    value_fen = fields.Integer()
    items = fields.Integer()
    signed = fields.Function(lambda d: d.signature_id is not None)
    proxy = fields.Function(lambda d: bool(d.proxy_name))
    witness = fields.String(attribute="witness_name")
    override = fields.Boolean()
    lines = fields.Function(lambda d: [{"item_id": str(x.item_id), "name": x.item_name, "qty": x.qty,
                                        "value_fen": x.value_fen} for x in d.lines])
