"""The public verification page (no login): what the certificate's QR code opens. It says whether the star is
valid now, so a printed certificate of a revoked or suspended star is found out."""
from __future__ import annotations

from flask import abort, make_response, render_template

from ..auth.decorators import public
from ..clock import local_today
from ..extensions import db
from ..models import utcnow
from ..stores.models import District
from . import decisions
from .views import bp


@bp.get("/public/rating/<cert_token>")
@public
def public_verify(cert_token):
    found = decisions.by_token(db.session, cert_token)
    if found is None:
        abort(404)
    d, store = found
    today = local_today(utcnow())
    state = decisions.star_state(d, today)
    resp = make_response(render_template("rating/public_verify.html", d=d, store=store, state=state,
                                         district=db.session.get(District, store.district_id)))
    resp.headers["Cache-Control"] = "no-cache"
    return resp


@bp.get("/public/rating")
@public
def publicity_page(posted=None):
    """The results in publicity (公示): store, star proposed, total, rule scores; no personal data. Anyone may
    object, without logging in."""
    from ..forms import Posted
    from . import service

    posted = posted or Posted()
    rows = []
    for a, store in decisions.in_publicity(db.session, utcnow()):
        rows.append((a, store, service.evaluation(db.session, a)))
    return render_template("rating/public_publicity.html", rows=rows, **posted.context), posted.status
