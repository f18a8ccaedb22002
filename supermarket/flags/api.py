"""Flags JSON API: the list, resolve and close (same scope and rules as the board)."""
from __future__ import annotations

from flask import Blueprint, request

from . import service
from ..api import doc
from ..auth.decorators import allow
from ..auth.permissions import Role
from ..extensions import db
from ..models import utcnow
from ..web import current_actor, load
from .presenters import flag_dict
from .schemas import ApiQuerySchema, FlagListOutSchema, FlagOutSchema, ResolveSchema
from .views import filters_from

bp = Blueprint("flags", __name__)


@bp.get("/flags")
@allow(*service.BOARD_ROLES)
@doc(summary="Flags the caller may see, ranked, a page at a time (`page`, `per_page` up to 200; the answer says "
             "`total`); status defaults to open, status= for all", query=ApiQuerySchema,
     responses={200: FlagListOutSchema})
def list_flags():
    actor = current_actor()
    q = load(ApiQuerySchema(), dict(request.args))
    page = service.flags_page(db.session, actor, filters_from(q, actor), page=q["page"], per_page=q["per_page"])
    names = service.person_names(db.session, actor, page.items)
    return FlagListOutSchema().dump({"page": page.number, "per_page": page.per_page, "total": page.total,
                                     "flags": [flag_dict(f, names) for f in page.items]})


def _one(flag):
    actor = current_actor()
    return FlagOutSchema().dump(flag_dict(flag, service.person_names(db.session, actor, [flag])))


@bp.post("/flags/<uuid:flag_id>/resolve")
@allow(*service.BOARD_ROLES)
@doc(summary="Resolve an open flag: explained or confirmed, with a note", body=ResolveSchema,
     responses={200: FlagOutSchema})
def resolve(flag_id):
    data = load(ResolveSchema(), request.get_json(silent=True))
    return _one(service.resolve(db.session, current_actor(), flag_id, outcome=data["outcome"], note=data["note"],
                                now=utcnow()))


@bp.post("/flags/<uuid:flag_id>/close")
@allow(Role.DISTRICT_AUDITOR, Role.FEDERATION_ADMIN)
@doc(summary="Close an explained or confirmed flag", responses={200: FlagOutSchema})
def close(flag_id):
    return _one(service.close(db.session, current_actor(), flag_id, now=utcnow()))
