"""Shared pieces of the detectors: periods and evidence rows for the usual tables."""
from __future__ import annotations

from datetime import datetime, timedelta

from ...clock import local_date


def window(now: datetime, days: int) -> tuple[datetime, datetime]:
    return now - timedelta(days=days), now


def period(start: datetime, end: datetime):
    return local_date(start), local_date(end)


def sale_evidence(c, row) -> None:
    c.add_evidence("sales", row.id, f"{row.number} ¥{row.total_fen / 100:.2f}", "sales.sale_detail",
                   sale_id=row.id)
