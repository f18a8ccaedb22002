"""Pages for volunteer service: entering a shift, the approval queue, objections, and the public notice."""
from __future__ import annotations

import uuid

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..auth.decorators import allow, public
from ..auth.permissions import Role
from ..extensions import db
from ..forms import Posted, submit
from ..models import utcnow
from ..privacy import mask_name
from ..web import current_actor, form_data, load
from . import credits, queries
from .credits import Claim
from .rules import current_table_or_none
from .schemas import CreditsQuerySchema, ObjectionSchema, ReasonSchema, ResolveSchema, ShiftInSchema

bp = Blueprint("credits", __name__, url_prefix="/points")
MANAGERS = (Role.STORE_MANAGER, Role.FEDERATION_ADMIN)
PAGE = 50


@bp.route("/shifts/new", methods=["GET", "POST"])
@allow(Role.CASHIER, Role.STORE_MANAGER)
def new_shift():
    actor = current_actor()

    def page(posted=Posted(values={"idempotency_key": str(uuid.uuid4()),
                                   "member_code": request.args.get("code", "")[:32]})):
        table = current_table_or_none(db.session, utcnow())
        activities = [a for a in table.activities if a.kind == "hourly"] if table else []
        return render_template("points/shift_form.html", activities=activities, table=table,
                               **posted.context), posted.status

    def enter(data):
        return credits.enter_shift(
            db.session, actor, Claim(member_code=data["member_code"], activity_code=data["activity"],
                                     occurred_at=data["started_at"], started_at=data["started_at"],
                                     ended_at=data["ended_at"], note=data["note"],
                                     minutes=int((data["ended_at"] - data["started_at"]).total_seconds() // 60)),
            store_id=actor.store_id, idempotency_key=str(data["idempotency_key"]), now=utcnow())

    if request.method == "POST":
        return submit(ShiftInSchema(), enter,
                      done=lambda credit: _("已登记 %(points)d 积分，等待店长审核", points=credit.points),
                      then=url_for("points.credits.queue"), page=page)
    return page()


@bp.get("/credits")
@allow(Role.CASHIER, Role.STORE_MANAGER, Role.DISTRICT_AUDITOR, Role.FEDERATION_ADMIN)
def queue():
    actor = current_actor()
    q = load(CreditsQuerySchema(), form_data(request.args))
    rows = credits.list_credits(db.session, actor, status=q["status"], limit=PAGE + 1,
                                offset=(q["page"] - 1) * PAGE)
    return render_template("points/credits.html", credits=rows[:PAGE], has_more=len(rows) > PAGE, q=q,
                           can_approve=credits.can_approve, display_name=queries.display_name,
                           store_label=queries.store_labeller(db.session, actor))


def _back():
    return redirect(request.referrer if (request.referrer or "").startswith(request.host_url)
                    else url_for("points.credits.queue"))


@bp.post("/credits/<uuid:credit_id>/approve")
@allow(*MANAGERS)
def approve(credit_id):
    credit = credits.approve_credit(db.session, current_actor(), credit_id, now=utcnow())
    flash(_("已审核：%(points)d 积分%(how)s", points=credit.points,
            how=_("已入账") if credit.status == "credited" else _("，公示中")))
    return _back()


@bp.post("/credits/<uuid:credit_id>/reject")
@allow(*MANAGERS)
def reject(credit_id):
    data = load(ReasonSchema(), form_data(request.form))
    credits.reject_credit(db.session, current_actor(), credit_id, reason=data["reason"], now=utcnow())
    flash(_("已驳回"))
    return _back()


@bp.post("/credits/<uuid:credit_id>/objections")
@allow(Role.CASHIER, *MANAGERS)
def object_to(credit_id):
    data = load(ObjectionSchema(), form_data(request.form))
    credits.object_to_credit(db.session, current_actor(), credit_id, now=utcnow(), **data)
    flash(_("异议已登记，该记录暂缓入账"))
    return _back()


@bp.post("/credits/<uuid:credit_id>/objections/resolve")
@allow(*MANAGERS)
def resolve(credit_id):
    data = load(ResolveSchema(), form_data(request.form))
    credits.resolve_objection(db.session, current_actor(), credit_id, data["objection_id"], upheld=data["upheld"],
                              note=data["note"], now=utcnow())
    flash(_("异议已处理"))
    return _back()


@bp.get("/notice")
@public
def notice():
    """The public notice (公示) of credits before they land: masked names, no store data."""
    rows = credits.on_notice(db.session, utcnow())
    return render_template("points/notice.html", credits=rows, mask_name=mask_name)
