"""The central check's facts (daily, by cashier, by goods category) summed over a period, by store, cashier, month
or category. Days the facts do not cover yet (before their first day, or from their last day on: that day is redone
by the next refresh, so it may be partial) are aggregated from the ledgers with the facts' own statements, so a
figure means the same whichever way it was read."""
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


def _summed(session, scope: Filter, start: date, end: date, *, group: tuple[str, ...], keys: tuple[str, ...],
            table: str, source, joins: str = "") -> dict:
    """{group values: [sum of each key]} over the period: the days the facts hold from `table`, the others from
    `source(a, b)`, a SELECT of the same columns from the ledgers. Both are read as `f` (`joins` may add to it);
    `group` holds SQL expressions over them (none: one total for the scope)."""
    held, raw = split(session, start, end)
    out: dict = defaultdict(lambda: [0] * len(keys))
    head = f"SELECT {', '.join(group) or 'NULL'}, " + ", ".join(f"CAST(SUM(f.{k}) AS BIGINT)" for k in keys)
    tail = f" GROUP BY {', '.join(group)}" if group else ""
    width = len(group) or 1

    def collect(rows):
        for row in rows:
            totals = out[tuple(row[:width])]
            for i, v in enumerate(row[width:]):
                totals[i] += int(v or 0)

    if held:
        collect(run(session, f"""{head} FROM {table} f {joins} WHERE f.day >= :d0 AND f.day <= :d1
            AND {scope.sql('f.store_id')}{tail}""", {"d0": held[0], "d1": held[1]}, scope))
    for a, b in raw:
        collect(run(session, f"""{head} FROM ({source(a, b)}) f {joins} WHERE {scope.sql('f.store_id')}{tail}""",
                    period_params(a, b), scope))
    return out


def sums(session, scope: Filter, start: date, end: date, keys: tuple[str, ...], *, by_store: bool = True) -> dict:
    """{store_id: {key: int}}; not `by_store`, {None: {key: int}} summed over the scope in SQL."""
    assert set(keys) <= set(FACT_KEYS)
    statements = [(sql, ks) for sql, ks in facts._statements(dialect(session)) if set(ks) & set(keys)]
    rows = _summed(session, scope, start, end, group=("f.store_id",) if by_store else (), keys=keys,
                   table="standards_daily_facts", source=lambda a, b: facts._select_sql(statements))
    return defaultdict(dict, {_uid(k[0]): dict(zip(keys, v)) for k, v in rows.items()})


def cashier_sums(session, scope: Filter, start: date, end: date) -> dict:
    """{(store_id, cashier_id): {key: int}} of CASHIER_FACT_KEYS over the period, by the same split."""
    rows = _summed(session, scope, start, end, group=("f.store_id", "f.cashier_id"), keys=CASHIER_FACT_KEYS,
                   table="standards_cashier_facts",
                   source=lambda a, b: facts.cashier_select(dialect(session),
                                                            short=(b - a).days < facts.SHORT_RANGE_DAYS))
    return {(_uid(s), _uid(c)): dict(zip(CASHIER_FACT_KEYS, v)) for (s, c), v in rows.items()}


def monthly_totals(session, scope: Filter, start: date, end: date, keys: tuple[str, ...]) -> dict:
    """{"YYYY-MM": {key: int}} summed over the scope's stores (the trends: one row per month, not per store and
    month — a city's year is twelve rows, not twelve thousand)."""
    assert set(keys) <= set(FACT_KEYS)
    statements = [(sql, ks) for sql, ks in facts._statements(dialect(session)) if set(ks) & set(keys)]
    rows = _summed(session, scope, start, end, group=(month_of_date(session, "f.day"),), keys=keys,
                   table="standards_daily_facts", source=lambda a, b: facts._select_sql(statements))
    return {str(k[0]): dict(zip(keys, v)) for k, v in rows.items()}


def goods_by_category(session, scope: Filter, start: date, end: date) -> dict:
    """{category name: [units, value_fen]} of the goods donated in the period over the scope's stores."""
    rows = _summed(session, scope, start, end, group=("c.name",), keys=("units", "value_fen"),
                   table="standards_goods_category_facts", joins="JOIN categories c ON c.id = f.category_id",
                   source=lambda a, b: facts.goods_category_select(dialect(session)))
    return {k[0]: v for k, v in rows.items()}
