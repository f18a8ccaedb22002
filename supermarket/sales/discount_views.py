"""The store's discount limits on the till settings page (routes on the sales pages' blueprint)."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from . import discounts
from ..auth.decorators import allow
from ..auth.permissions import Role
from ..extensions import db
from ..forms import submit
from ..web import current_actor
from .discount_schemas import DiscountLimitsForm
from .views import bp, settings_page


def settings_context(store_id) -> dict:
    """What the settings page's discount form shows: the limits per role, in effect (defaults when unset)."""
    return {"discount_limits": discounts.limits_of(db.session, store_id)}


@bp.post("/settings/discounts")
@allow(Role.STORE_MANAGER)
def discount_limits():
    actor = current_actor()
    store_id = actor.store_id

    # The whole settings page (tenders, printers, limits) with the form's errors, as the other forms show it.
    return submit(DiscountLimitsForm(), lambda limits: discounts.update_limits(db.session, actor, store_id, limits),
                  done=_("折扣权限已保存"), then=url_for("sales.till_settings"), page=settings_page,
                  form="discounts")


def till_context(actor) -> dict:
    """The till page's discount limits: the seller's own, and the managers' (the most an approval allows)."""
    limits = discounts.limits_of(db.session, actor.store_id)
    return {"discount_own": limits[discounts.seller_role(actor)], "discount_managers": limits["store_manager"]}
