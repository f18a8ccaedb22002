"""The JSON API under /api/v1: one parent blueprint nesting each domain's, and its OpenAPI document."""
from __future__ import annotations

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint, Flask, current_app, jsonify, request

from .auth.decorators import declared_access, public, PUBLIC
from .extensions import csrf

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
    return jsonify(build_spec(current_app).to_dict())


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
        path = rule.rule
        params = []
        for arg in rule.arguments:
            path = path.replace(f"<uuid:{arg}>", "{%s}" % arg).replace(f"<{arg}>", "{%s}" % arg)
            path = path.replace(f"<int:{arg}>", "{%s}" % arg)
            params.append({"in": "path", "name": arg, "required": True, "schema": {"type": "string"}})
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
                if schema is not None:
                    resp["content"] = {"application/json": {"schema": schema}}
                op["responses"][str(status)] = resp
            if declared_access(view) != PUBLIC:
                op["security"] = [{"bearer": []}]
            spec.path(path=path, operations={method.lower(): op})
    return spec
