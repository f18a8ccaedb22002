"""Which characters a text field may hold: single-line text (names, reasons, barcodes — every string field unless
declared otherwise) holds no control, bidi or zero-width character; multi-line text (declared with
`metadata=MULTILINE`) may also hold newline and tab. So an audit line, a receipt or a list cannot be made to read
differently from what was stored (U+202E turning "退款 100" around, U+200B splitting a name that then matches no
search, BEL in a reason).

The check walks the raw request data along the schema's fields (nested schemas and lists too) before the schema
loads it, and answers `invalid_characters` with each offending field's path, as any validation message.
"""
from __future__ import annotations

import re

from flask_babel import gettext as _
from marshmallow import Schema, fields

# Declares a string field as multi-line text; shown in the OpenAPI document as `x-multiline: true`.
MULTILINE = {"x-multiline": True}

# C0 controls, DEL and C1 controls; bidi embeddings, overrides, isolates and marks; zero-width characters, word
# joiner and BOM; line and paragraph separators.
_INVISIBLE = "\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u2028\u2029"
_SINGLE_LINE_BAD = re.compile("[\x00-\x1f\x7f-\x9f" + _INVISIBLE + "]")
# In multi-line text a line ends in \n (or \r\n, as browsers send a textarea's lines); a tab may indent.
_MULTI_LINE_BAD = re.compile("\r(?!\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f" + _INVISIBLE + "]")


def is_multiline(field: fields.Field) -> bool:
    return bool(field.metadata.get("x-multiline"))


def bad_text(value: str, *, multiline: bool) -> bool:
    return (_MULTI_LINE_BAD if multiline else _SINGLE_LINE_BAD).search(value) is not None


def _message(multiline: bool) -> str:
    if multiline:
        return _("只能包含文字、换行和制表符，不能有控制字符或不可见字符")
    return _("只能是一行文字，不能有换行、控制字符或不可见字符")


def _walk(field: fields.Field, value, path: str, found: dict) -> None:
    if value is None:
        return
    if isinstance(field, fields.String):
        if isinstance(value, str) and bad_text(value, multiline=is_multiline(field)):
            found[path] = [_message(is_multiline(field))]
    elif isinstance(field, fields.Nested):
        schema = field.schema
        if field.many or schema.many:
            if isinstance(value, list):
                for index, item in enumerate(value):
                    _walk_schema(schema, item, f"{path}.{index}", found)
        else:
            _walk_schema(schema, value, path, found)
    elif isinstance(field, (fields.List, fields.Tuple)):
        inners = field.tuple_fields if isinstance(field, fields.Tuple) else None
        if isinstance(value, (list, tuple)):
            for index, item in enumerate(value):
                inner = inners[index] if inners is not None and index < len(inners) else getattr(field, "inner", None)
                if inner is not None:
                    _walk(inner, item, f"{path}.{index}", found)
    elif isinstance(field, fields.Dict) and isinstance(value, dict):
        for key, item in value.items():
            if field.key_field is not None:
                _walk(field.key_field, key, f"{path}.{key}", found)
            if field.value_field is not None:
                _walk(field.value_field, item, f"{path}.{key}", found)


def _walk_schema(schema: Schema, data, prefix: str, found: dict) -> None:
    if not isinstance(data, dict):
        return
    for name, field in schema.load_fields.items():
        key = field.data_key or name
        if key in data:
            _walk(field, data[key], f"{prefix}.{key}" if prefix else key, found)


def refused_text(schema: Schema, data) -> dict[str, list[str]]:
    """{field path: [message]} for each string in `data` that its field's rule refuses (empty when all pass)."""
    found: dict[str, list[str]] = {}
    if schema.many and isinstance(data, list):
        for index, item in enumerate(data):
            _walk_schema(schema, item, str(index), found)
    else:
        _walk_schema(schema, data, "", found)
    return found
