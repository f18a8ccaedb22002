"""Campaign pages: the list, a new campaign with its pack, the household list, recording hand-outs, the
sign-off sheet PDF and the photographed signed sheet."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..auth.decorators import allow
from ..auth.permissions import ALL_STAFF, Role
from ..errors import DomainError, InvalidInput
from ..extensions import db
from ..models import utcnow
from ..web import current_actor, form_data, load, send_pdf
from . import campaigns, documents
from .blueprint import act, bp
from .entitlements import list_categories
from .handout import Approval, ProxyInput
from ..clock import local_today
from .images import PHOTO_MAX_BYTES
from .schemas import CampaignFormSchema, CampaignHandoutFormSchema, CampaignHouseholdsSchema

STAFF = (Role.CASHIER, Role.STORE_MANAGER)


@bp.get("/aid/campaigns", endpoint="campaigns")
@allow(*ALL_STAFF)
def campaigns_list():
    return render_template("aid/campaigns.html", rows=campaigns.list_campaigns(db.session, current_actor()))


def _pack_lines(text: str) -> list[dict]:
    """`barcode qty` per line (qty defaults to 1)."""
    lines = []
    for raw in (text or "").splitlines()[:20]:
        parts = raw.split()
        if parts:
            qty = parts[1] if len(parts) > 1 else "1"
            lines.append({"barcode": parts[0], "qty": int(qty) if qty.isdigit() and len(qty) < 6 else qty})
    return lines


@bp.route("/aid/campaigns/new", methods=["GET", "POST"])
@allow(Role.STORE_MANAGER)
def campaign_new():
    error, fields, values = None, {}, {}
    if request.method == "POST":
        values = form_data(request.form)
        data = dict(values, pack=_pack_lines(values.get("pack", "")),
                    counts_toward_entitlement=request.form.get("counts_toward_entitlement") == "on")
        try:
            campaign = campaigns.create_campaign(db.session, current_actor(), **load(CampaignFormSchema(), data))
        except DomainError as e:
            error, fields = e.message, e.extra.get("fields", {})
        else:
            flash(_("已创建活动 %(name)s", name=campaign.name))
            return redirect(url_for("aid.campaign", campaign_id=campaign.id))
    return render_template("aid/campaign_form.html", error=error, fields=fields, values=values), \
        200 if not error else 422


def _page(campaign_id, *, error=None, status=200):
    actor = current_actor()
    campaign = campaigns.get_campaign(db.session, actor, campaign_id)
    rows = campaigns.campaign_rows(db.session, campaign)
    return render_template("aid/campaign.html", c=campaign, rows=rows, error=error,
                           pack=campaigns.pack_description(db.session, campaign),
                           photos=campaigns.sheet_photos(db.session, campaign),
                           categories=list_categories(db.session), today=local_today(utcnow()),
                           can_manage=campaigns.can_manage(actor, campaign.store_id)), status


@bp.get("/aid/campaigns/<uuid:campaign_id>")
@allow(*ALL_STAFF)
def campaign(campaign_id):
    return _page(campaign_id)


def _act(campaign_id, action, done: str):
    return act(action, done=done, then=url_for("aid.campaign", campaign_id=campaign_id),
               refused=lambda message, status: _page(campaign_id, error=message, status=status))


@bp.post("/aid/campaigns/<uuid:campaign_id>/households")
@allow(Role.STORE_MANAGER, Role.FEDERATION_ADMIN)
def campaign_households(campaign_id):
    data = load(CampaignHouseholdsSchema(), form_data(request.form))
    codes = data["codes"].replace("，", ",").replace(",", " ").split()
    return _act(campaign_id, lambda: campaigns.add_households(
        db.session, current_actor(), campaign_id, codes=codes, category_code=data["category_code"]),
        _("名单已更新"))


@bp.post("/aid/campaigns/<uuid:campaign_id>/handout")
@allow(*STAFF)
def campaign_handout(campaign_id):
    data = load(CampaignHandoutFormSchema(), form_data(request.form))
    witness = Approval(data["witness_username"], data["witness_password"]) if data["witness_username"] else None
    proxy = ProxyInput(data["proxy_name"], data["proxy_relation"] or _("未填")) if data["proxy_name"] else None
    handout = campaigns.CampaignHandout(household_id=data["household_id"], witness=witness, proxy=proxy)
    return _act(campaign_id, lambda: campaigns.record_handout(db.session, current_actor(), campaign_id, handout,
                                                              now=utcnow()), _("已登记领取"))


@bp.post("/aid/campaigns/<uuid:campaign_id>/photo")
@allow(*STAFF)
def campaign_photo(campaign_id):
    upload = request.files.get("photo")

    def attach():
        if upload is None:
            raise InvalidInput(_("请选择照片"))
        campaigns.attach_sheet_photo(db.session, current_actor(), campaign_id,
                                     upload.read(PHOTO_MAX_BYTES + 1))
    return _act(campaign_id, attach, _("签收表照片已上传"))


@bp.post("/aid/campaigns/<uuid:campaign_id>/close")
@allow(Role.STORE_MANAGER)
def campaign_close(campaign_id):
    return _act(campaign_id, lambda: campaigns.close_campaign(db.session, current_actor(), campaign_id),
                _("活动已结束"))


@bp.get("/aid/campaigns/<uuid:campaign_id>/sheet.pdf")
@allow(*ALL_STAFF)
def campaign_sheet(campaign_id):
    c = campaigns.get_campaign(db.session, current_actor(), campaign_id)
    return send_pdf(documents.signoff_pdf(db.session, c, now=utcnow()), f"{c.serial}.pdf")
