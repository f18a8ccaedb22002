"""Campaign pages: the list, a new campaign with its pack, the household list, recording hand-outs, the
sign-off sheet PDF and the photographed signed sheet."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from . import service
from ..auth.decorators import allow
from ..auth.permissions import ALL_STAFF, Role
from ..errors import InvalidInput
from ..extensions import db
from ..forms import NoFields, Posted, post_form, submit
from ..models import utcnow
from ..web import current_actor, form_data, send_pdf
from .views import bp
from ..clock import local_today
from .schemas import CampaignFormSchema, CampaignHandoutFormSchema, CampaignHouseholdsSchema

STAFF = (Role.CASHIER, Role.STORE_MANAGER)


@bp.get("/aid/campaigns", endpoint="campaigns")
@allow(*ALL_STAFF)
def campaigns_list():
    return render_template("aid/campaigns.html", rows=service.list_campaigns(db.session, current_actor()))


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
    def page(posted=Posted()):
        return render_template("aid/campaign_form.html", **posted.context), posted.status

    if request.method != "POST":
        return page()
    values = form_data(request.form)
    data = dict(values, pack=_pack_lines(values.get("pack", "")),
                counts_toward_entitlement=request.form.get("counts_toward_entitlement") == "on")
    posted = post_form(CampaignFormSchema(), lambda d: service.create_campaign(db.session, current_actor(), **d), data)
    if not posted.ok:
        posted.values = values  # the pack as typed, not as parsed
        return page(posted)
    flash(_("已创建活动 %(name)s", name=posted.result.name))
    return redirect(url_for("aid.campaign", campaign_id=posted.result.id))


def _page(campaign_id, posted: Posted = Posted()):
    actor = current_actor()
    campaign = service.get_campaign(db.session, actor, campaign_id)
    rows = service.campaign_rows(db.session, campaign)
    return render_template("aid/campaign.html", c=campaign, rows=rows, **posted.context,
                           pack=service.pack_description(db.session, campaign),
                           photos=service.sheet_photos(db.session, campaign),
                           categories=service.list_categories(db.session), today=local_today(utcnow()),
                           can_manage=service.can_manage(actor, campaign.store_id)), posted.status


@bp.get("/aid/campaigns/<uuid:campaign_id>")
@allow(*ALL_STAFF)
def campaign(campaign_id):
    return _page(campaign_id)


def _submit(campaign_id, form: str, schema, action, done: str):
    """One of the campaign page's forms: the page again, the message beside that form, when refused."""
    return submit(schema, action, done=done, then=url_for("aid.campaign", campaign_id=campaign_id), form=form,
                  page=lambda posted: _page(campaign_id, posted))


@bp.post("/aid/campaigns/<uuid:campaign_id>/households")
@allow(Role.STORE_MANAGER, Role.FEDERATION_ADMIN)
def campaign_households(campaign_id):
    def add(data):
        codes = data["codes"].replace("，", ",").replace(",", " ").split()
        return service.add_households(db.session, current_actor(), campaign_id, codes=codes,
                                        category_code=data["category_code"])
    return _submit(campaign_id, "households", CampaignHouseholdsSchema(), add, _("名单已更新"))


@bp.post("/aid/campaigns/<uuid:campaign_id>/handout")
@allow(*STAFF)
def campaign_handout(campaign_id):
    def hand_out(data):
        witness = service.Approval(data["witness_username"], data["witness_password"]) if data["witness_username"] else None
        proxy = service.ProxyInput(data["proxy_name"], data["proxy_relation"] or _("未填")) if data["proxy_name"] else None
        handout = service.CampaignHandout(household_id=data["household_id"], witness=witness, proxy=proxy)
        return service.record_handout(db.session, current_actor(), campaign_id, handout, now=utcnow())
    return _submit(campaign_id, "handout", CampaignHandoutFormSchema(), hand_out, _("已登记领取"))


@bp.post("/aid/campaigns/<uuid:campaign_id>/photo")
@allow(*STAFF)
def campaign_photo(campaign_id):
    upload = request.files.get("photo")

    def attach(_data):
        if upload is None:
            raise InvalidInput(_("请选择照片"), fields={"photo": [_("请选择照片")]})
        return service.attach_sheet_photo(db.session, current_actor(), campaign_id,
                                            upload.read(service.PHOTO_MAX_BYTES + 1))
    return _submit(campaign_id, "photo", NoFields(), attach, _("签收表照片已上传"))


@bp.post("/aid/campaigns/<uuid:campaign_id>/close")
@allow(Role.STORE_MANAGER)
def campaign_close(campaign_id):
    return _submit(campaign_id, "close", NoFields(),
                   lambda _data: service.close_campaign(db.session, current_actor(), campaign_id), _("活动已结束"))


@bp.get("/aid/campaigns/<uuid:campaign_id>/sheet.pdf")
@allow(*ALL_STAFF)
def campaign_sheet(campaign_id):
    c = service.get_campaign(db.session, current_actor(), campaign_id)
    return send_pdf(service.signoff_pdf(db.session, c, now=utcnow()), f"{c.serial}.pdf")
