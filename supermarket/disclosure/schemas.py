"""Shapes of what the disclosure pages and API accept and return."""
from __future__ import annotations

import json

from marshmallow import Schema, ValidationError, fields, validate

from ..clock import parse_month


class MonthField(fields.String):
    """`2026-10` → date(2026, 10, 1)."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return parse_month(text.strip())
        except ValueError:
            raise ValidationError("请输入 YYYY-MM 格式的月份") from None


class CloseSchema(Schema):
    month = MonthField(required=True)
    expected_sha256 = fields.String(load_default=None, validate=validate.Length(equal=64))


class CorrectSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(max=500))


class ReviewSchema(Schema):
    decision = fields.String(required=True, validate=validate.OneOf(["accept", "return"]))
    note = fields.String(load_default="", validate=validate.Length(max=500))


class TokenSchema(Schema):
    action = fields.String(required=True, validate=validate.OneOf(["reissue", "revoke"]))


class DisclosureQuerySchema(Schema):
    store = fields.String(load_default=None, validate=validate.Length(max=16))
    month = MonthField(load_default=None)


class DisclosureOutSchema(Schema):
    """A published version as JSON (staff API and public API alike: nothing personal is in it)."""

    id = fields.UUID()
    store = fields.Function(lambda d: d.store.code)
    month = fields.Function(lambda d: d.month.strftime("%Y-%m"))
    version = fields.Integer()
    status = fields.String()
    figures = fields.Function(lambda d: json.loads(d.figures))
    figures_sha256 = fields.String()
    chain_head_hash = fields.String()
    chain_event_count = fields.Integer()
    published_at = fields.DateTime()
    due_on = fields.Date()
    reason = fields.String()
    changes = fields.Function(lambda d: json.loads(d.changes))
    review_status = fields.String()
