"""One domain error hierarchy with stable codes, and the one place that maps errors to responses.

API callers (paths under /api/ or JSON-preferring clients) get
`{"error": {"code": "...", "message": "..."}}`; pages get a Chinese message in the site's style.
No stack trace ever reaches a user.
"""
from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class DomainError(Exception):
    status = 400
    code = "error"

    def __init__(self, message: str | None = None, **extra):
        super().__init__(message or self.code)
        self.message = message or self.default_message()
        self.extra = extra

    def default_message(self) -> str:
        return _("请求无法完成")


class InvalidInput(DomainError):
    status, code = 422, "invalid_input"

    def default_message(self) -> str:
        return _("输入有误")


class Unauthorized(DomainError):
    status, code = 401, "auth.unauthorized"

    def default_message(self) -> str:
        return _("请先登录")


class Forbidden(DomainError):
    status, code = 403, "forbidden"

    def default_message(self) -> str:
        return _("您无权执行此操作")


class NotFound(DomainError):
    status, code = 404, "not_found"

    def default_message(self) -> str:
        return _("找不到该记录")


class Conflict(DomainError):
    status, code = 409, "conflict"


class TooManyAttempts(DomainError):
    status, code = 429, "auth.too_many_attempts"

    def default_message(self) -> str:
        return _("尝试次数过多，请稍后再试")


def wants_json() -> bool:
    if request.path.startswith(("/api/", "/public/api/")) or request.path == "/healthz":
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def error_response(status: int, code: str, message: str, **extra):
    if "fields" in extra:  # each field path (`lines.0.qty`) with its messages, in the user's language
        from .validation import flatten, translate

        extra["fields"] = flatten(translate(extra["fields"]))
    if wants_json():
        body = {"error": {"code": code, "message": message, **extra}}
        return jsonify(body), status
    template = "errors/status.html" if status in (403, 404, 500) else "errors/generic.html"
    return render_template(template, status=status, code=code, message=message, extra=extra), status


_HTTP_CODES = {
    400: ("bad_request", lambda: _("请求格式有误")),
    401: ("auth.unauthorized", lambda: _("请先登录")),
    403: ("forbidden", lambda: _("您无权执行此操作")),
    404: ("not_found", lambda: _("页面不存在")),
    405: ("method_not_allowed", lambda: _("不支持该请求方式")),
    413: ("payload_too_large", lambda: _("上传的内容太大")),
    429: ("too_many_requests", lambda: _("请求过于频繁，请稍后再试")),
}


def register_error_handlers(app: Flask) -> None:
    from .extensions import db

    @app.errorhandler(DomainError)
    def handle_domain_error(e: DomainError):
        db.session.rollback()
        return error_response(e.status, e.code, e.message, **e.extra)

    @app.errorhandler(CSRFError)
    def handle_csrf(e: CSRFError):
        return error_response(400, "csrf_failed", _("页面已过期，请刷新后重试"))

    @app.errorhandler(HTTPException)
    def handle_http(e: HTTPException):
        code, message = _HTTP_CODES.get(e.code or 500, ("http_error", lambda: _("请求无法完成")))
        return error_response(e.code or 500, code, message())

    @app.errorhandler(Exception)
    def handle_unexpected(e: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return error_response(500, "internal_error", _("系统出现错误，请稍后再试；数据未被修改"))
