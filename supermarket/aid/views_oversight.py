"""Auditor flags: computed for a month, each with its review note."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from . import service
from ..auth.decorators import allow
from ..auth.permissions import OVERSIGHT
from ..extensions import db
from ..models import utcnow
from ..web import current_actor, form_data, load
from .views import bp, month_or_default
from .schemas import FlagReviewSchema, MonthQuerySchema


@bp.get("/aid/flags")
@allow(*OVERSIGHT)
def flags():
    q = load(MonthQuerySchema(), form_data(request.args))
    month = month_or_default(q["month"])
    rows = service.list_flags(db.session, current_actor(), month)
    open_count = sum(1 for f in rows if f.review is None)
    return render_template("aid/flags.html", rows=rows, month=month, open_count=open_count,
                           kinds=service.KINDS)


@bp.post("/aid/flags/review")
@allow(*OVERSIGHT)
def flag_review():
    data = load(FlagReviewSchema(), form_data(request.form))
    service.review_flag(db.session, current_actor(), key=data["key"], month=month_or_default(data["month"]),
                             note=data["note"], now=utcnow())
    flash(_("已标记为已核查"))
    return redirect(url_for("aid.flags", month=data["month"]))
