"""Sales factories: stocked items, open shifts, cash sales."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from supermarket.sales import checkout, shifts
from supermarket.sales.inputs import Approval, Cart, CartLine, Tendered
from tests.supermarket.catalog.factories import make_item
from tests.supermarket.inventory.factories import stock

# 10:00 in Changsha on 27 November 2026.
NOW = datetime(2026, 11, 27, 2, 0, tzinfo=timezone.utc)
MANAGER_PIN = "2468"


def stocked_item(session, world, *, store="YL01", qty=10, price_fen=500, name="搪瓷脸盆", kind="purchased",
                 points_price=None, **kw):
    item = make_item(session, name, price_fen=price_fen, kind=kind, points_price=points_price,
                     condition_grade="A" if kind == "donated_used" else None, **kw)
    if qty:
        stock(session, world.stores[store], item, qty)
    return item


def open_shift(session, world, username="cashier-yl01", float_fen=20000, now=NOW):
    return shifts.open_shift(session, world.actor(session, username), float_fen=float_fen, now=now)


def manager_ok(store="yl01") -> Approval:
    return Approval(f"manager-{store}", MANAGER_PIN)


def cart(*lines, payments=(), key=None, approval=None) -> Cart:
    """lines: (item, qty) or CartLine; payments: Tendered."""
    built = tuple(line if isinstance(line, CartLine) else CartLine(qty=line[1], barcode=line[0].barcode)
                  for line in lines)
    return Cart(idempotency_key=key or uuid.uuid4(), lines=built, payments=tuple(payments), approval=approval)


def cash(amount_fen: int) -> Tendered:
    return Tendered("cash", amount_fen)


def sell(session, world, *lines, username="cashier-yl01", given=None, payments=None, now=NOW, key=None,
         approval=None):
    """A cash sale (exact amount unless `given`) by `username`, whose shift must be open."""
    actor = world.actor(session, username)
    if payments is None:
        total = sum((line[0].default_price_fen * line[1]) for line in lines if not isinstance(line, CartLine))
        payments = (cash(given if given is not None else total),)
    return checkout.checkout(session, actor, cart(*lines, payments=payments, key=key, approval=approval), now=now)
