"""The public JSON behind the public pages (`/public/api/…`, no login); listed in the OpenAPI document."""
from __future__ import annotations

from dataclasses import asdict

from flask import abort, request

from ..api import doc
from ..auth.decorators import public
from ..clock import local_today, parse_month
from ..errors import NotFound
from ..extensions import db
from ..models import utcnow
from . import public as q
from . import trace as tr
from .schemas import DisclosureOutSchema
from .views import bp as pages


def _month(value: str):
    try:
        return parse_month(value)
    except ValueError:
        raise NotFound() from None


def _store_json(s, latest=None) -> dict:
    return {"code": s.code, "name": s.name, "district": s.district.code, "district_name": s.district.name,
            "address": s.address, "opening_hours": s.opening_hours, "star": q.star(s),
            "latest_month": latest.strftime("%Y-%m") if latest else None}


@pages.get("/public/api/stores")
@public
@doc(summary="Every store with its star and latest published month (public)", tags=("public",))
def public_api_stores():
    from ..stores.models import Store
    from sqlalchemy.orm import joinedload
    stores = [s for s in db.session.query(Store).options(joinedload(Store.district)).order_by(Store.code)
              if s.status != "preparing"]  # the districts with the stores: one statement, not one per district
    latest = q.latest_months(db.session, [s.id for s in stores])
    return {"stores": [_store_json(s, latest.get(s.id)) for s in stores]}


@pages.get("/public/api/stores/<code>")
@public
@doc(summary="A store, its seven functions and its published months (public)", tags=("public",))
def public_api_store(code):
    store = q.store_by_code(db.session, code)
    entries = q.store_months(db.session, store.id)
    body = _store_json(store, entries[0].month if entries else None)
    star = q.star_info(db.session, store, today=local_today())
    body["star_status"] = {"stars": star.stars, "state": star.state,
                           "valid_until": star.valid_until.isoformat() if star.valid_until else None}
    body["phone"] = store.phone or None
    body["opening_week"] = [{"weekday": day, "hours": hours} for day, hours in q.opening_hours(db.session, store.id)]
    body["functions"] = [{"code": f.code, "label": f.label, "active": f.active}
                         for f in q.functions(db.session, store.id, now=utcnow())]
    body["months"] = [{"month": e.month.strftime("%Y-%m"), "version": e.current.version, "late": e.late}
                      for e in entries]
    return body


@pages.get("/public/api/stores/<code>/disclosures/<month>")
@public
@doc(summary="A store's published month (?v=N for an earlier version) with its chain head (public)",
     tags=("public",), responses={200: DisclosureOutSchema})
def public_api_disclosure(code, month):
    store = q.store_by_code(db.session, code)
    versions = q.month_versions(db.session, store.id, _month(month))
    v = request.args.get("v", "")
    if v and not (v.isdigit() and len(v) <= 4):
        raise NotFound()
    row = q.pick(versions, int(v) if v else None)
    body = DisclosureOutSchema().dump(row)
    body["versions"] = [{"version": r.version, "status": r.status} for r in versions]
    return body


@pages.get("/public/api/totals/<month>")
@public
@doc(summary="The month's figures summed over the city, or a district with ?district=CODE (public)",
     tags=("public",))
def public_api_totals(month):
    first = _month(month)
    ids = None
    if request.args.get("district"):
        ids = [s.id for s in q.district_by_code(db.session, request.args["district"]).stores]
    t = q.totals(db.session, first, ids)
    return {"month": first.strftime("%Y-%m"), "stores": t.stores, "figures": t.figures}


@pages.get("/public/api/trace/<token>")
@public
@doc(summary="Where a donation went, by the token on its receipt's QR code (public)", tags=("public",))
def public_api_trace(token):
    view = tr.trace(db.session, token)
    if view is None:
        abort(404)
    body = asdict(view)
    body["donated_on"] = view.donated_on.isoformat()
    for line, src in zip(body["lines"], view.lines, strict=True):
        line["fates"] = [{"kind": f.kind, "label": f.label, "qty": f.qty, "on": f.on.isoformat() if f.on else None,
                          "detail": f.detail} for f in src.fates]
    body["money"] = [{"method": m, "amount_fen": fen} for m, fen in view.money]
    for project in body["projects"]:
        for spend in project["spends"]:
            spend["on"] = spend["on"].isoformat()
    return body
