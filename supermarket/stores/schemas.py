"""Shapes at the edge for districts and stores."""
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from .models import STORE_STATUSES

CODE = validate.Regexp(r"^[A-Z0-9]{2,16}$", error=_l("代码只能是 2–16 位大写字母或数字"))


class DistrictSchema(Schema):
    id = fields.UUID(dump_only=True)
    code = fields.String(required=True, validate=CODE)
    name = fields.String(required=True, validate=validate.Length(min=1, max=64))


class StoreInSchema(Schema):
    code = fields.String(required=True, validate=CODE)
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    district_id = fields.UUID(required=True)
    address = fields.String(load_default="", validate=validate.Length(max=200))
    floor_area_m2 = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1, max=100000))
    opening_hours = fields.String(load_default="", validate=validate.Length(max=100))
    phone = fields.String(load_default="", validate=validate.Regexp(r"^[0-9+\- ]{0,32}$",
                                                                   error=_l("电话只能包含数字、空格、+ 和 -")))
    status = fields.String(load_default="open", validate=validate.OneOf(STORE_STATUSES))


class StoreUpdateSchema(StoreInSchema):
    class Meta:
        partial = True


class StoreSchema(Schema):
    id = fields.UUID()
    code = fields.String()
    name = fields.String()
    district_id = fields.UUID()
    district_code = fields.Function(lambda s: s.district.code)
    address = fields.String()
    floor_area_m2 = fields.Integer(allow_none=True)
    opening_hours = fields.String()
    phone = fields.String()
    status = fields.String()
    star_level = fields.Integer(allow_none=True)
