"""The till's on-the-spot check of a manager's approval of a discount (routes on the sales API blueprint)."""
from __future__ import annotations

from flask import request

from . import discounts
from ..api import doc
from ..auth.decorators import allow
from ..auth.permissions import STORE_ROLES
from ..extensions import db
from ..web import current_actor, load
from .api import bp
from .discount_schemas import DiscountCheckOutSchema, DiscountCheckSchema


@bp.post("/sales/discounts/check")
@allow(*STORE_ROLES)
@doc(summary="Check a manager's approval of a discount when it is given (the checkout checks it again); a wrong "
             "password/PIN counts towards the approver's lockout", body=DiscountCheckSchema,
     responses={200: DiscountCheckOutSchema})
def check_discount():
    data = load(DiscountCheckSchema(), request.get_json(silent=True))
    return DiscountCheckOutSchema().dump(discounts.check_approval(
        db.session, current_actor(), discount=data["discount"], base_fen=data["base_fen"],
        item_name=data["item_name"], approval=data["approval"]))
