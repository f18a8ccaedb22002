"""Shapes at the edge for outreach: the pages' forms and the API's bodies and answers."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate, validates_schema, ValidationError

from ..privacy import mask_phone
from .models import COMPLAINT_CATEGORIES, EVENT_KINDS, LEGAL_FORMS, ZONES

TEXT = validate.Length(min=1, max=1000)


def _trimmed(max_len: int, *, required: bool = True):
    if required:
        return fields.String(required=True, validate=validate.Length(min=1, max=max_len))
    return fields.String(load_default="", validate=validate.Length(max=max_len))


class EventInSchema(Schema):
    held_on = fields.Date(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(EVENT_KINDS, error=_l("请选择宣传类型")))
    title = _trimmed(100)
    place = _trimmed(100, required=False)
    people_reached = fields.Integer(load_default=0, strict=False,
                                    validate=validate.Range(min=0, max=1_000_000, error=_l("人数须为非负整数")))
    note = _trimmed(500, required=False)
    store_id = fields.UUID(load_default=None)


class ServiceTypeInSchema(Schema):
    name = _trimmed(40)
    store_id = fields.UUID(load_default=None)


class ServiceLogInSchema(Schema):
    type_id = fields.UUID(required=True, error_messages={"required": _l("请选择服务类型")})
    count = fields.Integer(load_default=1, validate=validate.Range(min=1, max=200, error=_l("次数须在 1 到 200 之间")))
    member_code = fields.String(load_default=None, validate=validate.Length(max=32))
    idempotency_key = fields.UUID(load_default=None)


class PublicComplaintSchema(Schema):
    store_code = fields.String(required=True, validate=validate.Length(min=1, max=16))
    category = fields.String(required=True, validate=validate.OneOf(COMPLAINT_CATEGORIES, error=_l("请选择类别")))
    text = fields.String(required=True, validate=TEXT)
    contact = fields.String(load_default="", validate=validate.Length(max=40))
    # The honeypot: hidden from people, a robot fills it.
    website = fields.String(load_default="", validate=validate.Length(max=200))


class StaffComplaintSchema(Schema):
    channel = fields.String(required=True, validate=validate.OneOf(("phone", "visit"), error=_l("请选择来源")))
    category = fields.String(required=True, validate=validate.OneOf(COMPLAINT_CATEGORIES, error=_l("请选择类别")))
    text = fields.String(required=True, validate=TEXT)
    contact = fields.String(load_default="", validate=validate.Length(max=40))
    store_id = fields.UUID(load_default=None)


class AnswerSchema(Schema):
    answer = fields.String(required=True, validate=TEXT)


class ReferenceSchema(Schema):
    reference = fields.String(required=True, validate=validate.Length(min=4, max=16))


class TrainingInSchema(Schema):
    held_on = fields.Date(required=True)
    topic = _trimmed(100)
    trainer = _trimmed(64)
    minutes = fields.Integer(load_default=60, validate=validate.Range(min=1, max=24 * 60,
                                                                       error=_l("时长须在 1 到 1440 分钟之间")))
    user_ids = fields.List(fields.UUID(), load_default=list)
    member_codes = fields.List(fields.String(validate=validate.Length(max=32)), load_default=list)
    store_id = fields.UUID(load_default=None)


class BasicsSchema(Schema):
    floor_area_m2 = fields.Integer(load_default=None, allow_none=True,
                                   validate=validate.Range(min=1, max=100_000, error=_l("面积须为正整数（平方米）")))
    legal_form = fields.String(load_default="", validate=validate.OneOf(("",) + LEGAL_FORMS,
                                                                        error=_l("运营主体类型有误")))
    operator_name = _trimmed(100, required=False)
    zones = fields.List(fields.String(validate=validate.OneOf(ZONES)), load_default=list)


_HoursFields = Schema.from_dict({f"day{d}_{end}": fields.Time(load_default=None, format="%H:%M")
                                 for d in range(7) for end in ("open", "close")})


class HoursSchema(_HoursFields):
    """day0_open … day6_close as HH:MM (0 = Monday); a weekday with both empty is closed."""

    @validates_schema
    def both_or_neither(self, data, **kwargs):
        bad = {f"day{d}": [str(_l("请同时填写开门和关门时间"))] for d in range(7)
               if (data.get(f"day{d}_open") is None) != (data.get(f"day{d}_close") is None)}
        if bad:
            raise ValidationError(bad)

    @staticmethod
    def week(data: dict) -> dict:
        """{weekday: (opens, closes) or None}, what profile.set_opening_hours takes."""
        return {d: (data[f"day{d}_open"], data[f"day{d}_close"]) if data.get(f"day{d}_open") else None
                for d in range(7)}


# --- answers -------------------------------------------------------------------------------------------

class EventSchema(Schema):
    id = fields.UUID()
    store_id = fields.UUID()
    held_on = fields.Date()
    kind = fields.String()
    title = fields.String()
    place = fields.String()
    people_reached = fields.Integer()
    note = fields.String()
    photos = fields.Method("_photos")

    def _photos(self, event):
        return [{"id": str(p.id), "sha256": p.sha256, "content_type": p.content_type} for p in event.photos]


class ServiceTypeSchema(Schema):
    id = fields.UUID()
    store_id = fields.UUID()
    name = fields.String()
    active = fields.Boolean()


class ServiceLogSchema(Schema):
    id = fields.UUID()
    store_id = fields.UUID()
    type_id = fields.UUID()
    type_name = fields.Function(lambda row: row.type.name)
    count = fields.Integer()
    served_at = fields.DateTime()
    with_resident = fields.Function(lambda row: row.resident_id is not None)


class ComplaintSchema(Schema):
    id = fields.UUID()
    store_id = fields.UUID()
    reference = fields.String()
    channel = fields.String()
    category = fields.String()
    text = fields.String()
    contact = fields.Function(lambda row: mask_phone(row.contact) if row.contact else "")
    received_at = fields.DateTime()
    answer = fields.String()
    answered_at = fields.DateTime(allow_none=True)


class TrainingSchema(Schema):
    id = fields.UUID()
    store_id = fields.UUID()
    held_on = fields.Date()
    topic = fields.String()
    trainer = fields.String()
    minutes = fields.Integer()
    attendees = fields.Function(lambda row: len(row.attendees))


class StoreQuerySchema(Schema):
    store_id = fields.UUID(load_default=None)


class ToggleSchema(Schema):
    active = fields.Boolean(required=True)
