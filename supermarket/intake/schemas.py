"""Shapes at the edge: the intake API body, the page forms (money typed in yuan) and the JSON we send back."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from ..text_rules import MULTILINE
from ..auth.schemas import ApprovalSchema
from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from ..catalog.models import CONDITION_GRADES
from .donors import DonorInput
from .lines import MAX_QTY, MAX_UNIT_VALUE_FEN, MAX_WEIGHT_G, LineInput, NewItemInput
from .models import DONOR_KINDS, INTAKE_ITEM_KINDS, MONEY_METHODS, PLEDGE_KINDS, VALUATION_BASES
from .pledges import MAX_PLEDGE_FEN, PledgeInput
from .service import MAX_MONEY_FEN, DonationInput, MoneyInput

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class YuanField(fields.Field):
    """Money typed on a page in yuan ("12.5", "¥1,200.00") → int fen, with Decimal: no floats."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = str(value).strip().replace("¥", "").replace("，", "").replace(",", "")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite() or abs(amount) > 10**9 \
                or amount != amount.quantize(Decimal("0.01")):
            raise ValidationError(_("请输入金额，如 12.50"))
        return int(amount * 100)


class CheckerSchema(ApprovalSchema):
    """The second person who counted the donation (the one approval shape; `password` is an alias of `secret`)."""


class DonorDetailsSchema(Schema):
    """What a donor may add besides kind and name (shared by the intake API and the donor form)."""

    phone = fields.String(load_default="", validate=validate.Length(max=32))
    contact_person = fields.String(load_default="", validate=validate.Length(max=64))
    address = fields.String(load_default="", validate=validate.Length(max=200))
    id_number = fields.String(load_default="", validate=validate.Length(max=18))
    note = fields.String(load_default="", validate=validate.Length(max=200), metadata=MULTILINE)


class DonorRefSchema(DonorDetailsSchema):
    """`{"id": …}` for a donor of this store, `{"anonymous": true}`, or a new donor `{"kind", "name", …}`."""

    id = fields.UUID(load_default=None)
    anonymous = fields.Boolean(load_default=False)
    kind = fields.String(load_default=None, validate=validate.OneOf(DONOR_KINDS))
    name = fields.String(load_default=None, validate=validate.Length(min=1, max=100))

    @validates_schema
    def one_choice(self, data, **kwargs):
        chosen = [data["id"] is not None, bool(data["anonymous"]), data["name"] is not None]
        if sum(chosen) != 1:
            raise ValidationError(str(_l("请选择已登记的捐赠人、填写新捐赠人或勾选匿名，三者选一")))
        if data["name"] is not None and data["kind"] is None:
            raise ValidationError(str(_l("请选择个人或单位")), "kind")


class NewItemSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    category_id = fields.UUID(required=True)
    kind = fields.String(load_default="donated_new", validate=validate.OneOf(INTAKE_ITEM_KINDS))
    condition_grade = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(CONDITION_GRADES))
    unit = fields.String(load_default="件", validate=validate.Length(min=1, max=16))
    barcode = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=32))
    price_fen = fields.Integer(load_default=None, allow_none=True, strict=True,
                               validate=validate.Range(min=0, max=MAX_UNIT_VALUE_FEN))

    @post_load
    def make(self, data, **kwargs):
        return NewItemInput(**data)


class LineSchema(Schema):
    item_id = fields.UUID(load_default=None)
    barcode = fields.String(load_default=None, validate=validate.Length(min=1, max=32))
    item = fields.Nested(NewItemSchema, load_default=None)
    qty = fields.Integer(load_default=None, strict=True, validate=validate.Range(min=1, max=MAX_QTY), metadata={
        "description": "units; required unless the item is sold by weight, refused for such an item"})
    weight_g = fields.Integer(load_default=None, strict=True, validate=validate.Range(
        min=1, max=MAX_WEIGHT_G, error=str(_l("重量须大于 0 且不超过 1000 公斤，最多三位小数"))), metadata={
        "description": "grams (1-1000000), only and always for an item sold by weight (catalog sold_by_weight), "
                       "instead of qty; unit_value_fen is then the value of one kg and the line's value is "
                       "unit_value_fen x grams / 1000 rounded half up"})
    unit_value_fen = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=MAX_UNIT_VALUE_FEN))
    valuation_basis = fields.String(required=True, validate=validate.OneOf(VALUATION_BASES))
    expiry_date = fields.Date(load_default=None, allow_none=True)

    @post_load
    def make(self, data, **kwargs):
        return LineInput(qty=data["qty"], unit_value_fen=data["unit_value_fen"],
                         valuation_basis=data["valuation_basis"], item_id=data["item_id"],
                         barcode=data["barcode"], new_item=data["item"], expiry_date=data["expiry_date"],
                         weight_g=data["weight_g"])


class MoneySchema(Schema):
    method = fields.String(required=True, validate=validate.OneOf(MONEY_METHODS))
    amount_fen = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=MAX_MONEY_FEN))
    reference = fields.String(load_default="", validate=validate.Length(max=64))

    @post_load
    def make(self, data, **kwargs):
        return MoneyInput(**data)


class DonationSchema(Schema):
    """POST /api/v1/donations. Money in fen; at least one line or one money entry."""

    idempotency_key = fields.UUID(required=True)
    donor = fields.Nested(DonorRefSchema, load_default=None)
    lines = fields.List(fields.Nested(LineSchema), load_default=list, validate=validate.Length(max=200))
    money = fields.List(fields.Nested(MoneySchema), load_default=list, validate=validate.Length(max=10))
    checker = fields.Nested(CheckerSchema, required=True)
    pledge_id = fields.UUID(load_default=None, allow_none=True)
    note = fields.String(load_default="", validate=validate.Length(max=200), metadata=MULTILINE)

    @post_load
    def make(self, data, **kwargs):
        donor = data["donor"] or {}
        new = None
        if donor.get("name") is not None:
            new = DonorInput(**{k: v for k, v in donor.items() if k not in ("id", "anonymous")})
        return DonationInput(idempotency_key=data["idempotency_key"], checker_username=data["checker"].username,
                             checker_secret=data["checker"].secret, lines=data["lines"], money=data["money"],
                             donor_id=donor.get("id"), new_donor=new, anonymous=bool(donor.get("anonymous")),
                             pledge_id=data["pledge_id"], note=data["note"])


# --- page forms -------------------------------------------------------------------------------------------

class DonorFormSchema(DonorDetailsSchema):
    kind = fields.String(required=True, validate=validate.OneOf(DONOR_KINDS))
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))

    @post_load
    def make(self, data, **kwargs):
        return DonorInput(**data)


class MoneyFormSchema(Schema):
    """The money-donation page: a registered donor or anonymous, one payment, the second person's password."""

    idempotency_key = fields.UUID(required=True)
    donor_id = fields.UUID(load_default=None)
    anonymous = fields.Boolean(load_default=False)
    method = fields.String(required=True, validate=validate.OneOf(MONEY_METHODS))
    amount = YuanField(required=True)
    reference = fields.String(load_default="", validate=validate.Length(max=64))
    pledge_id = fields.UUID(load_default=None)
    note = fields.String(load_default="", validate=validate.Length(max=200), metadata=MULTILINE)
    checker_username = fields.String(load_default="", validate=validate.Length(max=64))
    checker_password = fields.String(load_default="", validate=validate.Length(max=128))

    @post_load
    def make(self, data, **kwargs):
        return DonationInput(idempotency_key=data["idempotency_key"], checker_username=data["checker_username"],
                             checker_secret=data["checker_password"],
                             money=[MoneyInput(data["method"], data["amount"], data["reference"])],
                             donor_id=data["donor_id"], anonymous=data["anonymous"] and not data["donor_id"],
                             pledge_id=data["pledge_id"], note=data["note"])


class PledgeFormSchema(Schema):
    donor_id = fields.UUID(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(PLEDGE_KINDS))
    amount = YuanField(required=True, validate=validate.Range(min=1, max=MAX_PLEDGE_FEN,
                                                              error=_l("金额须大于 0 且不超过 1000 万元")))
    due_date = fields.Date(required=True)
    description = fields.String(load_default="", validate=validate.Length(max=200), metadata=MULTILINE)

    @post_load
    def make(self, data, **kwargs):
        return PledgeInput(donor_id=data["donor_id"], kind=data["kind"], amount_fen=data["amount"],
                           due_date=data["due_date"], description=data["description"])


class FollowUpFormSchema(Schema):
    note = fields.String(required=True, validate=validate.Length(min=1, max=500), metadata=MULTILINE)
    next_contact_on = fields.Date(load_default=None)


class CancelFormSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200))


class ReportQuerySchema(Schema):
    store_id = fields.UUID(load_default=None)
    month = fields.String(load_default=None, validate=validate.Regexp(MONTH, error=_l("月份格式为 2026-05")))


class LabelsQuerySchema(Schema):
    """Labels: `format` sheet (A4) or single (40×30 mm); `per` unit (default) or line; sheet layout."""

    format = fields.String(load_default="sheet", validate=validate.OneOf(("sheet", "single")))
    per = fields.String(load_default="unit", validate=validate.OneOf(("unit", "line")))
    cols = fields.Integer(load_default=3, validate=validate.Range(min=1, max=6))
    rows = fields.Integer(load_default=8, validate=validate.Range(min=1, max=16))
    skip = fields.Integer(load_default=0, validate=validate.Range(min=0, max=95))
    outlines = fields.Boolean(load_default=False)


class PageQuerySchema(Schema):
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=100))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=1_000_000))
    q = fields.String(load_default="", validate=validate.Length(max=50))


# --- output -----------------------------------------------------------------------------------------------

class DonationLineOutSchema(Schema):
    line_no = fields.Integer()
    item_id = fields.UUID()
    barcode = fields.Function(lambda line: line.item.barcode)
    name = fields.Function(lambda line: line.item.name)
    category = fields.Function(lambda line: line.category.name)
    qty = fields.Integer()
    weight_g = fields.Integer(allow_none=True, metadata={"description": "grams of a weighed line (qty is 1)"})
    unit = fields.String()
    unit_value_fen = fields.Integer()
    line_value_fen = fields.Integer()
    valuation_basis = fields.String()
    value_unknown = fields.Boolean()
    condition_grade = fields.String(allow_none=True)
    expiry_date = fields.Date(allow_none=True)
    near_expiry = fields.Boolean()
    item_created = fields.Boolean()


class MoneyLineOutSchema(Schema):
    method = fields.String()
    amount_fen = fields.Integer()
    reference = fields.String()


class DonationOutSchema(Schema):
    """A donation as the API returns it; `donor` is the name as the caller may see it (or 匿名)."""

    id = fields.UUID()
    serial = fields.String()
    store_id = fields.UUID()
    store_code = fields.Function(lambda d: d.store.code)
    received_at = fields.DateTime()
    anonymous = fields.Boolean()
    donor_id = fields.UUID(allow_none=True)
    receiver_name = fields.String()
    checker_name = fields.String()
    goods_value_fen = fields.Integer()
    money_fen = fields.Integer()
    total_value_fen = fields.Integer()
    unit_count = fields.Integer()
    has_near_expiry = fields.Boolean()
    has_unvalued = fields.Boolean()
    has_photo = fields.Boolean()
    print_count = fields.Integer()
    pledge_id = fields.UUID(allow_none=True)
    note = fields.String()


class DonationDetailOutSchema(DonationOutSchema):
    lines = fields.List(fields.Nested(DonationLineOutSchema))
    money_lines = fields.List(fields.Nested(MoneyLineOutSchema))


class DonorOutSchema(Schema):
    id = fields.UUID()
    kind = fields.String()
    name = fields.String()
    contact_person = fields.String()
    phone = fields.String()
    id_masked = fields.String()
    masked = fields.Boolean()
