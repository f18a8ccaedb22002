"""Stock pages of a store: on hand (filters), one item's history, near-expiry lots, closed periods, settings and
corrections. Stocktakes, write-offs and transfers have their own modules, registered on the same blueprint."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from . import service
from ..auth.decorators import allow
from ..auth.permissions import ALL_STAFF, STORE_ROLES, Role
from ..catalog import service as catalog
from ..exports import DATE, DATETIME, INT, MONEY_FEN, TEXT, col, export_response, page_args, requested_format
from ..extensions import db
from ..forms import Posted, submit
from ..models import utcnow
from ..web import current_actor, form_data, load
from .labels import KIND_LABELS
from ..clock import local_today
from .schemas import CloseMonthSchema, CorrectionSchema, PageQuerySchema, SettingsSchema, StockQuerySchema

bp = Blueprint("inventory", __name__, template_folder="templates")



def store_page(template: str, store, status: int = 200, **context):
    """Render a page of one store's stock section (the tabs need the store)."""
    return render_template(f"inventory/{template}", store=store, **context), status


@bp.get("/inventory")
@allow(*STORE_ROLES)
def home():
    """The nav entry: a store's staff land on their store's stock."""
    return redirect(url_for("inventory.stock", store_id=current_actor().store_id))


STOCK_COLUMNS = [
    col(_l("物品"), TEXT, lambda r: r.item.name, width=28),
    col(_l("条码"), TEXT, lambda r: r.item.barcode),
    col(_l("类别"), TEXT, lambda r: r.item.category.name),
    col(_l("数量"), INT, "qty"),
    col(_l("单位"), TEXT, lambda r: r.item.unit),
    col(_l("价格"), MONEY_FEN, "price_fen"),
    col(_l("金额"), MONEY_FEN, "value_fen"),
    col(_l("最近保质期"), DATE, "next_expiry"),
]


def _all_stock(actor, store_id, q, batch: int = 2000):
    """Every row of the stock list with its filters, a page of `batch` at a time (the page's own query, whose
    eager loads rule out a streaming cursor)."""
    offset, today = 0, local_today(utcnow())
    while True:
        rows, total = service.stock_on_hand(db.session, actor, store_id, today=today, category_id=q["category_id"],
                                            status=q["status"], q=q["q"], limit=batch, offset=offset)
        yield from rows
        offset += batch
        if offset >= total or not rows:
            return
        db.session.expunge_all()  # what was written is not kept: memory stays one batch


@bp.get("/stores/<uuid:store_id>/stock")
@allow(*ALL_STAFF)
def stock(store_id):
    actor = current_actor()
    q = load(StockQuerySchema(), page_args())
    store = service.store_for(db.session, actor, store_id)
    fmt = requested_format()
    if fmt:
        return export_response(STOCK_COLUMNS, _all_stock(actor, store.id, q), fmt, f"stock-{store.code}")
    rows, total = service.stock_on_hand(db.session, actor, store.id, today=local_today(utcnow()),
                                        category_id=q["category_id"], status=q["status"], q=q["q"],
                                        limit=q["per_page"], offset=(q["page"] - 1) * q["per_page"])
    return store_page("stock.html", store, rows=rows, total=total, q=q,
                      has_more=q["page"] * q["per_page"] < total, categories=catalog.list_categories(db.session),
                      low_stock_qty=service.settings_of(db.session, store.id).low_stock_qty)


HISTORY_COLUMNS = [
    col(_l("时间"), DATETIME, lambda r: r.movement.occurred_at),
    col(_l("类型"), TEXT, lambda r: KIND_LABELS.get(r.movement.kind, r.movement.kind)),
    col(_l("冲正"), TEXT, lambda r: _("冲正") if r.movement.reverses_id else ""),
    col(_l("数量"), INT, lambda r: r.movement.qty),
    col(_l("结存"), INT, "balance_after"),
    col(_l("批次"), TEXT, lambda r: r.movement.lot_id.hex[:8].upper()),
    col(_l("单据"), TEXT, lambda r: r.movement.note or r.movement.doc_type),
    col(_l("操作人"), TEXT, lambda r: r.movement.actor_name),
]


@bp.get("/stores/<uuid:store_id>/stock/<uuid:item_id>")
@allow(*ALL_STAFF)
def item_history(store_id, item_id):
    actor = current_actor()
    store = service.store_for(db.session, actor, store_id)
    item = catalog.get_item(db.session, item_id)
    fmt = requested_format()
    if fmt:  # every movement of the item in the store, not one page
        return export_response(HISTORY_COLUMNS, service.iter_item_history(db.session, actor, store.id, item.id),
                               fmt, f"movements-{store.code}-{item.barcode or item.id.hex[:8]}")
    q = load(PageQuerySchema(), form_data(request.args))
    rows = service.item_history(db.session, actor, store.id, item.id, limit=101, offset=(q["page"] - 1) * 100)
    return store_page("item_history.html", store, item=item, rows=rows[:100], has_more=len(rows) > 100, q=q,
                      lots=service.item_lots(db.session, actor, store.id, item.id), kind_labels=KIND_LABELS,
                      correctable=service.CORRECTABLE_KINDS, today=local_today(utcnow()))


@bp.get("/stores/<uuid:store_id>/near-expiry")
@allow(*ALL_STAFF)
def near_expiry(store_id):
    actor = current_actor()
    store = service.store_for(db.session, actor, store_id)
    return store_page("near_expiry.html", store,
                      lots=service.near_expiry_page(db.session, actor, store.id, today=local_today(utcnow()),
                                                    page=request.args.get("page")))


@bp.route("/stores/<uuid:store_id>/periods", methods=["GET", "POST"])
@allow(*ALL_STAFF)
def period_closes(store_id):
    actor = current_actor()
    store = service.store_for(db.session, actor, store_id)

    def page(posted=Posted()):
        return store_page("periods.html", store, posted.status,
                          closes=service.list_closes(db.session, actor, store.id), **posted.context)

    if request.method == "POST":
        return submit(CloseMonthSchema(), lambda data: service.close_month(db.session, actor, store.id,
                                                                            now=utcnow(), **data),
                      done=lambda row: _("已结账 %(month)s", month=row.month.strftime("%Y-%m")),
                      then=url_for("inventory.period_closes", store_id=store.id), page=page)
    return page()


@bp.route("/stores/<uuid:store_id>/inventory-settings", methods=["GET", "POST"])
@allow(*ALL_STAFF)
def store_settings(store_id):
    actor = current_actor()
    store = service.store_for(db.session, actor, store_id)

    def page(posted=Posted()):
        return store_page("settings.html", store, posted.status, current=service.settings_of(db.session, store.id),
                          **posted.context)

    if request.method == "POST":
        return submit(SettingsSchema(), lambda data: service.update_settings(db.session, actor, store.id,
                                                                              now=utcnow(), **data),
                      done=_("已保存库存设置"), then=url_for("inventory.store_settings", store_id=store.id), page=page)
    return page()


@bp.post("/inventory/movements/<uuid:movement_id>/correct")
@allow(Role.STORE_MANAGER)
def correct(movement_id):
    actor = current_actor()
    data = load(CorrectionSchema(), form_data(request.form))
    correction = service.correct_movement(db.session, actor, movement_id, now=utcnow(), **data)
    flash(_("已登记更正（今日日期，关联原记录）"))
    return redirect(url_for("inventory.item_history", store_id=correction.store_id, item_id=correction.item_id))


from . import views_stocktakes, views_transfers, views_writeoffs  # noqa: E402,F401  (routes on bp)
