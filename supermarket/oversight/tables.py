"""A dashboard table: its columns (with a kind that says how a value prints and exports), its rows, and the
chart drawn from it. Money is integer fen in the rows; it shows and exports in yuan."""
from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from flask_babel import lazy_gettext as _l

KINDS = ("text", "int", "money", "pct", "float")

# What a figure is called, and its kind (by key; tender and money methods are added as they come).
LABELS = {
    "income_fen": (_l("销售收入"), "money"), "income_donated_fen": (_l("义卖（捐赠物品）"), "money"),
    "income_purchased_fen": (_l("采购商品"), "money"), "money_fen": (_l("现金捐赠"), "money"),
    "goods_donations": (_l("物资捐赠笔数"), "int"), "goods_units": (_l("捐赠物品件数"), "int"),
    "goods_value_fen": (_l("捐赠物品价值"), "money"), "donors_new": (_l("新捐赠人"), "int"),
    "donors_returning": (_l("再次捐赠人"), "int"), "pledges_open": (_l("未兑现认捐"), "int"),
    "pledges_open_fen": (_l("未兑现认捐金额"), "money"), "pledges_overdue": (_l("逾期认捐"), "int"),
    "pledges_overdue_fen": (_l("逾期认捐金额"), "money"), "aid_households": (_l("受助户数"), "int"),
    "aid_dists": (_l("发放次数"), "int"), "aid_value_fen": (_l("发放价值"), "money"),
    "aid_campaigns": (_l("集中发放活动"), "int"), "review_due": (_l("待复核家庭"), "int"),
    "points_issued": (_l("发放积分"), "int"), "points_redeemed": (_l("兑换积分"), "int"),
    "points_expired": (_l("过期积分"), "int"), "points_liability": (_l("未兑换积分余额"), "int"),
    "points_stock": (_l("可兑换库存（积分）"), "int"), "stock_fen": (_l("库存价值"), "money"),
    "age30_fen": (_l("≤30天"), "money"), "age90_fen": (_l("31–90天"), "money"),
    "age180_fen": (_l("91–180天"), "money"), "age_over_fen": (_l(">180天"), "money"),
    "expiring7": (_l("7天内到期食品（件）"), "int"), "expiring7_fen": (_l("7天内到期食品价值"), "money"),
    "expiring30": (_l("30天内到期食品（件）"), "int"), "expiring30_fen": (_l("30天内到期食品价值"), "money"),
    "writeoffs": (_l("报损笔数"), "int"), "writeoffs_fen": (_l("报损价值"), "money"),
    "sales": (_l("销售笔数"), "int"), "voids": (_l("作废"), "int"), "returns": (_l("退货"), "int"),
    "void_rate": (_l("作废率"), "pct"), "return_rate": (_l("退货率"), "pct"),
    "overrides": (_l("改价行数"), "int"), "override_rate": (_l("改价比例"), "pct"),
    "cash_diff_shifts": (_l("现金差异班次"), "int"), "cash_diff_abs_fen": (_l("现金差异合计"), "money"),
    "open_days": (_l("营业天数"), "int"), "shifts_closed": (_l("已结班次"), "int"),
}


@dataclass
class Column:
    key: str
    label: str
    kind: str = "int"


@dataclass
class Table:
    name: str
    title: str
    columns: list[Column]
    rows: list[dict]
    chart: dict | None = None   # {"type": "bar"|"line"|"pie", "x": key, "series": [keys], "stack": bool}
    note: str = ""

    @property
    def has_data(self) -> bool:
        """Whether the chart would show anything (an all-zero chart is replaced by a line of text)."""
        if not self.chart:
            return False
        return any(r.get(k) for r in self.rows for k in self.chart["series"])

    def chart_data(self) -> dict | None:
        """What the page's script draws: categories, series (yuan for money), each bar's link."""
        if not self.chart:
            return None
        labels = {c.key: (c.label, c.kind) for c in self.columns}
        series = []
        for key in self.chart["series"]:
            label, kind = labels[key]
            series.append({"name": str(label), "data": [display_number(r.get(key), kind) for r in self.rows]})
        return {"type": self.chart["type"], "title": str(self.title), "stack": self.chart.get("stack", False),
                "categories": [str(r.get(self.chart["x"], "")) for r in self.rows], "series": series,
                "links": [r.get("_link") for r in self.rows], "percent": labels[self.chart["series"][0]][1] == "pct"}


def display_number(value, kind: str):
    """The number as charts and exports carry it: yuan with two decimals for money, a percentage for rates."""
    if value is None:
        return None
    if kind == "money":
        return round(value / 100, 2)
    if kind == "pct":
        return round(value * 100, 2)
    return value


def label(key: str) -> tuple[str, str]:
    text, kind = LABELS.get(key, (key, "int"))
    return str(text), kind


def columns(*keys: str) -> list[Column]:
    return [Column(k, *label(k)) for k in keys]


def rate(n: int, d: int) -> float | None:
    return n / d if d else None


def with_rates(figures: dict) -> dict:
    out = dict(figures)
    out["void_rate"] = rate(out.get("voids", 0), out.get("sales", 0))
    out["return_rate"] = rate(out.get("returns", 0), out.get("sales", 0))
    out["override_rate"] = rate(out.get("overrides", 0), out.get("sale_lines", 0))
    return out


def add(into: dict, figures: dict) -> None:
    for k, v in figures.items():
        if isinstance(v, int):
            into[k] = into.get(k, 0) + v


def medians(units: list[dict], keys) -> dict:
    """The median of each key over the units (a unit without the figure counts as 0); rates likewise."""
    out = {}
    for k in keys:
        values = [u.get(k) for u in units]
        values = [v if v is not None else 0 for v in values]
        out[k] = median(values) if values else None
    return out


def format_value(value, kind: str) -> str:
    if value is None:
        return "—"
    if kind == "money":
        return f"¥{value / 100:,.2f}"
    if kind == "pct":
        return f"{value * 100:.1f}%"
    if kind == "float":
        return f"{value:.2f}"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


__all__ = ["Column", "Table", "LABELS", "KINDS", "columns", "with_rates", "add", "medians", "format_value",
           "display_number", "label", "rate"]

