"""The monthly public list (公示): open to anyone, masked, as a page and a PDF."""
from __future__ import annotations

from flask import render_template, request

from . import service
from ..auth.decorators import public
from ..extensions import db
from ..models import utcnow
from ..stores.models import Store
from ..web import form_data, load, send_pdf
from .views import bp, month_or_default
from .schemas import MonthQuerySchema


def _query():
    q = load(MonthQuerySchema(), form_data(request.args))
    return service.public_store(db.session, q["store"]), month_or_default(q["month"], default_previous=True)


@bp.get("/public/aid")
@public
def public_list():
    store, month = _query()
    rows = service.public_rows(db.session, month, store)
    # The store selector shows codes and districts only: the list is per store, chosen by code.
    stores = db.session.query(Store).order_by(Store.code).all()
    return render_template("aid/public_list.html", rows=rows, store=store, month=month, stores=stores,
                           total=sum(r.value_fen for r in rows))


@bp.get("/public/aid.pdf")
@public
def public_list_pdf():
    store, month = _query()
    pdf = service.public_list_pdf(store, month, service.public_rows(db.session, month, store), now=utcnow())
    return send_pdf(pdf, f"aid-public-{store.code if store else 'city'}-{month:%Y-%m}.pdf")
