"""Distribution pages: the store's list, one distribution with its signature, the slip PDF, stored images."""
from __future__ import annotations

from io import BytesIO

from flask import render_template, request, send_file
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from . import service
from ..auth.decorators import allow
from ..auth.permissions import ALL_STAFF
from ..exports import DATETIME, INT, MONEY_FEN, TEXT, col, export_response, requested_format
from ..extensions import db
from ..privacy import mask_name
from ..web import current_actor, send_pdf
from .views import bp

PAGE_SIZE = 50


def _receipt_kind(d) -> str:
    kind = _("代领") if d.proxy_name else _("签名") if d.signature_id else _("签收表") if d.campaign_id else ""
    return f"{kind} {_('特批')}".strip() if d.override else kind


DISTRIBUTION_COLUMNS = [
    col(_l("单号"), TEXT, "serial"),
    col(_l("时间"), DATETIME, "handed_out_at"),
    col(_l("门店"), TEXT, lambda d: d.store.code),
    col(_l("户主"), TEXT, lambda d: mask_name(d.household.head_name)),  # masked as on screen
    col(_l("类别"), TEXT, lambda d: d.household.category.name),
    col(_l("件数"), INT, "items"),
    col(_l("价值"), MONEY_FEN, "value_fen"),
    col(_l("签收"), TEXT, _receipt_kind),
]


@bp.get("/aid/distributions")
@allow(*ALL_STAFF)
def distributions():
    fmt = requested_format()
    if fmt:
        rows = service.list_distributions(db.session, current_actor(), limit=None)
        return export_response(DISTRIBUTION_COLUMNS, rows, fmt, "distributions")
    page = min(max(1, request.args.get("page", 1, type=int) or 1), 100000)
    rows = service.list_distributions(db.session, current_actor(), limit=PAGE_SIZE + 1,
                                      offset=(page - 1) * PAGE_SIZE)
    return render_template("aid/distributions.html", rows=rows[:PAGE_SIZE], has_more=len(rows) > PAGE_SIZE,
                           page=page)


@bp.get("/aid/distributions/<uuid:distribution_id>")
@allow(*ALL_STAFF)
def distribution(distribution_id):
    return render_template("aid/distribution.html",
                           d=service.get_distribution(db.session, current_actor(), distribution_id))


@bp.get("/aid/distributions/<uuid:distribution_id>/slip.pdf")
@allow(*ALL_STAFF)
def distribution_slip(distribution_id):
    dist = service.get_distribution(db.session, current_actor(), distribution_id)
    reprint = request.args.get("reprint") == "1"
    return send_pdf(service.slip_pdf(db.session, dist, reprint=reprint), f"{dist.serial}.pdf")


@bp.get("/aid/files/<uuid:file_id>")
@allow(*ALL_STAFF)
def file(file_id):
    row = service.get_file(db.session, current_actor(), file_id)
    resp = send_file(BytesIO(row.data), mimetype=row.content_type, download_name=f"{row.id}.{row.content_type[6:]}")
    resp.headers["Cache-Control"] = "private, no-store"
    return resp
