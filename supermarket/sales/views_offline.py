"""Pages of the offline till: the service worker and web app manifest that make the till installable and open
with no network, and the manager's list of sales recorded offline with their problems."""
from __future__ import annotations

import json
import os

from flask import Response, current_app, render_template, url_for
from flask_babel import gettext as _

from . import offline
from ..auth.decorators import allow
from ..auth.permissions import STORE_ROLES, Role, is_manager_of
from ..extensions import db
from ..forms import Posted, submit
from ..models import utcnow
from ..stores.service import get_store
from ..web import current_actor
from .offline_schemas import ResolveOfflineForm
from .views import bp


@bp.get("/sw.js")
@allow(*STORE_ROLES)
def service_worker():
    """The till's service worker, served under /sales/ so its scope covers /sales/till (a worker's scope is
    its own folder at most, and the static folder would not reach the till)."""
    with open(os.path.join(current_app.static_folder, "till-sw.js"), "rb") as f:
        resp = Response(f.read(), mimetype="text/javascript")
    resp.headers["Cache-Control"] = "no-cache"  # a new till version reaches tablets at their next online visit
    resp.headers["Service-Worker-Allowed"] = url_for("sales.till").rsplit("/", 1)[0] + "/"
    return resp


@bp.get("/till.webmanifest")
@allow(*STORE_ROLES)
def manifest():
    """The installable till: opens full screen on the till, named after the store."""
    actor = current_actor()
    store = get_store(db.session, actor, actor.store_id)
    body = {"name": _("%(store)s 收银台", store=store.name), "short_name": _("收银台"),
            "start_url": url_for("sales.till"), "scope": url_for("sales.till").rsplit("/", 1)[0] + "/",
            "display": "standalone", "orientation": "any", "background_color": "#ffffff", "theme_color": "#b4232a",
            "lang": "zh-CN", "icons": [{"src": url_for("static", filename="till-icon.svg"), "sizes": "any",
                                        "type": "image/svg+xml", "purpose": "any"}]}
    return Response(json.dumps(body, ensure_ascii=False), mimetype="application/manifest+json")


def _offline_page(posted: Posted = Posted()):
    actor = current_actor()
    store = get_store(db.session, actor, actor.store_id)
    rows = offline.offline_sales(db.session, actor, store.id)
    return render_template("sales/offline_list.html", store=store, rows=rows, label=offline.problem_label,
                           can_resolve=is_manager_of(actor, store.id), **posted.context), posted.status


@bp.get("/offline")
@allow(Role.STORE_MANAGER, Role.CASHIER)
def offline_list():
    """Sales the store's tablets recorded offline, those with a problem first."""
    return _offline_page()


@bp.post("/offline/<uuid:sale_id>/resolve")
@allow(Role.STORE_MANAGER)
def offline_resolve(sale_id):
    actor = current_actor()
    return submit(ResolveOfflineForm(), lambda data: offline.resolve(db.session, actor, sale_id, note=data["note"],
                                                                     now=utcnow()),
                  done=lambda row: _("已处理离线销售 %(number)s", number=row.provisional_number),
                  then=url_for("sales.offline_list"), page=_offline_page, form=str(sale_id))
