"""The JSON API under /api/v1: one parent blueprint nesting each domain's, and its OpenAPI document."""
from __future__ import annotations

from decimal import Decimal

import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint, Flask, current_app, jsonify, request
from marshmallow import Schema, fields

from .auth.decorators import declared_access, public, PUBLIC
from .extensions import csrf

def listing(key: str, schema) -> type[Schema]:
    """The documented shape of a list answer, `{key: [schema, …]}` (lists are objects, never bare arrays, so a
    page can grow fields without breaking clients)."""
    cls = schema if isinstance(schema, type) else type(schema)
    return Schema.from_dict({key: fields.List(fields.Nested(cls), required=True)},
                            name=f"{schema_name(cls)}{key.capitalize()}List")


class ErrorBodySchema(Schema):
    code = fields.String(required=True, metadata={"description": "stable code, e.g. sales.payment_mismatch"})
    message = fields.String(required=True, metadata={"description": "in the caller's language"})
    fields = fields.Dict(keys=fields.String(), values=fields.List(fields.String()),
                         metadata={"description": "invalid_input: each field path (lines.0.qty) with its messages"})


class ErrorSchema(Schema):
    error = fields.Nested(ErrorBodySchema, required=True)


ERRORS = {400: "The body is not JSON or the request is malformed", 401: "Not signed in, or the token expired",
          403: "The caller's role may not do this", 404: "No such record (or one the caller may not see)",
          409: "The request conflicts with the current state (a business rule refused it)",
          413: "The body is too large", 422: "Invalid input: `fields` names each field path",
          429: "Too many attempts"}
_PATH_ARG = re.compile(r"<(?:[a-z_]+(?:\([^)]*\))?:)?([A-Za-z_][A-Za-z0-9_]*)>")


def doc(*, summary: str, body=None, query=None, responses: dict | None = None, tags=()):
    """Describe an endpoint for the OpenAPI document (schemas are marshmallow classes)."""
    def decorator(view):
        view.openapi = {"summary": summary, "body": body, "query": query,
                        "responses": responses or {}, "tags": tuple(tags)}
        return view
    return decorator


def _csrf_for_cookie_sessions():
    # Tablets and integrations authenticate with a bearer token (no ambient cookie, so no CSRF risk), and so
    # does a tablet asking for its token; a browser page calling the API with its session cookie must send the
    # CSRF token header.
    if request.method in ("POST", "PUT", "PATCH", "DELETE") and not request.headers.get(
            "Authorization", "").startswith("Bearer ") and _has_session_cookie():
        if current_app.config.get("WTF_CSRF_ENABLED", True):
            csrf.protect()


def _has_session_cookie() -> bool:
    names = (current_app.config.get("SESSION_COOKIE_NAME", "session"),
             current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token"))
    return any(name in request.cookies for name in names)


@public
@doc(summary="This document")
def openapi_json():
    return jsonify(plain_numbers(build_spec(current_app).to_dict()))


def plain_numbers(value):
    """Decimal bounds (`Range(max=Decimal("24"))`) as JSON numbers, not the strings jsonify makes of them."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {key: plain_numbers(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_numbers(item) for item in value]
    return value


def register_api(app: Flask) -> None:
    """A fresh parent blueprint per app (blueprints can be set up only once), nesting each domain's."""
    from .domains import domain_modules

    api_v1 = Blueprint("api", __name__, url_prefix="/api/v1")
    api_v1.before_request(_csrf_for_cookie_sessions)
    api_v1.add_url_rule("/openapi.json", view_func=openapi_json, methods=["GET"])
    for _domain, module in domain_modules("api"):
        api_v1.register_blueprint(module.bp)
        # Flask-WTF looks up the request's own (nested) blueprint, so each is exempted from its cookie-form
        # check; _csrf_for_cookie_sessions above still protects cookie sessions on every API route.
        csrf.exempt(module.bp)
    csrf.exempt(api_v1)
    app.register_blueprint(api_v1)


def schema_name(schema) -> str:
    """Component names carry the domain (SalesLine, IntakeLine), so equal class names never collide."""
    cls = schema if isinstance(schema, type) else type(schema)
    parts = cls.__module__.split(".")
    domain = parts[1].capitalize() if parts[0] == "supermarket" and len(parts) > 2 else ""
    return domain + cls.__name__.removesuffix("Schema")


def build_spec(app: Flask) -> APISpec:
    spec = APISpec(title="慈善超市平台 API", version="1.0.0", openapi_version="3.0.3",
                   plugins=[MarshmallowPlugin(schema_name_resolver=schema_name)],
                   info={"description": "Errors: {\"error\": {\"code\", \"message\"}}. "
                                        "Authenticate with POST /api/v1/auth/token, then Authorization: Bearer."})
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        # The API, and the public JSON behind the transparency pages (/public/api/…, no login).
        if not (rule.endpoint.startswith("api.") or rule.rule.startswith("/public/api/")):
            continue
        view = app.view_functions[rule.endpoint]
        meta = getattr(view, "openapi", None) or {"summary": rule.endpoint, "body": None, "query": None,
                                                   "responses": {}, "tags": ()}
        path = _PATH_ARG.sub(lambda m: "{%s}" % m.group(1), rule.rule)  # <path:code> → {code}
        params = [{"in": "path", "name": arg, "required": True,
                   "schema": {"type": "string", **({"format": "uuid"} if _converter(rule, arg) == "uuid" else {})}}
                  for arg in sorted(rule.arguments)]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            op: dict = {"summary": meta["summary"], "operationId": f"{rule.endpoint}.{method.lower()}",
                        "tags": list(meta["tags"]) or [rule.endpoint.split(".")[1]], "responses": {}}
            if params:
                op["parameters"] = list(params)
            if meta["query"] is not None:
                op.setdefault("parameters", []).append({"in": "query", "schema": meta["query"]})
            if meta["body"] is not None:
                op["requestBody"] = {"required": True,
                                     "content": {"application/json": {"schema": meta["body"]}}}
            for status, schema in (meta["responses"] or {200: None}).items():
                resp = {"description": str(status)}
                if schema is None and int(status) >= 400:
                    resp = {"description": ERRORS.get(int(status), str(status)),
                            "content": {"application/json": {"schema": ErrorSchema}}}
                elif schema is not None:
                    resp["content"] = {"application/json": {"schema": schema}}
                op["responses"][str(status)] = resp
            secured = declared_access(view) != PUBLIC
            if secured:
                op["security"] = [{"bearer": []}]
            for status, description in ERRORS.items():
                if status in (401, 403) and not secured and rule.endpoint != "api.auth.create_token":
                    continue
                op["responses"].setdefault(str(status), {
                    "description": description, "content": {"application/json": {"schema": ErrorSchema}}})
            spec.path(path=path, operations={method.lower(): op})
    return spec


def _converter(rule, arg: str) -> str | None:
    found = re.search(r"<([a-z_]+)(?:\([^)]*\))?:%s>" % re.escape(arg), rule.rule)
    return found.group(1) if found else None
