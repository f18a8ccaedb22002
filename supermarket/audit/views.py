"""The audit browser: events of the actor's scope, with filters."""
from __future__ import annotations


from flask import Blueprint, render_template, request
from marshmallow import Schema, fields, validate

from ..auth.decorators import allow
from ..auth.permissions import Role
from ..extensions import db
from ..stores import service as stores_service
from ..clock import day_bounds_utc
from ..web import current_actor, form_data, load
from . import service

bp = Blueprint("audit", __name__, template_folder="templates", url_prefix="/audit")
PAGE_SIZE = 50


@bp.app_template_filter("audit_summary")
def audit_summary(raw: str, limit: int = 40) -> list[tuple[str, str]]:
    """An event's JSON summary as short (key, value) pairs for the table."""
    import json

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


class AuditQuerySchema(Schema):
    store_id = fields.UUID(load_default=None)
    action = fields.String(load_default=None, validate=validate.Length(max=64))
    actor_name = fields.String(load_default=None, validate=validate.Length(max=64))
    date_from = fields.Date(load_default=None)
    date_to = fields.Date(load_default=None)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100000))


@bp.get("")
@allow(Role.STORE_MANAGER, Role.DISTRICT_AUDITOR, Role.FEDERATION_ADMIN)
def events():
    actor = current_actor()
    q = load(AuditQuerySchema(), form_data(request.args))
    date_from = day_bounds_utc(q["date_from"])[0] if q["date_from"] else None
    date_to = day_bounds_utc(q["date_to"])[1] if q["date_to"] else None
    rows = service.list_events(db.session, actor, store_id=q["store_id"], action=q["action"],
                               actor_name=q["actor_name"], date_from=date_from, date_to=date_to,
                               limit=PAGE_SIZE + 1, offset=(q["page"] - 1) * PAGE_SIZE)
    stores = stores_service.list_stores(db.session, actor)
    return render_template("audit/events.html", events=rows[:PAGE_SIZE], has_more=len(rows) > PAGE_SIZE,
                           q=q, stores=stores, store_names={s.id: s.name for s in stores})
