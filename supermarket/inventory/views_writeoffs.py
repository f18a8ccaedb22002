"""Write-off pages: list, the form (scan or link from the near-expiry list, optional photo, approver), one
write-off and its photo."""
from __future__ import annotations

import uuid
from io import BytesIO

from flask import current_app, flash, redirect, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from . import service
from ..auth.decorators import allow
from ..auth.permissions import ALL_STAFF, STORE_ROLES
from ..catalog import service as catalog
from ..errors import DomainError
from ..exports import DATETIME, INT, MONEY_FEN, TEXT, col, export_response, requested_format
from ..extensions import db
from ..models import utcnow
from ..photos import DEFAULT_MAX_BYTES, PhotoUpload
from ..web import current_actor, form_data
from .labels import REASON_LABELS
from .models import WRITE_OFF_REASONS
from .schemas import WriteOffSchema
from ..forms import Posted, post_form
from .views import bp, store_page


WRITE_OFF_COLUMNS = [
    col(_l("单号"), TEXT, "number"),
    col(_l("时间"), DATETIME, "occurred_at"),
    col(_l("物品"), TEXT, lambda w: w.item.name),
    col(_l("数量"), INT, "qty"),
    col(_l("原因"), TEXT, lambda w: str(REASON_LABELS[w.reason_code])),
    col(_l("说明"), TEXT, "reason"),
    col(_l("金额"), MONEY_FEN, "value_fen"),
    col(_l("经办"), TEXT, "written_by_name"),
    col(_l("审批"), TEXT, "approved_by_name"),
]


@bp.get("/stores/<uuid:store_id>/write-offs")
@allow(*ALL_STAFF)
def write_off_list(store_id):
    actor = current_actor()
    store = service.store_for(db.session, actor, store_id)
    fmt = requested_format()
    if fmt:
        return export_response(WRITE_OFF_COLUMNS, service.list_write_offs(db.session, actor, store.id, limit=None),
                               fmt, f"write-offs-{store.code}")
    return store_page("write_offs.html", store, rows=service.list_write_offs(db.session, actor, store.id),
                      reason_labels=REASON_LABELS)


def _photo():
    upload = request.files.get("photo")
    if upload is None or not upload.filename:
        return None
    # Read one byte past the limit: enough to know it is too big without holding a huge file.
    return PhotoUpload(filename=upload.filename, data=upload.stream.read(_photo_limit() + 1))


def _photo_limit() -> int:
    return current_app.config.get("INVENTORY_PHOTO_MAX_BYTES", DEFAULT_MAX_BYTES)


@bp.route("/stores/<uuid:store_id>/write-offs/new", methods=["GET", "POST"])
@allow(*STORE_ROLES)
def write_off_new(store_id):
    actor = current_actor()
    store = service.store_for(db.session, actor, store_id)
    posted = Posted(values=form_data(request.args))  # links from the near-expiry list prefill the form
    if request.method == "POST":
        posted = post_form(WriteOffSchema(), lambda data: service.write_off(
            db.session, actor, store_id=store.id, now=utcnow(), photo=_photo(), photo_max_bytes=_photo_limit(),
            **data))
        if posted.result:
            flash(_("已报损 %(number)s", number=posted.result.number))
            return redirect(url_for("inventory.write_off_detail", write_off_id=posted.result.id))
    values = posted.values
    item, lots = None, []
    try:
        if values.get("item_id"):
            item = catalog.get_item(db.session, uuid.UUID(values["item_id"]))
            lots = service.item_lots(db.session, actor, store.id, item.id)
    except (ValueError, DomainError):
        item = None
    return store_page("write_off_form.html", store, posted.status, item=item, lots=lots, reasons=WRITE_OFF_REASONS,
                      reason_labels=REASON_LABELS, threshold_fen=service.settings_of(db.session, store.id).write_off_approval_fen,
                      idempotency_key=values.get("idempotency_key") or uuid.uuid4().hex, **posted.context)


@bp.get("/inventory/write-offs/<uuid:write_off_id>")
@allow(*ALL_STAFF)
def write_off_detail(write_off_id):
    actor = current_actor()
    row = service.get_write_off(db.session, actor, write_off_id)
    return store_page("write_off.html", service.store_for(db.session, actor, row.store_id), row=row,
                      reason_labels=REASON_LABELS, has_photo=service.has_photo(db.session, row.id))


@bp.get("/inventory/write-offs/<uuid:write_off_id>/photo")
@allow(*ALL_STAFF)
def write_off_photo(write_off_id):
    photo = service.get_photo(db.session, current_actor(), write_off_id)
    resp = send_file(BytesIO(photo.data), mimetype=photo.content_type, max_age=0)
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Content-Security-Policy"] = "default-src 'none'"
    return resp
