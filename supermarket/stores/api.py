"""Stores in the actor's scope."""
from flask import Blueprint

from ..api import doc, listing
from ..auth.decorators import allow
from ..auth.permissions import ALL_STAFF
from ..extensions import db
from ..web import current_actor
from . import service
from .schemas import StoreSchema

bp = Blueprint("stores", __name__, url_prefix="/stores")


@bp.get("")
@allow(*ALL_STAFF)
@doc(summary="Stores the caller may see", responses={200: listing("stores", StoreSchema)})
def list_stores():
    return {"stores": StoreSchema(many=True).dump(service.list_stores(db.session, current_actor()))}


@bp.get("/<uuid:store_id>")
@allow(*ALL_STAFF)
@doc(summary="One store", responses={200: StoreSchema})
def get_store(store_id):
    return StoreSchema().dump(service.get_store(db.session, current_actor(), store_id))
