"""Intake pages: the intake screen, money donations, donations list and detail with receipt and labels, and
the monthly report. Donor and pledge pages are in views_people.py (same blueprint)."""
from __future__ import annotations

import uuid
from datetime import date
from io import BytesIO

from flask import Blueprint, current_app, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..clock import local_today
from ..auth.decorators import allow
from ..auth.permissions import ALL_STAFF, STORE_ROLES
from ..catalog.service import list_categories
from ..forms import Posted, submit
from ..exports import DATETIME, INT, MONEY_FEN, TEXT, col, export_response, page_args, requested_format
from ..extensions import db, limiter, login_rate_limit
from ..models import utcnow
from .. import wiring
from ..stores import service as stores
from ..web import current_actor, load, send_pdf
from . import documents, donors, pledges, report, service
from .photos import DEFAULT_MAX_BYTES
from .schemas import LabelsQuerySchema, MoneyFormSchema, PageQuerySchema, ReportQuerySchema

bp = Blueprint("intake", __name__, template_folder="templates", url_prefix="/intake")



@bp.context_processor
def labels():
    return {"METHOD_LABELS": {"cash": _("现金"), "wechat": _("微信支付"), "alipay": _("支付宝"),
                              "bank_transfer": _("银行转账")},
            "BASIS_LABELS": {"invoice": _("发票/凭证"), "market": _("市场价"), "appraisal": _("评估价"),
                             "declared": _("捐赠人申报"), "unvalued": _("无法估值")},
            "DONOR_KIND_LABELS": {"person": _("个人"), "organisation": _("单位")}}


@bp.get("/new")
@allow(*STORE_ROLES)
def intake_new():
    """The intake screen: donor, lines (scan or create), the second person's confirmation, then save."""
    actor = current_actor()
    categories = [{"id": str(c.id), "name": c.name, "is_food": c.is_food, "prohibited": c.prohibited,
                   "prohibited_reason": c.prohibited_reason, "near_expiry_days": c.near_expiry_days}
                  for c in list_categories(db.session)]
    return render_template("intake/intake.html", categories=categories, idempotency_key=uuid.uuid4(),
                           pledges=_open_pledges(actor),
                           store=stores.get_store(db.session, actor, actor.store_id),
                           photo_max_bytes=current_app.config.get("INTAKE_PHOTO_MAX_BYTES", DEFAULT_MAX_BYTES))


@bp.route("/money/new", methods=["GET", "POST"])
@allow(*STORE_ROLES)
@limiter.limit(login_rate_limit, methods=["POST"])  # the checker's password is tried here, like a login
def money_new():
    """A money donation into the donation fund (cash, WeChat, Alipay, bank transfer), with its receipt."""
    actor = current_actor()

    def page(posted=Posted(values={"idempotency_key": str(uuid.uuid4())})):
        posted.values.pop("checker_password", None)
        posted.values.pop("checker_secret", None)
        choices = donors.donor_choices(db.session, actor, q=request.args.get("donor_q", ""),
                                       selected=posted.values.get("donor_id") or request.args.get("donor_id"))
        return render_template("intake/money_form.html", donors=[donors.present(actor, d) for d in choices],
                               donor_count=choices.total, donor_q=choices.extra["q"],
            pledges=_open_pledges(actor),
                               **posted.context), posted.status

    if request.method == "POST":
        return submit(MoneyFormSchema(), lambda data: service.record_donation(
            db.session, actor, data, pii_key=current_app.config["PII_HASH_KEY"], now=utcnow()),
            done=lambda result: _("已登记捐款，收据编号 %(serial)s", serial=result.donation.serial),
            then=lambda result: url_for("intake.donation", donation_id=result.donation.id, saved=1), page=page)
    return page()


def _open_pledges(actor) -> list[tuple]:
    """The store's unpaid pledges with their donor as the actor may see them, for a 兑现认捐 choice."""
    return [(p, donors.present(actor, p.donor)) for p in pledges.list_pledges(db.session, actor)]


def DONATION_COLUMNS(actor):  # noqa: N802 (a table of columns, built per actor for the donor's masking)
    return [
        col(_l("收据编号"), TEXT, "serial"),
        col(_l("门店"), TEXT, lambda d: d.store.code),
        col(_l("时间"), DATETIME, "received_at"),
        col(_l("捐赠人"), TEXT, lambda d: donors.display_name(actor, d)),
        col(_l("件数"), INT, "unit_count"),
        col(_l("价值"), MONEY_FEN, "total_value_fen"),
        col(_l("含捐款"), MONEY_FEN, "money_fen"),
        col(_l("接收"), TEXT, "receiver_name"),
        col(_l("复核"), TEXT, "checker_name"),
    ]


@bp.get("/donations")
@allow(*ALL_STAFF)
def donations():
    actor = current_actor()
    page = load(PageQuerySchema(), page_args())
    fmt = requested_format()
    if fmt:
        return export_response(DONATION_COLUMNS(actor), service.iter_donations(db.session, actor), fmt, "donations")
    rows = service.list_donations(db.session, actor, limit=page["limit"], offset=page["offset"])
    return render_template("intake/donations.html", donations=rows, page=page,
                           names={d.id: donors.display_name(actor, d) for d in rows})


def donation_page(donation_id, posted: Posted | None = None):
    """The donation's page; `posted` is a refused form of its trace-token panel (shown beside the buttons)."""
    actor = current_actor()
    posted = posted or Posted()
    d = service.get_donation(db.session, actor, donation_id)
    return render_template("intake/donation.html", d=d, donor=donors.present(actor, d.donor),
                           just_saved=request.args.get("saved") == "1",
                           trace=wiring.donation_trace_panel(db.session, actor, d),
                           trace_action=url_for(wiring.DONATION_TRACE_ACTION, donation_id=d.id),
                           **labels(), **posted.context), posted.status  # labels: also shown from another blueprint


@bp.get("/donations/<uuid:donation_id>")
@allow(*ALL_STAFF)
def donation(donation_id):
    return donation_page(donation_id)


@bp.get("/donations/<uuid:donation_id>/receipt.pdf")
@allow(*ALL_STAFF)
def receipt_pdf(donation_id):
    return send_pdf(*documents.receipt_pdf(db.session, current_actor(), donation_id, now=utcnow()))


@bp.get("/donations/<uuid:donation_id>/labels.pdf")
@allow(*ALL_STAFF)
def labels_pdf(donation_id):
    query = load(LabelsQuerySchema(), request.args.to_dict())
    return send_pdf(*documents.labels_pdf(db.session, current_actor(), donation_id, **query))


@bp.get("/donations/<uuid:donation_id>/photo")
@allow(*ALL_STAFF)
def photo(donation_id):
    row = service.get_photo(db.session, current_actor(), donation_id)
    return send_file(BytesIO(row.data), mimetype=row.content_type, max_age=0)


@bp.get("/report")
@allow(*ALL_STAFF)
def monthly_report():
    """Monthly intake report of one store: count, value by category, money by method."""
    actor = current_actor()
    q = load(ReportQuerySchema(), request.args.to_dict())
    visible = stores.list_stores(db.session, actor)
    store_id = q["store_id"] or actor.store_id or (visible[0].id if visible else None)
    today = local_today(utcnow())
    month = date(int(q["month"][:4]), int(q["month"][5:]), 1) if q["month"] else today.replace(day=1)
    data = report.monthly_report(db.session, actor, store_id, month) if store_id else None
    return render_template("intake/report.html", r=data, stores=visible, month=month)


from . import views_people  # noqa: E402,F401  (donor and pledge pages on the same blueprint)
