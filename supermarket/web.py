"""Edge helpers shared by views and API endpoints."""
from __future__ import annotations

from io import BytesIO
from urllib.parse import urlsplit

from flask import g, send_file
from flask_babel import gettext as _
from marshmallow import Schema, ValidationError

from .validation import translate
from .errors import InvalidInput
from .input_guard import InvalidCharacters
from .text_rules import refused_text


def load(schema: Schema, data):
    """Validate request data or raise InvalidInput (422 with per-field messages)."""
    if data is not None and not isinstance(data, dict) and not schema.many:
        raise InvalidInput(_("请求内容必须是一个 JSON 对象"))
    refused = refused_text(schema, data)
    if refused:
        raise InvalidCharacters(_("输入有误，请检查标出的内容"), fields=refused)
    try:
        return schema.load(data if data is not None else {})
    except ValidationError as e:
        raise InvalidInput(_("输入有误，请检查标出的内容"), fields=translate(e.messages)) from e


def form_data(form) -> dict:
    """A submitted HTML form as a plain dict; empty fields are left out."""
    return {k: v for k, v in form.items() if k != "csrf_token" and v != ""}


def current_actor():
    """The actor for this request, built once (see auth.permissions.build_actor)."""
    from .auth.permissions import build_actor
    from .extensions import db
    from flask_login import current_user

    if "actor" not in g:
        g.actor = build_actor(db.session, current_user, getattr(g, "api_token", None))
    return g.actor


def is_safe_next(target: str | None) -> bool:
    """Only a path on this site: no scheme, no host, no protocol-relative or backslash tricks."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def send_pdf(pdf: bytes, filename: str, *, inline: bool = True):
    return send_file(BytesIO(pdf), mimetype="application/pdf", download_name=filename,
                     as_attachment=not inline)


def created(body, replayed: bool, status: int = 201):
    """The answer to a state-changing API call: `status` for a new result; 200 with `Idempotent-Replay: true`
    when the idempotency key was used before with the same payload (supermarket.idempotency)."""
    from flask import jsonify

    from .idempotency import REPLAY_HEADER

    resp = jsonify(body)
    resp.status_code = 200 if replayed else status
    if replayed:
        resp.headers[REPLAY_HEADER] = "true"
    return resp
