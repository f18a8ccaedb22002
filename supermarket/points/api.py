"""Points JSON API: credits from the city's volunteer platform, and the till's resident look-up."""
from __future__ import annotations

from flask import Blueprint, request

from ..api import doc
from ..auth.decorators import allow
from ..auth.permissions import Role
from ..extensions import db
from ..models import utcnow
from ..web import created, current_actor, load
from . import credits, queries, residents
from .schemas import CreditInSchema, CreditSchema, ResidentTillSchema

bp = Blueprint("points", __name__, url_prefix="/points")


@bp.post("/credits")
@allow(Role.INTEGRATION)
@doc(summary="Credit points for volunteer service (the city's volunteer platform; integration tokens only). "
             "A replayed idempotency_key (same payload) returns the first credit with 200 and Idempotent-Replay: "
             "true; another payload under it answers 409 idempotency.mismatch.",
     body=CreditInSchema, responses={201: CreditSchema, 200: CreditSchema})
def post_credit():
    data = load(CreditInSchema(), request.get_json(silent=True))
    credit, new = credits.post_credit(db.session, current_actor(), credits.claim_from_input(data),
                                      idempotency_key=data["idempotency_key"], now=utcnow())
    return created(CreditSchema().dump(credit), not new)


@bp.get("/residents/<member_code>")
@allow(Role.CASHIER, Role.STORE_MANAGER)
@doc(summary="A resident's balance by member code, for the till", responses={200: ResidentTillSchema})
def resident(member_code):
    now = utcnow()
    person = residents.lookup(db.session, current_actor(), member_code)
    body = ResidentTillSchema().dump(person)
    body["expiring_soon"] = [{"expires_at": e.expires_at.isoformat(), "points": e.points}
                             for e in queries.expiring_soon(db.session, person.id, now)]
    return body
