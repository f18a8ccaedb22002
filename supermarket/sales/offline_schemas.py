"""Shapes of the offline till's API: a queued sale's upload, a block of provisional numbers, the local catalog,
and the current shift's sales with their offline records."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from .inputs import Cart
from .schemas import MAX_PAYMENT_FEN, CartLineSchema, PaymentSchema, SaleSchema, _fen
from .tenders import TENDERS


class OfflineCartLineSchema(CartLineSchema):
    """Offline, a line is sold at the store's price, in money: an override needs a manager's approval checked
    online, and points need the central balance."""

    @validates_schema
    def sold_as_listed(self, data, **kwargs):
        if data.get("unit_price_fen") is not None or data.get("pay_with_points"):
            raise ValidationError(str(_l("离线销售不能改价或用积分")), "unit_price_fen")


class OfflineSaleSchema(Schema):
    """A sale the till made offline, as it uploads it (POST /sales with `offline: true`)."""

    offline = fields.Boolean(required=True, validate=validate.Equal(True))
    idempotency_key = fields.UUID(required=True)
    lines = fields.List(fields.Nested(OfflineCartLineSchema), required=True, validate=validate.Length(min=1, max=200))
    payments = fields.List(fields.Nested(PaymentSchema), required=True, validate=validate.Length(min=1, max=10))
    sold_at = fields.AwareDateTime(required=True, metadata={"description": "when the till made the sale"})
    block_id = fields.UUID(required=True)
    seq = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=100_000))
    device_id = fields.UUID(required=True)
    total_fen = _fen(MAX_PAYMENT_FEN, required=True, metadata={"description": "the total the till charged"})
    shift_id = fields.UUID(load_default=None)

    @validates_schema
    def money_only(self, data, **kwargs):
        if any(TENDERS[p.method].pays_in != "money" for p in data.get("payments", ())):
            raise ValidationError(str(_l("离线时不能用积分支付")), "payments")

    @post_load
    def make(self, data, **kwargs):
        from .offline import OfflineUpload

        cart = Cart(idempotency_key=data["idempotency_key"], lines=tuple(data["lines"]),
                    payments=tuple(data["payments"]), approval=None)
        return OfflineUpload(cart, data["block_id"], data["seq"], data["device_id"], data["sold_at"],
                             data["total_fen"], data["shift_id"])


class OfflineBlockInSchema(Schema):
    device_id = fields.UUID(required=True)


class OfflineBlockSchema(Schema):
    id = fields.UUID()
    prefix = fields.String()
    size = fields.Integer()
    issued_at = fields.AwareDateTime()
    max_hours = fields.Integer()
    max_sales = fields.Integer()


class ShiftSalesQuerySchema(Schema):
    shift = fields.String(required=True, validate=validate.OneOf(("current",)))


class ShiftSaleSchema(SaleSchema):
    offline = fields.Boolean()
    provisional_number = fields.String(allow_none=True)
    problems = fields.List(fields.String())
    landed_at = fields.AwareDateTime(allow_none=True)


class CatalogQuerySchema(Schema):
    since = fields.AwareDateTime(load_default=None)


class CatalogItemSchema(Schema):
    id = fields.UUID()
    name = fields.String()
    barcode = fields.String()
    barcode_lower = fields.String()
    pinyin = fields.String()
    unit = fields.String()
    price_fen = fields.Integer()
    points_price = fields.Integer(allow_none=True)
    on_hand = fields.Integer()
    sellable = fields.Integer()
    fund = fields.String()
    category = fields.String()
    category_id = fields.UUID()
    active = fields.Boolean()
    sold_by_weight = fields.Boolean()


class CatalogListSchema(Schema):
    """The till's local catalog as answered: the items, the server time they are as of (the next `since`), and
    whether it is the whole catalog or only the changes since `since`."""
    items = fields.List(fields.Nested(CatalogItemSchema), required=True)
    as_of = fields.AwareDateTime(required=True)
    full = fields.Boolean(required=True)


class ResolveOfflineForm(Schema):
    # Its length is the service's rule (said beside the field in the page's words).
    note = fields.String(load_default="")
