"""Disclosure JSON for staff: `/api/v1/disclosures`, scoped to the caller's stores. The public JSON behind the
public pages is in views_public_api (`/public/api/…`, no login, on the pages' blueprint)."""
from __future__ import annotations

from flask import Blueprint, request
from marshmallow import Schema, fields

from ..api import doc
from ..auth.decorators import allow
from ..auth.permissions import ALL_STAFF
from ..errors import NotFound
from ..extensions import db
from ..web import current_actor, form_data, load
from . import public as q
from . import service
from .schemas import DisclosureOutSchema, DisclosureQuerySchema

bp = Blueprint("disclosure", __name__)


class DisclosureListSchema(Schema):
    disclosures = fields.List(fields.Nested(DisclosureOutSchema))


@bp.get("/disclosures")
@allow(*ALL_STAFF)
@doc(summary="Monthly disclosures (every version) of the caller's stores; ?store=CODE&month=YYYY-MM",
     query=DisclosureQuerySchema, responses={200: DisclosureListSchema})
def list_disclosures():
    actor = current_actor()
    args = load(DisclosureQuerySchema(), form_data(request.args))
    store_id = None
    if args["store"]:
        try:
            store = q.store_by_code(db.session, args["store"])
        except NotFound:
            store = None
        if store is None or not actor.can_see_store(store.id):
            raise NotFound()
        store_id = store.id
    rows = service.list_for(db.session, actor, store_id=store_id, month=args["month"])
    return {"disclosures": DisclosureOutSchema(many=True).dump(rows)}
