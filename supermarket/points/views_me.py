"""The resident's own pages, phone-sized: log in with phone and PIN; balance, points expiring soon, history,
and the member code as a QR code to show at the till.

A resident is not a staff user: their login lives in the Flask session under its own key, as
`<resident id>:<session_version>` (a PIN change or a suspension ends it), and every page checks it itself.
"""
from __future__ import annotations

import uuid
from functools import wraps

from printing.barcodes import qr_svg
from flask import Blueprint, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from ..auth.decorators import public
from ..errors import InvalidInput
from ..extensions import db, limiter, login_rate_limit
from ..forms import post_form
from ..models import utcnow
from . import pin_reset, queries, residents
from .models import Resident
from .schemas import MeLoginSchema

bp = Blueprint("me", __name__, url_prefix="/me")
SESSION_KEY = "resident"
RESIDENT = "resident"  # the access a resident_required view declares (tests/test_routes_declared.py)


def current_resident() -> Resident | None:
    raw = session.get(SESSION_KEY)
    try:
        resident_id, version = str(raw).split(":")
        resident = db.session.get(Resident, uuid.UUID(resident_id))
    except (ValueError, AttributeError):
        return None
    if resident is None or str(resident.session_version) != version or resident.status != "active":
        return None
    return resident


def resident_required(view):
    """Let in only a logged-in resident (not staff): others go to the resident login."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        resident = current_resident()
        if resident is None:
            session.pop(SESSION_KEY, None)
            return redirect(url_for("points.me.login"))
        g.resident = resident
        return view(*args, **kwargs)

    wrapped.access = RESIDENT
    return wrapped


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(login_rate_limit, methods=["POST"])
def login():
    error, phone = None, ""
    if request.method == "POST":
        posted = post_form(MeLoginSchema(), lambda data: residents.authenticate_resident(
            db.session, data["phone"], data["pin"], now=utcnow()))
        phone = posted.values.get("phone", "")[:20]
        if posted.ok:
            session[SESSION_KEY] = f"{posted.result.id}:{posted.result.session_version}"
            session.permanent = True
            return redirect(url_for("points.me.home"))
        error = _("请输入手机号和 PIN") if posted.status == InvalidInput.status else posted.error
    return render_template("points/me_login.html", error=error, phone=phone), 200 if error is None else 401


@bp.post("/logout")
@public
def logout():
    session.pop(SESSION_KEY, None)
    return redirect(url_for("points.me.login"))


def member_qr_svg(code: str) -> str:
    """The member code as an inline SVG QR code (scaled by CSS; no external asset)."""
    return qr_svg(code)


@bp.get("")
@resident_required
def home():
    resident: Resident = g.resident
    now = utcnow()
    return render_template("points/me.html", resident=resident, qr=member_qr_svg(resident.member_code),
                           expiring=queries.expiring_soon(db.session, resident.id, now),
                           entries=queries.history(db.session, resident.id, limit=30),
                           store_label=queries.store_labeller(db.session, None), kind_label=queries.kind_label,
                           pin_resets=pin_reset.recent_resets(db.session, resident.id, now=now))
