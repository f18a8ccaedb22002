"""Shapes at the edge for accounts and tokens."""
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from .permissions import Role
from .service import Approval


class LoginSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = fields.String(required=True, validate=validate.Length(min=1, max=200))
    next = fields.String(load_default=None)


class TokenRequestSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = fields.String(required=True, validate=validate.Length(min=1, max=200))
    label = fields.String(load_default="", validate=validate.Length(max=64))


class TokenSchema(Schema):
    token = fields.String()
    token_id = fields.UUID()
    expires_at = fields.DateTime()


class UserCreateSchema(Schema):
    username = fields.String(required=True, validate=[
        validate.Length(min=3, max=64),
        validate.Regexp(r"^[A-Za-z0-9_.-]+$", error=_l("用户名只能包含字母、数字、点、下划线和连字符"))])
    display_name = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = fields.String(required=True, validate=validate.Length(min=8, max=200))
    role = fields.Enum(Role, by_value=True, required=True)
    store_id = fields.UUID(load_default=None)
    district_id = fields.UUID(load_default=None)
    pin = fields.String(load_default=None, validate=validate.Regexp(r"^\d{4,8}$", error=_l("PIN 须为 4–8 位数字")))


class UserUpdateSchema(Schema):
    display_name = fields.String(validate=validate.Length(min=1, max=64))
    active = fields.Boolean()
    password = fields.String(validate=validate.Length(min=8, max=200))
    pin = fields.String(validate=validate.Regexp(r"^\d{4,8}$", error=_l("PIN 须为 4–8 位数字")))


class UserSchema(Schema):
    id = fields.UUID()
    username = fields.String()
    display_name = fields.String()
    role = fields.String()
    store_id = fields.UUID(allow_none=True)
    district_id = fields.UUID(allow_none=True)
    active = fields.Boolean()


class ApprovalSchema(Schema):
    """The one shape of a second person's confirmation in a request body: `{"username", "secret"}`.

    `password` is accepted as an alias of `secret` (the intake checker and the aid witness sent it before);
    send one of the two."""

    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    secret = fields.String(load_default=None, validate=validate.Length(min=1, max=128),
                           metadata={"description": "The second person's password or approval PIN."})
    password = fields.String(load_default=None, validate=validate.Length(min=1, max=128),
                             metadata={"description": "Alias of `secret`, accepted for older clients."})

    @validates_schema
    def one_secret(self, data, **kwargs):
        if not data.get("secret") and not data.get("password"):
            raise ValidationError([_l("请填写密码或 PIN")], "secret")

    @post_load
    def make(self, data, **kwargs):
        return Approval(data["username"], data.get("secret") or data["password"])
