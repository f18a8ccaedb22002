"""Shapes at the edge: types, ranges and required fields. The rules that need the database are the services'."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, post_load, pre_load, validate, validates_schema

from ..text_rules import MULTILINE
from ..catalog.service import MAX_PRICE_FEN
from ..auth.schemas import ApprovalSchema
from ..auth.service import Approval
from .inputs import Cart, CartLine, Refund, ReturnLine, ShiftClose, Tendered
from .shifts import MAX_COUNTED_FEN, MAX_FLOAT_FEN
from .tenders import MONEY_METHODS, TENDERS
from .weighed import MAX_WEIGHT_G

MAX_LINE_QTY = 9999
MAX_PAYMENT_FEN = 100_000_000
MAX_POINTS = 10_000_000


class YuanField(fields.Field):
    """Yuan typed on a page ("12.5", "12.50", "¥12") as int fen, parsed with Decimal (never a float)."""

    def __init__(self, *, max_fen: int, **kwargs):
        super().__init__(**kwargs)
        self.max_fen = max_fen

    def _deserialize(self, value, attr, data, **kwargs) -> int:
        text = str(value).strip().replace("¥", "").replace(",", "").replace("，", "")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValidationError(str(_l("请输入金额，例如 12.50"))) from None
        if not amount.is_finite() or amount < 0 or amount.as_tuple().exponent < -2:
            raise ValidationError(str(_l("金额必须是不小于 0、最多两位小数的数")))
        fen = int(amount * 100)
        if fen > self.max_fen:
            raise ValidationError(str(_l("金额过大")))
        return fen


def _fen(max_fen: int, **kw):
    return fields.Integer(strict=True, validate=validate.Range(min=0, max=max_fen), **kw)


class CartLineSchema(Schema):
    barcode = fields.String(validate=validate.Length(min=1, max=32))
    item_id = fields.UUID()
    qty = fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_LINE_QTY),
                         metadata={"description": "units; required unless the item is sold by weight"})
    weight_g = fields.Integer(strict=True, validate=validate.Range(
        min=1, max=MAX_WEIGHT_G, error=str(_l("重量须大于 0 且不超过 50 千克"))), metadata={
        "description": "grams (1-50000), only and always for an item sold by weight (catalog sold_by_weight), "
                       "instead of qty; the line's total is its price per kg x grams / 1000 rounded half up"})
    unit_price_fen = _fen(MAX_PRICE_FEN)
    override_reason = fields.String(load_default="", validate=validate.Length(max=200))
    pay_with_points = fields.Boolean(load_default=False)
    discount = fields.Nested("DiscountSchema", load_default=None, allow_none=True)

    @validates_schema
    def one_reference(self, data, **kwargs):
        if ("barcode" in data) == ("item_id" in data):
            raise ValidationError(str(_l("每行请给出条码或物品编号（只能给一个）")), "barcode")

    @validates_schema
    def qty_or_weight(self, data, **kwargs):
        # Whether the item is weighed is the checkout's to say (it reads the catalog); here only the shape.
        if "qty" in data and "weight_g" in data:
            raise ValidationError(str(_l("称重商品填写重量，其他商品填写数量（只能填一项）")), "weight_g")

    @post_load
    def make(self, data, **kwargs):
        if "weight_g" in data:
            return CartLine(**{**data, "qty": 1})
        if "qty" not in data:
            # A counted item's line without a quantity: said at the field; a weighed one's at weight_g by the
            # checkout, which knows the item.
            data["qty"] = 0
        return CartLine(**data)


class PaymentSchema(Schema):
    method = fields.String(required=True, validate=validate.OneOf(tuple(TENDERS)))
    amount_fen = fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_PAYMENT_FEN))
    reference = fields.String(load_default="", validate=validate.Length(max=64))
    points = fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_POINTS))
    member_code = fields.String(load_default="", validate=validate.Length(max=32))
    pin = fields.String(load_default="", validate=validate.Length(max=16))

    @validates_schema
    def shape_of_tender(self, data, **kwargs):
        tender = TENDERS.get(data.get("method"))
        if tender is None:
            return
        if tender.pays_in == "money" and "amount_fen" not in data:
            raise ValidationError(str(_l("请填写金额")), "amount_fen")
        if tender.pays_in == "points" and ("points" not in data or not data.get("member_code")):
            raise ValidationError(str(_l("积分支付需要会员码和积分数")), "points")

    @post_load
    def make(self, data, **kwargs):
        return Tendered(**data)


class CheckoutSchema(Schema):
    idempotency_key = fields.UUID(required=True)
    lines = fields.List(fields.Nested(CartLineSchema), required=True, validate=validate.Length(min=1, max=200))
    payments = fields.List(fields.Nested(PaymentSchema), load_default=list, validate=validate.Length(max=10))
    approval = fields.Nested(ApprovalSchema, load_default=None, allow_none=True)
    discount = fields.Nested("DiscountSchema", load_default=None, allow_none=True)
    discount_approval = fields.Nested(ApprovalSchema, load_default=None, allow_none=True)
    held_id = fields.UUID(load_default=None, allow_none=True,
                          metadata={"description": "the recalled held sale whose approved price changes it carries"})
    donation = fields.Nested("TillDonationSchema", load_default=None, allow_none=True,
                             metadata={"description": "the change (or the round-up) given to a charity project"})

    @post_load
    def make(self, data, **kwargs):
        return Cart(idempotency_key=data["idempotency_key"], lines=tuple(data["lines"]),
                    payments=tuple(data["payments"]), approval=data["approval"], discount=data["discount"],
                    discount_approval=data["discount_approval"], held_id=data["held_id"],
                    donation=data["donation"])


class VoidSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200))
    approval = fields.Nested(ApprovalSchema, required=True)
    idempotency_key = fields.UUID(load_default=None)


class ReturnLineSchema(Schema):
    sale_line_id = fields.UUID(required=True)
    qty = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=MAX_LINE_QTY))

    @post_load
    def make(self, data, **kwargs):
        return ReturnLine(**data)


class ReturnSchema(Schema):
    lines = fields.List(fields.Nested(ReturnLineSchema), required=True, validate=validate.Length(min=1, max=200))
    refund_method = fields.String(load_default="cash", validate=validate.OneOf(MONEY_METHODS))
    refund_reference = fields.String(load_default="", validate=validate.Length(max=64))
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200))
    approval = fields.Nested(ApprovalSchema, required=True)
    idempotency_key = fields.UUID(load_default=None)

    @post_load
    def make(self, data, **kwargs):
        data["refund"] = Refund(data.pop("refund_method"), data.pop("refund_reference"))
        return data


class ShiftOpenSchema(Schema):
    float_fen = _fen(MAX_FLOAT_FEN, required=True)


class ShiftCloseSchema(Schema):
    counted = fields.Dict(keys=fields.String(validate=validate.OneOf(MONEY_METHODS)),
                          values=_fen(MAX_COUNTED_FEN), required=True)
    approval = fields.Nested(ApprovalSchema, load_default=None, allow_none=True)
    note = fields.String(load_default="", validate=validate.Length(max=200), metadata=MULTILINE)

    @post_load
    def make(self, data, **kwargs):
        return ShiftClose(**data)


class TillSettingsSchema(Schema):
    accepted = fields.List(fields.String(validate=validate.OneOf(tuple(TENDERS))), required=True,
                           validate=validate.Length(min=1))
    receipt_width_mm = fields.Integer(required=True, validate=validate.OneOf((58, 80)))


class ItemQuerySchema(Schema):
    q = fields.String(load_default="", validate=validate.Length(max=64))
    barcode = fields.String(load_default="", validate=validate.Length(max=32))
    category_id = fields.UUID(load_default=None)


class ReceiptQuerySchema(Schema):
    width = fields.Integer(load_default=None, validate=validate.OneOf((58, 80)))


# --- output ---------------------------------------------------------------------------------------------------

class SaleLineOutSchema(Schema):
    id = fields.UUID()
    line_no = fields.Integer()
    item_id = fields.UUID()
    name = fields.String()
    qty = fields.Integer()
    list_price_fen = fields.Integer()
    unit_price_fen = fields.Integer()
    line_total_fen = fields.Integer()
    fund = fields.String()
    pay_with_points = fields.Boolean()
    points_total = fields.Integer()
    returned_qty = fields.Integer()
    discount_fen = fields.Integer()
    basket_discount_fen = fields.Integer()
    weight_g = fields.Integer(allow_none=True, metadata={
        "description": "a weighed item's grams (unit_price_fen is then per kg); null for counted items"})


class PaymentOutSchema(Schema):
    method = fields.String()
    label = fields.Function(lambda p: str(TENDERS[p.method].label) if p.method in TENDERS else p.method)
    amount_fen = fields.Integer()
    tendered_fen = fields.Integer(allow_none=True)
    points = fields.Integer()
    reference = fields.String()


class SaleSchema(Schema):
    id = fields.UUID()
    number = fields.String()
    kind = fields.String()
    status = fields.String()
    store_id = fields.UUID()
    shift_id = fields.UUID()
    sold_at = fields.AwareDateTime()
    total_fen = fields.Integer()
    points_total = fields.Integer()
    change_fen = fields.Integer()
    reverses_id = fields.UUID(allow_none=True)
    cashier = fields.Function(lambda s: s.cashier.display_name if s.cashier else "")
    lines = fields.List(fields.Nested(SaleLineOutSchema))
    payments = fields.List(fields.Nested(PaymentOutSchema))
    donation = fields.Nested("TillDonationOutSchema", allow_none=True)


class ShiftCountOutSchema(Schema):
    method = fields.String()
    expected_fen = fields.Integer()
    counted_fen = fields.Integer()


class ShiftSchema(Schema):
    id = fields.UUID()
    number = fields.String()
    status = fields.String()
    store_id = fields.UUID()
    opened_at = fields.AwareDateTime()
    closed_at = fields.AwareDateTime(allow_none=True)
    float_fen = fields.Integer()
    counts = fields.List(fields.Nested(ShiftCountOutSchema))
    variance_fen = fields.Integer()


class TillItemSchema(Schema):
    id = fields.UUID()
    name = fields.String()
    barcode = fields.String()
    unit = fields.String()
    price_fen = fields.Integer()
    points_price = fields.Integer(allow_none=True)
    on_hand = fields.Integer()
    sellable = fields.Integer(metadata={"description": "on_hand less the units of expired lots"})
    expired = fields.Integer(metadata={"description": "units in expired lots (on hand, not for sale)"})
    expired_on = fields.Date(allow_none=True)
    expired_note = fields.String()
    fund = fields.String()
    category = fields.String()
    sold_by_weight = fields.Boolean(metadata={
        "description": "sold by weight: price_fen is per kg and on_hand/sellable/expired are grams"})


# --- page forms: text fields (yuan, quantities) of the HTML pages into the services' values ----------------

class _ApprovalFields(Schema):
    approver_username = fields.String(load_default="", validate=validate.Length(max=64))
    approver_secret = fields.String(load_default="", validate=validate.Length(max=128))
    idempotency_key = fields.UUID(load_default=None)

    @staticmethod
    def approval(data) -> Approval | None:
        username, secret = data.pop("approver_username"), data.pop("approver_secret")
        return Approval(username, secret) if username and secret else None


class OpenShiftForm(Schema):
    float_yuan = YuanField(max_fen=MAX_FLOAT_FEN, required=True, data_key="float_yuan", attribute="float_fen")


def open_form() -> Schema:
    return OpenShiftForm()


def close_form(methods: list[str]) -> Schema:
    """Counted takings per tender (yuan), the note, and the manager's countersign (optional for the preview)."""
    counted = {f"counted_{m}": YuanField(max_fen=MAX_COUNTED_FEN) for m in methods if m in MONEY_METHODS}

    class CloseForm(_ApprovalFields):
        note = fields.String(load_default="", validate=validate.Length(max=200), metadata=MULTILINE)
        action = fields.String(load_default="preview", validate=validate.OneOf(("preview", "confirm")))

        @post_load
        def make(self, data, **kwargs):
            got = {k[len("counted_"):]: data.pop(k) for k in list(data) if k.startswith("counted_")}
            return ShiftClose(counted=got, approval=self.approval(data), note=data["note"])

    return CloseForm.from_dict(counted, name="CloseFormWithTenders")() if counted else CloseForm()


class VoidForm(_ApprovalFields):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200))

    @post_load
    def make(self, data, **kwargs):
        data["approval"] = self.approval(data)
        return data


def void_form() -> Schema:
    return VoidForm()


class ReturnForm(_ApprovalFields):
    """`qty_<sale line id>` per line (0 or empty: not returned), the refund tender, reason and approval."""

    lines = fields.List(fields.Tuple((fields.UUID(), fields.Integer(
        strict=True, validate=validate.Range(min=1, max=MAX_LINE_QTY)))), validate=validate.Length(min=1))
    refund_method = fields.String(load_default="cash", validate=validate.OneOf(MONEY_METHODS))
    refund_reference = fields.String(load_default="", validate=validate.Length(max=64))
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200))

    @pre_load
    def collect_lines(self, data, **kwargs):
        data = dict(data)
        lines = []
        for key in [k for k in data if k.startswith("qty_")]:
            raw = str(data.pop(key)).strip()
            if raw in ("", "0"):
                continue
            if not raw.isdigit():
                raise ValidationError(str(_l("退货数量必须是整数")), "lines")
            lines.append((key[len("qty_"):], int(raw)))
        if not lines:
            raise ValidationError(str(_l("请填写要退的数量")), "lines")
        data["lines"] = lines
        return data

    @post_load
    def make(self, data, **kwargs):
        return {"lines": [ReturnLine(line_id, qty) for line_id, qty in data["lines"]],
                "refund": Refund(data["refund_method"], data["refund_reference"]), "reason": data["reason"],
                "approval": self.approval(data), "idempotency_key": data["idempotency_key"]}


def return_form() -> Schema:
    return ReturnForm()


class SettingsForm(TillSettingsSchema):
    receipt_width_mm = fields.Integer(required=True, validate=validate.OneOf((58, 80)))
    variance_limit = YuanField(max_fen=100_000, load_default=None)
    cash_approval_limit = YuanField(max_fen=1_000_000, load_default=None)


def settings_form() -> Schema:
    return SettingsForm()


# The discount schemas nest by name above (they import YuanField from here).
from . import discount_schemas  # noqa: E402,F401
from . import donation_schemas  # noqa: E402,F401
