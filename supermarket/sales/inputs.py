"""Plain values the sales services accept (the schemas' post_load builds them; tests and the CLI build them
directly)."""
from __future__ import annotations

import uuid
from ..auth.service import Approval  # noqa: F401  (the one approval object)
from .discounts import Discount
from dataclasses import dataclass, field


@dataclass(frozen=True)
class CartLine:
    qty: int
    barcode: str | None = None
    item_id: uuid.UUID | None = None
    # A price other than the store's needs a manager's approval and a reason.
    unit_price_fen: int | None = None
    override_reason: str = ""
    # Paid in points at the item's points price (the points tender).
    pay_with_points: bool = False
    # The line's own discount (sales.discounts).
    discount: Discount | None = None
    # A weighed item's grams (sales.weighed), instead of a quantity (qty is then 1).
    weight_g: int | None = None


@dataclass(frozen=True)
class Tendered:
    """One tender as the customer hands it over. Cash: `amount_fen` is the amount given (change comes back)."""

    method: str
    amount_fen: int = 0
    reference: str = ""
    points: int = 0
    member_code: str = ""
    pin: str = ""


@dataclass(frozen=True)
class DonationOffer:
    """Change for charity (sales.donations): `amount_fen` of the change (kind "change") or of the round-up to
    the next yuan (kind "round_up") given to the project."""

    project_id: uuid.UUID
    amount_fen: int
    kind: str = "change"


@dataclass(frozen=True)
class Cart:
    idempotency_key: uuid.UUID
    lines: tuple[CartLine, ...]
    payments: tuple[Tendered, ...] = ()
    approval: Approval | None = None
    # The basket discount, and a manager's approval of the discounts above the seller's limit.
    discount: Discount | None = None
    discount_approval: Approval | None = None
    # A recalled held sale: its price changes were approved when it was parked (sales.held).
    held_id: uuid.UUID | None = None
    # The change (or the round-up) the customer gives to a charity project (sales.donations).
    donation: DonationOffer | None = None


@dataclass(frozen=True)
class ReturnLine:
    sale_line_id: uuid.UUID
    qty: int


@dataclass(frozen=True)
class Refund:
    """How the money of a return goes back: a money tender (and its reference, for mobile pay)."""

    method: str = "cash"
    reference: str = ""


@dataclass(frozen=True)
class ShiftClose:
    counted: dict = field(default_factory=dict)  # method -> counted fen
    approval: Approval | None = None
    note: str = ""
