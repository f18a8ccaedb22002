"""The points tender's calls into the points domain: the one place to wire when points lands.

The contract (agreed with the points domain): a sale line may carry `pay_with_points` when its item has a
`points_price`; those lines are paid in points, the payment `{"method": "points", "points": N, "member_code",
"pin"}` must equal Σ points_price × qty exactly. The checkout calls `redeem` inside the sale's transaction; a void
or a return calls `refund` for the points of the lines it reverses.

Until then the "points" tender is registered but unavailable (sales.tenders), so a points payment is refused
with `sales.tender_not_accepted` before these are reached. Wiring = set `available=True` on the tender and
replace the two bodies below with:

    from ..points import service as points
    points.redeem(session, actor, store_id=store_id, member_code=payment.member_code, pin=payment.pin,
                  points=payment.points, ref_type="sale", ref_id=sale_id, now=now)
    points.refund_redemption(session, actor, ref_type="sale", ref_id=sale_id, points=points, now=now)
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from ..auth.permissions import Actor
from .errors import TenderNotAccepted
from .inputs import Tendered


def redeem(session: Session, actor: Actor, *, store_id, sale_id, payment: Tendered, now: datetime) -> None:
    """Debit the member's points for a sale (inside the sale's transaction)."""
    raise TenderNotAccepted(_("积分支付暂未开通"))


def refund(session: Session, actor: Actor, *, sale_id, points: int, now: datetime) -> None:
    """Give back points of a voided or returned sale (inside the reversal's transaction)."""
    raise TenderNotAccepted(_("积分支付暂未开通"))
