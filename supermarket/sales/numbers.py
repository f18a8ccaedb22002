"""Receipt and shift numbers: per store and Asia/Shanghai day, without gaps (YL01-20261127-0007).

Claimed inside the caller's transaction (supermarket.sequences), so a rolled-back sale gives its number back.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from ..clock import local_today
from ..sequences import next_number


def claim_receipt_number(session: Session, store_id, store_code: str, now: datetime) -> tuple[str, date, int]:
    """(number, business date, sequence) of the next receipt of the store today."""
    day = local_today(now)
    ymd = day.strftime("%Y%m%d")
    seq = next_number(session, f"receipt:{store_id}:{ymd}")
    return f"{store_code}-{ymd}-{seq:04d}", day, seq


def claim_shift_number(session: Session, store_id, store_code: str, now: datetime) -> str:
    ymd = local_today(now).strftime("%Y%m%d")
    return f"{store_code}-{ymd}-B{next_number(session, f'shift:{store_id}:{ymd}'):02d}"
