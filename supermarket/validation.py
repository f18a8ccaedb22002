"""Validation messages in the user's language: marshmallow's own English defaults routed through Babel, and the
nested messages of a schema flattened to field paths (`lines.0.qty`) for pages and the API alike.

Our schemas write their messages in Chinese inside `_l()`; marshmallow's built-in ones ("Not a valid integer.",
"Must be greater than or equal to 1 …") arrive already formatted in English, so each is recognised by its pattern
and replaced by a Chinese message (translated back to English for an English user by the catalogue).
"""
from __future__ import annotations

import re

from flask_babel import gettext as _


def _range(m) -> str:
    low, high = m.group("min"), m.group("max")
    return _("须在 %(min)s 到 %(max)s 之间", min=low, max=high)


# (pattern of marshmallow's English message, its message in the user's language)
_CATALOGUE: tuple[tuple[re.Pattern, object], ...] = tuple((re.compile(p + r"\Z"), t) for p, t in (
    (r"Missing data for required field\.", lambda m: _("必填")),
    (r"Field may not be null\.", lambda m: _("必填")),
    (r"Unknown field\.", lambda m: _("不认识的字段")),
    (r"Invalid input type\.", lambda m: _("格式不正确")),
    (r"Invalid (value|input|type)\.", lambda m: _("内容无效")),
    (r"Not a valid integer\.", lambda m: _("请输入整数")),
    (r"Not a valid number\.", lambda m: _("请输入数字")),
    (r"Number too large\.", lambda m: _("数字太大")),
    (r"Special numeric values \(nan or infinity\) are not permitted\.", lambda m: _("请输入数字")),
    (r"Not a valid boolean\.", lambda m: _("请选择是或否")),
    (r"Not a valid string\.", lambda m: _("请输入文字")),
    (r"Not a valid utf-8 string\.", lambda m: _("文字编码无效")),
    (r"Not a valid UUID\.", lambda m: _("请从列表中选择")),
    (r"Not a valid (date|datetime|time)\.", lambda m: _("请输入日期，如 2026-11-30")),
    (r"Not a valid (aware|naive) (date|datetime|time)\.", lambda m: _("请输入日期，如 2026-11-30")),
    (r'".*" cannot be formatted as a (date|datetime|time)\.', lambda m: _("请输入日期，如 2026-11-30")),
    (r"Not a valid (list|tuple)\.", lambda m: _("应为一组内容")),
    (r"Not a valid mapping type\.", lambda m: _("格式不正确")),
    (r"Not a valid email address\.", lambda m: _("邮箱地址无效")),
    (r"Not a valid URL\.", lambda m: _("网址无效")),
    (r"Not a valid .*\.", lambda m: _("格式不正确")),
    (r"Must be one of: .*\.", lambda m: _("请从给出的选项中选择")),
    (r"One or more of the choices you made was (not )?in: .*\.", lambda m: _("请从给出的选项中选择")),
    (r"Must be greater than or equal to (?P<min>\S+) and less than or equal to (?P<max>\S+)\.", _range),
    (r"Must be greater than (?P<min>\S+) and less than (?P<max>\S+)\.",
     lambda m: _("须大于 %(min)s 且小于 %(max)s", min=m.group("min"), max=m.group("max"))),
    (r"Must be greater than or equal to (?P<min>\S+)\.", lambda m: _("不能小于 %(min)s", min=m.group("min"))),
    (r"Must be greater than (?P<min>\S+)\.", lambda m: _("须大于 %(min)s", min=m.group("min"))),
    (r"Must be less than or equal to (?P<max>\S+)\.", lambda m: _("不能大于 %(max)s", max=m.group("max"))),
    (r"Must be less than (?P<max>\S+)\.", lambda m: _("须小于 %(max)s", max=m.group("max"))),
    (r"Must be (greater|less) than.*\.", lambda m: _("超出允许的范围")),
    (r"Shorter than minimum length (?P<n>\d+)\.", lambda m: _("至少 %(n)s 个字", n=m.group("n"))),
    (r"Longer than maximum length (?P<n>\d+)\.", lambda m: _("最多 %(n)s 个字", n=m.group("n"))),
    (r"Length must be between (?P<min>\d+) and (?P<max>\d+)\.",
     lambda m: _("长度须为 %(min)s 到 %(max)s", min=m.group("min"), max=m.group("max"))),
    (r"Length must be (?P<n>\d+)\.", lambda m: _("长度须为 %(n)s", n=m.group("n"))),
    (r"Must be equal to .*\.", lambda m: _("内容无效")),
    (r"String does not match expected pattern\.", lambda m: _("格式不正确")),
))


def translate_message(message) -> str:
    """One message in the user's language (ours are already; marshmallow's English ones are looked up)."""
    text = str(message)
    for pattern, make in _CATALOGUE:
        found = pattern.match(text)
        if found:
            return make(found)
    return text


def translate(messages):
    """marshmallow's messages (nested dicts and lists of strings) with every string in the user's language."""
    if isinstance(messages, dict):
        return {key: translate(value) for key, value in messages.items()}
    if isinstance(messages, (list, tuple)):
        return [translate(value) for value in messages]
    return translate_message(messages)


def flatten(messages, prefix: str = "") -> dict[str, list[str]]:
    """{"lines": {0: {"qty": ["…"]}}} → {"lines.0.qty": ["…"]}; schema-wide messages stay under `_schema`."""
    out: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            out_key = f"{prefix}.{key}" if prefix else str(key)
            for path, found in flatten(value, out_key).items():
                out.setdefault(path, []).extend(found)
    elif isinstance(messages, (list, tuple)):
        for value in messages:
            if isinstance(value, (dict, list, tuple)):
                for path, found in flatten(value, prefix).items():
                    out.setdefault(path, []).extend(found)
            else:
                out.setdefault(prefix or "_schema", []).append(str(value))
    elif messages is not None:
        out.setdefault(prefix or "_schema", []).append(str(messages))
    return out
