"""Donor and pledge pages: donors with their city-wide history, pledges with the overdue list and follow-ups."""
from __future__ import annotations

from flask import current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..auth.decorators import allow
from ..auth.permissions import ALL_STAFF, STORE_ROLES, is_manager_of, is_store_staff
from ..exports import (DATE, DATETIME, INT, MONEY_FEN, TEXT, col, export_response, page_args,
                       requested_format)
from ..extensions import db
from ..forms import Posted, submit
from ..models import utcnow
from ..web import current_actor, load
from . import donors, pledges
from .schemas import CancelFormSchema, DonorFormSchema, FollowUpFormSchema, PageQuerySchema, PledgeFormSchema
from .views import bp


@bp.get("/donors")
@allow(*ALL_STAFF)
def donor_list():
    actor = current_actor()
    page = load(PageQuerySchema(), page_args())
    fmt = requested_format()
    if fmt:
        kinds = {"person": _("个人"), "organisation": _("单位")}
        # donors.present() masks as the screen does (name, phone) for whoever is looking.
        found = donors.list_donors(db.session, actor, q=page["q"], limit=None)
        rows = ((donors.present(actor, d), d.store.code) for d in found)
        columns = [col(_l("捐赠人"), TEXT, lambda r: r[0].name), col(_l("类型"), TEXT, lambda r: kinds[r[0].kind]),
                   col(_l("联系人"), TEXT, lambda r: r[0].contact_person), col(_l("电话"), TEXT, lambda r: r[0].phone),
                   col(_l("登记门店"), TEXT, lambda r: r[1])]
        return export_response(columns, rows, fmt, "donors")
    rows = donors.list_donors(db.session, actor, q=page["q"], limit=page["limit"], offset=page["offset"])
    return render_template("intake/donors.html", donors=[donors.present(actor, d) for d in rows],
                           stores={d.id: d.store for d in rows}, page=page)


@bp.route("/donors/new", methods=["GET", "POST"])
@allow(*STORE_ROLES)
def donor_new():
    def page(posted=Posted(values={"kind": "person"})):
        posted.values.pop("id_number", None)  # never echoed back into a page
        # the service names a donor's fields under `donor.` (it also checks them inside a donation)
        posted.fields = {k.removeprefix("donor."): v for k, v in posted.fields.items()}
        return render_template("intake/donor_form.html", **posted.context), posted.status

    if request.method == "POST":
        return submit(DonorFormSchema(), lambda data: donors.create_donor(
            db.session, current_actor(), data, pii_key=current_app.config["PII_HASH_KEY"], now=utcnow()),
            done=_("已登记捐赠人"), then=lambda donor: url_for("intake.donor", donor_id=donor.id), page=page)
    return page()


@bp.get("/donors/<uuid:donor_id>")
@allow(*ALL_STAFF)
def donor(donor_id):
    """A donor with their history across the city and their pledges."""
    actor = current_actor()
    row = donors.get_donor(db.session, actor, donor_id)
    return render_template("intake/donor.html", donor=donors.present(actor, row), store=row.store,
                           history=donors.donor_history(db.session, actor, row),
                           pledges=pledges.list_pledges(db.session, actor, donor_id=row.id, include_closed=True),
                           now=utcnow(), can_pledge=is_store_staff(actor, row.store_id))


def _pledge_columns(actor, now) -> list:
    """The open pledges' table (the overdue one is its rows with 逾期天数 past the limit), donors masked as on
    the screen."""
    return [
        col(_l("门店"), TEXT, lambda p: p.donor.store.code),  # a pledge is its donor's store's
        col(_l("认捐人"), TEXT, lambda p: donors.present(actor, p.donor).name),
        col(_l("内容"), TEXT, lambda p: (_("款项") if p.kind == "money" else _("物资"))
            + (f"：{p.description}" if p.description else "")),
        col(_l("认捐金额"), MONEY_FEN, "amount_fen"),
        col(_l("未兑现"), MONEY_FEN, "outstanding_fen"),
        col(_l("到期日"), DATE, "due_date"),
        col(_l("逾期天数"), INT, lambda p: pledges.days_overdue(p, now)),
        col(_l("最近跟进"), DATETIME, lambda p: p.follow_ups[0].contacted_at if p.follow_ups else None),
        col(_l("跟进情况"), TEXT, lambda p: p.follow_ups[0].note if p.follow_ups else ""),
    ]


@bp.get("/pledges")
@allow(*ALL_STAFF)
def pledge_list():
    actor = current_actor()
    now = utcnow()
    fmt = requested_format()
    if fmt:
        return export_response(_pledge_columns(actor, now), pledges.iter_pledges(db.session, actor), fmt, "pledges")
    return render_template("intake/pledges.html", now=now, days_overdue=pledges.days_overdue,
                           overdue=pledges.overdue_page(db.session, actor, now=now, page=request.args.get("page")),
                           open_pledges=pledges.list_pledges(db.session, actor),
                           open_total=pledges.count_open(db.session, actor),
                           present=lambda d: donors.present(actor, d),
                           overdue_days=pledges.DEFAULT_OVERDUE_DAYS)


@bp.route("/pledges/new", methods=["GET", "POST"])
@allow(*STORE_ROLES)
def pledge_new():
    actor = current_actor()

    def page(posted=Posted(values={"kind": "money", "donor_id": request.args.get("donor_id", "")})):
        choices = donors.donor_choices(db.session, actor, q=request.args.get("donor_q", ""),
                                       selected=posted.values.get("donor_id") or request.args.get("donor_id"))
        return render_template("intake/pledge_form.html", donors=[donors.present(actor, d) for d in choices],
                               donor_count=choices.total, donor_q=choices.extra["q"],
                               **posted.context), posted.status

    if request.method == "POST":
        return submit(PledgeFormSchema(), lambda data: pledges.create_pledge(db.session, actor, data, now=utcnow()),
                      done=_("已登记认捐"), then=lambda pledge: url_for("intake.pledge", pledge_id=pledge.id),
                      page=page)
    return page()


def _pledge_page(pledge_id, posted: Posted = Posted()):
    actor = current_actor()
    row = pledges.get_pledge(db.session, actor, pledge_id)
    return render_template("intake/pledge.html", p=row, donor=donors.present(actor, row.donor), now=utcnow(),
                           days_overdue=pledges.days_overdue, **posted.context,
                           can_follow=is_store_staff(actor, row.store_id),
                           can_cancel=is_manager_of(actor, row.store_id) and row.status == "open",
                           fulfilments=pledges.fulfilling_donations(db.session, row)), posted.status


@bp.get("/pledges/<uuid:pledge_id>")
@allow(*ALL_STAFF)
def pledge(pledge_id):
    return _pledge_page(pledge_id)


@bp.post("/pledges/<uuid:pledge_id>/follow-ups")
@allow(*STORE_ROLES)
def pledge_follow_up(pledge_id):
    return submit(FollowUpFormSchema(), lambda data: pledges.add_follow_up(
        db.session, current_actor(), pledge_id, note=data["note"], next_contact_on=data["next_contact_on"],
        now=utcnow()), done=_("已记录跟进"), then=url_for("intake.pledge", pledge_id=pledge_id), form="follow_up",
        page=lambda posted: _pledge_page(pledge_id, posted))


@bp.post("/pledges/<uuid:pledge_id>/cancel")
@allow(*STORE_ROLES)
def pledge_cancel(pledge_id):
    return submit(CancelFormSchema(), lambda data: pledges.cancel_pledge(
        db.session, current_actor(), pledge_id, reason=data["reason"], now=utcnow()),
        done=_("已撤销认捐"), then=url_for("intake.pledge", pledge_id=pledge_id), form="cancel",
        page=lambda posted: _pledge_page(pledge_id, posted))
