"""The points tender's calls into the points domain (supermarket.points.service).

A sale line may carry `pay_with_points` when its item has a `points_price`; those lines are paid in points, and
the payment `{"method": "points", "points": N, "member_code", "pin"}` must equal Σ points_price × qty exactly
(sales.payments.settle). The checkout calls `redeem` inside the sale's transaction; a void or a return calls
`refund` for the points of the lines it reverses, which go back into the resident's lots with their original
expiry. Points errors (points.wrong_pin, points.insufficient_balance, points.daily_cap, points.unknown_member, …)
pass through unchanged.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from ..auth.permissions import Actor
from ..points import service as points_service
from .inputs import Tendered

REF_TYPE = "sale"


def redeem(session: Session, actor: Actor, *, store_id, sale_id, payment: Tendered, now: datetime) -> None:
    """Debit the member's points for a sale (inside the sale's transaction; a wrong PIN ends it)."""
    points_service.redeem(session, actor, store_id=store_id, member_code=payment.member_code, pin=payment.pin,
                  points=payment.points, ref_type=REF_TYPE, ref_id=sale_id, now=now)


def refund(session: Session, actor: Actor, *, sale_id, points: int, now: datetime) -> None:
    """Give back points of a voided or returned sale (inside the reversal's transaction)."""
    points_service.refund_redemption(session, actor, ref_type=REF_TYPE, ref_id=sale_id, points=points, now=now)
