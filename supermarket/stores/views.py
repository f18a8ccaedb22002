"""Home pages per role, and the federation's district and store management."""
from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _

from ..auth.decorators import allow
from ..auth.permissions import ALL_STAFF, OVERSIGHT, Role
from ..extensions import db
from ..forms import Posted, submit
from ..jobs.service import job_statuses
from ..models import utcnow
from ..web import current_actor
from . import service
from .models import STORE_STATUSES
from .schemas import DistrictSchema, StoreInSchema, StoreUpdateSchema

bp = Blueprint("stores", __name__, template_folder="templates")


@bp.get("/federation")
@allow(Role.FEDERATION_ADMIN)
def federation_home():
    actor = current_actor()
    return render_template("stores/federation_home.html",
                           districts=service.list_districts(db.session, actor),
                           stores=service.list_stores(db.session, actor),
                           jobs_behind=[s for s in job_statuses(db.session, actor, utcnow()) if s.behind])


@bp.get("/districts/<uuid:district_id>")
@allow(*OVERSIGHT)
def district_home(district_id):
    actor = current_actor()
    district = service.get_district(db.session, actor, district_id)
    return render_template("stores/district_home.html", district=district,
                           stores=service.list_stores(db.session, actor, district_id=district.id))


@bp.get("/stores/<uuid:store_id>")
@allow(*ALL_STAFF)
def store_home(store_id):
    actor = current_actor()
    store = service.get_store(db.session, actor, store_id)
    figures = service.today_figures(db.session, actor, store.id, now=utcnow())
    return render_template("stores/store_home.html", store=store, figures=figures)


@bp.route("/districts/new", methods=["GET", "POST"])
@allow(Role.FEDERATION_ADMIN)
def district_new():
    def page(posted=Posted()):
        return render_template("stores/district_form.html", **posted.context), posted.status

    if request.method == "POST":
        return submit(DistrictSchema(), lambda data: service.create_district(db.session, current_actor(), **data),
                      done=lambda district: _("已创建区县 %(name)s", name=district.name),
                      then=url_for("stores.federation_home"), page=page)
    return page()


def _store_form(store=None):
    actor = current_actor()

    def page(posted=Posted()):
        return render_template("stores/store_form.html", store=store, statuses=STORE_STATUSES,
                               districts=service.list_districts(db.session, actor), **posted.context), posted.status

    if request.method != "POST":
        return page()
    if store is None:
        return submit(StoreInSchema(), lambda data: service.create_store(db.session, actor, **data),
                      done=lambda new: _("已保存门店 %(name)s", name=new.name),
                      then=lambda new: url_for("stores.store_home", store_id=new.id), page=page)
    return submit(StoreUpdateSchema(), lambda data: service.update_store(db.session, actor, store.id, **data),
                  done=_("已保存门店 %(name)s", name=store.name),
                  then=url_for("stores.store_home", store_id=store.id), page=page)


@bp.route("/stores/new", methods=["GET", "POST"])
@allow(Role.FEDERATION_ADMIN)
def store_new():
    return _store_form()


@bp.route("/stores/<uuid:store_id>/edit", methods=["GET", "POST"])
@allow(Role.FEDERATION_ADMIN)
def store_edit(store_id):
    return _store_form(service.get_store(db.session, current_actor(), store_id))
