"""The audit browser: events of the actor's scope in plain language, with filters, downloads and the chain check."""
from __future__ import annotations

import json

from flask import Blueprint, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..auth.decorators import allow
from ..auth.permissions import ROLE_LABELS, Role
from ..clock import day_bounds_utc
from ..exports import DATETIME, INT, TEXT, col, export_response, page_args, requested_format
from ..extensions import db
from ..forms import post_form
from ..models import utcnow
from ..stores import service as stores_service
from ..web import current_actor, load
from . import service, verification
from .sentences import action_label, document_link, grouped_actions, sentence

bp = Blueprint("audit", __name__, template_folder="templates", url_prefix="/audit")
PAGE_SIZE = 50


@bp.app_template_filter("audit_summary")
def audit_summary(raw: str, limit: int = 40) -> list[tuple[str, str]]:
    """An event's JSON summary as short (key, value) pairs for its details."""
    try:
        data = json.loads(raw or "{}")
    except ValueError:
        return [("", raw[:limit])]
    if not isinstance(data, dict):
        return [("", str(data)[:limit])]
    pairs = []
    for key, value in data.items():
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        pairs.append((key, text if len(text) <= limit else text[: limit - 1] + "…"))
    return pairs


def _role_label(role: str) -> str:
    try:
        return str(ROLE_LABELS[Role(role)])
    except ValueError:
        return ""


def event_sentence(event) -> str:
    return sentence(event, _role_label(event.role))


class AuditQuerySchema(Schema):
    store_id = fields.UUID(load_default=None)
    action = fields.String(load_default=None, validate=validate.Length(max=64))
    actor_name = fields.String(load_default=None, validate=validate.Length(max=64))
    date_from = fields.Date(load_default=None)
    date_to = fields.Date(load_default=None)
    text = fields.String(load_default=None, validate=validate.Length(max=100))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100000))

    @validates_schema
    def _period(self, data, **kwargs):
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            raise ValidationError(_("截止日期不能早于起始日期"), "date_to")


class VerifySchema(Schema):
    pass


def _filters(q) -> dict:
    return {"store_id": q["store_id"], "action": q["action"], "actor_name": q["actor_name"], "text": q["text"],
            "date_from": day_bounds_utc(q["date_from"])[0] if q["date_from"] else None,
            "date_to": day_bounds_utc(q["date_to"])[1] if q["date_to"] else None}


def _columns(store_names: dict) -> list:
    return [
        col(_l("时间"), DATETIME, "at"),
        col(_l("门店"), TEXT, lambda e: store_names.get(e.store_id, _("全市")), width=22),
        col(_l("操作人"), TEXT, "actor_name"),
        col(_l("角色"), TEXT, lambda e: _role_label(e.role)),
        col(_l("事件"), TEXT, lambda e: action_label(e.action), width=20),
        col(_l("说明"), TEXT, event_sentence, width=60),
        col(_l("事件类型"), TEXT, "action", width=24),
        col(_l("对象"), TEXT, "subject_type"),
        col(_l("对象编号"), TEXT, "subject_id", width=36),
        col(_l("链"), TEXT, "chain", width=36),
        col(_l("序号"), INT, "seq"),
        col(_l("详情"), TEXT, "summary", width=60),
        col(_l("哈希"), TEXT, "hash", width=64),
    ]


def _page(verified=None, posted=None):
    actor = current_actor()
    q = load(AuditQuerySchema(), page_args())
    stores = stores_service.list_stores(db.session, actor)
    if q["store_id"]:
        stores_service.get_store(db.session, actor, q["store_id"])  # another district's store: 404
    store_names = {s.id: f"{s.code} {s.name}" for s in stores}
    fmt = requested_format() if verified is None and posted is None else None
    if fmt:
        return export_response(_columns(store_names), service.iter_events(db.session, actor, **_filters(q)), fmt,
                               "audit-log")
    rows = service.list_events(db.session, actor, limit=PAGE_SIZE + 1, offset=(q["page"] - 1) * PAGE_SIZE,
                               **_filters(q))
    return render_template("audit/events.html", events=rows[:PAGE_SIZE], has_more=len(rows) > PAGE_SIZE,
                           q=q, stores=stores, store_names=store_names, groups=grouped_actions(),
                           action_label=action_label, sentence=event_sentence, document_link=document_link,
                           verified=verified, **(posted.context if posted else {})), \
        (posted.status if posted else 200)


@bp.get("")
@allow(Role.STORE_MANAGER, Role.DISTRICT_AUDITOR, Role.FEDERATION_ADMIN)
def events():
    return _page()


@bp.post("/verify")
@allow(Role.DISTRICT_AUDITOR, Role.FEDERATION_ADMIN)
def verify():
    """Runs the check of the actor's chains and shows the result on the log (not a redirect: the result is the
    page, and the event it writes is on the city's chain, which a district auditor does not read)."""
    actor = current_actor()
    posted = post_form(VerifySchema(), lambda data: verification.verify_scope(db.session, actor, now=utcnow()),
                       values={})
    return _page(verified=posted.result if posted.ok else None, posted=posted)
