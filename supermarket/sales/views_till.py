"""Pages of the till's day (issue 17): the shift's parked carts (discard before the close), reprints of the
shift's receipts, and returns without receipt. On the sales blueprint."""
from __future__ import annotations

import uuid

from flask import render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from . import held, returns_open, service
from ..auth.decorators import allow
from ..auth.permissions import STORE_ROLES, Role, get_scoped
from ..extensions import db
from ..forms import Posted, submit
from ..i18n import yuan
from ..models import utcnow
from ..web import current_actor
from .models import Sale
from .till_models import HeldSale
from .till_schemas import DiscardForm, LimitForm, OpenReturnForm
from .views import _labels, _managers, bp


def _no_shift(posted: Posted = Posted()):
    # A form refused while the actor has no shift (nothing to show it on): its messages in the banner.
    return render_template("sales/shift_none.html", **posted.context), posted.status


# --- parked carts ---------------------------------------------------------------------------------------------

def _held_page(posted: Posted = Posted()):
    shift = service.current_shift(db.session, current_actor())
    if shift is None:
        return _no_shift(posted)
    return render_template("sales/held.html", shift=shift, carts=held.parked(db.session, shift),
                           **posted.context), posted.status


@bp.get("/held")
@allow(*STORE_ROLES)
def held_list():
    return _held_page()


@bp.post("/held/<uuid:held_id>/discard")
@allow(*STORE_ROLES)
def held_discard(held_id):
    actor = current_actor()
    get_scoped(db.session, actor, HeldSale, held_id)  # another store's cart: 404, not a message on this page
    return submit(DiscardForm(), lambda data: held.discard(db.session, actor, held_id, reason=data["reason"],
                                                           now=utcnow()),
                  done=_("挂单已作废"), then=url_for("sales.held_list"), page=_held_page, form=str(held_id))


# --- reprints -------------------------------------------------------------------------------------------------

@bp.get("/receipts")
@allow(*STORE_ROLES)
def shift_receipts():
    """The shift's receipts, newest first, each reprintable on either roll (a reprint is marked 副本)."""
    actor = current_actor()
    shift = service.current_shift(db.session, actor)
    if shift is None:
        return _no_shift()
    sales = list(db.session.scalars(select(Sale).where(Sale.shift_id == shift.id, Sale.store_id == shift.store_id)
                                    .options(selectinload(Sale.payments))
                                    .order_by(Sale.sold_at.desc(), Sale.seq.desc()).limit(300)))
    config = service.till_config(db.session, shift.store_id)
    return render_template("sales/shift_receipts.html", shift=shift, sales=sales, width=config.receipt_width_mm,
                           **_labels())


# --- returns without receipt ----------------------------------------------------------------------------------

def _open_return_page(posted: Posted = Posted()):
    actor = current_actor()
    shift = service.current_shift(db.session, actor)
    if shift is None:
        return _no_shift(posted)
    return render_template("sales/open_return.html", shift=shift, returns=returns_open.of_shift(db.session, shift),
                           limit_fen=returns_open.limit_fen(db.session, shift.store_id),
                           cash_fen=service.expected_takings(db.session, shift)["cash"],
                           managers=_managers(shift.store_id), new_key=uuid.uuid4(),
                           is_manager=actor.role is Role.STORE_MANAGER, **posted.context), posted.status


@bp.get("/open-return")
@allow(*STORE_ROLES)
def open_return():
    return _open_return_page()


@bp.post("/open-return")
@allow(*STORE_ROLES)
def open_return_post():
    actor = current_actor()
    return submit(OpenReturnForm(), lambda data: returns_open.take_back_without_receipt(
        db.session, actor, barcode=data["barcode"], qty=data["qty"], reason=data["reason"],
        unit_price_fen=data.get("unit_price_fen"), approval=data["approval"],
        idempotency_key=data["idempotency_key"], now=utcnow())[0],
        done=lambda ret: _("已办理无小票退货 %(number)s，请从钱箱退给顾客现金 %(amount)s", number=ret.number,
                           amount=yuan(ret.refund_fen)),
        then=url_for("sales.open_return"), page=_open_return_page, form="return")


@bp.post("/open-return/limit")
@allow(Role.STORE_MANAGER)
def open_return_limit():
    actor = current_actor()
    return submit(LimitForm(), lambda data: returns_open.set_limit(db.session, actor, actor.store_id,
                                                                   data["limit_fen"], now=utcnow()),
                  done=lambda fen: _("无小票退货限额已设为 %(limit)s", limit=yuan(fen)),
                  then=url_for("sales.open_return"), page=_open_return_page, form="limit")
