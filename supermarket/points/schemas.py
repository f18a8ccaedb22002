"""Shapes at the edge for points: forms, the volunteer platform's credits, the till's resident look-up."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, post_load, validate, validates, validates_schema

from ..auth.service import Approval
from ..text_rules import MULTILINE
from ..privacy import mask_name, mask_phone
from .models import ACTIVITY_KINDS, EXPIRY_POLICIES, RESIDENT_STATUSES
from ..clock import SHANGHAI
from datetime import UTC

PHONE = validate.Regexp(r"^1[3-9]\d{9}$", error=_l("请输入 11 位手机号"))
PIN = validate.Regexp(r"^\d{6}$", error=_l("PIN 须为 6 位数字"))
CODE = validate.Regexp(r"^[a-z0-9][a-z0-9-]{0,39}$", error=_l("代码只能是小写字母、数字和连字符"))
MEMBER_CODE = validate.Length(min=1, max=32)
POINTS = dict(strict=True, validate=validate.Range(min=1, max=1_000_000, error=_l("积分必须是正整数")))


class LocalDateTime(fields.DateTime):
    """A date-time; without an offset it is read as Asia/Shanghai (what a form's datetime-local sends)."""

    def _deserialize(self, value, attr, data, **kwargs):
        parsed: datetime = super()._deserialize(value, attr, data, **kwargs)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=SHANGHAI)
        return parsed.astimezone(UTC)


class ResidentInSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=64))
    phone = fields.String(required=True, validate=PHONE)
    pin = fields.String(required=True, validate=PIN)
    pin_confirm = fields.String(required=True)
    community = fields.String(load_default="", validate=validate.Length(max=100))
    id_number = fields.String(load_default=None, validate=validate.Length(max=18))
    staff_username = fields.String(load_default=None, validate=validate.Length(max=64))

    @validates_schema
    def pins_match(self, data, **kwargs):
        if data.get("pin") != data.get("pin_confirm"):
            raise ValidationError([_l("两次输入的 PIN 不一致")], "pin_confirm")

    @post_load
    def drop_confirm(self, data, **kwargs):
        data.pop("pin_confirm", None)
        return data


class PinResetSchema(Schema):
    """The resident types the new PIN; staff type the ID proof the resident shows; a manager approves."""
    pin = fields.String(required=True, validate=PIN)
    pin_confirm = fields.String(required=True)
    id_proof = fields.String(load_default="", validate=validate.Length(max=32))
    approver_username = fields.String(load_default="", validate=validate.Length(max=64))
    approver_secret = fields.String(load_default="", validate=validate.Length(max=128))

    @post_load
    def approval(self, data, **kwargs):
        username, secret = data.pop("approver_username").strip(), data.pop("approver_secret")
        data["approval"] = Approval(username, secret) if username else None
        return data

    @validates_schema
    def pins_match(self, data, **kwargs):
        if data.get("pin") != data.get("pin_confirm"):
            raise ValidationError([_l("两次输入的 PIN 不一致")], "pin_confirm")


class StatusSchema(Schema):
    status = fields.String(required=True, validate=validate.OneOf(RESIDENT_STATUSES))
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200))


class ResidentQuerySchema(Schema):
    q = fields.String(load_default="", validate=validate.Length(max=64))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10000))


class LookupSchema(Schema):
    code = fields.String(required=True, validate=MEMBER_CODE)


class AdjustSchema(Schema):
    points = fields.Integer(load_default=None, strict=False,
                            validate=[validate.Range(min=-1_000_000, max=1_000_000),
                                      validate.NoneOf([0], error=_l("调整积分不能为 0"))])
    deduction = fields.String(load_default=None, validate=validate.Length(max=40))
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200))
    idempotency_key = fields.UUID(required=True)
    approver_username = fields.String(load_default=None, validate=validate.Length(max=64))
    approver_secret = fields.String(load_default=None, validate=validate.Length(max=200))

    @validates_schema
    def points_or_deduction(self, data, **kwargs):
        if data.get("points") is None and not data.get("deduction"):
            raise ValidationError([_l("请填写积分或选择扣分项")], "points")


class ReasonSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200))


class ShiftInSchema(Schema):
    member_code = fields.String(required=True, validate=MEMBER_CODE)
    activity = fields.String(required=True, validate=validate.Length(min=1, max=40))
    started_at = LocalDateTime(required=True)
    ended_at = LocalDateTime(required=True)
    idempotency_key = fields.UUID(required=True)
    note = fields.String(load_default="", validate=validate.Length(max=200), metadata=MULTILINE)


class CreditInSchema(Schema):
    """`POST /api/v1/points/credits` from the city's volunteer platform (and each row of its CSV export)."""

    idempotency_key = fields.String(required=True, validate=validate.Length(min=1, max=100))
    member_code = fields.String(required=True, validate=MEMBER_CODE)
    activity = fields.String(required=True, validate=validate.Length(min=1, max=40))
    hours = fields.Decimal(load_default=None, allow_nan=False,
                           validate=validate.Range(min=Decimal("0.01"), max=Decimal("24"),
                                                   error=_l("时长须在 0–24 小时之间")))
    points = fields.Integer(load_default=None, **POINTS)
    occurred_at = LocalDateTime(required=True)

    @validates("hours")
    def two_decimals(self, value, **kwargs):
        if value is not None and value != value.quantize(Decimal("0.01")):
            raise ValidationError([_l("时长最多两位小数")])

    @validates_schema
    def hours_or_points(self, data, **kwargs):
        if (data.get("hours") is None) == (data.get("points") is None):
            raise ValidationError([_l("请提供 hours 或 points 之一")], "hours")


class CreditSchema(Schema):
    id = fields.UUID()
    idempotency_key = fields.String()
    member_code = fields.Function(lambda c: c.resident.member_code)
    activity = fields.Function(lambda c: c.activity.code)
    points = fields.Integer()
    minutes = fields.Integer(allow_none=True)
    status = fields.String()
    occurred_at = fields.DateTime()
    publish_until = fields.DateTime(allow_none=True)
    entry_id = fields.UUID(allow_none=True)


class ResidentTillSchema(Schema):
    """What the till sees of a resident: enough to greet them and take points; phone masked."""

    member_code = fields.String()
    name = fields.String()
    phone = fields.Function(lambda r: mask_phone(r.phone))
    status = fields.String()
    balance = fields.Integer()


class ResidentMaskedSchema(ResidentTillSchema):
    name = fields.Function(lambda r: mask_name(r.name))


class ObjectionSchema(Schema):
    raised_by = fields.String(required=True, validate=validate.Length(min=1, max=64))
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200))


class ResolveSchema(Schema):
    objection_id = fields.UUID(required=True)
    upheld = fields.Boolean(required=True)
    note = fields.String(load_default="", validate=validate.Length(max=200), metadata=MULTILINE)


class CreditsQuerySchema(Schema):
    status = fields.String(load_default=None, validate=validate.OneOf(
        ("pending", "published", "credited", "rejected", "reversed")))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10000))


class OverviewQuerySchema(Schema):
    month = fields.String(load_default=None, validate=validate.Regexp(r"^\d{4}-\d{2}$"))
    store_id = fields.UUID(load_default=None)


class ActivityInSchema(Schema):
    code = fields.String(required=True, validate=CODE)
    name = fields.String(required=True, validate=validate.Length(min=1, max=64))
    kind = fields.String(required=True, validate=validate.OneOf(ACTIVITY_KINDS))
    points = fields.Integer(required=True, validate=validate.Range(min=1, max=10000))
    per_hours = fields.Integer(load_default=1, validate=validate.Range(min=1, max=24))
    max_hours_per_shift = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1, max=24))
    max_points_per_month = fields.Integer(load_default=None, allow_none=True,
                                          validate=validate.Range(min=1, max=100000))


class TableInSchema(Schema):
    effective_from = fields.Date(required=True)
    point_value_fen = fields.Integer(load_default=100, validate=validate.Range(min=1, max=100000))
    expiry_policy = fields.String(load_default="end_of_following_year", validate=validate.OneOf(EXPIRY_POLICIES))
    expiry_months = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1, max=120))
    max_hours_per_day = fields.Integer(load_default=8, validate=validate.Range(min=1, max=24))
    max_points_per_month = fields.Integer(load_default=None, allow_none=True,
                                          validate=validate.Range(min=1, max=100000))
    backdate_days = fields.Integer(load_default=7, validate=validate.Range(min=0, max=366))
    publication_days = fields.Integer(load_default=0, validate=validate.Range(min=0, max=60))
    daily_redeem_cap = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1, max=100000))
    adjust_approval_threshold = fields.Integer(load_default=50, validate=validate.Range(min=0, max=100000))
    note = fields.String(load_default="", validate=validate.Length(max=200), metadata=MULTILINE)
    activities = fields.List(fields.Nested(ActivityInSchema), required=True, validate=validate.Length(min=1, max=60))


class MeLoginSchema(Schema):
    phone = fields.String(required=True, validate=validate.Length(min=1, max=20))
    pin = fields.String(required=True, validate=validate.Length(min=1, max=20))
