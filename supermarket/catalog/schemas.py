"""Shapes at the edge for categories, items, prices and the scan lookup."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from .models import CONDITION_GRADES, ITEM_KINDS

CATEGORY_CODE = validate.Regexp(r"^[A-Z0-9_]{2,32}$", error=_l("类别代码只能是 2–32 位大写字母、数字或下划线"))


class YuanField(fields.Field):
    """A price typed in yuan on an HTML form ("12.5", "¥3") → int fen, parsed with Decimal (never a float)."""

    default_error_messages = {"invalid": _l("请输入金额，如 12.50"), "range": _l("金额超出范围")}

    def __init__(self, *, max_fen: int = 10_000_000, **kwargs):
        super().__init__(**kwargs)
        self.max_fen = max_fen

    def _deserialize(self, value, attr, data, **kwargs) -> int:
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise self.make_error("invalid")
        text = str(value).strip().lstrip("¥￥").replace(",", "")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise self.make_error("invalid") from None
        if not amount.is_finite() or amount.as_tuple().exponent < -2:
            raise self.make_error("invalid")
        fen = int(amount * 100)
        if not 0 <= fen <= self.max_fen:
            raise self.make_error("range")
        return fen

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else f"{value // 100}.{value % 100:02d}"


class CategoryInSchema(Schema):
    code = fields.String(required=True, validate=CATEGORY_CODE)
    name = fields.String(required=True, validate=validate.Length(min=1, max=64))
    prohibited = fields.Boolean(load_default=False)
    prohibited_reason = fields.String(load_default="", validate=validate.Length(max=200))
    is_food = fields.Boolean(load_default=False)
    near_expiry_days = fields.Integer(load_default=7, strict=False, validate=validate.Range(min=0, max=365))
    quick_key = fields.Boolean(load_default=False)

    @validates_schema
    def reason_when_prohibited(self, data, **kwargs):
        if data.get("prohibited") and not (data.get("prohibited_reason") or "").strip():
            raise ValidationError([_l("禁止类别须写明原因")], "prohibited_reason")


class CategoryUpdateSchema(CategoryInSchema):
    class Meta:
        partial = True
        exclude = ("code",)


class CategorySchema(Schema):
    id = fields.UUID()
    code = fields.String()
    name = fields.String()
    prohibited = fields.Boolean()
    prohibited_reason = fields.String()
    is_food = fields.Boolean()
    near_expiry_days = fields.Integer()
    quick_key = fields.Boolean()


class ItemFormSchema(Schema):
    """The item form (prices in yuan). The barcode may be left empty: an internal code is made."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    category_id = fields.UUID(required=True)
    unit = fields.String(load_default="件", validate=validate.Length(min=1, max=16))
    barcode = fields.String(load_default=None, validate=validate.Length(max=32))
    kind = fields.String(required=True, validate=validate.OneOf(ITEM_KINDS))
    condition_grade = fields.String(load_default=None, validate=validate.OneOf(CONDITION_GRADES))
    default_price_fen = YuanField(required=True, data_key="price_yuan")
    points_price = fields.Integer(load_default=None, validate=validate.Range(min=1, max=1_000_000))
    sold_by_weight = fields.Boolean(load_default=False)


class ItemEditSchema(Schema):
    name = fields.String(validate=validate.Length(min=1, max=100))
    category_id = fields.UUID()
    unit = fields.String(validate=validate.Length(min=1, max=16))
    condition_grade = fields.String(validate=validate.OneOf(CONDITION_GRADES))
    default_price_fen = YuanField(data_key="price_yuan")
    points_price = fields.Integer(allow_none=True, validate=validate.Range(min=1, max=1_000_000))
    active = fields.Boolean()
    sold_by_weight = fields.Boolean()


class StorePriceFormSchema(Schema):
    """Empty price clears the store's own price (back to the default)."""

    price_fen = YuanField(load_default=None, allow_none=True, data_key="price_yuan")


class ItemQuerySchema(Schema):
    """`?barcode=` (the scan lookup) or `?q=` (name, barcode or pinyin initials); the page list adds paging."""

    barcode = fields.String(load_default=None, validate=validate.Length(min=1, max=64))
    q = fields.String(load_default=None, validate=validate.Length(max=64))
    category_id = fields.UUID(load_default=None)
    store_id = fields.UUID(load_default=None)  # API: oversight roles name the store; staff get their own
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))

    @validates_schema
    def one_of(self, data, **kwargs):
        if data.get("barcode") and data.get("q"):
            raise ValidationError([_l("barcode 与 q 只能给一个")], "q")


class ItemSchema(Schema):
    id = fields.UUID()
    name = fields.String()
    pinyin = fields.String()
    barcode = fields.String()
    barcode_kind = fields.String()
    category_id = fields.UUID()
    category_code = fields.Function(lambda i: i.category.code)
    category_name = fields.Function(lambda i: i.category.name)
    unit = fields.String()
    kind = fields.String()
    condition_grade = fields.String(allow_none=True)
    is_food = fields.Boolean()
    default_price_fen = fields.Integer()
    points_price = fields.Integer(allow_none=True)
    active = fields.Boolean()
    fund = fields.String()
    sold_by_weight = fields.Boolean(metadata={"description": "price per kg; stock in grams"})


class ItemInStoreSchema(Schema):
    """An item as a tablet sees it in one store: the store's price and the on-hand quantity there."""

    item = fields.Nested(ItemSchema)
    store_id = fields.UUID()
    price_fen = fields.Integer()
    on_hand = fields.Integer()
    sellable = fields.Integer(metadata={"description": "on_hand less the units of expired lots"})
    expired = fields.Integer(metadata={"description": "units in lots past their expiry date (not for sale)"})
    expired_on = fields.Date(allow_none=True, metadata={"description": "the latest expiry date of those lots"})
    prohibited = fields.Function(lambda r: r.item.category.prohibited)


class ItemSearchSchema(Schema):
    items = fields.List(fields.Nested(ItemInStoreSchema))
