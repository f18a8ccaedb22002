"""The tables (and their charts) of a dashboard, built from the per-store figures the queries returned."""
from __future__ import annotations

from collections import defaultdict

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..auth.models import User
from . import trends
from .queries import Filter, by_category, cashiers
from .tables import Column, Table, columns, label, medians, rate

UNIT_TABLES = (
    ("income", _l("销售收入（按资金来源）"), ("income_fen", "income_donated_fen", "income_purchased_fen"),
     ("income_donated_fen", "income_purchased_fen"), True),
    ("donations", _l("捐赠与认捐"), ("goods_donations", "goods_units", "goods_value_fen", "money_fen", "donors_new",
                                 "donors_returning", "pledges_open", "pledges_open_fen", "pledges_overdue",
                                 "pledges_overdue_fen"), ("goods_value_fen", "money_fen"), False),
    ("aid", _l("物资发放"), ("aid_households", "aid_dists", "aid_value_fen", "aid_campaigns", "review_due"),
     ("aid_value_fen",), False),
    ("points", _l("积分"), ("points_issued", "points_redeemed", "points_expired", "points_liability", "points_stock"),
     ("points_issued", "points_redeemed", "points_expired"), False),
    ("stock", _l("库存、库龄与报损"), ("stock_fen", "age30_fen", "age90_fen", "age180_fen", "age_over_fen", "expiring7",
                                  "expiring7_fen", "expiring30", "expiring30_fen", "writeoffs", "writeoffs_fen"),
     ("age30_fen", "age90_fen", "age180_fen", "age_over_fen"), True),
    ("tills", _l("收银：作废、退货、改价与现金差异"), ("sales", "voids", "void_rate", "returns", "return_rate", "overrides",
                                            "override_rate", "cash_diff_shifts", "cash_diff_abs_fen"),
     ("void_rate", "return_rate"), False),
)
STORE_FIGURES = ("income_fen", "money_fen", "goods_value_fen", "donors_new", "donors_returning", "pledges_overdue",
                 "aid_households", "aid_value_fen", "points_issued", "points_redeemed", "points_liability",
                 "stock_fen", "age_over_fen", "expiring7", "writeoffs_fen", "void_rate", "return_rate",
                 "override_rate", "cash_diff_shifts")
MONEY_FIGURES = ("income_fen", "money_fen", "goods_value_fen", "aid_value_fen", "stock_fen", "writeoffs_fen")


def _methods(title, name, figures: dict, prefix: str, labels) -> Table:
    rows = [{"method": labels(k[len(prefix):-4]), "amount_fen": v}
            for k, v in sorted(figures.items()) if k.startswith(prefix) and k.endswith("_fen") and k != f"{prefix}fen"]
    rows.sort(key=lambda r: -r["amount_fen"])
    return Table(name, title, [Column("method", _("方式"), "text"), Column("amount_fen", _("金额"), "money")], rows,
                 {"type": "pie", "x": "method", "series": ["amount_fen"]})


def _categories(name, title, rows, ids, count_label) -> Table:
    total: dict = defaultdict(lambda: [0, 0])
    for store_id, cat, n, value in rows:
        if store_id is None or store_id in ids:  # None: already summed over the board's stores
            total[cat][0] += n
            total[cat][1] += value
    out = [{"category": c, "count": n, "value_fen": v} for c, (n, v) in total.items()]
    out.sort(key=lambda r: (-r["value_fen"], r["category"]))
    return Table(name, title, [Column("category", _("类别"), "text"), Column("count", count_label, "int"),
                               Column("value_fen", _("价值"), "money")], out,
                 {"type": "bar", "x": "category", "series": ["value_fen"]})


def build_tables(board, session, scope, mine, per_store, units, unit_rows, unit_label, current, store_rows, link,
                 tender_label, money_methods) -> list[Table]:
    period = board.period
    ids = {board.store.id} if board.store else {r[0] for r in store_rows}
    tables: list[Table] = []
    if board.level == "store":
        district = medians(list(per_store.values()), STORE_FIGURES)
        rows = []
        for k in STORE_FIGURES:
            text, kind = label(k)
            value = mine.get(k) if kind == "pct" else mine.get(k, 0)
            rows.append({"figure": text, "kind": kind, "store": value, "median": district[k]})
        tables.append(Table("vs_median", _("本店与区县中位数"),
                            [Column("figure", _("指标"), "text"), Column("store", _("本店"), "row"),
                             Column("median", _("区县中位数"), "row")], rows))
        money = [r for r, k in zip(rows, STORE_FIGURES) if k in MONEY_FIGURES]
        tables.append(Table("vs_median_money", _("金额指标：本店与区县中位数"),
                            [Column("figure", _("指标"), "text"), Column("store", _("本店"), "money"),
                             Column("median", _("区县中位数"), "money")], money,
                            {"type": "bar", "x": "figure", "series": ["store", "median"]}))
    else:
        for name, title, keys, series, stack in UNIT_TABLES:
            rows = unit_rows(keys)
            rows.sort(key=lambda r: -(sum((r.get(k) or 0) for k in series)))
            tables.append(Table(name, title, [Column("unit", unit_label, "text"), *columns(*keys)], rows,
                                {"type": "bar", "x": "unit", "series": list(series), "stack": stack}))
    tables.append(_methods(_("销售收入（按支付方式）"), "tenders", mine, "tender_",
                           lambda m: _("其他") if m == "other" else tender_label(m)))
    tables.append(_methods(_("现金捐赠（按方式）"), "money", mine, "money_",
                           lambda m: money_methods.get(m, _("其他") if m == "other" else m)))
    # The board's own stores: the scope's, or the one store's (not its district's).
    own = Filter(store_id=board.store.id) if board.store else scope
    goods, aid = by_category(session, own, period.start, period.end)
    tables.append(_categories("goods_categories", _("捐赠物品（按类别）"), goods, ids, _("件数")))
    tables.append(_categories("aid_categories", _("物资发放（按救助类别）"), aid, ids, _("户数")))
    if board.level != "city":
        tables.append(_cashiers(session, scope, period, ids, {r[0]: r[1] for r in store_rows}))
    tables.extend(_trend_tables(session, own, period, ids))
    tables.extend(_compliance(session, scope, period, ids, units, board, link,
                                  {r[0]: r[3] for r in store_rows}))
    return tables


def _cashiers(session, scope, period, ids, codes) -> Table:
    merged = {(row["store_id"], row["cashier_id"]): row for row in cashiers(session, scope, period.start, period.end)
              if row["store_id"] in ids}
    names = {}
    who = {k[1] for k in merged if k[1] is not None}
    if who:
        names = dict(session.execute(User.__table__.select().with_only_columns(User.id, User.username)
                                     .where(User.id.in_(who))).all())
    rows = []
    for (store_id, cashier_id), m in merged.items():
        rows.append({"store": codes.get(store_id, ""), "cashier": names.get(cashier_id, _("未知")),
                     "sales": m["sales"], "voids": m["voids"], "void_rate": rate(m["voids"], m["sales"]),
                     "returns": m["returns"], "return_rate": rate(m["returns"], m["sales"]),
                     "overrides": m["overrides"], "cash_diff_shifts": m.get("cash_diff_shifts", 0),
                     "cash_diff_abs_fen": m.get("cash_diff_abs_fen", 0)})
    rows.sort(key=lambda r: (-((r["void_rate"] or 0) + (r["return_rate"] or 0)), r["store"], r["cashier"]))
    return Table("cashiers", _("收银员：作废、退货、改价与现金差异"),
                 [Column("store", _("门店"), "text"), Column("cashier", _("收银员"), "text"),
                  *columns("sales", "voids", "void_rate", "returns", "return_rate", "overrides", "cash_diff_shifts",
                           "cash_diff_abs_fen")], rows)


def _trend_tables(session, scope, period, ids) -> list[Table]:
    data = trends.monthly(session, scope, period.start, period.end)
    rows = [{"month": month, **{key: data.get(month, {}).get(key, 0) for key in trends.SERIES}}
            for month in trends.months(period.start, period.end)]
    money = Table("trend_money", _("按月走势：金额"), [Column("month", _("月份"), "text"),
                                                 *columns("income_fen", "money_fen", "goods_value_fen", "aid_value_fen")],
                  rows, {"type": "line", "x": "month",
                         "series": ["income_fen", "money_fen", "goods_value_fen", "aid_value_fen"]})
    sales = Table("trend_sales", _("按月走势：销售笔数"), [Column("month", _("月份"), "text"), *columns("sales")],
                  [{"month": r["month"], "sales": r["sales"]} for r in rows],
                  {"type": "line", "x": "month", "series": ["sales"]})
    return [money, sales]


def _compliance(session, scope, period, ids, units, board, link, store_district) -> list[Table]:
    version, latest, by_month = trends.compliance(session, scope, period.start, period.end)
    if version is None:
        return []
    dist = {n: 0 for n in range(6)}
    for store_id, (_total, stars) in latest.items():
        if store_id in ids:
            dist[stars] = dist.get(stars, 0) + 1
    out = [Table("stars", _("星级分布（标准第 %(v)s 版）", v=version),
                 [Column("stars", _("星级"), "text"), Column("stores", _("门店数"), "int")],
                 [{"stars": ("★" * n) if n else _("未达标"), "stores": dist[n]} for n in range(5, -1, -1)],
                 {"type": "bar", "x": "stars", "series": ["stores"]})]
    rows = []
    for month in trends.months(period.start, period.end):
        values = [by_month[i][month] for i in ids if month in by_month.get(i, {})]
        rows.append({"month": month, "score": round(sum(values) / len(values), 2) if values else None})
    out.append(Table("score_trend", _("按月走势：平均总分"), [Column("month", _("月份"), "text"),
                                                      Column("score", _("平均总分"), "float")], rows,
                     {"type": "line", "x": "month", "series": ["score"]}))
    if board.level != "store":
        unit_scores = []
        for unit, _f in units:
            if board.level == "city":
                values = [t for i, (t, _s) in latest.items() if store_district.get(i) == unit.id]
            else:
                values = [latest[unit.id][0]] if unit.id in latest else []
            unit_scores.append({"unit": f"{unit.code} {unit.name}", "_link": link(unit.kind, unit.code) if link else None,
                                "score": round(sum(values) / len(values), 2) if values else None})
        unit_scores.sort(key=lambda r: -(r["score"] or 0))
        out.append(Table("scores", _("总分比较"), [Column("unit", _("区县") if board.level == "city" else _("门店"), "text"),
                                               Column("score", _("总分"), "float")], unit_scores,
                         {"type": "bar", "x": "unit", "series": ["score"]}))
    return out

