"""Sales detectors: bursts of tiny sales (刷单), the same basket again and again, voids and returns far above the
district's usual, price overrides above their share, staff buying with their own points on their own till."""
from __future__ import annotations

from sqlalchemy import and_, case, exists, func, literal, or_, select, true
from sqlalchemy.orm import Session, aliased

from ...points.models import Resident
from ...sales.models import Payment, Sale, SaleLine
from ...stores.models import Store
from ..candidates import Candidate, group
from ..sql import dialect, epoch_s, in_scope, ordered_concat, text_id
from .common import period, sale_evidence, window


def burst(session: Session, p: dict, *, now, since) -> list[Candidate]:
    """≥ min_sales sales under max_sale_fen by one cashier within window_minutes: the window ending at each small
    sale starts at the sale `min_sales - 1` places earlier (LAG over the cashier's small sales)."""
    n, window_s = p["min_sales"], p["window_minutes"] * 60
    t = epoch_s(session, Sale.sold_at)
    small = (select(Sale.id, Sale.store_id, Sale.cashier_id, Sale.business_date, Sale.number, Sale.total_fen,
                    t.label("t"),
                    func.lag(t, n - 1).over(partition_by=(Sale.store_id, Sale.cashier_id),
                                            order_by=Sale.sold_at).label("t0"))
             .where(Sale.kind == "sale", Sale.total_fen < p["max_sale_fen"], Sale.cashier_id.is_not(None),
                    Sale.sold_at >= since, Sale.sold_at <= now, in_scope(p, Sale.store_id)).cte("small"))
    hits = select(small.c.store_id, small.c.cashier_id, small.c.t0, small.c.t).where(
        small.c.t0.is_not(None), small.c.t - small.c.t0 < window_s).cte("hits")
    rows = session.execute(
        select(small.c.id, small.c.store_id, small.c.cashier_id, small.c.business_date, small.c.number,
               small.c.total_fen, small.c.t).distinct()
        .join(hits, and_(hits.c.store_id == small.c.store_id, hits.c.cashier_id == small.c.cashier_id,
                         small.c.t >= hits.c.t0, small.c.t <= hits.c.t))
        .order_by(small.c.store_id, small.c.cashier_id, small.c.t)).all()
    out = []
    for (store_id, cashier_id, day), sales in group(rows, lambda r: (r.store_id, r.cashier_id,
                                                                      r.business_date)).items():
        c = Candidate("sales.burst", store_id, f"user:{cashier_id}", day, day,
                      detail={"count": len(sales), "total_fen": sum(r.total_fen for r in sales)})
        c.add_person("user", cashier_id)
        for r in sales:
            sale_evidence(c, r)
        out.append(c)
    return out


def repeat_basket(session: Session, p: dict, *, now, since) -> list[Candidate]:
    """The same items in the same quantities, ≥ min_lines different items, sold ≥ min_repeats times on one
    business day at one store. Identical baskets have identical totals, so only sales whose (store, day, total)
    repeats that often have their lines read."""
    window = and_(Sale.kind == "sale", Sale.sold_at >= since, Sale.sold_at <= now, in_scope(p, Sale.store_id))
    same_total = (select(Sale.id, Sale.store_id, Sale.cashier_id, Sale.business_date, Sale.number, Sale.total_fen,
                         func.count().over(partition_by=(Sale.store_id, Sale.business_date, Sale.total_fen))
                         .label("n"))
                  .where(window).cte("same_total"))
    repeated = select(same_total).where(same_total.c.n >= p["min_repeats"]).cte("repeated")
    if dialect(session) == "postgresql":
        # The candidates' lines by the sale_id index, one sale at a time (LATERAL; OFFSET 0 keeps the planner from
        # flattening it into a join). The planner cannot see how few sales repeat a total that often, and
        # hash-joined the whole of sale_lines to them instead: 3.8 s at 1,000 stores for a handful of sales.
        per_sale = (select(SaleLine.sale_id, SaleLine.item_id, SaleLine.qty)
                    .where(SaleLine.sale_id == repeated.c.id).offset(0).lateral("per_sale"))
        lines = (select(per_sale.c.sale_id, per_sale.c.item_id, per_sale.c.qty)
                 .select_from(repeated).join(per_sale, true())
                 .order_by(per_sale.c.sale_id, per_sale.c.item_id).subquery("l"))
    else:  # SQLite has no LATERAL; its planner looks the lines up by sale_id anyway
        lines = (select(SaleLine.sale_id, SaleLine.item_id, SaleLine.qty)
                 .join(repeated, repeated.c.id == SaleLine.sale_id)
                 .order_by(SaleLine.sale_id, SaleLine.item_id).subquery("l"))
    part = text_id(lines.c.item_id) + literal(":") + text_id(lines.c.qty)
    baskets = (select(lines.c.sale_id, ordered_concat(session, part, lines.c.item_id).label("sig"),
                      func.count().label("n_lines"))
               .group_by(lines.c.sale_id).cte("baskets"))
    # The sales' own columns come with the candidates (repeated), not from a second read of sales.
    tagged = (select(repeated.c.id, repeated.c.store_id, repeated.c.cashier_id, repeated.c.business_date,
                     repeated.c.number, repeated.c.total_fen, baskets.c.sig,
                     func.count().over(partition_by=(repeated.c.store_id, repeated.c.business_date, baskets.c.sig))
                     .label("repeats"))
              .join(baskets, baskets.c.sale_id == repeated.c.id)
              .where(baskets.c.n_lines >= p["min_lines"]).cte("tagged"))
    rows = session.execute(select(tagged).where(tagged.c.repeats >= p["min_repeats"])
                           .order_by(tagged.c.store_id, tagged.c.business_date, tagged.c.number)).all()
    out = []
    import hashlib

    for (store_id, day, sig), sales in group(rows, lambda r: (r.store_id, r.business_date, r.sig)).items():
        digest = hashlib.sha256(sig.encode()).hexdigest()[:16]
        c = Candidate("sales.repeat_basket", store_id, f"basket:{store_id}:{day}:{digest}", day, day,
                      detail={"count": len(sales)})
        for r in sales:
            c.add_person("user", r.cashier_id)
            sale_evidence(c, r)
        out.append(c)
    return out


def _reversal_counts(session: Session, since, now):
    return (select(Sale.store_id, Sale.cashier_id, Store.district_id,
                   func.sum(case((Sale.kind.in_(("void", "return")), 1), else_=0)).label("events"))
            .join(Store, Store.id == Sale.store_id)
            .where(Sale.cashier_id.is_not(None), Sale.sold_at >= since, Sale.sold_at <= now)
            .group_by(Sale.store_id, Sale.cashier_id, Store.district_id))


def void_rate(session: Session, p: dict, *, now, since) -> list[Candidate]:
    """A cashier's voids and returns in the window ≥ factor × the median of the district's cashiers (everyone
    who rang anything up in the window) and ≥ min_events."""
    start, end = window(now, p["window_days"])
    per = _reversal_counts(session, start, end).cte("per")   # every cashier: the median is the district's
    ranked = select(per, func.row_number().over(partition_by=per.c.district_id, order_by=per.c.events).label("rn"),
                    func.count().over(partition_by=per.c.district_id).label("cnt")).cte("ranked")
    # The median: the middle row, or the mean of the two middle rows.
    medians = (select(ranked.c.district_id, func.avg(ranked.c.events).label("median"))
               .where(or_(ranked.c.rn == (ranked.c.cnt + 1) // 2, ranked.c.rn == (ranked.c.cnt + 2) // 2))
               .group_by(ranked.c.district_id).cte("medians"))
    flagged = (select(per.c.store_id, per.c.cashier_id, per.c.events, medians.c.median)
               .join(medians, medians.c.district_id == per.c.district_id)
               .where(per.c.events >= p["min_events"], per.c.events >= p["factor"] * medians.c.median)
               .cte("flagged"))
    rows = session.execute(
        select(Sale.id, Sale.store_id, Sale.cashier_id, Sale.number, Sale.total_fen, Sale.kind,
               flagged.c.events, flagged.c.median)
        .join(flagged, and_(flagged.c.store_id == Sale.store_id, flagged.c.cashier_id == Sale.cashier_id))
        .where(Sale.kind.in_(("void", "return")), Sale.sold_at >= start, Sale.sold_at <= end,
               in_scope(p, Sale.store_id))
        .order_by(Sale.store_id, Sale.cashier_id, Sale.sold_at)).all()
    first, last = period(start, end)
    out = []
    for (store_id, cashier_id), events in group(rows, lambda r: (r.store_id, r.cashier_id)).items():
        c = Candidate("sales.void_rate", store_id, f"user:{cashier_id}", first, last,
                      detail={"count": events[0].events, "median": float(events[0].median)})
        c.add_person("user", cashier_id)
        for r in events:
            sale_evidence(c, r)
        out.append(c)
    return out


def override_share(session: Session, p: dict, *, now, since) -> list[Candidate]:
    """A cashier whose sales with an overridden price are more than max_percent of their sales in the window
    (and at least min_overrides of them)."""
    start, end = window(now, p["window_days"])
    in_window = and_(Sale.kind == "sale", Sale.cashier_id.is_not(None), Sale.sold_at >= start, Sale.sold_at <= end,
                  in_scope(p, Sale.store_id))
    # An overridden price needs a manager's approval, so only approved sales have their lines read, through the
    # partial index of overridden lines (ix_sale_lines_overridden). The cashiers' sale counts are taken only for
    # those with enough overrides, straight from sales (no per-sale marking of the whole window to scan twice).
    overridden = (select(Sale.id, Sale.store_id, Sale.cashier_id, Sale.number, Sale.total_fen).distinct()
                  .join(SaleLine, SaleLine.sale_id == Sale.id)
                  .where(in_window, Sale.approver_id.is_not(None), SaleLine.override_reason != "")
                  .cte("overridden"))
    counts = (select(overridden.c.store_id, overridden.c.cashier_id, func.count().label("overrides"))
              .group_by(overridden.c.store_id, overridden.c.cashier_id)
              .having(func.count() >= p["min_overrides"]).cte("counts"))
    totals = (select(Sale.store_id, Sale.cashier_id, counts.c.overrides, func.count().label("sales"))
              .join(counts, and_(counts.c.store_id == Sale.store_id, counts.c.cashier_id == Sale.cashier_id))
              .where(in_window).group_by(Sale.store_id, Sale.cashier_id, counts.c.overrides)
              .having(counts.c.overrides * 100 > p["max_percent"] * func.count()).cte("totals"))
    rows = session.execute(
        select(overridden.c.id, overridden.c.store_id, overridden.c.cashier_id, overridden.c.number,
               overridden.c.total_fen, totals.c.sales, totals.c.overrides)
        .join(totals, and_(totals.c.store_id == overridden.c.store_id,
                           totals.c.cashier_id == overridden.c.cashier_id))
        .order_by(overridden.c.store_id, overridden.c.cashier_id, overridden.c.number)).all()
    first, last = period(start, end)
    out = []
    for (store_id, cashier_id), sales in group(rows, lambda r: (r.store_id, r.cashier_id)).items():
        c = Candidate("sales.override_share", store_id, f"user:{cashier_id}", first, last,
                      detail={"count": sales[0].overrides, "sales": sales[0].sales})
        c.add_person("user", cashier_id)
        for r in sales:
            sale_evidence(c, r)
        out.append(c)
    return out


def staff_purchase(session: Session, p: dict, *, now, since) -> list[Candidate]:
    """A sale paid with the points of a resident who is a staff member (Resident.user_id), or carrying an
    overridden price for them, rung up or approved by that same staff member."""
    buyer = aliased(Resident)
    overridden = exists().where(SaleLine.sale_id == Sale.id, SaleLine.override_reason != "")
    rows = session.execute(
        select(Sale.id, Sale.store_id, Sale.cashier_id, Sale.approver_id, Sale.number, Sale.total_fen,
               Sale.business_date, buyer.user_id.label("staff_id"), buyer.id.label("resident_id")).distinct()
        .join(Payment, Payment.sale_id == Sale.id)
        .join(buyer, buyer.member_code == Payment.member_code)
        .where(Sale.kind == "sale", Sale.sold_at >= since, Sale.sold_at <= now, Payment.member_code != "",
               buyer.user_id.is_not(None),
               or_(buyer.user_id == Sale.cashier_id, buyer.user_id == Sale.approver_id),
               or_(Payment.method == "points", overridden), in_scope(p, Sale.store_id))
        .order_by(Sale.store_id, Sale.number)).all()
    out = []
    for (store_id, staff_id, day), sales in group(rows, lambda r: (r.store_id, r.staff_id,
                                                                    r.business_date)).items():
        c = Candidate("sales.staff_purchase", store_id, f"user:{staff_id}", day, day)
        c.add_person("user", staff_id)
        c.add_person("resident", sales[0].resident_id)
        for r in sales:
            sale_evidence(c, r)
        out.append(c)
    return out
