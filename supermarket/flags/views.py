"""The board (/flags), one flag's page with its evidence and its people's history, the resolve and close forms,
and the thresholds page the federation edits."""
from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from . import service, thresholds
from ..auth.decorators import allow
from ..auth.permissions import Role
from ..exports import DATE, INT, TEXT, col, export_response, page_args, requested_format
from ..extensions import db
from ..forms import NoFields, Posted, submit
from ..models import utcnow
from ..stores.models import District, Store
from ..web import current_actor, load
from .kinds import AREA_LABELS, KINDS
from .presenters import evidence_url
from .schemas import BoardQuerySchema, ResolveSchema, ThresholdFormSchema

bp = Blueprint("flags", __name__, template_folder="templates", url_prefix="/flags")
BOARD = service.BOARD_ROLES
OVERSIGHT = (Role.DISTRICT_AUDITOR, Role.FEDERATION_ADMIN)


def filters_from(q: dict, actor) -> service.Filters:
    """Store and district codes to ids; a code the actor may not see filters to nothing rather than leaking."""
    f = service.Filters(kind=q["kind"] or None, person=q["person"] or None, status=q["status"] or None)
    if q["store"]:
        store = db.session.scalar(select(Store).where(Store.code == q["store"]))
        f.store_id = store.id if store and actor.can_see_store(store.id) else _NOWHERE
    if q["district"]:
        district = db.session.scalar(select(District).where(District.code == q["district"]))
        f.district_id = district.id if district else _NOWHERE
    return f


_NOWHERE = __import__("uuid").UUID(int=0)


@bp.get("")
@allow(*BOARD)
def board():
    actor, now = current_actor(), utcnow()
    q = load(BoardQuerySchema(), page_args())
    f = filters_from(q, actor)
    fmt = requested_format()
    if fmt:  # the download holds every matching flag, not one page
        every = service.list_flags(db.session, actor, f, limit=None)
        return export_response(_flag_columns(service.person_names(db.session, actor, every)), every, fmt, "flags")
    flags = service.flags_page(db.session, actor, f, page=q["page"])
    stores = list(db.session.scalars(service.scoped_stores(actor)))
    districts = sorted({s.district for s in stores}, key=lambda d: d.code)
    return render_template("flags/board.html", flags=flags, q=q, kinds=KINDS, areas=AREA_LABELS, stores=stores,
                           districts=districts,
                           counts=service.counts(db.session, actor, f, now=now),
                           names=service.person_names(db.session, actor, flags), now=now)


SEVERITY_LABELS = {1: _l("低"), 2: _l("中"), 3: _l("高")}
STATUS_LABELS = {"open": _l("待处理"), "explained": _l("已解释"), "confirmed": _l("已确认"), "closed": _l("已关闭")}


def _flag_columns(names: dict) -> list:
    """The board's columns, for its download (every flag that matches the filters)."""
    return [
        col(_l("级别"), TEXT, lambda f: SEVERITY_LABELS[f.severity]),
        col(_l("类型"), TEXT, lambda f: KINDS[f.kind].label if f.kind in KINDS else f.kind),
        col(_l("门店"), TEXT, lambda f: f.store.code),
        col(_l("开始"), DATE, "period_start"),
        col(_l("结束"), DATE, "period_end"),
        col(_l("涉及人员"), TEXT, lambda f: "、".join(names.get(p["id"], "—") for p in f.people)),
        col(_l("证据"), INT, lambda f: f.detail.get("count", len(f.evidence))),
        col(_l("状态"), TEXT, lambda f: STATUS_LABELS[f.status]),
    ]


def _flag_page(flag_id, posted=Posted()):
    actor = current_actor()
    flag = service.get_flag(db.session, actor, flag_id)
    history = service.people_history(db.session, actor, flag)
    return render_template("flags/flag.html", flag=flag, kind=KINDS.get(flag.kind), kinds=KINDS, history=history,
                           names=service.person_names(db.session, actor, [flag, *history]),
                           evidence_url=evidence_url, can_close=actor.role in OVERSIGHT,
                           **posted.context), posted.status


@bp.get("/<uuid:flag_id>")
@allow(*BOARD)
def flag(flag_id):
    return _flag_page(flag_id)


@bp.post("/<uuid:flag_id>/resolve")
@allow(*BOARD)
def resolve(flag_id):
    actor = current_actor()
    return submit(ResolveSchema(), lambda d: service.resolve(db.session, actor, flag_id, outcome=d["outcome"],
                                                             note=d["note"], now=utcnow()),
                  done=_("已处理该预警"), then=url_for("flags.flag", flag_id=flag_id), form="resolve",
                  page=lambda posted: _flag_page(flag_id, posted))


@bp.post("/<uuid:flag_id>/close")
@allow(*OVERSIGHT)
def close(flag_id):
    actor = current_actor()
    return submit(NoFields(), lambda d: service.close(db.session, actor, flag_id, now=utcnow()),
                  done=_("已关闭该预警"), then=url_for("flags.flag", flag_id=flag_id), form="close",
                  page=lambda posted: _flag_page(flag_id, posted))


@bp.route("/thresholds", methods=["GET", "POST"])
@allow(*OVERSIGHT)
def threshold_page():
    actor = current_actor()

    def page(posted=Posted()):
        return render_template("flags/thresholds.html", kinds=KINDS, current=thresholds.effective_all(db.session),
                               can_edit=actor.role is Role.FEDERATION_ADMIN, **posted.context), posted.status

    if request.method == "POST":
        def act(d):
            params = {k: v for k, v in d.items() if k not in ("kind", "enabled")}
            return thresholds.save(db.session, actor, d["kind"], params, enabled=d["enabled"] == "on",
                                   now=utcnow())

        return submit(ThresholdFormSchema(), act, done=_("已保存阈值"), then=url_for("flags.threshold_page"),
                      page=page, form=request.form.get("kind", ""))
    return page()
