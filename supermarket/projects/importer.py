"""Reading a platform's order export (CSV) for a session: the columns are mapped once per store and platform;
every row is checked before anything is written, and a file with one bad row imports nothing."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..clock import SHANGHAI
from .errors import BadOrderFile

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
# Orders paid up to a day after the stream ended still belong to it (late payment); before it started, none.
LATE_PAYMENT = timedelta(hours=24)
EARLY_ORDER = timedelta(hours=1)

PLATFORM_LABELS = {"douyin": _l("抖音"), "kuaishou": _l("快手"), "channels": _l("视频号"), "other": _l("其他")}

# The headers of each platform's export as the stores know them; a store maps its own once if they differ.
DEFAULT_COLUMNS = {
    "douyin": ("订单编号", "订单应付金额", "订单提交时间", "订单状态"),
    "kuaishou": ("订单号", "实付款", "下单时间", "订单状态"),
    "channels": ("订单号", "实付金额", "下单时间", "订单状态"),
    "other": ("order_id", "amount", "ordered_at", "status"),
}
# An order in one of these states was paid back or never paid: it is kept from the file but raises nothing.
NOT_COUNTED = ("退款", "取消", "关闭", "refund", "cancel", "closed")
_TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M")


@dataclass(frozen=True)
class Columns:
    order_col: str
    amount_col: str
    time_col: str
    status_col: str = ""


@dataclass(frozen=True)
class ParsedOrder:
    line: int
    order_no: str
    amount_fen: int
    ordered_at: datetime
    counted: bool


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM); the platforms' Excel-saved exports are often GBK."""
    if len(data) > MAX_BYTES:
        raise BadOrderFile(_("文件太大，上限 5 MB"), fields={"file": [_("文件太大，上限 5 MB")]})
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise BadOrderFile(_("文件不是文本 CSV"), fields={"file": [_("文件不是文本 CSV")]})


def _fen(text: str) -> int | None:
    cleaned = (text or "").strip().replace("¥", "").replace("￥", "").replace(",", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    if value < 0 or value != value.quantize(Decimal("0.01")) or value > 10_000_000:
        return None
    return int(value * 100)


def _time(text: str) -> datetime | None:
    for fmt in _TIME_FORMATS:
        try:
            return datetime.strptime((text or "").strip(), fmt).replace(tzinfo=SHANGHAI).astimezone(UTC)
        except ValueError:
            continue
    return None


def parse(text: str, columns: Columns, *, starts_at: datetime, ends_at: datetime) -> list[ParsedOrder]:
    """Every row checked; raises BadOrderFile naming the missing columns or each bad row (by its line)."""
    reader = csv.DictReader(io.StringIO(text))
    headers = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = headers
    needed = [c for c in (columns.order_col, columns.amount_col, columns.time_col, columns.status_col) if c]
    missing = [c for c in needed if c not in headers]
    if missing:
        msg = _("文件缺少列：%(cols)s（请检查平台和列对应设置）", cols="、".join(missing))
        raise BadOrderFile(msg, fields={"file": [msg]})
    orders, bad, seen = [], {}, set()
    for row in reader:
        line = reader.line_num
        if len(orders) + len(bad) >= MAX_ROWS:
            msg = _("文件超过 %(n)d 行，请分批导入", n=MAX_ROWS)
            raise BadOrderFile(msg, fields={"file": [msg]})
        problems = []
        order_no = (row.get(columns.order_col) or "").strip()
        if not order_no or len(order_no) > 64:
            problems.append(_("订单号为空或过长"))
        elif order_no in seen:
            problems.append(_("订单号在文件中重复"))
        amount = _fen(row.get(columns.amount_col) or "")
        if amount is None:
            problems.append(_("金额无效"))
        at = _time(row.get(columns.time_col) or "")
        if at is None:
            problems.append(_("时间无效（应为 2026-11-27 20:15:00）"))
        elif not starts_at - EARLY_ORDER <= at <= ends_at + LATE_PAYMENT:
            problems.append(_("下单时间不在本场直播时段内"))
        if problems:
            bad[line] = problems
            continue
        seen.add(order_no)
        status = (row.get(columns.status_col) or "").strip().lower() if columns.status_col else ""
        orders.append(ParsedOrder(line, order_no, amount, at, not any(word in status for word in NOT_COUNTED)))
    if bad:
        msg = _("有 %(n)d 行有误，整个文件未导入", n=len(bad))
        raise BadOrderFile(msg, fields={"rows": bad})
    if not orders:
        msg = _("文件中没有订单")
        raise BadOrderFile(msg, fields={"file": [msg]})
    return orders
