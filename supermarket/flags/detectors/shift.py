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
