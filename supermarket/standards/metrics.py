"""The metrics behind the auto rules. Each is computed for every store of a scope at once: the day-additive
ones from the daily facts (ONE query for all of them), the state-like ones (stock on hand, households, open
pledges, stocktakes, write-offs …) by one set-based query each over the scope. The number of statements never
depends on the number of stores.

A metric gives each store a `Value`: value, numerator, denominator, a Chinese note, `also` (further values some
rules grade too, e.g. days open per week) and how many exception rows made it fall short. A store missing
from a metric's answer has no records for it ("无记录", grade D) — unless the metric is `empty_ok` (nothing
recorded = nothing wrong, e.g. no expired food sold).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, case, func, not_, or_, select

from ..aid.models import Distribution, Household
from ..flags.models import Flag
from ..clock import local_midnight_utc
from ..intake.models import Donation, Pledge, PledgeFollowUp
from ..inventory.models import Lot, LotBalance, Stocktake, WriteOff
from ..jobs.models import JobRun
from . import records
from .models import FACT_KEYS, DailyFact


@dataclass
class Value:
    value: float | None
    numerator: int | None = None
    denominator: int | None = None
    note: str = ""
    also: dict = field(default_factory=dict)
    exceptions: int = 0


@dataclass
class Ctx:
    session: object
    scope: object            # a SELECT of the stores' ids
    as_of: date
    window_days: int
    facts: dict              # store_id -> {key: sum over the window}
    store_ids: list | None = None  # the scope's ids, for the other domains' metrics (None = every store)

    @property
    def first_day(self) -> date:
        return self.as_of - timedelta(days=self.window_days - 1)

    @property
    def t0(self) -> datetime:
        return local_midnight_utc(self.first_day)

    @property
    def t1(self) -> datetime:
        return local_midnight_utc(self.as_of + timedelta(days=1))


@dataclass(frozen=True)
class Metric:
    name: str
    compute: object | None   # fn(ctx) -> {store_id: Value}; None = its records do not exist yet
    empty_ok: bool = False
    label: str = ""


def read_facts(session, scope, first: date, last: date) -> dict:
    """Every figure of the scope summed over [first, last]: {store_id: {key: total}} — one statement."""
    table = DailyFact.__table__
    rows = session.execute(select(table.c.store_id, *(func.sum(table.c[k]) for k in FACT_KEYS))
                           .where(table.c.day >= first, table.c.day <= last, table.c.store_id.in_(scope))
                           .group_by(table.c.store_id))
    return {row[0]: {k: int(v or 0) for k, v in zip(FACT_KEYS, row[1:])} for row in rows}


def _share(num_key: str, den_key: str):
    def compute(ctx: Ctx) -> dict:
        out = {}
        for store_id, f in ctx.facts.items():
            den = f.get(den_key, 0)
            if den:
                num = f.get(num_key, 0)
                out[store_id] = Value(num / den, num, den, exceptions=den - num)
        return out
    return compute


def _count(key: str, *, present_key: str | None = None):
    """A count of breaches (lower is better)."""
    def compute(ctx: Ctx) -> dict:
        out = {}
        for store_id, f in ctx.facts.items():
            if present_key is None or f.get(present_key):
                n = f.get(key, 0)
                out[store_id] = Value(float(n), n, None, exceptions=n)
        return out
    return compute


def opening_hours(ctx: Ctx) -> dict:
    weeks = ctx.window_days / 7
    out = {}
    for store_id, f in ctx.facts.items():
        if f.get("open_days"):
            hours = f.get("shift_minutes", 0) / 60 / weeks
            days = f["open_days"] / weeks
            out[store_id] = Value(round(hours, 2), f["open_days"], ctx.window_days,
                                  _("每周开放 %(days)s 天、%(hours)s 小时", days=f"{days:.1f}", hours=f"{hours:.1f}"),
                                  {"days_per_week": round(days, 2)})
    return out


def reversal_approvals(ctx: Ctx) -> dict:
    out = {}
    for store_id, f in ctx.facts.items():
        sales = f.get("sales", 0)
        if not sales:
            continue
        den = f.get("reversals", 0) + f.get("overrides", 0)
        num = f.get("reversals_approved", 0) + f.get("overrides_approved", 0)
        void_rate = f.get("voids", 0) / sales
        out[store_id] = Value(num / den if den else 1.0, num, den,
                              _("作废率 %(rate)s%%", rate=f"{void_rate * 100:.1f}"),
                              {"void_rate": round(void_rate, 4)}, exceptions=den - num)
    return out


def aid_public_list(ctx: Ctx) -> dict:
    return {store_id: Value(1.0, 1, 1, _("发放名单由系统按月脱敏公示"))
            for store_id, f in ctx.facts.items() if f.get("dists")}


def audit_chain(ctx: Ctx) -> dict:
    out = {}
    for store_id, f in ctx.facts.items():
        if f.get("audit_events"):
            gaps = f.get("audit_gaps", 0)
            out[store_id] = Value(0.0 if gaps else 1.0, f["audit_events"] - gaps, f["audit_events"],
                                  _("审计链缺少 %(n)d 个环节", n=gaps) if gaps else "", exceptions=gaps)
    return out


# --- live, set-based queries ----------------------------------------------------------------------------------

def money_receipts(ctx: Ctx) -> dict:
    """Money donations whose receipt was printed; those younger than 7 days are not late yet."""
    grace = local_midnight_utc(ctx.as_of - timedelta(days=6))
    ok = or_(Donation.print_count > 0, Donation.received_at >= grace)
    rows = ctx.session.execute(
        select(Donation.store_id, func.count(), func.sum(case((ok, 1), else_=0)))
        .where(Donation.store_id.in_(ctx.scope), Donation.money_fen > 0, Donation.received_at >= ctx.t0,
               Donation.received_at < ctx.t1).group_by(Donation.store_id))
    return {s: Value(int(n_ok) / n, int(n_ok), n, exceptions=n - int(n_ok)) for s, n, n_ok in rows}


def stocktake_segments(as_of: date, window_days: int) -> list[tuple[date, date]]:
    """The window cut into 30-day segments counted back from as_of (the last one may be shorter)."""
    out, end, first = [], as_of, as_of - timedelta(days=window_days - 1)
    while end >= first:
        start = max(end - timedelta(days=29), first)
        out.append((start, end))
        end = start - timedelta(days=1)
    return out


def posted_stocktakes(ctx: Ctx, store_ids=None):
    scope = ctx.scope if store_ids is None else store_ids
    return ctx.session.execute(
        select(Stocktake.store_id, Stocktake.id, Stocktake.number, Stocktake.closed_at, Stocktake.variance_ratio_bp)
        .where(Stocktake.store_id.in_(scope), Stocktake.status == "posted", Stocktake.closed_at >= ctx.t0,
               Stocktake.closed_at < ctx.t1).order_by(Stocktake.closed_at)).all()


def stocktakes(ctx: Ctx) -> dict:
    from ..clock import local_date

    segments = stocktake_segments(ctx.as_of, ctx.window_days)
    by_store: dict = defaultdict(list)
    for row in posted_stocktakes(ctx):
        by_store[row.store_id].append(row)
    out = {}
    for store_id, rows in by_store.items():
        days = [local_date(r.closed_at) for r in rows]
        covered = sum(1 for a, b in segments if any(a <= d <= b for d in days))
        worst = max(abs(r.variance_ratio_bp or 0) for r in rows)
        over = sum(1 for r in rows if abs(r.variance_ratio_bp or 0) > 100)
        out[store_id] = Value(float(covered), covered, len(segments),
                              _("最大盘点差异 %(pct)s%%", pct=f"{worst / 100:.2f}"), {"max_variance_bp": worst},
                              exceptions=len(segments) - covered + over)
    return out


def _write_off_ok():
    return and_(WriteOff.reason != "", WriteOff.approved_by_id.is_not(None),
                or_(WriteOff.written_by_id.is_(None), WriteOff.approved_by_id != WriteOff.written_by_id))


def write_offs(ctx: Ctx) -> dict:
    rows = ctx.session.execute(
        select(WriteOff.store_id, func.count(), func.sum(case((_write_off_ok(), 1), else_=0)))
        .where(WriteOff.store_id.in_(ctx.scope), WriteOff.occurred_at >= ctx.t0, WriteOff.occurred_at < ctx.t1)
        .group_by(WriteOff.store_id))
    return {s: Value(int(k) / n, int(k), n, exceptions=n - int(k)) for s, n, k in rows}


def ageing_cutoff(ctx: Ctx) -> datetime:
    return ctx.t1 - timedelta(days=180)


def stock_ageing(ctx: Ctx) -> dict:
    """Share of the units on hand (now) received more than 180 days before the as-of day."""
    old = case((Lot.received_at < ageing_cutoff(ctx), LotBalance.qty), else_=0)
    rows = ctx.session.execute(
        select(LotBalance.store_id, func.sum(LotBalance.qty), func.sum(old))
        .join(Lot, Lot.id == LotBalance.lot_id)
        .where(LotBalance.store_id.in_(ctx.scope), LotBalance.qty > 0).group_by(LotBalance.store_id))
    return {s: Value(int(o) / int(n), int(o), int(n), exceptions=1 if int(o) / int(n) > 0.10 else 0)
            for s, n, o in rows if n}


def _household_ok(as_of: date):
    return and_(Household.review_due >= as_of, Household.proof_ref != "", Household.verified_by != "")


def household_register(ctx: Ctx) -> dict:
    rows = ctx.session.execute(
        select(Household.store_id, func.count(), func.sum(case((_household_ok(ctx.as_of), 1), else_=0)))
        .where(Household.store_id.in_(ctx.scope), Household.status == "active").group_by(Household.store_id))
    return {s: Value(int(k) / n, int(k), n, exceptions=n - int(k)) for s, n, k in rows}


def quota_respected(ctx: Ctx) -> dict:
    """Household-periods of the window in which the store handed out nothing over the cap (no override)."""
    per = (select(Distribution.store_id.label("store_id"),
                  func.max(case((Distribution.override.is_(True), 1), else_=0)).label("over"))
           .where(Distribution.store_id.in_(ctx.scope), Distribution.handed_out_on >= ctx.first_day,
                  Distribution.handed_out_on <= ctx.as_of)
           .group_by(Distribution.store_id, Distribution.household_id, Distribution.period_key).subquery())
    rows = ctx.session.execute(select(per.c.store_id, func.count(), func.sum(per.c.over)).group_by(per.c.store_id))
    return {s: Value((n - int(o)) / n, n - int(o), n, exceptions=int(o)) for s, n, o in rows}


# A-04 reads the anomaly board (supermarket/flags): the aid flags still open 30 days after they were raised. The
# board has no history of statuses, so a past as-of counts the flags open now that were raised by then.
AID_FLAG_AGE_DAYS = 30


def open_flag_rows(ctx: Ctx, store_ids=None) -> list:
    scope = ctx.scope if store_ids is None else store_ids
    return ctx.session.execute(
        select(Flag.store_id, Flag.id, Flag.kind, Flag.raised_at, Flag.subject)
        .where(Flag.store_id.in_(scope), Flag.kind.like("aid.%"), Flag.status == "open",
               Flag.raised_at < ctx.t1 - timedelta(days=AID_FLAG_AGE_DAYS))
        .order_by(Flag.raised_at)).all()


def open_flags(ctx: Ctx) -> dict:
    rows = ctx.session.execute(
        select(Flag.store_id, func.count())
        .where(Flag.store_id.in_(ctx.scope), Flag.kind.like("aid.%"), Flag.status == "open",
               Flag.raised_at < ctx.t1 - timedelta(days=AID_FLAG_AGE_DAYS))
        .group_by(Flag.store_id)).all()
    return {s: Value(float(n), int(n), None, exceptions=int(n)) for s, n in rows}


def overdue_pledges(ctx: Ctx, store_ids=None):
    """Open pledges more than 30 days overdue, not fully received, with no follow-up in the last 30 days."""
    scope = ctx.scope if store_ids is None else store_ids
    recent = (select(PledgeFollowUp.id).where(PledgeFollowUp.pledge_id == Pledge.id,
                                              PledgeFollowUp.contacted_at >= ctx.t1 - timedelta(days=30))
              .exists())
    return (select(Pledge.store_id, Pledge.id, Pledge.due_date, Pledge.amount_fen, Pledge.fulfilled_fen)
            .where(Pledge.store_id.in_(scope), Pledge.status == "open", Pledge.fulfilled_fen < Pledge.amount_fen,
                   Pledge.due_date < ctx.as_of - timedelta(days=30), not_(recent)))


def pledge_follow_up(ctx: Ctx) -> dict:
    sub = overdue_pledges(ctx).subquery()
    rows = ctx.session.execute(select(sub.c.store_id, func.count()).group_by(sub.c.store_id))
    return {s: Value(float(n), n, None, exceptions=n) for s, n in rows}


def points_expiry_job(ctx: Ctx) -> dict:
    """The city's expiry job (one for all stores): a successful run in the 31 days before the as-of day."""
    ran = ctx.session.scalar(select(func.count()).select_from(JobRun).where(
        JobRun.name == "points.expire", JobRun.status == "ok", JobRun.started_at >= ctx.t1 - timedelta(days=31),
        JobRun.started_at < ctx.t1))
    value = Value(1.0 if ran else 0.0, int(ran or 0), None,
                  "" if ran else _("近31天无成功的积分到期清理记录"), exceptions=0 if ran else 1)
    return _ALL(value)


class _ALL(dict):
    """The same value for every store (a city-wide metric)."""

    def __init__(self, value: Value):
        super().__init__()
        self.value = value

    def get(self, key, default=None):
        return self.value


METRICS: dict[str, Metric] = {m.name: m for m in (
    Metric("opening_hours", opening_hours),
    Metric("staffing", _share("staffed_days", "open_days")),
    Metric("intake_complete", _share("intake_lines_complete", "intake_lines")),
    Metric("two_person_count", _share("donations_two_person", "donations")),
    Metric("money_receipts", money_receipts),
    Metric("stocktakes", stocktakes),
    Metric("write_offs", write_offs, empty_ok=True),
    Metric("stock_ageing", stock_ageing),
    Metric("household_register", household_register),
    Metric("signed_distributions", _share("dists_signed", "dists")),
    Metric("quota_respected", quota_respected),
    Metric("open_flags", open_flags, empty_ok=True),
    Metric("aid_public_list", aid_public_list),
    Metric("fund_tagged", _share("sale_lines_fund", "sale_lines")),
    Metric("till_reconciliation", _share("shifts_reconciled", "shifts_closed")),
    Metric("reversal_approvals", reversal_approvals),
    Metric("disclosures", records.disclosures),
    Metric("charitable_spend", None),
    Metric("pledge_follow_up", pledge_follow_up, empty_ok=True),
    Metric("volunteer_approvals", _share("credits_shift_ok", "credits_shift")),
    Metric("points_rule_linked", _share("credits_rule", "credits")),
    Metric("points_published", _share("credits_landed_published", "credits_landed")),
    Metric("points_expiry_job", points_expiry_job),
    Metric("points_caps", _count("credits_breach"), empty_ok=True),
    Metric("expired_outbound", _count("expired_out"), empty_ok=True),
    Metric("food_expiry_recorded", _share("food_lines_expiry", "food_lines")),
    Metric("prohibited_intake", _count("prohibited_lines"), empty_ok=True),
    Metric("opening_week", records.opening_week),
    Metric("staff_and_training", records.staff_and_training),
    Metric("publicity_events", records.publicity_months),
    Metric("projects", records.project_display),
    Metric("livestreams", records.livestreams),
    Metric("convenience_services", records.service_types),
    Metric("complaints", records.complaints, empty_ok=True),
    Metric("audit_chain", audit_chain),
)}


def compute_all(ctx: Ctx, names) -> dict[str, dict]:
    """{metric: {store_id: Value}} for the named metrics (each computed once)."""
    return {name: (METRICS[name].compute(ctx) if METRICS[name].compute else {}) for name in set(names)}
