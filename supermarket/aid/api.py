"""Aid JSON API: the counter's look-ups and preview, and the hand-out itself."""
from __future__ import annotations

from flask import Blueprint, request, url_for

from . import service
from ..api import doc
from ..auth.decorators import allow
from ..auth.permissions import ALL_STAFF, Role
from ..extensions import db
from ..models import utcnow
from ..privacy import mask_id_last4
from ..web import created, current_actor, form_data, load
from ..clock import local_today
from .schemas import (CounterHouseholdSchema, DistributionOutSchema, FindSchema, HandoutSchema, QuoteLineSchema,
                      QuoteSchema)

bp = Blueprint("aid", __name__)
COUNTER = (Role.CASHIER, Role.STORE_MANAGER, Role.FEDERATION_ADMIN)


def counter_view(household, status, today) -> dict:
    """The counter's card of a household: masked ID, category, validity and what is left this period."""
    return CounterHouseholdSchema().dump({
        "code": household.code, "head_name": household.head_name, "id_masked": mask_id_last4(household.id_last4),
        "category": household.category.name, "members": household.members, "status": household.validity(today),
        "review_due": household.review_due, "store_code": household.store.code, "entitlement": status})


def _errors(errors) -> list[dict]:
    return [{"code": e.code, "message": e.message} for e in errors]


@bp.get("/households/<code>/entitlement")
@allow(*COUNTER)
@doc(summary="A household's remaining entitlement this period (counts hand-outs at every store)",
     responses={200: CounterHouseholdSchema})
def household_entitlement(code):
    actor, now = current_actor(), utcnow()
    household = service.find_by_code(db.session, actor, code)
    today = local_today(now)
    return counter_view(household, service.entitlement_status(db.session, household, today), today)


@bp.get("/households")
@allow(*COUNTER)
@doc(summary="Find households by the ID's last four characters and the head's full name", query=FindSchema)
def find_households():
    actor, today = current_actor(), local_today(utcnow())
    q = load(FindSchema(), form_data(request.args))
    found = service.find_by_id_and_name(db.session, actor, last4=q["last4"], name=q["name"])
    return {"households": [counter_view(h, service.entitlement_status(db.session, h, today), today) for h in found]}


@bp.post("/distributions/quote")
@allow(Role.CASHIER, Role.STORE_MANAGER)
@doc(summary="Value a basket for a household at this store and say what would be refused (writes nothing)",
     body=QuoteSchema)
def quote_distribution():
    data = load(QuoteSchema(), request.get_json(silent=True))
    now = utcnow()
    q = service.quote(db.session, current_actor(), data["household_code"], data["lines"], now=now)
    return {"household": counter_view(q.household, q.status, local_today(now)),
            "lines": QuoteLineSchema(many=True).dump(q.lines), "total_value_fen": q.total_value_fen,
            "total_items": q.total_items, "blocking": _errors(q.blocking),
            "needs_override": _errors(q.needs_override)}


@bp.post("/distributions")
@allow(Role.CASHIER, Role.STORE_MANAGER)
@doc(summary="Hand out goods to a household (signature or proxy, and a witness); replay-safe by idempotency_key. "
             "Errors: aid.quota_exceeded, aid.not_eligible, aid.household_expired, aid.signature_required, "
             "aid.bad_image, aid.unknown_household, auth.approval_failed",
     body=HandoutSchema, responses={201: DistributionOutSchema, 200: DistributionOutSchema})
def create_distribution():
    data = load(HandoutSchema(), request.get_json(silent=True))
    now = utcnow()
    result = service.distribute(db.session, current_actor(), data, now=now)
    body = DistributionOutSchema().dump(result.distribution)
    body["entitlement"] = counter_view(result.distribution.household, result.status, local_today(now))["entitlement"]
    body["slip_url"] = url_for("aid.distribution_slip", distribution_id=result.distribution.id)
    body["replayed"] = result.replayed
    return created(body, result.replayed)


@bp.get("/distributions/<uuid:distribution_id>")
@allow(*ALL_STAFF)
@doc(summary="One distribution of a store the caller may see", responses={200: DistributionOutSchema})
def get_distribution(distribution_id):
    return DistributionOutSchema().dump(service.get_distribution(db.session, current_actor(), distribution_id))

