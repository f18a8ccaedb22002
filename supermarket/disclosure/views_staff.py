"""Staff pages: the manager's monthly close (preview, check, confirm) and corrections; the district's calendar of
disclosures with lateness and the auditor's review; a donation's trace token (reissue or revoke)."""
from __future__ import annotations

import json

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..auth.decorators import allow
from ..auth.permissions import OVERSIGHT, Role
from ..clock import local_today, parse_month, previous_month
from ..errors import NotFound
from ..extensions import db
from ..forms import Posted, submit
from ..models import utcnow
from ..web import current_actor
from . import service
from . import trace as tr
from .present import change_label, sections
from .schemas import CloseSchema, CorrectSchema, ReviewSchema, TokenSchema
from .views import bp


def _month_arg(default):
    value = request.args.get("month", "")
    if not value:
        return default
    try:
        return parse_month(value)
    except ValueError:
        raise NotFound() from None


@bp.get("/disclosure/")
@allow(Role.STORE_MANAGER, Role.DISTRICT_AUDITOR, Role.FEDERATION_ADMIN)
def home():
    actor = current_actor()
    if actor.role is Role.STORE_MANAGER:
        return redirect(url_for("disclosure.store_close", store_id=actor.store_id))
    return redirect(url_for("disclosure.calendar"))


@bp.route("/disclosure/stores/<uuid:store_id>", methods=["GET", "POST"])
@allow(Role.STORE_MANAGER, Role.FEDERATION_ADMIN)
def store_close(store_id):
    actor = current_actor()
    month = _month_arg(previous_month(local_today()))

    def page(posted=None):
        posted = posted or Posted()
        pv = service.preview(db.session, actor, store_id, month)
        rows = service.list_for(db.session, actor, store_id=store_id)
        return render_template("disclosure/store_close.html", preview=pv, sections=sections(pv.figures),
                               month=month, rows=rows, store=rows[0].store if rows else None,
                               **posted.context), posted.status

    if request.method == "POST":
        return submit(CloseSchema(), lambda d: service.close_month(
            db.session, actor, store_id, d["month"], now=utcnow(), expected_sha256=d["expected_sha256"]),
            done=_("已结账并公示"), then=lambda row: url_for("disclosure.detail", disclosure_id=row.id), page=page)
    return page()


@bp.route("/disclosure/<uuid:disclosure_id>", methods=["GET"])
@allow(Role.STORE_MANAGER, Role.DISTRICT_AUDITOR, Role.FEDERATION_ADMIN)
def detail(disclosure_id, posted=None):
    actor = current_actor()
    row = service.get(db.session, actor, disclosure_id)
    posted = posted or Posted()
    return render_template("disclosure/detail.html", row=row, sections=sections(json.loads(row.figures)),
                           changes=[change_label(p) for p in json.loads(row.changes)],
                           versions=service.versions(db.session, row.store_id, row.month),
                           **posted.context), posted.status


@bp.post("/disclosure/<uuid:disclosure_id>/correct")
@allow(Role.STORE_MANAGER, Role.FEDERATION_ADMIN)
def correct(disclosure_id):
    actor = current_actor()
    return submit(CorrectSchema(), lambda d: service.correct(db.session, actor, disclosure_id, d["reason"],
                                                             now=utcnow()),
                  done=_("更正版本已发布"), then=lambda row: url_for("disclosure.detail", disclosure_id=row.id),
                  page=lambda posted: detail(disclosure_id, posted=posted), form="correct")


@bp.post("/disclosure/<uuid:disclosure_id>/review")
@allow(*OVERSIGHT)
def review(disclosure_id):
    actor = current_actor()
    return submit(ReviewSchema(), lambda d: service.review(db.session, actor, disclosure_id,
                                                           accept=d["decision"] == "accept", note=d["note"],
                                                           now=utcnow()),
                  done=_("审核意见已保存"), then=url_for("disclosure.detail", disclosure_id=disclosure_id),
                  page=lambda posted: detail(disclosure_id, posted=posted), form="review")


@bp.get("/disclosure/calendar")
@allow(*OVERSIGHT)
def calendar():
    actor = current_actor()
    month = _month_arg(previous_month(local_today()))
    return render_template("disclosure/calendar.html", month=month, today=local_today(),
                           rows=service.calendar(db.session, actor, month))


@bp.post("/disclosure/donations/<uuid:donation_id>/trace-token")
@allow(Role.STORE_MANAGER)
def trace_token(donation_id):
    """The manager revokes the donation's 去向码 (a lost receipt) or reissues it (then reprints the receipt)."""
    from ..intake.views import donation_page

    actor = current_actor()
    return submit(TokenSchema(), lambda d: tr.reissue(db.session, actor, donation_id, now=utcnow(),
                                                      revoke_only=d["action"] == "revoke"),
                  done=lambda tok: _("已生成新的去向码，旧码已失效；请补打收据交给捐赠人") if tok else
                  _("去向码已作废，原收据上的二维码不再能打开"),
                  then=url_for("intake.donation", donation_id=donation_id),
                  page=lambda posted: donation_page(donation_id, posted), form="trace_token")
