"""Livestream session pages: the list, registration, the session page (till mode, order import with a progress
bar) and the reconciliation page (totals, close with an explanation, publication)."""
from __future__ import annotations

from datetime import timedelta

from flask import render_template, request, url_for
from flask_babel import gettext as _

from ..auth.decorators import allow
from ..auth.permissions import ALL_STAFF, STORE_ROLES, Role
from ..catalog import service as catalog
from ..errors import DomainError, InvalidInput
from ..extensions import db
from ..forms import NoFields, Posted, submit
from ..models import utcnow
from ..web import current_actor
from . import service
from .importer import PLATFORM_LABELS
from .livestream import SessionInput
from .schemas import CloseInSchema, ColumnsInSchema, PublishInSchema, SessionFormSchema, TotalsFormSchema
from .views import bp


@bp.get("/livestreams")
@allow(*ALL_STAFF)
def livestreams():
    actor = current_actor()
    return render_template("projects/livestreams.html", rows=service.sessions_page(db.session, actor, page=request.args.get("page")),
                           platforms=PLATFORM_LABELS, can_register=actor.role in STORE_ROLES)


@bp.route("/livestreams/new", methods=["GET", "POST"])
@allow(*STORE_ROLES)
def livestream_new():
    actor = current_actor()

    def page(posted=Posted()):
        projects = [p for p in service.list_projects(db.session, actor, status="open")]
        return render_template("projects/livestream_form.html", projects=projects, platforms=PLATFORM_LABELS,
                               **posted.context), posted.status

    if request.method != "POST":
        return page()
    return submit(SessionFormSchema(), lambda d: service.register_session(
        db.session, actor, _with_goods(d), now=utcnow()), done=_("直播已登记"), then=lambda s: url_for("projects.livestream", session_id=s.id), page=page)


def _with_goods(loaded: dict) -> SessionInput:
    """The form's goods, one `条码 数量` a line, as (item id, qty); an unknown barcode is the field's error."""
    goods = []
    for raw in (loaded.pop("goods_text", "") or "").splitlines()[:200]:
        parts = raw.split()
        if not parts:
            continue
        qty = parts[1] if len(parts) > 1 else "1"
        try:
            item = catalog.find_by_barcode(db.session, parts[0])
        except DomainError:
            item = None
        if item is None or not qty.isdigit() or len(qty) > 6:
            msg = _("第 %(n)d 行：条码或数量无效", n=len(goods) + 1)
            raise InvalidInput(msg, fields={"goods_text": [msg]})
        goods.append((item.id, int(qty)))
    return SessionInput(goods=tuple(goods), **loaded)


def _session_page(session_id, posted: Posted = Posted()):
    actor = current_actor()
    row = service.get_session(db.session, actor, session_id)
    mode = service.till_mode(db.session, actor) if actor.role in STORE_ROLES else None
    return render_template("projects/livestream.html", s=row, rec=service.reconciliation(db.session, actor, row.id),
                           platforms=PLATFORM_LABELS, mode=mode,
                           columns=service.columns_for(db.session, row.store_id, row.platform),
                           is_staff=actor.role in STORE_ROLES and row.store_id in actor.store_ids,
                           **posted.context), posted.status


@bp.get("/livestreams/<uuid:session_id>")
@allow(*ALL_STAFF)
def livestream(session_id):
    return _session_page(session_id)


@bp.post("/livestreams/<uuid:session_id>/till-mode/<any(on, off):switch>")
@allow(*STORE_ROLES)
def till_mode(session_id, switch):
    actor = current_actor()

    def act(_d):
        if switch == "on":
            return service.start_till_mode(db.session, actor, session_id, now=utcnow())
        return service.stop_till_mode(db.session, actor, session_id, now=utcnow())

    return submit(NoFields(), act, done=_("收银台已进入直播模式") if switch == "on" else _("收银台已退出直播模式"),
                  then=url_for("projects.livestream", session_id=session_id), form="mode",
                  page=lambda posted: _session_page(session_id, posted))


@bp.post("/livestreams/<uuid:session_id>/columns")
@allow(Role.STORE_MANAGER)
def map_columns(session_id):
    actor = current_actor()
    row = service.get_session(db.session, actor, session_id)
    values = {k: v for k, v in request.form.items() if k != "csrf_token"}
    values["platform"] = row.platform
    return submit(ColumnsInSchema(), lambda d: service.map_columns(db.session, actor, d[0], d[1], now=utcnow()),
                  done=_("列对应已保存"), then=url_for("projects.livestream", session_id=session_id), form="columns",
                  values=values, page=lambda posted: _session_page(session_id, posted))


def _reconcile_page(session_id, posted: Posted = Posted()):
    actor = current_actor()
    rec = service.reconciliation(db.session, actor, session_id)
    s = rec.session
    return render_template("projects/reconciliation.html", s=s, rec=rec, platforms=PLATFORM_LABELS,
                           is_staff=actor.role in STORE_ROLES and s.store_id in actor.store_ids,
                           is_manager=actor.role is Role.STORE_MANAGER and s.store_id in actor.store_ids,
                           overdue=(s.closed_at is not None and s.published_at is None
                                    and utcnow() > s.closed_at + timedelta(days=15)),
                           **posted.context), posted.status


@bp.get("/livestreams/<uuid:session_id>/reconciliation")
@allow(*ALL_STAFF)
def reconciliation(session_id):
    return _reconcile_page(session_id)


def _on_reconcile(session_id, form, schema, act, done):
    return submit(schema, act, done=done, then=url_for("projects.reconciliation", session_id=session_id),
                  form=form, page=lambda posted: _reconcile_page(session_id, posted))


@bp.post("/livestreams/<uuid:session_id>/totals")
@allow(*STORE_ROLES)
def totals(session_id):
    return _on_reconcile(session_id, "totals", TotalsFormSchema(),
                         lambda d: service.record_totals(db.session, current_actor(), session_id, now=utcnow(), **d),
                         _("已录入平台结算额和实收金额"))


@bp.post("/livestreams/<uuid:session_id>/close")
@allow(Role.STORE_MANAGER)
def close(session_id):
    return _on_reconcile(session_id, "close", CloseInSchema(),
                         lambda d: service.close_session(db.session, current_actor(), session_id,
                                                         explanation=d["explanation"], now=utcnow()),
                         _("对账已结束"))


@bp.post("/livestreams/<uuid:session_id>/publication")
@allow(Role.STORE_MANAGER)
def publish(session_id):
    return _on_reconcile(session_id, "publish", PublishInSchema(),
                         lambda d: service.record_publication(db.session, current_actor(), session_id,
                                                              where=d["where"], now=utcnow()),
                         _("已登记公示"))
