"""Pages of the till: the till itself (a JSON-driven page), shifts and the close, sales with voids and returns,
and the store's till settings."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..auth.decorators import allow
from ..auth.permissions import ALL_STAFF, STORE_ROLES, Role
from ..errors import DomainError
from ..extensions import db
from ..i18n import yuan
from ..models import utcnow
from ..clock import SHANGHAI
from ..stores.service import get_store
from ..web import current_actor, form_data, load
from . import lookup, queries, reversals, settings, shifts
from .forms import close_form, open_form, return_form, settings_form, void_form
from .models import Sale
from .queries import FUND_LABELS, KIND_LABELS, STATUS_LABELS
from .tenders import MONEY_METHODS, TENDERS, label, usable

bp = Blueprint("sales", __name__, template_folder="templates", url_prefix="/sales")



def _labels() -> dict:
    return {"tender_label": label, "KIND_LABELS": KIND_LABELS, "STATUS_LABELS": STATUS_LABELS,
            "FUND_LABELS": FUND_LABELS}


def _managers(store_id) -> list:
    """The store's managers, offered as approvers on the tablet (the PIN is still typed)."""
    from ..auth.models import User

    return list(db.session.scalars(db.select(User).where(User.store_id == store_id, User.active.is_(True),
                                                         User.role == Role.STORE_MANAGER.value)
                                   .order_by(User.username)))


@bp.get("/till")
@allow(*STORE_ROLES)
def till():
    actor = current_actor()
    store = get_store(db.session, actor, actor.store_id)
    config = settings.till_config(db.session, store.id)
    return render_template("sales/till.html", store=store, shift=shifts.current_shift(db.session, actor),
                           tenders=[t.as_dict() for t in usable(config.accepted)],
                           categories=lookup.quick_categories(db.session), managers=_managers(store.id),
                           error=None, fields={}, values={})


@bp.post("/shift/open")
@allow(*STORE_ROLES)
def shift_open():
    actor = current_actor()
    try:
        data = load(open_form(), form_data(request.form))
        shift = shifts.open_shift(db.session, actor, float_fen=data["float_fen"], now=utcnow())
    except DomainError as e:
        flash(e.message)
    else:
        flash(_("已开班 %(number)s，备用金 %(amount)s", number=shift.number, amount=yuan(shift.float_fen)))
    return redirect(url_for("sales.till"))


@bp.route("/shift", methods=["GET", "POST"])
@allow(*STORE_ROLES)
def shift_close():
    """Count the takings (preview: expected vs counted), then a manager countersigns and the shift closes."""
    actor = current_actor()
    shift = shifts.current_shift(db.session, actor)
    if shift is None:
        return render_template("sales/shift_none.html")
    values = form_data(request.form) if request.method == "POST" else {}
    error, fields, preview, status = None, {}, None, 200
    expected = shifts.expected_takings(db.session, shift)
    if request.method == "POST":
        try:
            close = load(close_form(list(expected)), values)
            if values.get("action") == "confirm":
                closed = shifts.close_shift(db.session, actor, close, now=utcnow())
                flash(_("班次 %(number)s 已结班", number=closed.number))
                return redirect(url_for("sales.shift_detail", shift_id=closed.id))
            _s, preview = shifts.preview_close(db.session, actor, close.counted)
        except DomainError as e:
            error, fields, status = e.message, e.extra.get("fields", {}), e.status
            if values.get("action") == "confirm":
                _s, preview = _safe_preview(actor, values, expected)
    totals = queries.shift_totals(db.session, shift)
    return render_template("sales/shift_close.html", shift=shift, methods=list(expected), totals=totals,
                           preview=preview, values=values, error=error, fields=fields,
                           managers=_managers(shift.store_id), **_labels()), status


def _safe_preview(actor, values, expected):
    """Keep showing the comparison when only the countersign failed."""
    try:
        close = load(close_form(list(expected)), {k: v for k, v in values.items() if k.startswith("counted_")})
        return shifts.preview_close(db.session, actor, close.counted)
    except DomainError:
        return None, None


@bp.get("/shifts")
@allow(*STORE_ROLES)
def shift_list():
    actor = current_actor()
    return render_template("sales/shift_list.html",
                           shifts=shifts.list_shifts(db.session, actor, actor.store_id), **_labels())


@bp.get("/shifts/<uuid:shift_id>")
@allow(*ALL_STAFF)
def shift_detail(shift_id):
    shift = shifts.get_shift(db.session, current_actor(), shift_id)
    from .receipts import ordered

    return render_template("sales/shift_detail.html", shift=shift, counts=ordered(shift.counts),
                           totals=queries.shift_totals(db.session, shift), **_labels())


@bp.get("/")
@allow(*STORE_ROLES)
def sales_list():
    actor = current_actor()
    try:
        day = date.fromisoformat(request.args.get("date", ""))
    except ValueError:
        day = utcnow().astimezone(SHANGHAI).date()
    store_id = actor.store_id
    return render_template("sales/sales_list.html", day=day, sales=queries.list_sales(db.session, actor, store_id, day),
                           totals=queries.day_summary(db.session, actor, store_id, day), **_labels())


def _sale_page(sale: Sale, *, error=None, fields=None, values=None, status=200):
    actor = current_actor()
    config = settings.till_config(db.session, sale.store_id)
    refund_methods = [t for t in usable(config.accepted) if t.method in MONEY_METHODS]
    return render_template("sales/sale_detail.html", sale=sale, reversals=queries.reversals_of(db.session, sale),
                           managers=_managers(sale.store_id) if reversals.can_reverse(actor, sale) else [],
                           refund_methods=refund_methods, open_shift=shifts.current_shift(db.session, actor),
                           error=error, fields=fields or {}, values=values or {}, TENDERS=TENDERS,
                           **_labels()), status


@bp.get("/<uuid:sale_id>")
@allow(*ALL_STAFF)
def sale_detail(sale_id):
    return _sale_page(queries.get_sale(db.session, current_actor(), sale_id))


def _reverse_from_page(sale_id, form, reverse, done: str):
    """A void or return form: parse, call the service, then the sale again (with the error, if any)."""
    actor = current_actor()
    sale = queries.get_sale(db.session, actor, sale_id)
    values = form_data(request.form)
    try:
        doc = reverse(actor, sale, load(form, values))
    except DomainError as e:
        return _sale_page(queries.get_sale(db.session, actor, sale_id), error=e.message,
                          fields=e.extra.get("fields"), values=values, status=e.status)
    flash(done % {"number": doc.number})
    return redirect(url_for("sales.sale_detail", sale_id=sale.id))


@bp.post("/<uuid:sale_id>/void")
@allow(*STORE_ROLES)
def sale_void(sale_id):
    return _reverse_from_page(sale_id, void_form(), lambda actor, sale, data: reversals.void_sale(
        db.session, actor, sale.id, approval=data["approval"], reason=data["reason"],
        idempotency_key=data["idempotency_key"], now=utcnow()), _("已作废，作废单号 %(number)s"))


@bp.post("/<uuid:sale_id>/return")
@allow(*STORE_ROLES)
def sale_return(sale_id):
    return _reverse_from_page(sale_id, return_form(), lambda actor, sale, data: reversals.return_items(
        db.session, actor, sale.id, data["lines"], refund=data["refund"], approval=data["approval"],
        reason=data["reason"], idempotency_key=data["idempotency_key"], now=utcnow()),
        _("已办理退货，退货单号 %(number)s"))


@bp.route("/settings", methods=["GET", "POST"])
@allow(Role.STORE_MANAGER)
def till_settings():
    actor = current_actor()
    store_id = actor.store_id
    error, fields = None, {}
    if request.method == "POST":
        try:
            data = load(settings_form(), {"accepted": request.form.getlist("accepted"),
                                          "receipt_width_mm": request.form.get("receipt_width_mm", "")})
            settings.update_till_config(db.session, actor, store_id, accepted=data["accepted"],
                                        receipt_width_mm=data["receipt_width_mm"])
        except DomainError as e:
            error, fields = e.message, e.extra.get("fields", {})
        else:
            flash(_("收银设置已保存"))
            return redirect(url_for("sales.till_settings"))
    return render_template("sales/settings.html", config=settings.till_config(db.session, store_id),
                           tenders=list(TENDERS.values()), error=error, fields=fields), 200 if error is None else 422
