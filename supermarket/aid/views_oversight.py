"""Auditor flags: computed for a month, each with its review note."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..auth.decorators import allow
from ..auth.permissions import OVERSIGHT
from ..extensions import db
from ..models import utcnow
from ..web import current_actor, form_data, load
from . import flags as flag_service
from .blueprint import bp, parse_month
from .schemas import FlagReviewSchema, MonthQuerySchema


@bp.get("/aid/flags")
@allow(*OVERSIGHT)
def flags():
    q = load(MonthQuerySchema(), form_data(request.args))
    month = parse_month(q["month"])
    rows = flag_service.list_flags(db.session, current_actor(), month)
    open_count = sum(1 for f in rows if f.review is None)
    return render_template("aid/flags.html", rows=rows, month=month, open_count=open_count,
                           kinds=flag_service.KINDS)


@bp.post("/aid/flags/review")
@allow(*OVERSIGHT)
def flag_review():
    data = load(FlagReviewSchema(), form_data(request.form))
    flag_service.review_flag(db.session, current_actor(), key=data["key"], month=parse_month(data["month"]),
                             note=data["note"], now=utcnow())
    flash(_("已标记为已核查"))
    return redirect(url_for("aid.flags", month=data["month"]))
