"""The rating pages' form schemas (each page form posts one of these through supermarket.forms.submit)."""
from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

GRADES = ("A", "B", "C", "D")


class RoundForm(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    deadline = fields.Date(required=True)
    district = fields.String(load_default=None, validate=validate.Length(max=16))


class AnswerForm(Schema):
    area_m2 = fields.Float(load_default=None, validate=validate.Range(min=0, max=100000))
    zones = fields.Integer(load_default=None, validate=validate.Range(min=0, max=100))
    checked = fields.List(fields.String(validate=validate.Length(max=40)), load_default=list)
    yes = fields.String(load_default=None, validate=validate.OneOf(("yes", "no")))


class SubmitForm(Schema):
    stars_applied = fields.Integer(required=True, validate=validate.Range(min=1, max=5))


class ReturnForm(Schema):
    items = fields.List(fields.String(validate=validate.Length(max=16)), load_default=list)
    reason = fields.String(load_default="", validate=validate.Length(max=300))


class ScheduleForm(Schema):
    scheduled_on = fields.Date(required=True)
    inspectors = fields.List(fields.String(validate=validate.Length(max=64)), load_default=list)
    note = fields.String(load_default="", validate=validate.Length(max=300))


class RejectForm(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=300))


class OnsiteForm(Schema):
    class Meta:
        unknown = EXCLUDE  # items.<rule>, notes.<rule>: read by the view, checked by the service

    visited_on = fields.Date(required=True)
    note = fields.String(load_default="", validate=validate.Length(max=500))
    second_auditor = fields.String(required=True, validate=validate.Length(min=1, max=64))
    second_secret = fields.String(required=True, validate=validate.Length(min=1, max=200))


class ObjectionAnswerForm(Schema):
    answer = fields.String(required=True, validate=validate.Length(min=1, max=1000))


class DecideForm(Schema):
    stars = fields.Integer(required=True, validate=validate.Range(min=0, max=5))
    reasons = fields.String(load_default="", validate=validate.Length(max=600))
    late_reason = fields.String(load_default="", validate=validate.Length(max=300))


class ObjectionForm(Schema):
    text = fields.String(required=True, validate=validate.Length(min=5, max=1000))
    contact = fields.String(load_default="", validate=validate.Length(max=100))


class FindingForm(Schema):
    store = fields.String(required=True, validate=validate.Length(min=1, max=16))
    rule = fields.String(required=True, validate=validate.Length(min=1, max=16))
    severity = fields.String(required=True, validate=validate.OneOf(("minor", "major", "critical")))
    description = fields.String(required=True, validate=validate.Length(min=1, max=500))
    due_on = fields.Date(required=True)
    red_line = fields.String(load_default="", validate=validate.OneOf(("", "RL-1", "RL-2", "RL-3", "RL-4", "RL-5")))


class RespondForm(Schema):
    response = fields.String(required=True, validate=validate.Length(min=1, max=500))


class CloseForm(Schema):
    action = fields.String(required=True, validate=validate.OneOf(("close", "reopen")))
