"""The catalog for the tablets: the scan lookup and item search, with the price and stock of the actor's store."""
from __future__ import annotations

from flask import Blueprint, request
from flask_babel import gettext as _

from ..api import doc
from ..auth.decorators import allow
from ..auth.permissions import ALL_STAFF
from ..errors import InvalidInput
from ..extensions import db
from ..inventory import queries
from ..web import current_actor, form_data, load
from . import service
from .schemas import CategorySchema, ItemInStoreSchema, ItemQuerySchema, ItemSearchSchema

bp = Blueprint("catalog", __name__)
# Reused (marshmallow schemas hold no per-call state): the scan is every till's hottest request.
QUERY, FOUND = ItemQuerySchema(), ItemInStoreSchema()


def _store_id(actor, requested):
    """The actor's own store; oversight roles name one with ?store_id=."""
    store_id = requested or actor.store_id
    if store_id is None:
        raise InvalidInput(_("请用 store_id 指定门店"), fields={"store_id": [_("请指定门店")]})
    return store_id


@bp.get("/items")
@allow(*ALL_STAFF)
@doc(summary="Scan lookup (?barcode=) or search by name / pinyin initials (?q=), with price and stock in the "
             "actor's store. Unknown barcode: 404 catalog.unknown_barcode.",
     query=ItemQuerySchema, responses={200: ItemInStoreSchema, 404: None, 422: None})
def list_items():
    actor = current_actor()
    q = load(QUERY, form_data(request.args))
    store_id = _store_id(actor, q["store_id"])
    if q["barcode"]:
        return FOUND.dump(queries.scan_lookup(db.session, actor, q["barcode"], store_id=store_id))
    if not q["q"]:
        raise InvalidInput(_("请提供 barcode 或 q"), fields={"q": [_("请提供 barcode 或 q")]})
    rows = queries.search_in_store(db.session, actor, q["q"], store_id=store_id, limit=q["limit"])
    return ItemSearchSchema().dump({"items": rows})


@bp.get("/categories")
@allow(*ALL_STAFF)
@doc(summary="Categories (prohibited flag, food, near-expiry days, quick keys)",
     responses={200: CategorySchema(many=True)})
def list_categories():
    return {"categories": CategorySchema(many=True).dump(service.list_categories(db.session))}
