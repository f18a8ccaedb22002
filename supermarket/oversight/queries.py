"""The dashboards' figures per store for a period: one set-based statement per source (GROUP BY store, never a
query per store). The sales' counts and money come from the central check's daily facts
(`standards_daily_facts`, see facts_read.py); the other figures from their ledgers, where no fact holds them
(those tables hold a store's documents, not its receipt lines). Every statement takes the scope as one filter (the city, or the
stores of one district), so its cost does not depend on who asks beyond the rows it reads.

Results are {store_id: {key: int}}; every key is additive over stores (a district's or the city's figure is
the sum of its stores'), except where a table says otherwise (rates are derived after summing)."""
from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Date, Uuid, bindparam, text

from ..clock import days_bounds_utc
from ..models import UTCDateTime

_TYPES = {"d0": Date, "d1": Date, "t0": UTCDateTime, "t1": UTCDateTime, "today": Date, "soon7": Date,
          "soon30": Date, "a30": UTCDateTime, "a90": UTCDateTime, "a180": UTCDateTime, "district": Uuid,
          "store": Uuid, "m0": Date, "mt0": UTCDateTime}


@dataclass(frozen=True)
class Filter:
    """The stores a statement reads: the whole city (district None), one district's, or one store."""
    district_id: uuid.UUID | None = None
    store_id: uuid.UUID | None = None

    def sql(self, column: str) -> str:
        if self.store_id is not None:
            return f"{column} = :store"
        if self.district_id is None:
            return "1 = 1"
        return f"{column} IN (SELECT id FROM stores WHERE district_id = :district)"


def _uid(value) -> uuid.UUID | None:
    if value is None or isinstance(value, uuid.UUID):
        return value
    return uuid.UUID(str(value))


def run(session, sql: str, params: dict, scope: Filter):
    params = dict(params)
    if scope.district_id is not None:
        params["district"] = scope.district_id
    if scope.store_id is not None:
        params["store"] = scope.store_id
    stmt = text(sql).bindparams(*(bindparam(k, type_=t()) for k, t in _TYPES.items() if f":{k}" in sql))
    return session.execute(stmt, {k: v for k, v in params.items() if f":{k}" in sql}).all()


def dialect(session) -> str:
    return session.get_bind().dialect.name


def local_day(session, column: str) -> str:
    if dialect(session) == "postgresql":
        return f"(({column}) AT TIME ZONE 'Asia/Shanghai')::date"
    return f"date({column}, '+8 hours')"


def month_of_date(session, column: str) -> str:
    if dialect(session) == "postgresql":
        return f"to_char({column}, 'YYYY-MM')"
    return f"strftime('%Y-%m', {column})"


def period_params(start: date, end: date) -> dict:
    t0, t1 = days_bounds_utc(start, end)
    return {"d0": start, "d1": end, "t0": t0, "t1": t1}


def _into(out: dict, rows, keys: tuple[str, ...]) -> None:
    for row in rows:
        figures = out[_uid(row[0])]
        for key, value in zip(keys, row[1:]):
            figures[key] = figures.get(key, 0) + int(value or 0)


# The period's additive figures, read from the central check's daily facts, and the two the facts call otherwise.
FLOW_KEYS = ("income_donated_fen", "income_purchased_fen", "income_other_fen", "tender_cash_fen", "tender_wechat_fen",
             "tender_alipay_fen", "tender_other_fen", "sales", "voids", "reversals", "overrides", "sale_lines",
             "open_days", "shifts_closed", "money_cash_fen", "money_wechat_fen", "money_alipay_fen",
             "money_bank_transfer_fen", "money_other_fen", "goods_donations", "goods_units", "goods_value_fen",
             "aid_dists", "aid_value_fen", "aid_items", "writeoffs", "writeoffs_fen", "points_issued",
             "points_redeemed", "points_expired", "cash_diff_shifts", "cash_diff_abs_fen", "donors_new")
FLOW_FACTS = {k: {"aid_dists": "dists", "donors_new": "donors_first"}.get(k, k) for k in FLOW_KEYS}
# What the headline compares with the previous period and a year earlier.
HEADLINE_FACTS = ("income_donated_fen", "income_purchased_fen", "income_other_fen", "sales", "money_cash_fen",
                  "money_wechat_fen", "money_alipay_fen", "money_bank_transfer_fen", "money_other_fen",
                  "goods_value_fen", "aid_value_fen", "writeoffs", "writeoffs_fen")


def flows(session, scope: Filter, start: date, end: date, *, headline_only: bool = False,
          by_store: bool = True) -> dict:
    """What happened in the period: sales, money and goods donated, aid, points, write-offs, shifts.
    Every additive figure is one read of the daily facts (whatever the period's length); what is not a sum of
    days — the households and campaigns served, the donors new and returning — is counted from its ledger.
    `headline_only`: just the figures the headline compares with the previous period and a year earlier.
    Not `by_store`: {None: figures} summed over the scope in SQL (the headline's earlier periods need no more)."""
    from .facts_read import sums

    out: dict = defaultdict(dict)
    wanted = HEADLINE_FACTS if headline_only else FLOW_KEYS
    fact_keys = tuple(FLOW_FACTS[k] for k in wanted)
    for store_id, figures in sums(session, scope, start, end, fact_keys, by_store=by_store).items():
        target = out[store_id]
        for key in wanted:
            value = figures.get(FLOW_FACTS[key], 0)
            if key == "reversals":
                target["returns"] = value - figures.get("voids", 0)
            elif value or not key.endswith("_fen"):
                target[key] = value
    p = period_params(start, end)
    _aid_served(session, scope, p, out, by_store=by_store)
    if not headline_only:
        _donors(session, scope, p, out)
    for figures in out.values():
        figures["income_fen"] = sum(v for k, v in figures.items() if k.startswith("income_") and k != "income_fen")
        figures["money_fen"] = sum(v for k, v in figures.items() if k.startswith("money_") and k != "money_fen")
    return out


def _aid_served(session, scope: Filter, p: dict, out: dict, *, by_store: bool = True) -> None:
    """Households and campaigns served: distinct over the whole period, so not a sum of days; counted per store
    (a scope's figure is the sum of its stores')."""
    if by_store:
        _into(out, run(session, f"""SELECT store_id, COUNT(DISTINCT household_id), COUNT(DISTINCT campaign_id)
            FROM distributions WHERE handed_out_on >= :d0 AND handed_out_on <= :d1 AND {scope.sql('store_id')}
            GROUP BY store_id""", p, scope), ("aid_households", "aid_campaigns"))
        return
    _into(out, run(session, f"""SELECT NULL, COUNT(*) FROM (SELECT DISTINCT store_id, household_id
        FROM distributions WHERE handed_out_on >= :d0 AND handed_out_on <= :d1 AND {scope.sql('store_id')}) x""",
                   p, scope), ("aid_households",))


def _donors(session, scope: Filter, p: dict, out: dict) -> None:
    """Donors returning: those who gave at the store in the period (distinct, so not a sum of days) less the new
    ones (whose first donation there fell in the period: the facts' `donors_first`, a sum of days)."""
    for store_id, active in run(session, f"""SELECT store_id, COUNT(DISTINCT donor_id) FROM donations
            WHERE donor_id IS NOT NULL AND received_at >= :t0 AND received_at < :t1 AND {scope.sql('store_id')}
            GROUP BY store_id""", p, scope):
        figures = out[_uid(store_id)]
        figures["donors_returning"] = int(active) - figures.get("donors_new", 0)


def by_category(session, scope: Filter, start: date, end: date) -> tuple[list, list]:
    """(goods donated by category over the scope, from the central check's goods facts: rows (None, name, units,
    value_fen); aid handed out by store and category: rows (store_id, name, households, value_fen) — households
    are distinct over the period, so counted from the hand-outs, per store as elsewhere)."""
    from .facts_read import goods_by_category

    p = period_params(start, end)
    goods = [(None, name, units, value) for name, (units, value) in
             goods_by_category(session, scope, start, end).items()]
    aid = run(session, f"""SELECT d.store_id, COALESCE(a.name, d.category_code), COUNT(DISTINCT d.household_id),
               SUM(d.value_fen)
        FROM distributions d LEFT JOIN aid_categories a ON a.code = d.category_code
        WHERE d.handed_out_on >= :d0 AND d.handed_out_on <= :d1 AND {scope.sql('d.store_id')}
        GROUP BY d.store_id, COALESCE(a.name, d.category_code)""", p, scope)
    return ([(_uid(s), n, int(c or 0), int(v or 0)) for s, n, c, v in goods],
            [(_uid(s), n, int(c or 0), int(v or 0)) for s, n, c, v in aid])


def cashiers(session, scope: Filter, start: date, end: date) -> list[dict]:
    """Sales, voids, returns, price overrides and closed shifts with a cash difference, by store and cashier, from
    the central check's cashier facts (standards/facts.py `cashier_select` says how each is counted)."""
    from .facts_read import cashier_sums

    return [{"store_id": store_id, "cashier_id": cashier_id, **figures}
            for (store_id, cashier_id), figures in cashier_sums(session, scope, start, end).items()]
