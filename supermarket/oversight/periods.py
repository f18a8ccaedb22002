"""The period a dashboard covers (a calendar month, quarter, year, or custom days, all Asia/Shanghai dates,
both ends included), the period before it of the same kind and length, and the same period a year earlier."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _

from ..clock import add_months, month_end, parse_month, quarter_of, quarter_start
from .errors import InvalidPeriod

KINDS = ("month", "quarter", "year", "custom")
MAX_DAYS = 5 * 366  # "longer than five years" is refused; five calendar years with leap days fit


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        if self.kind == "month":
            return _("%(y)s年%(m)s月", y=self.start.year, m=self.start.month)
        if self.kind == "quarter":
            return _("%(y)s年第%(q)s季度", y=self.start.year, q=quarter_of(self.start))
        if self.kind == "year":
            return _("%(y)s年", y=self.start.year)
        return f"{self.start.isoformat()} – {self.end.isoformat()}"

    def params(self) -> dict:
        """The query string that names this period on the dashboard's URL."""
        if self.kind == "month":
            return {"period": "month", "month": self.start.strftime("%Y-%m")}
        if self.kind == "quarter":
            return {"period": "quarter", "quarter": f"{self.start.year}-Q{quarter_of(self.start)}"}
        if self.kind == "year":
            return {"period": "year", "year": str(self.start.year)}
        return {"period": "custom", "start": self.start.isoformat(), "end": self.end.isoformat()}

    def previous(self) -> "Period":
        if self.kind == "month":
            first = add_months(self.start, -1)
            return Period("month", first, month_end(first))
        if self.kind == "quarter":
            first = add_months(self.start, -3)
            return Period("quarter", first, add_months(first, 3) - timedelta(days=1))
        if self.kind == "year":
            return Period("year", date(self.start.year - 1, 1, 1), date(self.start.year - 1, 12, 31))
        return Period("custom", self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def last_year(self) -> "Period":
        start, end = add_months(self.start, -12), add_months(self.end, -12)
        if self.kind == "month":
            end = month_end(start)  # February keeps its own last day
        return Period(self.kind, start, end)


def _bad(field: str, message: str):
    raise InvalidPeriod(message, fields={field: [message]})


def _date(value, field: str) -> date:
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        _bad(field, _("日期格式应为 YYYY-MM-DD"))


def parse(args: dict, today: date) -> Period:
    """The period named by a request's arguments; the current month by default. InvalidPeriod (with the field)
    for anything else: an unknown kind, a malformed value, an end before its start, more than five years."""
    kind = (args.get("period") or "month").strip()
    if kind not in KINDS:
        _bad("period", _("期间类型须为月、季度、年或自定义"))
    if kind == "month":
        raw = args.get("month") or today.strftime("%Y-%m")
        try:
            first = parse_month(str(raw).strip())
        except ValueError:
            _bad("month", _("月份格式应为 YYYY-MM"))
        return Period("month", first, month_end(first))
    if kind == "quarter":
        raw = str(args.get("quarter") or f"{today.year}-Q{quarter_of(today)}").strip().upper()
        year, sep, q = raw.partition("-Q")
        if not sep or len(year) != 4 or not year.isdigit() or q not in ("1", "2", "3", "4"):
            _bad("quarter", _("季度格式应为 YYYY-Q1 至 YYYY-Q4"))
        first = quarter_start(date(int(year), 3 * int(q), 1))
        return Period("quarter", first, add_months(first, 3) - timedelta(days=1))
    if kind == "year":
        raw = str(args.get("year") or today.year).strip()
        if len(raw) != 4 or not raw.isdigit() or int(raw) < 1900:
            _bad("year", _("年份格式应为 YYYY"))
        return Period("year", date(int(raw), 1, 1), date(int(raw), 12, 31))
    if not args.get("start"):
        _bad("start", _("请填写开始日期"))
    if not args.get("end"):
        _bad("end", _("请填写结束日期"))
    start, end = _date(args["start"], "start"), _date(args["end"], "end")
    if end < start:
        _bad("end", _("结束日期早于开始日期"))
    if (end - start).days + 1 > MAX_DAYS:
        _bad("end", _("统计期间不能超过五年"))
    return Period("custom", start, end)
