"""The catalog for the tablets: its categories. (The scan lookup, which needs the store's stock, is inventory's:
see inventory/api.py.)"""
from __future__ import annotations

from flask import Blueprint

from ..api import doc, listing
from ..auth.decorators import allow
from ..auth.permissions import ALL_STAFF
from ..extensions import db
from . import service
from .schemas import CategorySchema

bp = Blueprint("catalog", __name__)


@bp.get("/categories")
@allow(*ALL_STAFF)
@doc(summary="Categories (prohibited flag, food, near-expiry days, quick keys)",
     responses={200: listing("categories", CategorySchema)})
def list_categories():
    return {"categories": CategorySchema(many=True).dump(service.list_categories(db.session))}
