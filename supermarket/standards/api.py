"""The central check's JSON API (bearer token; scoped like the pages: another district's store answers 404)."""
from __future__ import annotations

from flask import Blueprint, request, url_for
from werkzeug.routing import BuildError

from . import service
from ..api import doc
from ..auth.decorators import allow
from ..auth.permissions import Role
from ..extensions import db
from ..models import utcnow
from ..web import current_actor
from .schemas import board_json, exception_json, standard_json, store_json

bp = Blueprint("standards", __name__)
VIEWERS = (Role.FEDERATION_ADMIN, Role.DISTRICT_AUDITOR, Role.STORE_MANAGER)


@bp.get("/standards/current")
@allow(*VIEWERS)
@doc(summary="The standard version in force: categories, rules (weights, kinds, thresholds), red lines, stars")
def current():
    return standard_json(service.current_standard(db.session, now=utcnow()))


@bp.get("/compliance")
@allow(*VIEWERS)
@doc(summary="Every store of the caller's scope: total, stars, red lines, categories "
             "(query: as_of, district, stars, rule, red_line, sort)")
def compliance():
    a = request.args
    board = service.board(db.session, current_actor(), as_of=a.get("as_of") or None,
                          district=a.get("district") or None, stars=a.get("stars") or None,
                          rule=a.get("rule") or None, red_line=a.get("red_line") or None,
                          sort=a.get("sort") or "total", now=utcnow())
    return board_json(board)


@bp.get("/compliance/stores/<store_code>")
@allow(*VIEWERS)
@doc(summary="One store's card: rules with grades and points, functions, next star (query: as_of)")
def store(store_code):
    return store_json(service.store_card(db.session, current_actor(), store_code,
                                         as_of=request.args.get("as_of") or None, now=utcnow()))


def _url(row) -> str | None:
    if not row.endpoint:
        return None
    try:
        return url_for(row.endpoint, **row.url_kwargs)
    except BuildError:
        return None


@bp.get("/compliance/stores/<store_code>/rules/<rule_id>/exceptions")
@allow(*VIEWERS)
@doc(summary="The rows that made the store fall short of the rule, each with its document's page")
def exceptions(store_code, rule_id):
    rows = service.rule_exceptions(db.session, current_actor(), store_code, rule_id,
                                   as_of=request.args.get("as_of") or None, now=utcnow())
    return {"store": store_code.upper(), "rule": rule_id.upper(),
            "exceptions": [exception_json(r, _url(r)) for r in rows]}
