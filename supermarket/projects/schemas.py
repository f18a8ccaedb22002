"""Shapes at the edge for projects and sessions: forms and JSON in, JSON out."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, post_load, validate

from ..aid.schemas import YuanField
from ..auth.schemas import ApprovalSchema
from ..points.schemas import LocalDateTime
from .importer import Columns
from .livestream import SessionInput
from .models import PLATFORMS, PROJECT_STATUSES
from .projects import ProjectInput

MAX_FEN = 1_000_000_000
FEN = validate.Range(min=1, max=MAX_FEN, error=_l("金额无效"))
FEN_OR_ZERO = validate.Range(min=0, max=MAX_FEN, error=_l("金额无效"))


class ProjectInSchema(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=100))
    purpose = fields.String(required=True, validate=validate.Length(min=1, max=1000))
    beneficiaries = fields.String(required=True, validate=validate.Length(min=1, max=300),
                                  metadata={"description": "Who benefits, described as a group, never named."})
    target_fen = fields.Integer(required=True, strict=True, validate=FEN)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    level = fields.String(load_default="store", validate=validate.OneOf(("store", "district", "city")))
    store_id = fields.UUID(load_default=None)
    district_id = fields.UUID(load_default=None)
    open = fields.Boolean(load_default=False, metadata={"description": "Open at once (else a draft)."})

    @post_load
    def make(self, data, **kwargs):
        open_now = data.pop("open")
        return ProjectInput(**data), open_now


class ProjectFormSchema(ProjectInSchema):
    """The page's form: the target in yuan."""
    target_fen = YuanField(required=True, data_key="target_yuan")


class ExpenditureInSchema(Schema):
    amount_fen = fields.Integer(required=True, strict=True, validate=FEN)
    payee = fields.String(required=True, validate=validate.Length(min=1, max=100))
    purpose = fields.String(required=True, validate=validate.Length(min=1, max=300))
    spent_on = fields.Date(required=True)
    approval = fields.Nested(ApprovalSchema, required=True)


class ExpenditureFormSchema(Schema):
    amount_fen = YuanField(required=True, data_key="amount_yuan")
    payee = fields.String(required=True, validate=validate.Length(min=1, max=100))
    purpose = fields.String(required=True, validate=validate.Length(min=1, max=300))
    spent_on = fields.Date(required=True)
    approver = fields.String(required=True, validate=validate.Length(min=1, max=64))
    approver_secret = fields.String(required=True, validate=validate.Length(min=1, max=128))


class AdvanceFormSchema(Schema):
    amount_fen = YuanField(required=True, data_key="amount_yuan")
    reason = fields.String(required=True, validate=validate.Length(min=1, max=300))
    approver = fields.String(required=True, validate=validate.Length(min=1, max=64))
    approver_secret = fields.String(required=True, validate=validate.Length(min=1, max=128))


class UpdateFormSchema(Schema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class ShareFormSchema(Schema):
    category_id = fields.UUID(required=True)
    share_percent = fields.Integer(required=True, strict=False, validate=validate.Range(
        min=0, max=100, error=_l("比例须在 0 到 100% 之间")))


class DesignateFormSchema(Schema):
    money_line_id = fields.UUID(required=True)


class ExpenditureOutSchema(Schema):
    id = fields.UUID()
    amount_fen = fields.Integer()
    payee = fields.String()
    purpose = fields.String()
    spent_on = fields.Date()
    entered_by_name = fields.String()
    approver_name = fields.String()
    over_balance = fields.Boolean()
    voucher_sha256 = fields.Function(lambda e: e.voucher.sha256 if e.voucher else None)


class ProjectOutSchema(Schema):
    id = fields.UUID()
    title = fields.String()
    purpose = fields.String()
    beneficiaries = fields.String()
    status = fields.String(validate=validate.OneOf(PROJECT_STATUSES))
    store_id = fields.UUID(allow_none=True)
    district_id = fields.UUID(allow_none=True)
    target_fen = fields.Integer()
    starts_on = fields.Date()
    ends_on = fields.Date()


class LedgerRowOutSchema(Schema):
    at = fields.String()
    kind = fields.String()
    reference = fields.String()
    amount_fen = fields.Integer()


class ProjectDetailOutSchema(ProjectOutSchema):
    raised_fen = fields.Integer()
    spent_fen = fields.Integer()
    balance_fen = fields.Integer()
    advances_fen = fields.Integer()
    months_missing = fields.List(fields.String())
    ledger = fields.List(fields.Nested(LedgerRowOutSchema))
    expenditures = fields.List(fields.Nested(ExpenditureOutSchema))


class GoodsSchema(Schema):
    item_id = fields.UUID(required=True)
    qty = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=100_000))


class SessionInSchema(Schema):
    project_id = fields.UUID(required=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=100))
    platform = fields.String(required=True, validate=validate.OneOf(PLATFORMS))
    host = fields.String(required=True, validate=validate.Length(min=1, max=64))
    starts_at = LocalDateTime(required=True)
    ends_at = LocalDateTime(required=True)
    goods = fields.List(fields.Nested(GoodsSchema), load_default=list, validate=validate.Length(max=200))

    @post_load
    def make(self, data, **kwargs):
        goods = tuple((g["item_id"], g["qty"]) for g in data.pop("goods"))
        return SessionInput(goods=goods, **data)


class SessionFormSchema(Schema):
    """The registration page's form: the goods as `条码 数量` lines, resolved by the page."""
    project_id = fields.UUID(required=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=100))
    platform = fields.String(required=True, validate=validate.OneOf(PLATFORMS))
    host = fields.String(required=True, validate=validate.Length(min=1, max=64))
    starts_at = LocalDateTime(required=True)
    ends_at = LocalDateTime(required=True)
    goods_text = fields.String(load_default="", validate=validate.Length(max=5000))


class TotalsInSchema(Schema):
    platform_total_fen = fields.Integer(required=True, strict=True, validate=FEN_OR_ZERO)
    received_fen = fields.Integer(required=True, strict=True, validate=FEN_OR_ZERO)


class TotalsFormSchema(Schema):
    platform_total_fen = YuanField(required=True, data_key="platform_total_yuan")
    received_fen = YuanField(required=True, data_key="received_yuan")


class CloseInSchema(Schema):
    explanation = fields.String(load_default="", validate=validate.Length(max=500))


class PublishInSchema(Schema):
    where = fields.String(required=True, validate=validate.Length(min=1, max=300))


class ColumnsInSchema(Schema):
    platform = fields.String(required=True, validate=validate.OneOf(PLATFORMS))
    order_col = fields.String(required=True, validate=validate.Length(min=1, max=64))
    amount_col = fields.String(required=True, validate=validate.Length(min=1, max=64))
    time_col = fields.String(required=True, validate=validate.Length(min=1, max=64))
    status_col = fields.String(load_default="", validate=validate.Length(max=64))

    @post_load
    def make(self, data, **kwargs):
        return data.pop("platform"), Columns(**data)


class SessionOutSchema(Schema):
    id = fields.UUID()
    store_id = fields.UUID()
    project_id = fields.UUID()
    title = fields.String()
    platform = fields.String()
    host = fields.String()
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    status = fields.String()
    closed_at = fields.DateTime(allow_none=True)
    published_at = fields.DateTime(allow_none=True)
    publication = fields.String()
    explanation = fields.String()


class ReconciliationOutSchema(Schema):
    session_id = fields.Function(lambda r: str(r.session.id))
    status = fields.Function(lambda r: r.session.status)
    till_fen = fields.Integer()
    orders_fen = fields.Integer()
    recorded_fen = fields.Integer()
    platform_total_fen = fields.Integer(allow_none=True)
    received_fen = fields.Integer(allow_none=True)
    platform_difference_fen = fields.Integer(allow_none=True)
    received_difference_fen = fields.Integer(allow_none=True)
    balanced = fields.Boolean()
    explanation = fields.Function(lambda r: r.session.explanation)
    publish_by = fields.DateTime(allow_none=True)
    published_at = fields.Function(lambda r: r.session.published_at.isoformat() if r.session.published_at else None)


class ImportOutSchema(Schema):
    import_id = fields.UUID()
    rows = fields.Integer()
    added = fields.Integer()
    already = fields.Integer()
    total_fen = fields.Integer()
    replayed = fields.Boolean()


class PageQuerySchema(Schema):
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0))
