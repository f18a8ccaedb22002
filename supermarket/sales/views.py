"""Pages of the till: the till itself (a JSON-driven page), shifts and the close, sales with voids and returns,
and the store's till settings."""
from __future__ import annotations

import uuid
from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from . import donations, service
from ..auth.decorators import allow
from ..auth.permissions import ALL_STAFF, STORE_ROLES, Role
from ..errors import NotFound
from ..exports import DATETIME, MONEY_FEN, TEXT, col, export_response, requested_format
from ..extensions import db
from ..stores import service as stores_service
from ..forms import Posted, post_form, submit
from ..i18n import yuan
from ..models import utcnow
from ..clock import local_today
from ..stores.service import get_store
from ..web import current_actor, form_data
from .schemas import close_form, open_form, return_form, settings_form, void_form
from .models import Sale
from .tenders import MONEY_METHODS, TENDERS, label, usable

bp = Blueprint("sales", __name__, template_folder="templates", url_prefix="/sales")



def _labels() -> dict:
    return {"tender_label": label, "KIND_LABELS": service.KIND_LABELS, "STATUS_LABELS": service.STATUS_LABELS,
            "FUND_LABELS": service.FUND_LABELS}


def _managers(store_id) -> list:
    """The store's managers, offered as approvers on the tablet (the PIN is still typed)."""
    from ..auth.models import User

    return list(db.session.scalars(db.select(User).where(User.store_id == store_id, User.active.is_(True),
                                                         User.role == Role.STORE_MANAGER.value)
                                   .order_by(User.username)))


@bp.get("/till")
@allow(*STORE_ROLES)
def till():
    return _till_page()


def _till_page(posted: Posted = Posted()):
    actor = current_actor()
    store = get_store(db.session, actor, actor.store_id)
    config = service.till_config(db.session, store.id)
    return render_template("sales/till.html", store=store, shift=service.current_shift(db.session, actor),
                           tenders=[t.as_dict() for t in usable(config.accepted)], till_config=config,
                           categories=service.quick_categories(db.session), managers=_managers(store.id),
                           printers=service.list_printers(db.session, actor, store.id, kind="receipt"),
                           donate_projects=[{"id": str(p.id), "title": p.title}
                                            for p in donations.projects_for_till(db.session, store.id)],
                           **discount_views.till_context(actor), **posted.context), posted.status


@bp.post("/shift/open")
@allow(*STORE_ROLES)
def shift_open():
    actor = current_actor()
    return submit(open_form(), lambda data: service.open_shift(db.session, actor, float_fen=data["float_fen"],
                                                              now=utcnow()),
                  done=lambda shift: _("已开班 %(number)s，备用金 %(amount)s", number=shift.number,
                                       amount=yuan(shift.float_fen)),
                  then=url_for("sales.till"), page=_till_page)


@bp.route("/shift", methods=["GET", "POST"])
@allow(*STORE_ROLES)
def shift_close():
    """Count the takings (preview: expected vs counted), then a manager countersigns and the shift closes."""
    actor = current_actor()
    shift = service.current_shift(db.session, actor)
    if shift is None:
        return render_template("sales/shift_none.html")
    methods = list(service.expected_takings(db.session, shift))
    posted, preview = Posted(), None
    if request.method == "POST":
        values = form_data(request.form)

        def compare(close):
            return service.preview_close(db.session, actor, close.counted)[1]

        if values.get("action") == "confirm":
            # The comparison stays on screen when only the countersign fails.
            counted = {k: v for k, v in values.items() if k.startswith("counted_")}
            preview = post_form(close_form(methods), compare, counted).result
            posted = post_form(close_form(methods),
                               lambda close: service.close_shift(db.session, actor, close, now=utcnow()), values)
            if posted.ok:
                flash(_("班次 %(number)s 已结班", number=posted.result.number))
                return redirect(url_for("sales.shift_detail", shift_id=posted.result.id))
        else:
            posted = post_form(close_form(methods), compare, values)
            preview = posted.result
    totals = service.shift_totals(db.session, shift)
    reason_limit = service.needs_reason(db.session, shift, preview) if preview else None
    return render_template("sales/shift_close.html", shift=shift, methods=methods, totals=totals,
                           preview=preview, reason_limit=reason_limit, managers=_managers(shift.store_id), **_labels(),
                           parked=service.parked_carts(db.session, shift),
                           **posted.context), posted.status


def _list_store(actor):
    """The store a list shows: the staff member's own; an auditor's or the federation's chosen one (`store`),
    by default the first of their scope. Another district's store answers 404 (stores.get_store)."""
    if actor.store_id:
        return get_store(db.session, actor, actor.store_id), []
    stores = stores_service.list_stores(db.session, actor)
    wanted = request.args.get("store")
    if wanted:
        try:
            return get_store(db.session, actor, uuid.UUID(wanted)), stores
        except ValueError:
            raise NotFound() from None
    if not stores:
        raise NotFound()
    return stores[0], stores


SHIFT_COLUMNS = [
    col(_l("班次"), TEXT, "number"),
    col(_l("收银员"), TEXT, lambda s: s.cashier.display_name if s.cashier else ""),
    col(_l("开班"), DATETIME, "opened_at"),
    col(_l("结班"), DATETIME, "closed_at"),
    col(_l("备用金"), MONEY_FEN, "float_fen"),
    col(_l("差异"), MONEY_FEN, lambda s: s.variance_fen if s.status == "closed" else None),
]


@bp.get("/shifts")
@allow(*ALL_STAFF)
def shift_list():
    actor = current_actor()
    store, stores = _list_store(actor)
    fmt = requested_format()
    if fmt:  # the download holds every shift of the store, not one page
        return export_response(SHIFT_COLUMNS, service.iter_shifts(db.session, actor, store.id), fmt,
                               f"shifts-{store.code}")
    return render_template("sales/shift_list.html", store=store, stores=stores,
                           shifts=service.shifts_page(db.session, actor, store.id, after=request.args.get("after")),
                           **_labels())


@bp.get("/shifts/<uuid:shift_id>")
@allow(*ALL_STAFF)
def shift_detail(shift_id):
    return shift_page(shift_id)


def _receipt_printers(actor, store_id) -> list:
    """The printers the actor may print to: their own store's receipt printers (an auditor prints the PDF)."""
    if actor.role not in STORE_ROLES or actor.store_id != store_id:
        return []
    return service.list_printers(db.session, actor, store_id, kind="receipt")


def shift_page(shift_id, posted: Posted = Posted()):
    actor = current_actor()
    shift = service.get_shift(db.session, actor, shift_id)
    from .receipts import ordered

    return render_template("sales/shift_detail.html", shift=shift, counts=ordered(shift.counts),
                           totals=service.shift_totals(db.session, shift),
                           moves=service.cash_movements(db.session, shift), kind_label=service.cash_kind_label,
                           returns=service.open_returns_of(db.session, shift), printers=_receipt_printers(actor, shift.store_id), **_labels(),
                           **posted.context), posted.status


def _tenders(methods: tuple, _names: dict = {}) -> str:
    # The tender names of a download, translated once per language rather than once per row.
    from flask_babel import get_locale

    key = (str(get_locale()), methods)
    if key not in _names:
        _names[key] = "、".join(str(label(m)) for m in methods)
    return _names[key]


# Over service.iter_sales' plain rows (queries.SaleRow), the columns of the sales list.
SALE_COLUMNS = [
    col(_l("单号"), TEXT, "number"),
    col(_l("时间"), DATETIME, "sold_at"),
    col(_l("类型"), TEXT, lambda s: service.KIND_LABELS[s.kind]),
    col(_l("收银员"), TEXT, "cashier_name"),
    col(_l("支付"), TEXT, lambda s: _tenders(s.methods)),
    col(_l("金额"), MONEY_FEN, "total_fen"),
    col(_l("状态"), TEXT, lambda s: service.STATUS_LABELS[s.status] if s.kind == "sale" else ""),
]


@bp.get("/")
@allow(*ALL_STAFF)
def sales_list():
    actor = current_actor()
    try:
        day = date.fromisoformat(request.args.get("date", ""))
    except ValueError:
        day = local_today(utcnow())
    store, stores = _list_store(actor)
    fmt = requested_format()
    if fmt:
        return export_response(SALE_COLUMNS, service.iter_sales(db.session, actor, store.id, day), fmt,
                               f"sales-{store.code}-{day.isoformat()}")
    return render_template("sales/sales_list.html", day=day, store=store, stores=stores,
                           sales=service.list_sales(db.session, actor, store.id, day),
                           totals=service.day_summary(db.session, actor, store.id, day), **_labels())


def _sale_page(sale: Sale, posted: Posted = Posted()):
    actor = current_actor()
    config = service.till_config(db.session, sale.store_id)
    refund_methods = [t for t in usable(config.accepted) if t.method in MONEY_METHODS]
    return render_template("sales/sale_detail.html", sale=sale, reversals=service.reversals_of(db.session, sale),
                           managers=_managers(sale.store_id) if service.can_reverse(actor, sale) else [],
                           refund_methods=refund_methods, open_shift=service.current_shift(db.session, actor),
                           TENDERS=TENDERS, **_labels(), **posted.context), posted.status


@bp.get("/<uuid:sale_id>")
@allow(*ALL_STAFF)
def sale_detail(sale_id):
    return _sale_page(service.get_sale(db.session, current_actor(), sale_id))


def _reverse_from_page(sale_id, name: str, form, reverse, done: str):
    """A void or return form (`name`): parse, call the service, then the sale again (the error beside that form)."""
    actor = current_actor()
    sale = service.get_sale(db.session, actor, sale_id)
    return submit(form, lambda data: reverse(actor, sale, data), done=lambda doc: done % {"number": doc.number},
                  then=url_for("sales.sale_detail", sale_id=sale.id), form=name,
                  page=lambda posted: _sale_page(service.get_sale(db.session, actor, sale_id), posted))


@bp.post("/<uuid:sale_id>/void")
@allow(*STORE_ROLES)
def sale_void(sale_id):
    return _reverse_from_page(sale_id, "void", void_form(), lambda actor, sale, data: service.void_sale(
        db.session, actor, sale.id, approval=data["approval"], reason=data["reason"],
        idempotency_key=data["idempotency_key"], now=utcnow()), _("已作废，作废单号 %(number)s"))


@bp.post("/<uuid:sale_id>/return")
@allow(*STORE_ROLES)
def sale_return(sale_id):
    return _reverse_from_page(sale_id, "return", return_form(), lambda actor, sale, data: service.return_items(
        db.session, actor, sale.id, data["lines"], refund=data["refund"], approval=data["approval"],
        reason=data["reason"], idempotency_key=data["idempotency_key"], now=utcnow()),
        _("已办理退货，退货单号 %(number)s"))


@bp.route("/settings", methods=["GET", "POST"])
@allow(Role.STORE_MANAGER)
def till_settings():
    actor = current_actor()
    store_id = actor.store_id

    if request.method == "POST":
        return submit(settings_form(), lambda data: service.update_till_config(
            db.session, actor, store_id, accepted=data["accepted"], receipt_width_mm=data["receipt_width_mm"],
            variance_limit_fen=data.get("variance_limit"), cash_approval_limit_fen=data.get("cash_approval_limit")),
            values={"accepted": request.form.getlist("accepted"),
                    "receipt_width_mm": request.form.get("receipt_width_mm", ""),
                    **({"variance_limit": request.form["variance_limit"]} if "variance_limit" in request.form
                       else {}),
                    **({"cash_approval_limit": request.form["cash_approval_limit"]}
                       if "cash_approval_limit" in request.form else {})},
            done=_("收银设置已保存"), then=url_for("sales.till_settings"), page=settings_page)
    return settings_page()


def settings_page(posted: Posted = Posted()):
    """The till settings page, its printers with it (the printer forms post to views_printers)."""
    actor = current_actor()
    return render_template("sales/settings.html", config=service.till_config(db.session, actor.store_id),
                           tenders=list(TENDERS.values()),
                           printers=service.list_printers(db.session, actor, actor.store_id),
                           **discount_views.settings_context(actor.store_id), **posted.context), posted.status


# --- the cash drawer (钱箱) and the X report# --- the cash drawer (钱箱) and the X report: a page of its own, linked from the till's header ----------------

def _cash_page(posted: Posted = Posted()):
    actor = current_actor()
    shift = service.current_shift(db.session, actor)
    if shift is None:
        return render_template("sales/shift_none.html"), 200
    config = service.till_config(db.session, shift.store_id)
    return render_template("sales/cash.html", shift=shift, expected=service.expected_takings(db.session, shift),
                           moves=service.cash_movements(db.session, shift), limit_fen=config.cash_approval_limit_fen,
                           managers=_managers(shift.store_id), kind_label=service.cash_kind_label,
                           new_key=uuid.uuid4(), **posted.context), posted.status


@bp.get("/cash")
@allow(*STORE_ROLES)
def cash():
    return _cash_page()


@bp.post("/cash/move")
@allow(*STORE_ROLES)
def cash_move():
    from .cash_schemas import CashMoveForm

    actor = current_actor()
    return submit(CashMoveForm(), lambda data: service.move_cash(
        db.session, actor, kind=data["kind"], amount_fen=data["amount_fen"], reason=data["reason"],
        approval=data["approval"], idempotency_key=data["idempotency_key"], now=utcnow())[0],
        done=lambda move: _("已记录%(kind)s %(amount)s", kind=service.cash_kind_label(move.kind),
                            amount=yuan(move.amount_fen)),
        then=url_for("sales.cash"), page=_cash_page, form="move")


@bp.post("/cash/no-sale")
@allow(*STORE_ROLES)
def cash_no_sale():
    from .cash_schemas import NoSaleForm

    actor = current_actor()
    return submit(NoSaleForm(), lambda data: service.no_sale(
        db.session, actor, reason=data["reason"], idempotency_key=data["idempotency_key"], now=utcnow())[0],
        done=_("已记录开钱箱"), then=url_for("sales.cash"), page=_cash_page, form="no_sale")


@bp.get("/x-report")
@allow(*STORE_ROLES)
def x_report():
    from .receipts import z_report_data

    actor = current_actor()
    shift = service.current_shift(db.session, actor)
    if shift is None:
        return render_template("sales/shift_none.html")
    return render_template("sales/x_report.html", shift=shift, report=z_report_data(db.session, shift),
                           moves=service.cash_movements(db.session, shift), kind_label=service.cash_kind_label)


@bp.get("/x-report.pdf")
@allow(*STORE_ROLES)
def x_report_pdf():
    from ..web import send_pdf

    shift, pdf = service.x_report_pdf(db.session, current_actor())
    return send_pdf(pdf, f"X-{shift.number}.pdf")


from . import views_printers  # noqa: E402,F401  (its routes on this blueprint)
from . import views_offline  # noqa: E402,F401  (routes on bp)
from . import discount_views  # noqa: E402  (its routes live on this blueprint)
from . import views_till  # noqa: E402,F401  (the till's held carts, reprints and returns without receipt)
