"""JSON API of the till's held sales (挂单) and returns without receipt, on the sales API blueprint."""
from __future__ import annotations

from flask import request

from . import held, returns_open
from ..api import doc, listing
from ..auth.decorators import allow
from ..auth.permissions import STORE_ROLES
from ..extensions import db
from ..models import utcnow
from ..web import created, current_actor, load
from .api import bp
from .shifts import get_current_shift
from .till_schemas import (DiscardSchema, HeldLineOutSchema, HeldOutSchema, OpenReturnOutSchema, OpenReturnSchema,
                           ParkSchema)


@bp.post("/sales/held")
@allow(*STORE_ROLES)
@doc(summary="Park the till's cart on the caller's shift (no stock moves; price changes approved now)",
     body=ParkSchema, responses={201: HeldOutSchema})
def park():
    data = load(ParkSchema(), request.get_json(silent=True))
    parked = held.park(db.session, current_actor(), tuple(data["lines"]), label=data["label"],
                       approval=data["approval"], now=utcnow())
    return HeldOutSchema().dump(parked), 201


@bp.get("/sales/held")
@allow(*STORE_ROLES)
@doc(summary="The parked carts of the caller's open shift", responses={200: listing("held", HeldOutSchema)})
def held_list():
    shift = get_current_shift(db.session, current_actor())
    return {"held": HeldOutSchema(many=True).dump(held.parked(db.session, shift))}


@bp.post("/sales/held/<uuid:held_id>/recall")
@allow(*STORE_ROLES)
@doc(summary="Take a parked cart of the caller's shift back into the till (another shift's: 409 "
             "sales.held_other_shift)", responses={200: HeldOutSchema})
def held_recall(held_id):
    got, lines = held.recall(db.session, current_actor(), held_id, now=utcnow())
    return {**HeldOutSchema().dump(got), "lines": HeldLineOutSchema(many=True).dump(lines)}


@bp.post("/sales/held/<uuid:held_id>/discard")
@allow(*STORE_ROLES)
@doc(summary="Discard a parked cart (reason recorded)", body=DiscardSchema, responses={200: HeldOutSchema})
def held_discard(held_id):
    data = load(DiscardSchema(), request.get_json(silent=True))
    return HeldOutSchema().dump(held.discard(db.session, current_actor(), held_id, reason=data["reason"],
                                             now=utcnow()))


@bp.post("/sales/open-returns")
@allow(*STORE_ROLES)
@doc(summary="Take an item back without its receipt: cash refund, a manager approves, the store's limit "
             "applies (idempotent on idempotency_key)", body=OpenReturnSchema,
     responses={201: OpenReturnOutSchema, 200: OpenReturnOutSchema})
def open_return():
    data = load(OpenReturnSchema(), request.get_json(silent=True))
    ret, replayed = returns_open.take_back_without_receipt(
        db.session, current_actor(), barcode=data["barcode"], qty=data["qty"], reason=data["reason"],
        unit_price_fen=data["unit_price_fen"], approval=data["approval"], idempotency_key=data["idempotency_key"],
        now=utcnow())
    return created(OpenReturnOutSchema().dump(ret), replayed)
