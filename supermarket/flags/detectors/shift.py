"""Shift detectors: a cashier whose cash count is off by more than the limit again and again."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...sales.models import Shift, ShiftCount
from ..sql import in_scope
from ..candidates import Candidate, group
from .common import period, window


def cash_difference(session: Session, p: dict, *, now, since) -> list[Candidate]:
    """≥ min_closes shift closes in the window whose counted cash differs from the expected by > limit_fen."""
    start, end = window(now, p["window_days"])
    diff = ShiftCount.counted_fen - ShiftCount.expected_fen
    off = (select(Shift.id, Shift.store_id, Shift.cashier_id, Shift.number, diff.label("diff"),
                  func.count().over(partition_by=(Shift.store_id, Shift.cashier_id)).label("n"))
           .join(ShiftCount, ShiftCount.shift_id == Shift.id)
           .where(Shift.status == "closed", Shift.closed_at >= start, Shift.closed_at <= end,
                  ShiftCount.method == "cash", func.abs(diff) > p["limit_fen"],
                  in_scope(p, Shift.store_id)).cte("off"))
    rows = session.execute(select(off).where(off.c.n >= p["min_closes"])
                           .order_by(off.c.store_id, off.c.cashier_id, off.c.number)).all()
    first, last = period(start, end)
    out = []
    for (store_id, cashier_id), shifts in group(rows, lambda r: (r.store_id, r.cashier_id)).items():
        c = Candidate("shift.cash_difference", store_id, f"user:{cashier_id}", first, last,
                      detail={"count": len(shifts), "total_diff_fen": sum(r.diff for r in shifts)})
        c.add_person("user", cashier_id)
        for r in shifts:
            c.add_evidence("shifts", r.id, f"{r.number} {r.diff / 100:+.2f}", "sales.shift_detail", shift_id=r.id)
        out.append(c)
    return out


def return_without_receipt(session: Session, p: dict, *, now, since) -> list[Candidate]:
    """Returns without the original receipt (sales.returns_open) in the window: a cashier with ≥ min_returns of
    them, or a store with ≥ store_min_returns or ≥ store_min_fen refunded. One statement for every store: the
    counts are window functions over the returns, and only the returns of a cashier or store past a threshold
    come back."""
    from ...sales.till_models import OpenReturn

    start, end = window(now, p["window_days"])
    by_cashier = (OpenReturn.store_id, OpenReturn.cashier_id)
    tagged = (select(OpenReturn.id, OpenReturn.store_id, OpenReturn.cashier_id, OpenReturn.shift_id,
                     OpenReturn.number, OpenReturn.name, OpenReturn.refund_fen,
                     func.count().over(partition_by=by_cashier).label("n_cashier"),
                     func.count().over(partition_by=OpenReturn.store_id).label("n_store"),
                     func.sum(OpenReturn.refund_fen).over(partition_by=OpenReturn.store_id).label("fen_store"))
              .where(OpenReturn.returned_at >= start, OpenReturn.returned_at <= end,
                     in_scope(p, OpenReturn.store_id)).cte("tagged"))
    rows = session.execute(
        select(tagged).where((tagged.c.n_cashier >= p["min_returns"]) | (tagged.c.n_store >= p["store_min_returns"])
                             | (tagged.c.fen_store >= p["store_min_fen"]))
        .order_by(tagged.c.store_id, tagged.c.cashier_id, tagged.c.number)).all()
    first, last = period(start, end)
    out = []

    def candidate(store_id, subject, returns):
        c = Candidate("sales.return_without_receipt", store_id, subject, first, last,
                      detail={"count": len(returns), "total_fen": sum(r.refund_fen for r in returns)})
        for r in returns:
            c.add_person("user", r.cashier_id)
            c.add_evidence("open_returns", r.id, f"{r.number} {r.name} ¥{r.refund_fen / 100:.2f}",
                           "sales.shift_detail", shift_id=r.shift_id)
        out.append(c)

    for (store_id, cashier_id), returns in group([r for r in rows if r.n_cashier >= p["min_returns"]],
                                                 lambda r: (r.store_id, r.cashier_id)).items():
        candidate(store_id, f"user:{cashier_id}", returns)
    for store_id, returns in group([r for r in rows if r.n_store >= p["store_min_returns"]
                                    or r.fen_store >= p["store_min_fen"]], lambda r: r.store_id).items():
        candidate(store_id, f"store:{store_id}", returns)
    return out
