"""Every list downloads as Excel or CSV: the same query as the screen, streamed row by row.

A list page reaches this module by `format=xlsx` or `format=csv` in its own URL, so the download has the page's
filters and the actor's scope by construction. Columns declare their type, and cells are typed from it: money is a
number in yuan (two decimals), dates and times are real date cells in Asia/Shanghai (Excel knows no zones), counts
are integers. The xlsx is written by XlsxWriter in constant_memory mode into a temporary file (flat memory whatever the
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
SCORE = "score"  # a number shown with one decimal (a compliance total: 87.5)
_XLSX_FORMATS = {MONEY_FEN: "#,##0.00", DATE: "yyyy-mm-dd", DATETIME: "yyyy-mm-dd hh:mm:ss", INT: "0", SCORE: "0.0"}
_WIDTHS = {MONEY_FEN: 12, DATE: 12, DATETIME: 20, INT: 10, TEXT: 18, SCORE: 10}
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


def export_url(fmt: str, endpoint: str | None = None) -> str:
    """This page's URL with its filters (not its page number) and `format=fmt`: the list's download. A page that
    is also the answer to a POST (the audit log after its chain check) names its list's GET `endpoint`."""
    args = {k: v for k, v in request.args.items() if k not in ("page", "format")}
    if endpoint:
        return url_for(endpoint, **args, format=fmt)
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
        return int(value) / 100  # a float: 1999 fen is 19.99 to Excel's 15 digits
    if kind == DATETIME:
        return _local(value)
    if kind == DATE:
        return value.date() if isinstance(value, datetime) else value
    if kind == INT:
        return int(value)
    if kind == SCORE:
        return float(value)
    return str(value)


def text_value(kind: str, value) -> str:
    """The text of a cell (CSV): money as 12.50, times in Shanghai as 2026-12-05 14:03:00."""
    raw, value = value, cell_value(kind, value)
    if value is None:
        return ""
    if kind == MONEY_FEN:
        return f"{Decimal(int(raw)).scaleb(-2):.2f}"
    if kind == SCORE:
        return f"{value:.1f}"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# --- writers -----------------------------------------------------------------------------------------------

def _memo_lazy(columns: list[Column]) -> list[Column]:
    """The columns with each lazy label (a KIND_LABELS value…) translated once per download: flask-babel's
    lookup costs far more than the cell it fills, and a label column repeats a handful of values 100,000 times."""
    from flask_babel.speaklater import LazyString

    cache: dict[int, str] = {}

    def wrap(getter):
        def value(row):
            v = getter(row)
            if isinstance(v, LazyString):
                key = id(v)
                if key not in cache:
                    cache[key] = str(v)
                return cache[key]
            return v
        return value

    return [Column(c.header, c.kind, wrap(c.value), c.width) for c in columns]


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


def write_xlsx(columns: list[Column], rows: Iterable, target: str, sheet_title: str = "Sheet1") -> int:
    """Write the rows into an .xlsx file at `target`; returns the number of data rows.

    XlsxWriter's constant_memory mode flushes each row to disk as the next one starts, so memory stays flat
    whatever the row count (and it writes far faster than openpyxl without lxml)."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(target, {"constant_memory": True, "tmpdir": tempfile.gettempdir()})
    try:
        ws = wb.add_worksheet(sheet_title[:31])
        bold = wb.add_format({"bold": True})
        formats = {kind: wb.add_format({"num_format": f}) for kind, f in _XLSX_FORMATS.items()}
        for i, c in enumerate(columns):
            ws.set_column(i, i, c.width or _WIDTHS.get(c.kind, 16))
        for i, c in enumerate(columns):
            ws.write_string(0, i, str(c.header), bold)
        writers = []
        for c in columns:
            fmt = formats.get(c.kind)
            if c.kind == MONEY_FEN:
                writers.append(lambda r, i, v, f=fmt: ws.write_number(r, i, v, f))
            elif c.kind in (DATE, DATETIME):
                writers.append(lambda r, i, v, f=fmt: ws.write_datetime(r, i, v, f))
            elif c.kind in (INT, SCORE):
                writers.append(lambda r, i, v, f=fmt: ws.write_number(r, i, v, f))
            else:
                writers.append(lambda r, i, v: ws.write_string(r, i, v))
        kinds = [c.kind for c in columns]
        getters = [c.value for c in columns]
        count = 0
        for row in rows:
            count += 1
            for i, (kind, get, write) in enumerate(zip(kinds, getters, writers)):
                value = cell_value(kind, get(row))
                if value is not None:
                    write(count, i, value)
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, count, len(columns) - 1)
    finally:
        wb.close()
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
    columns = _memo_lazy(columns)
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
