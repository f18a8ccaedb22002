"""Transfer pages: list (sent and to receive), ship form, one transfer with the receiving form."""
from __future__ import annotations

import uuid

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from . import service
from ..auth.decorators import allow
from ..auth.permissions import ALL_STAFF, STORE_ROLES, Role, is_store_staff
from ..exports import DATETIME, INT, TEXT, col, export_response, requested_format
from ..extensions import db
from ..models import utcnow
from ..web import current_actor, form_data
from .labels import TRANSFER_STATUS_LABELS
from .schemas import TransferReceiveSchema, TransferShipSchema
from ..forms import Posted, post_form, submit
from .views import bp, store_page

FORM_ROWS = 8


def _transfer_columns(store):
    return [
        col(_l("单号"), TEXT, "number"),
        col(_l("方向"), TEXT, lambda t: f"{_('调出至')} {t.to_store.name}" if t.store_id == store.id
            else f"{_('调入自')} {t.from_store.name}"),
        col(_l("发货"), DATETIME, "shipped_at"),
        col(_l("发货人"), TEXT, "shipped_by_name"),
        col(_l("状态"), TEXT, lambda t: str(TRANSFER_STATUS_LABELS[t.status])),
        col(_l("短少"), INT, "discrepancy_qty"),
    ]


@bp.get("/stores/<uuid:store_id>/transfers")
@allow(*ALL_STAFF)
def transfer_list(store_id):
    actor = current_actor()
    store = service.store_for(db.session, actor, store_id)
    fmt = requested_format()
    if fmt:
        rows = service.list_transfers(db.session, actor, store.id, limit=None)
        return export_response(_transfer_columns(store), rows, fmt, f"transfers-{store.code}")
    return store_page("transfers.html", store, rows=service.list_transfers(db.session, actor, store.id),
                      status_labels=TRANSFER_STATUS_LABELS)


def _ship_values() -> dict:
    values = form_data(request.form)
    rows = zip(request.form.getlist("barcode"), request.form.getlist("qty"))
    values["lines"] = [{"barcode": b.strip(), "qty": q.strip()} for b, q in rows if b.strip() or q.strip()]
    values.pop("barcode", None), values.pop("qty", None)
    return values


@bp.route("/stores/<uuid:store_id>/transfers/new", methods=["GET", "POST"])
@allow(Role.STORE_MANAGER)
def transfer_new(store_id):
    actor = current_actor()
    store = service.store_for(db.session, actor, store_id)
    posted = Posted(values={"lines": []})
    if request.method == "POST":
        posted = post_form(TransferShipSchema(), lambda data: service.ship_transfer(
            db.session, actor, from_store_id=store.id, now=utcnow(), **data), _ship_values())
        if posted.result:
            flash(_("调拨单 %(number)s 已发货", number=posted.result.number))
            return redirect(url_for("inventory.transfer_detail", transfer_id=posted.result.id))
    return store_page("transfer_form.html", store, posted.status, rows=FORM_ROWS,
                      destinations=service.destinations(db.session, store.id),
                      idempotency_key=posted.values.get("idempotency_key") or uuid.uuid4().hex, **posted.context)


def _detail(transfer, status: int = 200, **context):
    actor = current_actor()
    here = transfer.to_store_id if actor.can_see_store(transfer.to_store_id) else transfer.store_id
    return store_page("transfer.html", service.store_for(db.session, actor, here), status, transfer=transfer,
                      status_labels=TRANSFER_STATUS_LABELS,
                      can_receive=transfer.status == "shipped" and is_store_staff(actor, transfer.to_store_id),
                      **context)


@bp.get("/inventory/transfers/<uuid:transfer_id>")
@allow(*ALL_STAFF)
def transfer_detail(transfer_id):
    return _detail(service.get_transfer(db.session, current_actor(), transfer_id))


@bp.post("/inventory/transfers/<uuid:transfer_id>/receive")
@allow(*STORE_ROLES)
def transfer_receive(transfer_id):
    actor = current_actor()
    transfer = service.get_transfer(db.session, actor, transfer_id)
    received = {k[len("received_"):]: v for k, v in request.form.items() if k.startswith("received_")}

    def page(posted: Posted):
        posted.values = received
        return _detail(service.get_transfer(db.session, actor, transfer_id), posted.status, **posted.context)

    return submit(TransferReceiveSchema(), lambda data: service.receive_transfer(db.session, actor, transfer.id,
                                                                                 now=utcnow(), **data),
                  values={"received": received, "note": request.form.get("note", "")}, done=_("已确认收货"),
                  then=url_for("inventory.transfer_detail", transfer_id=transfer.id), form="receive", page=page)
