"""Stock for the tablets: the store's stock on hand (paginated) and stocktake counting by scan."""
from __future__ import annotations

from flask import Blueprint, request
from flask_babel import gettext as _

from . import service
from ..api import doc
from ..auth.decorators import allow
from ..auth.permissions import ALL_STAFF, STORE_ROLES
from ..errors import InvalidInput
from ..extensions import db
from ..models import utcnow
from ..web import current_actor, form_data, load
from ..clock import local_today
from ..catalog.schemas import ItemInStoreSchema, ItemQuerySchema, ItemSearchSchema
from .schemas import CountSchema, StockPageSchema, StockQuerySchema, StocktakeLineSchema

bp = Blueprint("inventory", __name__)
# Reused (marshmallow schemas hold no per-call state): the scan is every till's hottest request.
ITEM_QUERY, FOUND = ItemQuerySchema(), ItemInStoreSchema()


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
     query=ItemQuerySchema, responses={200: {"oneOf": [ItemInStoreSchema, ItemSearchSchema]}, 404: None, 422: None})
def list_items():
    actor = current_actor()
    q = load(ITEM_QUERY, form_data(request.args))
    store_id = _store_id(actor, q["store_id"])
    if q["barcode"]:
        return FOUND.dump(service.scan_lookup(db.session, actor, q["barcode"], store_id=store_id, now=utcnow()))
    if not q["q"]:
        raise InvalidInput(_("请提供 barcode 或 q"), fields={"q": [_("请提供 barcode 或 q")]})
    rows = service.search_in_store(db.session, actor, q["q"], store_id=store_id, limit=q["limit"], now=utcnow())
    return ItemSearchSchema().dump({"items": rows})


@bp.get("/stock")
@allow(*ALL_STAFF)
@doc(summary="Stock on hand in the actor's store (oversight roles give ?store_id=), paginated; filters "
             "category_id, status=low|near_expiry|expired, q", query=StockQuerySchema,
     responses={200: StockPageSchema, 404: None, 422: None})
def stock():
    actor = current_actor()
    q = load(StockQuerySchema(), form_data(request.args))
    store_id = q["store_id"] or actor.store_id
    if store_id is None:
        raise InvalidInput(_("请用 store_id 指定门店"), fields={"store_id": [_("请指定门店")]})
    rows, total = service.stock_on_hand(db.session, actor, store_id, today=local_today(utcnow()),
                                        category_id=q["category_id"], status=q["status"], q=q["q"],
                                        limit=q["per_page"], offset=(q["page"] - 1) * q["per_page"])
    return StockPageSchema().dump({"store_id": store_id, "page": q["page"], "per_page": q["per_page"],
                                   "total": total, "items": rows})


@bp.post("/stocktakes/<uuid:stocktake_id>/counts")
@allow(*STORE_ROLES)
@doc(summary="Count by scan: {barcode} adds one; {barcode, qty} adds qty (negative corrects a miscount)",
     body=CountSchema, responses={201: StocktakeLineSchema, 404: None, 409: None, 422: None})
def count(stocktake_id):
    actor = current_actor()
    data = load(CountSchema(), request.get_json(silent=True))
    line = service.record_count(db.session, actor, stocktake_id, now=utcnow(), **data)
    return StocktakeLineSchema().dump(line), 201
