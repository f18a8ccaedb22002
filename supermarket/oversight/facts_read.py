"""The central check's daily facts, summed per store (or per store and month) over a period. Days the facts do
not cover yet (before their first day, or from their last day on: that day is redone by the next refresh, so
it may be partial) are aggregated from the ledgers with the facts' own statements, so a figure means the same
whichever way it was read."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from ..standards import facts
from ..standards.models import CASHIER_FACT_KEYS, FACT_KEYS
from .queries import Filter, _uid, dialect, month_of_date, period_params, run


def split(session, start: date, end: date) -> tuple[tuple[date, date] | None, list[tuple[date, date]]]:
    """(the part of [start, end] the facts hold, the parts they do not)."""
    covered = facts.covered(session)
    if covered is None:
        return None, [(start, end)]
    first, last = covered[0], covered[1] - timedelta(days=1)
    a, b = max(start, first), min(end, last)
    if a > b:
        return None, [(start, end)]
    raw = []
    if start < a:
        raw.append((start, a - timedelta(days=1)))
    if b < end:
        raw.append((b + timedelta(days=1), end))
    return (a, b), raw


def sums(session, scope: Filter, start: date, end: date, keys: tuple[str, ...], *, by_store: bool = True) -> dict:
    """{store_id: {key: int}}; not `by_store`, {None: {key: int}} summed over the scope in SQL."""
    assert set(keys) <= set(FACT_KEYS)
    held, raw = split(session, start, end)
    out: dict = defaultdict(dict)
    group = " GROUP BY store_id" if by_store else ""
    head = f"SELECT {'store_id' if by_store else 'NULL'}, " + ", ".join(f"CAST(SUM({k}) AS BIGINT)" for k in keys)

    def collect(rows):
        for row in rows:
            target = out[_uid(row[0])]
            for k, v in zip(keys, row[1:]):
                target[k] = target.get(k, 0) + int(v or 0)

    if held:
        collect(run(session, f"""{head} FROM standards_daily_facts WHERE day >= :d0 AND day <= :d1
            AND {scope.sql('store_id')}{group}""", {"d0": held[0], "d1": held[1]}, scope))
    statements = [(sql, ks) for sql, ks in facts._statements(dialect(session)) if set(ks) & set(keys)]
    for a, b in raw:
        wide = facts._select_sql(statements)
        collect(run(session, f"""{head} FROM ({wide}) f WHERE {scope.sql('store_id')}{group}""",
                    period_params(a, b), scope))
    return out


def cashier_sums(session, scope: Filter, start: date, end: date) -> dict:
    """{(store_id, cashier_id): {key: int}} of CASHIER_FACT_KEYS over the period, by the same split."""
    held, raw = split(session, start, end)
    out: dict = defaultdict(dict)
    head = "SELECT store_id, cashier_id, " + ", ".join(f"CAST(SUM({k}) AS BIGINT)" for k in CASHIER_FACT_KEYS)

    def collect(rows):
        for row in rows:
            target = out[(_uid(row[0]), _uid(row[1]))]
            for k, v in zip(CASHIER_FACT_KEYS, row[2:]):
                target[k] = target.get(k, 0) + int(v or 0)

    if held:
        collect(run(session, f"""{head} FROM standards_cashier_facts WHERE day >= :d0 AND day <= :d1
            AND {scope.sql('store_id')} GROUP BY store_id, cashier_id""", {"d0": held[0], "d1": held[1]}, scope))
    for a, b in raw:
        source = facts.cashier_select(dialect(session), short=(b - a).days < facts.SHORT_RANGE_DAYS)
        collect(run(session, f"""{head} FROM ({source}) f
            WHERE {scope.sql('store_id')} GROUP BY store_id, cashier_id""", period_params(a, b), scope))
    return out


def monthly_totals(session, scope: Filter, start: date, end: date, keys: tuple[str, ...]) -> dict:
    """{"YYYY-MM": {key: int}} summed over the scope's stores (the trends: one row per month, not per store and
    month — a city's year is twelve rows, not twelve thousand)."""
    assert set(keys) <= set(FACT_KEYS)
    held, raw = split(session, start, end)
    out: dict = defaultdict(dict)
    month = month_of_date(session, "day")
    head = f"SELECT {month}, " + ", ".join(f"CAST(SUM({k}) AS BIGINT)" for k in keys)

    def collect(rows):
        for row in rows:
            target = out[str(row[0])]
            for k, v in zip(keys, row[1:]):
                target[k] = target.get(k, 0) + int(v or 0)

    if held:
        collect(run(session, f"""{head} FROM standards_daily_facts WHERE day >= :d0 AND day <= :d1
            AND {scope.sql('store_id')} GROUP BY {month}""", {"d0": held[0], "d1": held[1]}, scope))
    statements = [(sql, ks) for sql, ks in facts._statements(dialect(session)) if set(ks) & set(keys)]
    for a, b in raw:
        collect(run(session, f"""{head} FROM ({facts._select_sql(statements)}) f WHERE {scope.sql('store_id')}
            GROUP BY {month}""", period_params(a, b), scope))
    return out


def goods_by_category(session, scope: Filter, start: date, end: date) -> dict:
    """{category name: [units, value_fen]} of the goods donated in the period over the scope's stores."""
    held, raw = split(session, start, end)
    out: dict = defaultdict(lambda: [0, 0])

    def collect(rows):
        for name, units, value in rows:
            out[name][0] += int(units or 0)
            out[name][1] += int(value or 0)

    if held:
        collect(run(session, f"""SELECT c.name, CAST(SUM(f.units) AS BIGINT), CAST(SUM(f.value_fen) AS BIGINT)
            FROM standards_goods_category_facts f JOIN categories c ON c.id = f.category_id
            WHERE f.day >= :d0 AND f.day <= :d1 AND {scope.sql('f.store_id')} GROUP BY c.name""",
                    {"d0": held[0], "d1": held[1]}, scope))
    for a, b in raw:
        collect(run(session, f"""SELECT c.name, CAST(SUM(f.units) AS BIGINT), CAST(SUM(f.value_fen) AS BIGINT)
            FROM ({facts.goods_category_select(dialect(session))}) f JOIN categories c ON c.id = f.category_id
            WHERE {scope.sql('f.store_id')} GROUP BY c.name""", period_params(a, b), scope))
    return out
