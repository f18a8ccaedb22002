"""Shapes at the edge for flags: the board's query, the resolve form and body, the thresholds form, JSON out."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import INCLUDE, Schema, fields, validate

from .models import STATUSES

CODE = validate.Length(max=16)


class BoardQuerySchema(Schema):
    kind = fields.String(load_default=None, validate=validate.Length(max=40))
    store = fields.String(load_default=None, validate=CODE)
    district = fields.String(load_default=None, validate=CODE)
    person = fields.String(load_default=None, validate=validate.Length(max=36))
    status = fields.String(load_default="open", validate=validate.OneOf(("", *STATUSES),
                                                                         error=_l("未知的状态")))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))


class ApiQuerySchema(BoardQuerySchema):
    """The API's list: the board's filters and page, and the page size (as the stock API: `page`, `per_page`)."""

    # 200 by default: what this list answered in one go before it had pages, so an old client's first page
    # is unchanged (and now says, by `total`, that there is more).
    per_page = fields.Integer(load_default=200, validate=validate.Range(min=1, max=200))


class ResolveSchema(Schema):
    outcome = fields.String(required=True, validate=validate.OneOf(("explained", "confirmed"),
                                                                   error=_l("请选择“已解释”或“已确认”")))
    # Required, but checked by the service (flags.note_required), so a blank note reads the same everywhere.
    note = fields.String(load_default="", validate=validate.Length(max=500, error=_l("说明最多 500 字")))


class EvidenceOutSchema(Schema):
    table = fields.String()
    id = fields.String()
    label = fields.String()
    url = fields.String(allow_none=True)


class PersonOutSchema(Schema):
    type = fields.String()
    id = fields.String()
    name = fields.String()


class FlagOutSchema(Schema):
    id = fields.UUID()
    kind = fields.String()
    store = fields.String()
    severity = fields.Integer()
    status = fields.String()
    raised_at = fields.DateTime()
    period_start = fields.Date()
    period_end = fields.Date()
    previous_id = fields.UUID(allow_none=True)
    resolution_note = fields.String()
    people = fields.List(fields.Nested(PersonOutSchema))
    evidence = fields.List(fields.Nested(EvidenceOutSchema))


class FlagListOutSchema(Schema):
    """One page of the ranked flags, with the page's number and size and how many match (the stock API's
    paging fields)."""

    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()
    flags = fields.List(fields.Nested(FlagOutSchema))


class ThresholdFormSchema(Schema):
    """One kind's thresholds from the page: the kind, the enabled box, and its numbers (checked by the service,
    which knows each kind's keys)."""

    class Meta:
        unknown = INCLUDE

    kind = fields.String(required=True, validate=validate.Length(max=40))
    enabled = fields.String(load_default="")
