"""Monthly series (one statement per source, grouped by store and month) and the central check's snapshots."""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import text

from ..clock import add_months, month_start
from .facts_read import monthly_totals
from .queries import Filter, _uid, month_of_date, period_params, run

SERIES = ("income_fen", "money_fen", "goods_value_fen", "aid_value_fen", "sales")


def months(start: date, end: date) -> list[str]:
    """The months of a trend: the period's own months, at least the twelve ending with the period's last."""
    first = min(month_start(start), add_months(month_start(end), -11))
    out, m = [], first
    while m <= end:
        out.append(m.strftime("%Y-%m"))
        m = add_months(m, 1)
    return out


def monthly(session, scope: Filter, start: date, end: date) -> dict:
    """{month: {series: value}} over the scope's stores for the months of `months(start, end)`, from the central
    check's daily facts (and the ledgers for the days they do not hold yet)."""
    first = min(month_start(start), add_months(month_start(end), -11))
    income = ("income_donated_fen", "income_purchased_fen", "income_other_fen")
    money = ("money_cash_fen", "money_wechat_fen", "money_alipay_fen", "money_bank_transfer_fen", "money_other_fen")
    out: dict = {}
    for month, figures in monthly_totals(session, scope, first, end,
                                         income + money + ("sales", "goods_value_fen", "aid_value_fen")).items():
        out[month] = {"income_fen": sum(figures.get(k, 0) for k in income),
                      "money_fen": sum(figures.get(k, 0) for k in money),
                      **{k: figures.get(k, 0) for k in ("sales", "goods_value_fen", "aid_value_fen")}}
    return out


def compliance(session, scope: Filter, start: date, end: date) -> tuple[int | None, dict, dict]:
    """(version, {store_id: (total, stars)} of each store's latest snapshot on or before the period's end,
    {store_id: {month: average total}}) under the newest standard version that has snapshots."""
    version = session.execute(text("SELECT MAX(version) FROM standards_scores")).scalar()
    if version is None:
        return None, {}, {}
    p = period_params(min(month_start(start), add_months(month_start(end), -11)), end) | {"v": version}
    latest = run(session, f"""SELECT sc.store_id, sc.total, sc.stars FROM standards_scores sc
        JOIN (SELECT store_id, MAX(as_of) AS last_day FROM standards_scores
              WHERE version = :v AND as_of <= :d1 AND {scope.sql('store_id')} GROUP BY store_id) x
          ON x.store_id = sc.store_id AND x.last_day = sc.as_of
        WHERE sc.version = :v""", p, scope)
    month = month_of_date(session, "as_of")
    trend = run(session, f"""SELECT store_id, {month}, AVG(total) FROM standards_scores
        WHERE version = :v AND as_of >= :d0 AND as_of <= :d1 AND {scope.sql('store_id')}
        GROUP BY store_id, {month}""", p, scope)
    by_month: dict = defaultdict(dict)
    for store_id, m, avg in trend:
        by_month[_uid(store_id)][str(m)] = float(avg)
    return version, {_uid(s): (float(t), int(st)) for s, t, st in latest}, by_month
