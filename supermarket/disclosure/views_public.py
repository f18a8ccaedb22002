"""The public pages (no login): the city, its districts, each store and its monthly disclosures (page, PDF and
核验), and the trace of a donation (捐赠去向). Published versions never change, so each page answers with an ETag
of the versions it shows and may be cached by the browser and any proxy until a new version is published."""
from __future__ import annotations

import hashlib

from flask import abort, make_response, render_template, request, url_for
from flask_babel import get_locale

from ..audit.against import verify_against
from ..auth.decorators import public
from ..clock import local_today, parse_month
from ..errors import NotFound
from ..extensions import db
from ..models import utcnow
from ..web import current_actor, send_pdf
from . import public as q
from . import public_projects as pp
from . import trace as tr
from .documents import disclosure_pdf
from .present import change_label, sections
from .views import bp

MAX_AGE_S = 300


def _month(value: str):
    try:
        return parse_month(value)
    except ValueError:
        raise NotFound() from None


def _version():
    v = request.args.get("v", "")
    if not v:
        return None
    if not v.isdigit() or len(v) > 4:
        raise NotFound()
    return int(v)


def _cached(etag_parts, render):
    """Answer 304 when the client holds this exact content; otherwise render with an ETag. The page differs
    by language and by whether someone is logged in (the header shows them), so both are in the tag."""
    actor = current_actor()
    tag = hashlib.sha256("|".join(map(str, [*etag_parts, get_locale(), actor.username])).encode()).hexdigest()[:32]
    if tag in request.if_none_match:
        resp = make_response("", 304)
    else:
        resp = make_response(render())
    resp.set_etag(tag)
    resp.headers["Cache-Control"] = (f"public, max-age={MAX_AGE_S}" if not actor.is_authenticated
                                     else "private, no-cache")
    resp.headers["Vary"] = "Cookie, Accept-Language"
    return resp


@bp.get("/public/")
@public
def public_city():
    from ..stores.models import District
    from sqlalchemy.orm import selectinload
    # every district's stores in one more statement, not one per district
    districts = db.session.query(District).options(selectinload(District.stores)).order_by(District.code).all()
    stores = [s for d in districts for s in d.stores if s.status != "preparing"]
    latest = q.latest_months(db.session, [s.id for s in stores])
    months = q.published_months(db.session)
    totals = q.totals(db.session, months[0]) if months else None
    projects = pp.projects(db.session)
    return _cached(["city", *months[:1], len(latest), *sorted(str(m) for m in latest.values()),
                    pp.etag_part(projects)],
                   lambda: render_template("disclosure/public_city.html", districts=districts, latest=latest,
                                           totals=totals, sections=sections(totals.figures) if totals else [],
                                           months=months, star=q.star, projects=projects))


@bp.get("/public/districts/<code>")
@public
def public_district(code):
    district = q.district_by_code(db.session, code)
    stores = [s for s in district.stores if s.status != "preparing"]
    ids = [s.id for s in stores]
    months = q.published_months(db.session, ids)
    month = _month(request.args["month"]) if request.args.get("month") else (months[0] if months else None)
    totals = q.totals(db.session, month, ids) if month else None
    latest = q.latest_months(db.session, ids)
    projects = pp.projects(db.session, district_id=district.id)
    return _cached(["district", district.code, month, len(latest), *sorted(str(m) for m in latest.values()),
                    pp.etag_part(projects)],
                   lambda: render_template("disclosure/public_district.html", district=district, stores=stores,
                                           months=months, month=month, totals=totals, latest=latest, star=q.star,
                                           sections=sections(totals.figures) if totals else [],
                                           projects=projects))


@bp.get("/public/stores/<code>")
@public
def public_store(code):
    store = q.store_by_code(db.session, code)
    entries = q.store_months(db.session, store.id)
    funcs = q.functions(db.session, store.id, now=utcnow())
    projects = pp.projects(db.session, store_id=store.id)
    sessions = pp.sessions(db.session, store.id)
    hours = q.opening_hours(db.session, store.id)
    star = q.star_info(db.session, store, today=local_today())
    return _cached(["store", store.code, star, store.phone, local_today(), *[e.current.id for e in entries],
                    *[f.active for f in funcs], pp.etag_part([projects, sessions, hours, store.address,
                                                              store.opening_hours])],
                   lambda: render_template("disclosure/public_store.html", store=store, entries=entries,
                                           functions=funcs, star=star, projects=projects,
                                           sessions=sessions, hours=hours))


def _published(code, month):
    store = q.store_by_code(db.session, code)
    versions = q.month_versions(db.session, store.id, _month(month))
    row = q.pick(versions, _version())
    newer = versions[0].version if row.status == "superseded" else None
    return store, versions, row, newer


@bp.get("/public/stores/<code>/<month>")
@public
def public_month(code, month):
    import json

    store, versions, row, newer = _published(code, month)
    return _cached(["month", row.id, newer],
                   lambda: render_template("disclosure/public_month.html", store=store, row=row, versions=versions,
                                           newer=newer, sections=sections(json.loads(row.figures)),
                                           changes=[change_label(p) for p in json.loads(row.changes)]))


@bp.get("/public/stores/<code>/<month>/pdf")
@public
def public_month_pdf(code, month):
    store, versions, row, newer = _published(code, month)
    verify = url_for("disclosure.public_verify", code=store.code, month=month, v=row.version, _external=True)
    return send_pdf(disclosure_pdf(row, verify_url=verify, superseded_by=newer),
                    f"disclosure-{store.code}-{row.month:%Y-%m}-v{row.version}.pdf")


@bp.get("/public/stores/<code>/<month>/verify")
@public
def public_verify(code, month):
    store, versions, row, newer = _published(code, month)
    result = verify_against(db.session, str(store.id), row.chain_head_hash, event_count=row.chain_event_count)
    resp = make_response(render_template("disclosure/public_verify.html", store=store, row=row, result=result))
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.get("/public/trace/<token>")
@public
def public_trace(token):
    view = tr.trace(db.session, token)
    if view is None:
        abort(404)
    resp = make_response(render_template("disclosure/public_trace.html", view=view))
    # The token is the donor's key: never cached by a shared proxy, never sent on as a referrer.
    resp.headers["Cache-Control"] = "private, no-store"
    resp.headers["Referrer-Policy"] = "no-referrer"
    return resp
