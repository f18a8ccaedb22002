"""Schemas for the HTML forms of the sales pages: text fields (yuan, quantities) into the services' values."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, post_load, pre_load, validate

from .inputs import Approval, Refund, ReturnLine, ShiftClose
from .schemas import MAX_LINE_QTY, TillSettingsSchema, YuanField
from .shifts import MAX_COUNTED_FEN, MAX_FLOAT_FEN
from .tenders import MONEY_METHODS


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
        note = fields.String(load_default="", validate=validate.Length(max=200))
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


def settings_form() -> Schema:
    return SettingsForm()
