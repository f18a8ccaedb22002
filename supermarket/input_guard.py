"""Refuse input that no view should ever see, before any view runs.

- Text no database column can hold: NUL (PostgreSQL text cannot contain it; SQLite would store it and a later
  PostgreSQL copy would fail) and lone UTF-16 surrogates ("\\udc80" in JSON: the PostgreSQL driver cannot encode
  them). Scanners and keyboards cannot type either, so every request carrying one in its path, query string, form
  or JSON body is answered `invalid_characters` (422) instead of failing inside a query as a 500.
- JSON nested deeper than any of our schemas (the parser recurses, so a body nested 1,000 deep would raise
  RecursionError in whichever code parsed it first): 422 `json_too_deep`, counted on the raw bytes without parsing.
- A JSON body larger than any of our requests needs (uploads are multipart and keep MAX_CONTENT_LENGTH): 413.
"""
from __future__ import annotations

import re

from flask import Flask, request
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge

from .errors import InvalidInput
from .settings import setting

# The deepest request we accept has an object, a list of lines and a line object; 32 leaves room for growth.
JSON_MAX_DEPTH = 32
JSON_MAX_BYTES = 1024 * 1024

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# A JSON string literal (escapes included), so brackets inside strings are not counted as nesting.
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)
_JSON_BRACKET = re.compile(rb"[\[\]{}]")


class InvalidCharacters(InvalidInput):
    code = "invalid_characters"

    def default_message(self) -> str:
        return _("输入含有无法识别的控制字符")


class JsonTooDeep(InvalidInput):
    code = "json_too_deep"

    def default_message(self) -> str:
        return _("请求内容嵌套层数过多")


def _unstorable(value) -> bool:
    if isinstance(value, str):
        return _UNSTORABLE.search(value) is not None
    if isinstance(value, dict):
        return any(_unstorable(k) or _unstorable(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_unstorable(v) for v in value)
    return False


def json_depth_exceeds(raw: bytes, limit: int) -> bool:
    """Whether the JSON text nests objects/arrays more than `limit` deep (strings skipped, nothing parsed)."""
    # Nesting cannot exceed the number of opening brackets: two C-speed counts settle every ordinary request
    # (a till's sale has seven) without the string-stripping pass, which costs ~50 microseconds a request.
    if raw.count(b"[") + raw.count(b"{") <= limit:
        return False
    depth = 0
    for bracket in _JSON_BRACKET.finditer(_JSON_STRING.sub(b'""', raw)):
        if bracket.group() in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def check_json_body() -> None:
    """Size and depth of a JSON body, before anything parses it."""
    if not request.is_json:
        return
    max_bytes = setting("JSON_MAX_BYTES", JSON_MAX_BYTES)
    if request.content_length is not None and request.content_length > max_bytes:
        raise RequestEntityTooLarge()
    raw = request.get_data(cache=True)
    if len(raw) > max_bytes:
        raise RequestEntityTooLarge()
    if json_depth_exceeds(raw, setting("JSON_MAX_DEPTH", JSON_MAX_DEPTH)):
        raise JsonTooDeep()


def request_has_unstorable_text() -> bool:
    if _UNSTORABLE.search(request.path):
        return True
    for source in (request.args, request.form):
        for key, values in source.lists():
            if _unstorable(key) or _unstorable(values):
                return True
    if request.is_json:
        # A JSON text can carry a NUL or a lone surrogate only as a \u escape (raw control characters and
        # invalid UTF-8 do not parse), so a body without one needs no walk through every string.
        if b"\\u" not in request.get_data(cache=True):
            return False
        return _unstorable(request.get_json(silent=True))
    return False




def register_input_guard(app: Flask) -> None:
    @app.before_request
    def _refuse_unstorable():
        check_json_body()
        if request_has_unstorable_text():
            raise InvalidCharacters()
