"""The monthly public list (公示): open to anyone, masked, as a page and a PDF."""
from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from . import service
from ..auth.decorators import public
from ..errors import NotFound
from ..extensions import db
from ..models import utcnow
from ..stores.models import Store
from ..web import form_data, load, send_pdf
from .views import bp, month_or_default
from .schemas import MonthQuerySchema


def _query():
    q = load(MonthQuerySchema(), form_data(request.args))
    return service.public_store(db.session, q["store"]), month_or_default(q["month"], default_previous=True), \
        q["page"]


@bp.get("/public/aid")
@public
def public_list():
    """A store's month, page by page; without a store, the city's month as one line per store (never one list
    of every hand-out of the city)."""
    store, month, page = _query()
    stores = db.session.scalars(select(Store).options(joinedload(Store.district)).order_by(Store.code)).all()
    if store is None:
        summary = service.city_summary(db.session, month)
        return render_template("aid/public_list.html", store=None, month=month, stores=stores, summary=summary,
                               handouts=sum(s.handouts for s in summary), total=sum(s.value_fen for s in summary))
    rows = service.public_rows(db.session, month, store, page=page)
    handouts, total = service.store_month_totals(db.session, month, store)
    return render_template("aid/public_list.html", rows=rows, store=store, month=month, stores=stores,
                           handouts=handouts, total=total)


@bp.get("/public/aid.pdf")
@public
def public_list_pdf():
    """One store's month as a PDF, rendered once per published version and then served from the database."""
    store, month, _page = _query()
    if store is None:
        raise NotFound(_("请选择门店：公示 PDF 按门店和月份提供"))
    pdf = service.cached_public_pdf(db.session, month, store, now=utcnow(),
                                    render=lambda rows: service.public_list_pdf(store, month, rows, now=utcnow()))
    return send_pdf(pdf, f"aid-public-{store.code}-{month:%Y-%m}.pdf")
