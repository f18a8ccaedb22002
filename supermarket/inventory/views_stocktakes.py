"""Stocktake pages: list and start, the scanning page, review and approval."""
from __future__ import annotations

import uuid

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from . import service
from ..auth.decorators import allow
from ..auth.permissions import ALL_STAFF, STORE_ROLES, Role
from ..catalog import service as catalog
from ..errors import InvalidInput
from ..exports import DATETIME, INT, MONEY_FEN, TEXT, col, export_response, requested_format
from ..extensions import db
from ..models import utcnow
from ..web import current_actor, form_data, load
from .labels import STOCKTAKE_STATUS_LABELS
from ..clock import local_today
from .schemas import ApproveSchema, CountSchema, LineExpirySchema, SetCountSchema, StocktakeStartSchema
from ..forms import Posted, submit
from .views import bp, store_page


def _line_id() -> uuid.UUID:
    try:
        return uuid.UUID(request.form.get("line_id", ""))
    except ValueError:
        raise InvalidInput(_("盘点行无效"), fields={"line_id": [_("盘点行无效")]}) from None


def _bp_ratio(bp_value):
    return None if bp_value is None else f"{bp_value // 100}.{bp_value % 100:02d}%"


STOCKTAKE_COLUMNS = [
    col(_l("单号"), TEXT, "number"),
    col(_l("开始"), DATETIME, "started_at"),
    col(_l("开始人"), TEXT, "started_by_name"),
    col(_l("范围"), TEXT, lambda t: _("全店") if t.whole_store else "、".join(c.name for c in t.categories)),
    col(_l("状态"), TEXT, lambda t: str(STOCKTAKE_STATUS_LABELS[t.status])),
    col(_l("盘点行"), INT, "counted_lines"),
    col(_l("差异金额"), MONEY_FEN, "variance_value_fen"),
    col(_l("差异率"), TEXT, lambda t: _bp_ratio(t.variance_ratio_bp)),
    col(_l("备注"), TEXT, "note"),
]


@bp.route("/stores/<uuid:store_id>/stocktakes", methods=["GET", "POST"])
@allow(*ALL_STAFF)
def stocktake_list(store_id):
    actor = current_actor()
    store = service.store_for(db.session, actor, store_id)

    def page(posted=Posted()):
        return store_page("stocktakes.html", store, posted.status,
                          takes=service.list_stocktakes(db.session, actor, store.id),
                          current=service.open_stocktake(db.session, store.id),
                          categories=[c for c in catalog.list_categories(db.session) if not c.prohibited],
                          status_labels=STOCKTAKE_STATUS_LABELS, idempotency_key=uuid.uuid4().hex, **posted.context)

    fmt = requested_format() if request.method == "GET" else None
    if fmt:
        return export_response(STOCKTAKE_COLUMNS, service.list_stocktakes(db.session, actor, store.id, limit=None),
                               fmt, f"stocktakes-{store.code}")
    if request.method == "POST":
        return submit(StocktakeStartSchema(), lambda data: service.start_stocktake(
            db.session, actor, store_id=store.id, now=utcnow(), **data),
            values={**form_data(request.form), "category_ids": request.form.getlist("category_ids")},
            done=lambda take: _("已开始盘点 %(number)s", number=take.number),
            then=lambda take: url_for("inventory.stocktake", stocktake_id=take.id), page=page)
    return page()


def take_store(take):
    return service.store_for(db.session, current_actor(), take.store_id)


def _count_page(take, status: int = 200, **context):
    return store_page("stocktake_count.html", take_store(take), status, take=take,
                      lines=service.counted_lines(db.session, current_actor(), take.id),
                      status_labels=STOCKTAKE_STATUS_LABELS, **context)


@bp.get("/inventory/stocktakes/<uuid:stocktake_id>")
@allow(*ALL_STAFF)
def stocktake(stocktake_id):
    take = service.get_stocktake(db.session, current_actor(), stocktake_id)
    if take.status == "posted":
        return redirect(url_for("inventory.stocktake_review", stocktake_id=take.id))
    return _count_page(take)


@bp.post("/inventory/stocktakes/<uuid:stocktake_id>/count")
@allow(*STORE_ROLES)
def stocktake_count(stocktake_id):
    """The scanning form without JavaScript: one scan (or typed number) per post."""
    actor = current_actor()
    take = service.get_stocktake(db.session, actor, stocktake_id)
    return submit(CountSchema(), lambda data: service.record_count(db.session, actor, take.id, now=utcnow(), **data),
                  done=lambda line: _("%(name)s：已盘 %(qty)d", name=line.item.name, qty=line.counted_qty),
                  then=url_for("inventory.stocktake", stocktake_id=take.id), form="count",
                  page=lambda posted: _count_page(take, posted.status, **posted.context))


@bp.post("/inventory/stocktakes/<uuid:stocktake_id>/set-count")
@allow(*STORE_ROLES)
def stocktake_set_count(stocktake_id):
    actor = current_actor()
    data = load(SetCountSchema(), form_data(request.form))
    service.set_count(db.session, actor, stocktake_id, _line_id(), counted_qty=data["counted_qty"], now=utcnow())
    return redirect(request.form.get("back") == "review" and url_for("inventory.stocktake_review",
                                                                     stocktake_id=stocktake_id)
                    or url_for("inventory.stocktake", stocktake_id=stocktake_id))


@bp.post("/inventory/stocktakes/<uuid:stocktake_id>/expiry")
@allow(*STORE_ROLES)
def stocktake_expiry(stocktake_id):
    actor = current_actor()
    data = load(LineExpirySchema(), form_data(request.form))
    service.set_line_expiry(db.session, actor, stocktake_id, _line_id(), expiry_date=data["expiry_date"],
                               now=utcnow())
    return redirect(url_for("inventory.stocktake_review", stocktake_id=stocktake_id))


@bp.get("/inventory/stocktakes/<uuid:stocktake_id>/review")
@allow(*ALL_STAFF)
def stocktake_review(stocktake_id):
    """The variance of the counted lines; a manager who did not count approves here."""
    return _review_page(stocktake_id)


def _review_page(stocktake_id, posted: Posted = Posted()):
    actor = current_actor()
    review = service.review_stocktake(db.session, actor, stocktake_id, today=local_today(utcnow()))
    return store_page("stocktake_review.html", take_store(review.stocktake), posted.status, review=review,
                      take=review.stocktake, status_labels=STOCKTAKE_STATUS_LABELS, **posted.context)


@bp.post("/inventory/stocktakes/<uuid:stocktake_id>/approve")
@allow(Role.STORE_MANAGER)
def stocktake_approve(stocktake_id):
    actor = current_actor()
    return submit(ApproveSchema(), lambda data: service.approve_stocktake(db.session, actor, stocktake_id,
                                                                               now=utcnow(), **data),
                  done=lambda take: _("盘点单 %(number)s 已审批并过账", number=take.number),
                  then=url_for("inventory.stocktake_review", stocktake_id=stocktake_id), form="approve",
                  page=lambda posted: _review_page(stocktake_id, posted))


@bp.post("/inventory/stocktakes/<uuid:stocktake_id>/cancel")
@allow(Role.STORE_MANAGER)
def stocktake_cancel(stocktake_id):
    take = service.cancel_stocktake(db.session, current_actor(), stocktake_id, now=utcnow())
    flash(_("已取消盘点 %(number)s，库存未调整", number=take.number))
    return redirect(url_for("inventory.stocktake_list", store_id=take.store_id))
