"""Every list downloads as Excel or CSV: the same query as the screen, streamed row by row.

A list page reaches this module by `format=xlsx` or `format=csv` in its own URL, so the download has the page's
filters and the actor's scope by construction. Columns declare their type, and cells are typed from it: money is a
number in yuan (two decimals), dates and times are real date cells in Asia/Shanghai (Excel knows no zones), counts
are integers. The xlsx is written by openpyxl's write-only mode into a temporary file (constant memory whatever the
row count) and sent from that file in chunks; the CSV is generated as it is sent (UTF-8 with a BOM, so Excel
opens Chinese text correctly).
"""
from __future__ import annotations

import csv
import io
import os
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Callable, Iterable
from urllib.parse import quote

from flask import Response, request, stream_with_context, url_for
from flask_babel import gettext as _

from .clock import SHANGHAI
from .errors import InvalidInput

FORMATS = ("xlsx", "csv")
MONEY_FEN, DATE, DATETIME, INT, TEXT = "money_fen", "date", "datetime", "int", "text"
_XLSX_FORMATS = {MONEY_FEN: "#,##0.00", DATE: "yyyy-mm-dd", DATETIME: "yyyy-mm-dd hh:mm:ss", INT: "0"}
_WIDTHS = {MONEY_FEN: 12, DATE: 12, DATETIME: 20, INT: 10, TEXT: 18}
_CHUNK = 64 * 1024
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    """One column: its Chinese header (a lazy string is fine), its type and how to read it from a row."""

    header: Any
    kind: str
    value: Callable[[Any], Any]
    width: int | None = None


def col(header, kind: str, value: Callable[[Any], Any] | str, width: int | None = None) -> Column:
    """A column; `value` may be an attribute name."""
    getter = value if callable(value) else (lambda row, _name=value: getattr(row, _name))
    return Column(header, kind, getter, width)


def requested_format() -> str | None:
    """`xlsx`, `csv`, or None for the page itself; anything else is refused with a message."""
    fmt = request.args.get("format")
    if fmt in (None, ""):
        return None
    if fmt not in FORMATS:
        raise InvalidInput(_("下载格式只能是 xlsx 或 csv"), fields={"format": [_("下载格式只能是 xlsx 或 csv")]})
    return fmt


def page_args(args=None) -> dict:
    """The list's query string without `format` (the page's schema knows nothing of it) and empty fields."""
    args = request.args if args is None else args
    return {k: v for k, v in args.items() if k not in ("format", "csrf_token") and v != ""}


def export_url(fmt: str) -> str:
    """This page's URL with its filters (not its page number) and `format=fmt`: the list's download."""
    args = {k: v for k, v in request.args.items() if k not in ("page", "format")}
    return url_for(request.endpoint, **(request.view_args or {}), **args, format=fmt)


# --- cell values -------------------------------------------------------------------------------------------

def _local(value):
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(SHANGHAI).replace(tzinfo=None)
        return value.replace(microsecond=0)
    return value


def cell_value(kind: str, value):
    """The typed value of a cell (xlsx)."""
    if value is None or value == "":
        return None
    if kind == MONEY_FEN:
        return Decimal(int(value)).scaleb(-2)
    if kind == DATETIME:
        return _local(value)
    if kind == DATE:
        return value.date() if isinstance(value, datetime) else value
    if kind == INT:
        return int(value)
    return str(value)


def text_value(kind: str, value) -> str:
    """The text of a cell (CSV): money as 12.50, times in Shanghai as 2026-12-05 14:03:00."""
    value = cell_value(kind, value)
    if value is None:
        return ""
    if kind == MONEY_FEN:
        return f"{value:.2f}"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# --- writers -----------------------------------------------------------------------------------------------

def _csv_chunks(columns: list[Column], rows: Iterable) -> Iterable[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(c.header) for c in columns])
    first = True
    for row in rows:
        writer.writerow([text_value(c.kind, c.value(row)) for c in columns])
        if buffer.tell() >= _CHUNK:
            yield (("\ufeff" if first else "") + buffer.getvalue()).encode("utf-8")
            first = False
            buffer.seek(0)
            buffer.truncate()
    yield (("\ufeff" if first else "") + buffer.getvalue()).encode("utf-8")


def _column_letter(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


def write_xlsx(columns: list[Column], rows: Iterable, target, sheet_title: str = "Sheet1") -> int:
    """Write the rows into an .xlsx at `target` (a path or a binary file); returns the number of data rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=sheet_title[:31])
    ws.freeze_panes = "A2"
    for i, c in enumerate(columns, start=1):
        ws.column_dimensions[_column_letter(i)].width = c.width or _WIDTHS.get(c.kind, 16)
    bold = Font(bold=True)
    header = []
    for c in columns:
        cell = WriteOnlyCell(ws, value=str(c.header))
        cell.font = bold
        header.append(cell)
    ws.append(header)
    # One styled template cell per typed column; openpyxl shares the style between cells of a column.
    formats = [_XLSX_FORMATS.get(c.kind) for c in columns]
    count = 0
    for row in rows:
        out = []
        for c, number_format in zip(columns, formats):
            value = cell_value(c.kind, c.value(row))
            if number_format and value is not None:
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = number_format
                out.append(cell)
            else:
                out.append(value)
        ws.append(out)
        count += 1
    ws.auto_filter.ref = f"A1:{_column_letter(len(columns))}{count + 1}"
    wb.save(target)
    return count


def _file_chunks(path: str) -> Iterable[bytes]:
    try:
        with open(path, "rb") as f:
            while chunk := f.read(_CHUNK):
                yield chunk
    finally:
        os.unlink(path)


def _disposition(filename: str) -> str:
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def export_response(columns: list[Column], rows_iter: Iterable, fmt: str, filename: str) -> Response:
    """The download of a list: `filename` without extension; rows are read once, as they come."""
    if fmt == "csv":
        resp = Response(stream_with_context(_csv_chunks(columns, rows_iter)), mimetype="text/csv")
        resp.charset = "utf-8"
    else:
        fd, path = tempfile.mkstemp(suffix=".xlsx", prefix="export-")
        os.close(fd)
        try:
            write_xlsx(columns, rows_iter, path)
        except BaseException:
            os.unlink(path)
            raise
        resp = Response(_file_chunks(path), mimetype=XLSX_MIME)
        resp.headers["Content-Length"] = str(os.path.getsize(path))
    resp.headers["Content-Disposition"] = _disposition(f"{filename}.{fmt}")
    resp.headers["Cache-Control"] = "no-store"
    return resp
