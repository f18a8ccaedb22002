"""Daily facts: per store and Asia/Shanghai day, the additive figures the metrics need, aggregated from the raw
ledgers by a fixed set of INSERT … SELECT … GROUP BY statements (one per source table, whatever the number of
stores or days), so the board never rescans the ledgers.

`refresh` redoes the days from the last refreshed day (records may still arrive for it) through `through`:
delete those days' facts, insert them again — idempotent. Two refreshes at once are serialised by a
PostgreSQL advisory lock taken inside the transaction (SQLite serialises writers by itself), so the second
simply redoes the same days with the same result.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import Date, bindparam, delete, select, text

from ..clock import local_midnight_utc, local_today, utcnow
from ..models import UTCDateTime
from ..settings import setting
from ..uow import unit_of_work
from .models import CASHIER_FACT_KEYS, FACT_KEYS, CashierFact, DailyFact, GoodsCategoryFact, RefreshState

STATE = "facts"
# Below this many days a refresh reads its slice through the time indexes (see `aggregate`).
SHORT_RANGE_DAYS = 7
# pg_advisory_xact_lock keys (any fixed numbers of our own): the facts refresh, snapshot writes, versions.
_LOCK_KEY = 804_110_001
SNAPSHOT_LOCK = 804_110_002
VERSION_LOCK = 804_110_003


def advisory_lock(session, key: int) -> None:
    """Serialise a writer with the others of the same key until the transaction ends (PostgreSQL; SQLite
    already serialises writers)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})


def horizon_days() -> int:
    """How many days a first refresh aggregates (the window plus room for a later as-of)."""
    return int(setting("STANDARDS_FACT_HORIZON_DAYS", 180))


def _sql(dialect: str) -> dict:
    if dialect == "postgresql":
        return {"day": lambda c: f"(({c}) AT TIME ZONE 'Asia/Shanghai')::date",
                "minutes": lambda a, b: f"(EXTRACT(EPOCH FROM ({b} - {a})) / 60.0)"}
    return {"day": lambda c: f"date({c}, '+8 hours')",
            "minutes": lambda a, b: f"((julianday({b}) - julianday({a})) * 1440.0)"}


def _statements(dialect: str) -> list[tuple[str, list[str]]]:
    """(SELECT producing store_id, day and one column per key, the keys) for each source table. Every SELECT
    takes :d0/:d1 (first/last local day) and :t0/:t1 (their UTC bounds)."""
    q = _sql(dialect)
    day, minutes = q["day"], q["minutes"]
    ok = "CASE WHEN {} THEN 1 ELSE 0 END".format
    return [
        # C-03, C-04: shifts by the day they opened.
        (f"""SELECT store_id, {day('opened_at')} AS day, 1 AS open_days,
                    CAST(SUM(CASE WHEN closed_at IS NOT NULL
                             THEN CASE WHEN {minutes('opened_at', 'closed_at')} > 1440 THEN 1440
                                       ELSE {minutes('opened_at', 'closed_at')} END ELSE 0 END) AS BIGINT)
                        AS shift_minutes,
                    CASE WHEN COUNT(DISTINCT cashier_id) >= 2 OR SUM({ok('approver_id IS NOT NULL AND approver_id <> cashier_id')}) > 0
                         THEN 1 ELSE 0 END AS staffed_days
             FROM shifts WHERE opened_at >= :t0 AND opened_at < :t1
             GROUP BY store_id, {day('opened_at')}""",
         ["open_days", "shift_minutes", "staffed_days"]),
        # F-02: closed shifts by the day they closed; countersigned by someone else, cash within 0.5 %.
        (f"""SELECT s.store_id, {day('s.closed_at')} AS day, COUNT(*) AS shifts_closed,
                    SUM({ok('s.approver_id IS NOT NULL AND s.approver_id <> s.cashier_id AND '
                            'ABS(COALESCE(c.diff, 0)) * 200 <= COALESCE(c.expected, 0)')}) AS shifts_reconciled,
                    SUM({ok('COALESCE(c.diff, 0) <> 0')}) AS cash_diff_shifts,
                    SUM(ABS(COALESCE(c.diff, 0))) AS cash_diff_abs_fen
             FROM shifts s LEFT JOIN (SELECT sc.shift_id, SUM(sc.counted_fen - sc.expected_fen) AS diff,
                                             SUM(sc.expected_fen) AS expected
                                      FROM shift_counts sc JOIN shifts x ON x.id = sc.shift_id
                                      WHERE sc.method = 'cash' AND x.closed_at >= :t0 AND x.closed_at < :t1
                                      GROUP BY sc.shift_id) c ON c.shift_id = s.id
             WHERE s.status = 'closed' AND s.closed_at >= :t0 AND s.closed_at < :t1
             GROUP BY s.store_id, {day('s.closed_at')}""",
         ["shifts_closed", "shifts_reconciled", "cash_diff_shifts", "cash_diff_abs_fen"]),
        # F-03: receipts by business day.
        (f"""SELECT store_id, business_date AS day, SUM({ok("kind = 'sale'")}) AS sales,
                    SUM({ok("kind = 'void'")}) AS voids, SUM({ok("kind <> 'sale'")}) AS reversals,
                    SUM({ok("kind <> 'sale' AND approver_id IS NOT NULL AND (cashier_id IS NULL OR approver_id <> cashier_id)")})
                        AS reversals_approved
             FROM sales WHERE business_date >= :d0 AND business_date <= :d1
             GROUP BY store_id, business_date""",
         ["sales", "voids", "reversals", "reversals_approved"]),
        # F-01, F-03 (sale lines: fund tag; price overrides and their approval) and the dashboards' sales income by
        # fund, net of voids and returns (their lines are negative): one pass over the lines, the largest table.
        (f"""SELECT s.store_id, s.business_date AS day, SUM({ok("s.kind = 'sale'")}) AS sale_lines,
                    SUM({ok("s.kind = 'sale' AND l.fund IN ('donated', 'purchased')")}) AS sale_lines_fund,
                    SUM({ok("s.kind = 'sale' AND l.unit_price_fen <> l.list_price_fen AND l.pay_with_points = FALSE")}) AS overrides,
                    SUM({ok("s.kind = 'sale' AND l.unit_price_fen <> l.list_price_fen AND l.pay_with_points = FALSE AND s.approver_id IS NOT NULL AND (s.cashier_id IS NULL OR s.approver_id <> s.cashier_id)")})
                        AS overrides_approved,
                    SUM(CASE WHEN l.fund = 'donated' THEN l.line_total_fen ELSE 0 END) AS income_donated_fen,
                    SUM(CASE WHEN l.fund = 'purchased' THEN l.line_total_fen ELSE 0 END) AS income_purchased_fen,
                    SUM(CASE WHEN l.fund NOT IN ('donated', 'purchased') THEN l.line_total_fen ELSE 0 END)
                        AS income_other_fen
             FROM sales s JOIN sale_lines l ON l.sale_id = s.id
             WHERE s.business_date >= :d0 AND s.business_date <= :d1
             GROUP BY s.store_id, s.business_date""",
         ["sale_lines", "sale_lines_fund", "overrides", "overrides_approved",
          "income_donated_fen", "income_purchased_fen", "income_other_fen"]),
        # S-01: goods leaving the store (sold, handed out, redeemed) from a lot already past its expiry date.
        (f"""SELECT m.store_id, {day('m.occurred_at')} AS day, COUNT(*) AS expired_out
             FROM stock_movements m JOIN lots t ON t.id = m.lot_id
             WHERE m.occurred_at >= :t0 AND m.occurred_at < :t1 AND m.qty < 0
               AND m.kind IN ('sale', 'aid_distribution', 'points_redemption')
               AND t.expiry_date IS NOT NULL AND t.expiry_date < :d1 AND t.expiry_date < {day('m.occurred_at')}
             GROUP BY m.store_id, {day('m.occurred_at')}""",
         ["expired_out"]),
        # D-02 and the donations function: intake documents.
        (f"""SELECT store_id, {day('received_at')} AS day, COUNT(*) AS donations,
                    SUM({ok('receiver_id <> checker_id')}) AS donations_two_person,
                    SUM(goods_value_fen) AS goods_value_fen, SUM({ok('unit_count > 0')}) AS goods_donations,
                    SUM(unit_count) AS goods_units
             FROM donations WHERE received_at >= :t0 AND received_at < :t1
             GROUP BY store_id, {day('received_at')}""",
         ["donations", "donations_two_person", "goods_value_fen", "goods_donations", "goods_units"]),
        # The dashboards' new donors: a donor's first donation at the store (no earlier one there), on its day.
        # Donations are written at the moment they are received, so a day's first donors never change later.
        (f"""SELECT d.store_id, {day('d.received_at')} AS day, COUNT(DISTINCT d.donor_id) AS donors_first
             FROM donations d WHERE d.donor_id IS NOT NULL AND d.received_at >= :t0 AND d.received_at < :t1
               AND NOT EXISTS (SELECT 1 FROM donations e WHERE e.donor_id = d.donor_id AND e.store_id = d.store_id
                                                         AND e.received_at < d.received_at)
             GROUP BY d.store_id, {day('d.received_at')}""",
         ["donors_first"]),
        # D-01, S-02, S-03: donated goods lines.
        (f"""SELECT d.store_id, {day('d.received_at')} AS day, COUNT(*) AS intake_lines,
                    SUM({ok("(d.donor_id IS NOT NULL OR d.anonymous = TRUE) AND l.unit <> '' AND l.valuation_basis <> '' AND (l.unit_value_fen > 0 OR l.value_unknown = TRUE) AND (l.condition_grade IS NOT NULL OR i.kind <> 'donated_used')")})
                        AS intake_lines_complete,
                    SUM({ok('c.is_food = TRUE')}) AS food_lines,
                    SUM({ok('c.is_food = TRUE AND l.expiry_date IS NOT NULL')}) AS food_lines_expiry,
                    SUM({ok('c.prohibited = TRUE')}) AS prohibited_lines
             FROM donation_lines l JOIN donations d ON d.id = l.donation_id
                  JOIN items i ON i.id = l.item_id JOIN categories c ON c.id = l.category_id
             WHERE d.received_at >= :t0 AND d.received_at < :t1
             GROUP BY d.store_id, {day('d.received_at')}""",
         ["intake_lines", "intake_lines_complete", "food_lines", "food_lines_expiry", "prohibited_lines"]),
        # and the distribution function: hand-outs (signed = signature, or the campaign's signed
        # sheet photographed; witnessed by someone other than the operator).
        (f"""SELECT d.store_id, d.handed_out_on AS day, COUNT(*) AS dists,
                    SUM({ok("(d.signature_id IS NOT NULL OR EXISTS (SELECT 1 FROM aid_files f WHERE f.campaign_id = d.campaign_id AND f.kind = 'sheet_photo')) AND d.witness_id IS NOT NULL AND (d.operator_id IS NULL OR d.witness_id <> d.operator_id)")})
                        AS dists_signed,
                    SUM(d.value_fen) AS aid_value_fen, SUM(d.items) AS aid_items
             FROM distributions d WHERE d.handed_out_on >= :d0 AND d.handed_out_on <= :d1
             GROUP BY d.store_id, d.handed_out_on""",
         ["dists", "dists_signed", "aid_value_fen", "aid_items"]),
        # V-01, V-02, V-03, V-05 and the volunteering function: volunteer credits entered at a store.
        (f"""SELECT p.store_id, {day('p.occurred_at')} AS day, COUNT(*) AS credits,
                    SUM({ok("p.source = 'shift'")}) AS credits_shift,
                    SUM({ok("p.source = 'shift' AND p.started_at IS NOT NULL AND p.ended_at IS NOT NULL AND p.approved_by_id IS NOT NULL AND (p.entered_by_id IS NULL OR p.approved_by_id <> p.entered_by_id) AND (r.user_id IS NULL OR r.user_id <> p.approved_by_id)")})
                        AS credits_shift_ok,
                    SUM({ok('p.activity_id IS NOT NULL')}) AS credits_rule,
                    SUM({ok("p.status = 'credited'")}) AS credits_landed,
                    SUM({ok("p.status = 'credited' AND p.publish_until IS NOT NULL")}) AS credits_landed_published,
                    SUM({ok("p.approved_by_id IS NOT NULL AND p.status IN ('published', 'credited')")}) AS credits_approved,
                    SUM({ok(f"COALESCE(p.minutes, 0) > 240 OR {minutes('p.occurred_at', 'p.created_at')} > 10080")})
                        AS credits_breach
             FROM points_credits p JOIN residents r ON r.id = p.resident_id
             WHERE p.store_id IS NOT NULL AND p.status <> 'rejected' AND p.occurred_at >= :t0 AND p.occurred_at < :t1
             GROUP BY p.store_id, {day('p.occurred_at')}""",
         ["credits", "credits_shift", "credits_shift_ok", "credits_rule", "credits_landed",
          "credits_landed_published", "credits_approved", "credits_breach"]),
        # The volunteering function's second half (redemptions at the store) and the dashboards' points issued,
        # redeemed and expired. An expiry entry may carry no store: it counts at the resident's registered store
        # (a redemption always names its store, so `redemptions` is unchanged by the fallback).
        (f"""SELECT COALESCE(e.store_id, r.registered_store_id) AS store_id, {day('e.created_at')} AS day,
                    SUM({ok("e.kind = 'redeem' AND e.store_id IS NOT NULL")}) AS redemptions,
                    SUM(CASE WHEN e.kind = 'earn' THEN e.points ELSE 0 END) AS points_issued,
                    SUM(CASE WHEN e.kind = 'redeem' THEN -e.points ELSE 0 END) AS points_redeemed,
                    SUM(CASE WHEN e.kind = 'expire' THEN -e.points ELSE 0 END) AS points_expired
             FROM points_entries e JOIN residents r ON r.id = e.resident_id
             WHERE e.created_at >= :t0 AND e.created_at < :t1
               AND COALESCE(e.store_id, r.registered_store_id) IS NOT NULL
             GROUP BY COALESCE(e.store_id, r.registered_store_id), {day('e.created_at')}""",
         ["redemptions", "points_issued", "points_redeemed", "points_expired"]),
        # The dashboards: money donated by method (the donation fund's ledger, reversals included, and the change
        # given to charity at the till).
        (f"""SELECT e.store_id, {day('e.occurred_at')} AS day,
                    SUM(CASE WHEN e.method = 'cash' THEN e.amount_fen ELSE 0 END) AS money_cash_fen,
                    SUM(CASE WHEN e.method = 'wechat' THEN e.amount_fen ELSE 0 END) AS money_wechat_fen,
                    SUM(CASE WHEN e.method = 'alipay' THEN e.amount_fen ELSE 0 END) AS money_alipay_fen,
                    SUM(CASE WHEN e.method = 'bank_transfer' THEN e.amount_fen ELSE 0 END) AS money_bank_transfer_fen,
                    SUM(CASE WHEN e.method NOT IN ('cash', 'wechat', 'alipay', 'bank_transfer') THEN e.amount_fen
                             ELSE 0 END) AS money_other_fen
             FROM (SELECT store_id, method, amount_fen, occurred_at FROM donation_fund_entries
                   WHERE occurred_at >= :t0 AND occurred_at < :t1
                   UNION ALL SELECT store_id, method, amount_fen, donated_at FROM till_donations
                   WHERE donated_at >= :t0 AND donated_at < :t1) e
             GROUP BY e.store_id, {day('e.occurred_at')}""",
         ["money_cash_fen", "money_wechat_fen", "money_alipay_fen", "money_bank_transfer_fen", "money_other_fen"]),
        # The dashboards: write-offs by the day they happened.
        (f"""SELECT store_id, {day('occurred_at')} AS day, COUNT(*) AS writeoffs, SUM(value_fen) AS writeoffs_fen
             FROM write_offs WHERE occurred_at >= :t0 AND occurred_at < :t1
             GROUP BY store_id, {day('occurred_at')}""",
         ["writeoffs", "writeoffs_fen"]),
        # P-02: the store's audit chain, day by day: the day's events whose previous link (same chain, seq - 1)
        # is missing. Looking up the predecessor by sequence, not by time, keeps back-dated records (an event's
        # `at` is the business time it records) from looking like holes.
        (f"""SELECT e.store_id, {day('e.at')} AS day, COUNT(*) AS audit_events,
                    SUM(CASE WHEN e.seq > 1 AND NOT EXISTS (SELECT 1 FROM audit_events p
                                                           WHERE p.chain = e.chain AND p.seq = e.seq - 1)
                             THEN 1 ELSE 0 END) AS audit_gaps
             FROM audit_events e
             WHERE e.store_id IS NOT NULL AND e.chain <> 'global' AND e.at >= :t0 AND e.at < :t1
             GROUP BY e.store_id, {day('e.at')}""",
         ["audit_events", "audit_gaps"]),
        # The dashboards: tenders by business day, net of voids and returns.
        ("""SELECT s.store_id, s.business_date AS day,
                    SUM(CASE WHEN m.method = 'cash' THEN m.amount_fen ELSE 0 END) AS tender_cash_fen,
                    SUM(CASE WHEN m.method = 'wechat' THEN m.amount_fen ELSE 0 END) AS tender_wechat_fen,
                    SUM(CASE WHEN m.method = 'alipay' THEN m.amount_fen ELSE 0 END) AS tender_alipay_fen,
                    SUM(CASE WHEN m.method NOT IN ('cash', 'wechat', 'alipay') THEN m.amount_fen ELSE 0 END)
                        AS tender_other_fen
             FROM sales s JOIN sale_payments m ON m.sale_id = s.id
             WHERE s.business_date >= :d0 AND s.business_date <= :d1
             GROUP BY s.store_id, s.business_date""",
         ["tender_cash_fen", "tender_wechat_fen", "tender_alipay_fen", "tender_other_fen"]),
    ]


def cashier_select(dialect: str, *, short: bool = False) -> str:
    """The SELECT of one row per store, day and cashier (CASHIER_FACT_KEYS), for :d0/:d1 and :t0/:t1: a void or
    return counts against the cashier of the sale it reverses; an overridden line always carries its reason (the
    checkout refuses one without), so the few such lines come through their partial index
    (ix_sale_lines_overridden); a shift's cash difference is counted minus expected over its cash counts, on the
    day it closed.

    `short` (a day or a few, on PostgreSQL): the range's sales are materialised first and hashed against the
    overridden lines read from their index. Left to itself the planner looks up the sale of every overridden line
    ever sold (24,000 lookups in the 1,000-store city, more every day: 300 ms of a one-day refresh, 50 ms so)."""
    day = _sql(dialect)["day"]
    ok = "CASE WHEN {} THEN 1 ELSE 0 END".format
    if short and dialect == "postgresql":
        overridden_from = ("(WITH range_sales AS MATERIALIZED (SELECT id, store_id, business_date, cashier_id, kind "
                           "FROM sales WHERE business_date >= :d0 AND business_date <= :d1) "
                           "SELECT * FROM range_sales) s")
    else:
        overridden_from = "sales s"
    parts = [
        """SELECT store_id, business_date AS day, cashier_id, COUNT(*) AS sales, 0 AS voids, 0 AS returns,
                  0 AS overrides, 0 AS cash_diff_shifts, 0 AS cash_diff_abs_fen
            FROM sales WHERE kind = 'sale' AND business_date >= :d0 AND business_date <= :d1
            GROUP BY store_id, business_date, cashier_id""",
        # The reversals apart: the few voids and returns look up the sale they reverse by its key (joined to
        # every sale, the period's sales were hashed twice: 4.6 s of a 90-day refresh of 1,000 stores).
        f"""SELECT s.store_id, s.business_date AS day, COALESCE(o.cashier_id, s.cashier_id) AS cashier_id, 0 AS sales,
                   SUM({ok("s.kind = 'void'")}) AS voids, SUM({ok("s.kind = 'return'")}) AS returns, 0 AS overrides,
                   0 AS cash_diff_shifts, 0 AS cash_diff_abs_fen
            FROM sales s LEFT JOIN sales o ON o.id = s.reverses_id
            WHERE s.kind <> 'sale' AND s.business_date >= :d0 AND s.business_date <= :d1
            GROUP BY s.store_id, s.business_date, COALESCE(o.cashier_id, s.cashier_id)""",
        f"""SELECT s.store_id, s.business_date AS day, s.cashier_id, 0 AS sales, 0 AS voids, 0 AS returns,
                   COUNT(*) AS overrides, 0 AS cash_diff_shifts, 0 AS cash_diff_abs_fen
            FROM sale_lines l JOIN {overridden_from} ON s.id = l.sale_id
            WHERE l.override_reason <> '' AND l.unit_price_fen <> l.list_price_fen AND l.pay_with_points = FALSE
              AND s.kind = 'sale' AND s.business_date >= :d0 AND s.business_date <= :d1
            GROUP BY s.store_id, s.business_date, s.cashier_id""",
        f"""SELECT s.store_id, {day('s.closed_at')} AS day, s.cashier_id, 0 AS sales, 0 AS voids, 0 AS returns,
                   0 AS overrides, COUNT(*) AS cash_diff_shifts, SUM(ABS(c.diff)) AS cash_diff_abs_fen
            FROM shifts s JOIN (SELECT sc.shift_id, SUM(sc.counted_fen - sc.expected_fen) AS diff
                                FROM shift_counts sc JOIN shifts x ON x.id = sc.shift_id
                                WHERE sc.method = 'cash' AND x.closed_at >= :t0 AND x.closed_at < :t1
                                GROUP BY sc.shift_id) c ON c.shift_id = s.id
            WHERE s.status = 'closed' AND s.closed_at >= :t0 AND s.closed_at < :t1 AND c.diff <> 0
            GROUP BY s.store_id, {day('s.closed_at')}, s.cashier_id""",
    ]
    sums = ", ".join(f"CAST(SUM(u.{k}) AS BIGINT) AS {k}" for k in CASHIER_FACT_KEYS)
    return (f"SELECT u.store_id, u.day, u.cashier_id, {sums} FROM ({' UNION ALL '.join(parts)}) u "
            "GROUP BY u.store_id, u.day, u.cashier_id")


def goods_category_select(dialect: str) -> str:
    """The SELECT of donated goods (units, value) per store, day and category, for :t0/:t1."""
    day = _sql(dialect)["day"]
    return f"""SELECT d.store_id, {day('d.received_at')} AS day, l.category_id,
                      CAST(SUM(l.qty) AS BIGINT) AS units, CAST(SUM(l.line_value_fen) AS BIGINT) AS value_fen
               FROM donation_lines l JOIN donations d ON d.id = l.donation_id
               WHERE d.received_at >= :t0 AND d.received_at < :t1
               GROUP BY d.store_id, {day('d.received_at')}, l.category_id"""


_TYPES = {"d0": Date, "d1": Date, "t0": UTCDateTime, "t1": UTCDateTime}


def _params(stmt_text: str):
    used = [bindparam(name, type_=kind()) for name, kind in _TYPES.items() if f":{name}" in stmt_text]
    return text(stmt_text).bindparams(*used)


def _select_sql(statements: list[tuple[str, list[str]]]) -> str:
    """The SELECT of one wide row per store and day: every source's aggregate, padded with zeros for the other
    sources' figures, stacked with UNION ALL and summed per store and day.

    Stacking and summing is one hash aggregate. The earlier form (each source a CTE, LEFT JOINed on store and
    day) made PostgreSQL materialise the CTEs and join them without statistics, by nested loops: 58 s for 90
    days of 30 stores, where the eleven sources alone take 5 s."""
    keys_all = [k for _sql, keys in statements for k in keys]
    parts = []
    for sql, keys in statements:
        columns = ", ".join(k if k in keys else f"0 AS {k}" for k in keys_all)
        parts.append(f"SELECT store_id, day, {columns} FROM ({sql}) src")
    sums = ", ".join(f"CAST(SUM(u.{k}) AS BIGINT) AS {k}" for k in keys_all)
    return f"SELECT u.store_id, u.day, {sums} FROM ({' UNION ALL '.join(parts)}) u GROUP BY u.store_id, u.day"



def aggregate(session, first: date, last: date) -> int:
    """Replace the facts of [first, last] (inclusive) from the ledgers, in the caller's transaction."""
    statements = _statements(session.get_bind().dialect.name)
    keys_all = tuple(k for _sql, keys in statements for k in keys)
    assert sorted(keys_all) == sorted(FACT_KEYS), "facts.py and FACT_KEYS differ"
    params = {"d0": first, "d1": last, "t0": local_midnight_utc(first),
              "t1": local_midnight_utc(last + timedelta(days=1))}
    short = (last - first).days < SHORT_RANGE_DAYS
    if session.get_bind().dialect.name == "postgresql" and short:
        # A day or two of every store is a small slice of each ledger: reach it through the time indexes and
        # then each sale's lines by sale id. With the default random_page_cost (4, for spinning disks) the planner
        # hash-joins the whole of sale_lines instead (one day of 90: 0.14 s on 30 stores, seconds on 1,000);
        # 1.1 is the usual setting for SSDs. SET LOCAL ends with the transaction. A long range (a first
        # refresh) keeps the default, where scanning whole tables is the right plan.
        session.execute(text("SET LOCAL random_page_cost = 1.1"))
    elif session.get_bind().dialect.name == "postgresql":
        # A long range (a first refresh, or filling earlier days) groups millions of ledger rows by store and day.
        # With the default work_mem (4 MB) the groupings sort on disk (4 GB of temporary files for 90 days of
        # 1,000 stores); 256 MB for this one transaction keeps them as in-memory hash aggregates (34 -> 27 s).
        session.execute(text("SET LOCAL work_mem = '256MB'"))
    session.execute(delete(DailyFact).where(DailyFact.day >= first, DailyFact.day <= last))
    names = ", ".join(("store_id", "day") + keys_all)  # the SELECT's order (_select_sql)
    select_sql = _select_sql(statements)
    written = session.execute(_params(f"INSERT INTO standards_daily_facts ({names}) {select_sql}"),
                              params).rowcount or 0
    cashiers = CashierFact.__table__
    session.execute(delete(cashiers).where(cashiers.c.day >= first, cashiers.c.day <= last))
    names = ", ".join(("store_id", "day", "cashier_id") + CASHIER_FACT_KEYS)
    session.execute(_params(f"INSERT INTO standards_cashier_facts ({names}) "
                            f"{cashier_select(session.get_bind().dialect.name, short=short)}"), params)
    goods = GoodsCategoryFact.__table__
    session.execute(delete(goods).where(goods.c.day >= first, goods.c.day <= last))
    session.execute(_params("INSERT INTO standards_goods_category_facts (store_id, day, category_id, units, value_fen) "
                            f"{goods_category_select(session.get_bind().dialect.name)}"), params)
    return written


def refresh(session, *, through: date | None = None, since: date | None = None,
            now: datetime | None = None) -> int:
    """Bring the facts up to `through` (today by default); `since` also fills earlier days if the facts do not
    reach back that far yet. Returns the number of (store, day) rows written. Idempotent; safe concurrently."""
    now = now or utcnow()
    through = through or local_today(now)
    with unit_of_work(session):
        advisory_lock(session, _LOCK_KEY)
        state = session.get(RefreshState, STATE, populate_existing=True)
        ranges: list[tuple[date, date]] = []
        if state is None:
            first = min(since or through, through - timedelta(days=horizon_days() - 1))
            ranges.append((first, through))
            state = RefreshState(name=STATE, first_day=first, last_day=through, refreshed_at=now)
            session.add(state)
        else:
            if since is not None and since < state.first_day:
                ranges.append((since, state.first_day - timedelta(days=1)))
                state.first_day = since
            start = min(state.last_day, through)
            ranges.append((start, through))
            state.last_day = max(state.last_day, through)
            state.refreshed_at = now
        written = sum(aggregate(session, a, b) for a, b in ranges if a <= b)
    return written  # rows: one per store and day with any record


def covered(session) -> tuple[date, date] | None:
    state = session.scalars(select(RefreshState).where(RefreshState.name == STATE)).first()
    return (state.first_day, state.last_day) if state else None
