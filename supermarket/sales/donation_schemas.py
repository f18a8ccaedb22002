"""The change-for-charity part of a checkout request and of the sale it answers with (sales.donations)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, post_load, validate

from .donation_models import DONATION_KINDS
from .inputs import DonationOffer

MAX_DONATION_FEN = 100_000_000


class TillDonationSchema(Schema):
    project_id = fields.UUID(required=True, error_messages={"required": str(_l("请选择慈善项目")),
                                                            "invalid_uuid": str(_l("慈善项目无效"))})
    amount_fen = fields.Integer(required=True, strict=True, validate=validate.Range(
        min=1, max=MAX_DONATION_FEN, error=str(_l("捐赠金额必须大于 0"))),
        error_messages={"required": str(_l("请填写捐赠金额")), "invalid": str(_l("捐赠金额必须是整数（分）"))})
    kind = fields.String(load_default="change", validate=validate.OneOf(DONATION_KINDS, error=str(_l("捐赠方式无效"))),
                         metadata={"description": "change: all the change; round_up: the total up to the next yuan"})

    @post_load
    def make(self, data, **kwargs):
        return DonationOffer(**data)


class TillDonationOutSchema(Schema):
    project_id = fields.UUID()
    project_title = fields.String()
    amount_fen = fields.Integer()
    kind = fields.String()
