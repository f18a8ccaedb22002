"""The kinds of flag, each with its label, area, severity and documented default thresholds.

Thresholds are data: the federation edits them on /flags/thresholds (stored in `flag_thresholds`); a key the
federation has not set takes the default below. Every value is a positive integer (counts, fen, days, minutes,
percentages, factors): a zero or negative window makes no sense and is refused.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Kind:
    code: str
    label: object
    severity: int                        # 1 low, 2 medium, 3 high
    detector: str                        # "module:function" under supermarket.flags.detectors
    defaults: dict = field(default_factory=dict)
    docs: dict = field(default_factory=dict)   # threshold key -> what it means

    @property
    def area(self) -> str:
        return self.code.partition(".")[0]


_SALES = "supermarket.flags.detectors.sales"
_INTAKE = "supermarket.flags.detectors.intake"
_STOCK = "supermarket.flags.detectors.stock"
_POINTS = "supermarket.flags.detectors.points"
_SHIFT = "supermarket.flags.detectors.shift"
_AID = "supermarket.flags.detectors.aid"

LOOKBACK = {"lookback_days": 7}   # the job runs every 6 hours; `--since` reaches further back
LOOKBACK_DOC = {"lookback_days": _l("检测回看的天数（--since 可以更早）")}
MONTHLY = {"lookback_days": 31}   # aid is reviewed by the month

KINDS: dict[str, Kind] = {k.code: k for k in (
    Kind("sales.burst", _l("短时间大量小额销售（刷单）"), 3, f"{_SALES}:burst",
         {"min_sales": 20, "window_minutes": 10, "max_sale_fen": 500, **LOOKBACK},
         {"min_sales": _l("同一收银员在窗口内的小额销售笔数下限"), "window_minutes": _l("窗口长度（分钟）"),
          "max_sale_fen": _l("小额销售的金额上限（分，不含）"), **LOOKBACK_DOC}),
    Kind("sales.repeat_basket", _l("同一购物篮一天内反复出现"), 2, f"{_SALES}:repeat_basket",
         {"min_repeats": 10, "min_lines": 2, **LOOKBACK},
         {"min_repeats": _l("同一门店同一天相同商品和数量的销售笔数下限"),
          "min_lines": _l("购物篮至少包含的不同商品数（单件商品常被反复购买，不算）"), **LOOKBACK_DOC}),
    Kind("sales.void_rate", _l("作废退货过多"), 2, f"{_SALES}:void_rate",
         {"window_days": 30, "factor": 3, "min_events": 5},
         {"window_days": _l("统计窗口（天）"), "factor": _l("相对本区县收银员中位数的倍数"),
          "min_events": _l("作废和退货次数下限")}),
    Kind("sales.override_share", _l("改价比例过高"), 2, f"{_SALES}:override_share",
         {"window_days": 30, "max_percent": 5, "min_overrides": 3},
         {"window_days": _l("统计窗口（天）"), "max_percent": _l("改价销售占全部销售的百分比上限"),
          "min_overrides": _l("改价销售笔数下限（避免笔数太少时误报）")}),
    Kind("sales.staff_purchase", _l("员工自买自批"), 3, f"{_SALES}:staff_purchase", dict(LOOKBACK),
         dict(LOOKBACK_DOC)),
    Kind("shift.cash_difference", _l("班次现金差异反复超限"), 2, f"{_SHIFT}:cash_difference",
         {"window_days": 30, "min_closes": 3, "limit_fen": 1000},
         {"window_days": _l("统计窗口（天）"), "min_closes": _l("差异超限的交班次数下限"),
          "limit_fen": _l("现金差异的绝对值上限（分，超过即计）")}),
    Kind("sales.return_without_receipt", _l("无小票退货过多"), 2, f"{_SHIFT}:return_without_receipt",
         {"window_days": 30, "min_returns": 3, "store_min_returns": 6, "store_min_fen": 30000},
         {"window_days": _l("统计窗口（天）"), "min_returns": _l("同一收银员的无小票退货笔数下限"),
          "store_min_returns": _l("同一门店的无小票退货笔数下限"),
          "store_min_fen": _l("同一门店无小票退货的退款合计下限（分）")}),
    Kind("intake.value_outlier", _l("捐赠估值异常偏高（骗捐）"), 3, f"{_INTAKE}:value_outlier",
         {"factor": 3, "min_sample": 5, "median_days": 365, **LOOKBACK},
         {"factor": _l("相对全市同类别（物品有足够记录时为同物品）单价中位数的倍数"), "min_sample": _l("类别至少有多少条估值记录才比较"),
          "median_days": _l("计算中位数所用的天数"), **LOOKBACK_DOC}),
    Kind("intake.pledge_overdue", _l("认捐逾期未跟进（诺而不捐）"), 2, f"{_INTAKE}:pledge_overdue",
         {"overdue_days": 30, "follow_up_days": 14},
         {"overdue_days": _l("逾期天数下限"), "follow_up_days": _l("最近多少天内没有跟进记录")}),
    Kind("intake.money_no_receipt", _l("现金捐赠未开收据"), 2, f"{_INTAKE}:money_no_receipt",
         {"after_days": 7, **LOOKBACK},
         {"after_days": _l("收到后多少天仍未打印收据"), **LOOKBACK_DOC}),
    Kind("stock.writeoff_spike", _l("报损金额激增"), 2, f"{_STOCK}:writeoff_spike",
         {"factor": 3, "min_fen": 20000, "baseline_weeks": 12, **LOOKBACK},
         {"factor": _l("相对前几周平均值的倍数"), "min_fen": _l("一周报损金额下限（分）"),
          "baseline_weeks": _l("作为基准的周数"), **LOOKBACK_DOC}),
    Kind("stock.adjust_after_count", _l("盘点人事后自行调整库存"), 3, f"{_STOCK}:adjust_after_count",
         {"within_days": 7, **LOOKBACK},
         {"within_days": _l("盘点结束后多少天内"), **LOOKBACK_DOC}),
    Kind("stock.sold_offline", _l("离线销售超卖待核实"), 2, f"{_STOCK}:sold_offline", {**LOOKBACK},
         {**LOOKBACK_DOC}),
    Kind("points.pin_reset_then_redeem", _l("重置密码后随即兑换"), 3, f"{_POINTS}:pin_reset_then_redeem",
         {"within_hours": 48, **LOOKBACK},
         {"within_hours": _l("重置后多少小时内在同一门店兑换"), **LOOKBACK_DOC}),
    # Points oversight (moved here from the points overview page).
    Kind("points.bulk_entries", _l("短时间内批量录入服务时长"), 2, f"{_POINTS}:bulk_entries",
         {"min_entries": 10, "window_minutes": 10, **LOOKBACK},
         {"min_entries": _l("同一人在窗口内录入的服务记录条数下限"), "window_minutes": _l("窗口长度（分钟）"),
          **LOOKBACK_DOC}),
    Kind("points.approver_share", _l("审核集中于一人"), 1, f"{_POINTS}:approver_share",
         {"min_percent": 80, "min_approvals": 10, "window_days": 30},
         {"min_percent": _l("一人审核占本店审核的百分比下限（本店至少两位店长时）"),
          "min_approvals": _l("本店审核条数下限"), "window_days": _l("统计窗口（天）")}),
    Kind("points.frequent_redeemer", _l("兑换异常频繁"), 2, f"{_POINTS}:frequent_redeemer",
         {"min_redemptions": 8, "factor": 3, "window_days": 30},
         {"min_redemptions": _l("居民在一家门店的兑换次数下限"), "factor": _l("相对全市（下）中位数的倍数"),
          "window_days": _l("统计窗口（天）")}),
    Kind("points.month_cap", _l("超过每月积分上限"), 2, f"{_POINTS}:month_cap", dict(LOOKBACK),
         dict(LOOKBACK_DOC)),
    Kind("points.day_hours_cap", _l("超过每日服务时长上限"), 2, f"{_POINTS}:day_hours_cap", dict(LOOKBACK),
         dict(LOOKBACK_DOC)),
    # Aid (moved here from the aid package's flags page).
    Kind("aid.two_stores", _l("同一天在两家门店领取"), 3, f"{_AID}:two_stores", dict(MONTHLY), dict(LOOKBACK_DOC)),
    Kind("aid.proxy", _l("多次代领"), 2, f"{_AID}:proxy", {"min_proxies": 3, **MONTHLY},
         {"min_proxies": _l("同一家庭一个月内代领次数下限"), **LOOKBACK_DOC}),
    Kind("aid.address", _l("同一地址多户"), 2, f"{_AID}:address", {"min_households": 2},
         {"min_households": _l("同一地址登记的在册家庭数下限")}),
    Kind("aid.override", _l("店长特批发放"), 1, f"{_AID}:override", dict(MONTHLY), dict(LOOKBACK_DOC)),
    Kind("aid.unsigned", _l("发放缺少签名或见证"), 1, f"{_AID}:unsigned", dict(MONTHLY), dict(LOOKBACK_DOC)),
)}

AREAS = ("sales", "shift", "intake", "stock", "points", "aid")
# An area on the board's kind filter (?kind=aid, where the old aid and points pages send auditors).
AREA_LABELS = {"sales": _l("销售"), "shift": _l("班次"), "intake": _l("捐赠接收"), "stock": _l("库存"),
               "points": _l("积分"), "aid": _l("救助发放")}


def kind_or_none(code: str | None) -> Kind | None:
    return KINDS.get(code or "")
