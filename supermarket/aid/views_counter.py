"""The aid home page and the counter (the tablet page that hands goods out)."""
from __future__ import annotations

from flask import render_template

from . import service
from ..auth.decorators import allow
from ..auth.permissions import ALL_STAFF, Role
from ..extensions import db
from ..models import utcnow
from ..web import current_actor
from .views import bp
from ..clock import local_today


@bp.get("/aid")
@allow(*ALL_STAFF)
def home():
    actor = current_actor()
    today = local_today(utcnow())
    recent = service.list_distributions(db.session, actor, day_from=today, day_to=today, limit=20)
    return render_template("aid/home.html", recent=recent)


@bp.get("/aid/counter")
@allow(Role.CASHIER, Role.STORE_MANAGER)
def counter():
    return render_template("aid/counter.html")
