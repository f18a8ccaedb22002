"""The store's discount limits on the till settings page (routes on the sales pages' blueprint)."""
from __future__ import annotations

from flask import render_template, url_for
from flask_babel import gettext as _

from . import discounts, service
from ..auth.decorators import allow
from ..auth.permissions import Role
from ..extensions import db
from ..forms import Posted, submit
from ..web import current_actor
from .discount_schemas import DiscountLimitsForm
from .tenders import TENDERS
from .views import bp


def settings_context(store_id) -> dict:
    """What the settings page's discount form shows: the limits per role, in effect (defaults when unset)."""
    return {"discount_limits": discounts.limits_of(db.session, store_id)}


@bp.post("/settings/discounts")
@allow(Role.STORE_MANAGER)
def discount_limits():
    actor = current_actor()
    store_id = actor.store_id

    def page(posted=Posted()):
        return render_template("sales/settings.html", config=service.till_config(db.session, store_id),
                               tenders=list(TENDERS.values()), **settings_context(store_id),
                               **posted.context), posted.status

    return submit(DiscountLimitsForm(), lambda limits: discounts.update_limits(db.session, actor, store_id, limits),
                  done=_("折扣权限已保存"), then=url_for("sales.till_settings"), page=page, form="discounts")


def till_context(actor) -> dict:
    """The till page's discount limits: the seller's own, and the managers' (the most an approval allows)."""
    limits = discounts.limits_of(db.session, actor.store_id)
    return {"discount_own": limits[discounts.seller_role(actor)], "discount_managers": limits["store_manager"]}
