"""Refuse text that no database column can hold, before any view sees it.

PostgreSQL text cannot contain NUL (0x00); SQLite would store it and a later PostgreSQL copy would fail. A NUL in
a path, query string, form field or JSON string is never legitimate input (scanners and keyboards cannot type it),
so every request carrying one is answered with one stable error instead of reaching a query and failing there.
"""
from __future__ import annotations

from flask import Flask, request
from flask_babel import gettext as _

from .errors import InvalidInput


class InvalidCharacters(InvalidInput):
    code = "invalid_characters"

    def default_message(self) -> str:
        return _("输入含有无法识别的控制字符")


def _contains_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(k) or _contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_contains_nul(v) for v in value)
    return False


def request_has_nul() -> bool:
    if "\x00" in request.path:
        return True
    for source in (request.args, request.form):
        for key, values in source.lists():
            if _contains_nul(key) or _contains_nul(values):
                return True
    if request.is_json:
        return _contains_nul(request.get_json(silent=True))
    return False


def register_input_guard(app: Flask) -> None:
    @app.before_request
    def _refuse_nul():
        if request_has_nul():
            raise InvalidCharacters()
