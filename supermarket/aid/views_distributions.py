"""Distribution pages: the store's list, one distribution with its signature, the slip PDF, stored images."""
from __future__ import annotations

from io import BytesIO

from flask import render_template, request, send_file

from . import service
from ..auth.decorators import allow
from ..auth.permissions import ALL_STAFF
from ..extensions import db
from ..web import current_actor, send_pdf
from .views import bp

PAGE_SIZE = 50


@bp.get("/aid/distributions")
@allow(*ALL_STAFF)
def distributions():
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
