"""The points table (积分标准) and its history, and the oversight pages."""
from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _

from ..auth.decorators import allow
from ..auth.permissions import ALL_STAFF, Role
from ..extensions import db
from ..forms import Posted, submit
from ..models import utcnow
from ..stores import service as stores_service
from ..web import current_actor, form_data, load
from . import oversight, rules
from .schemas import OverviewQuerySchema, TableInSchema

bp = Blueprint("admin", __name__, url_prefix="/points")
ACTIVITY_FIELDS = ("code", "name", "kind", "points", "per_hours", "max_hours_per_shift", "max_points_per_month")
BLANK_ROWS = 3


@bp.get("/table")
@allow(*ALL_STAFF)
def table():
    now = utcnow()
    return render_template("points/table.html", tables=rules.list_tables(db.session),
                           current=rules.current_table_or_none(db.session, now))


@bp.get("/table/<uuid:table_id>")
@allow(*ALL_STAFF)
def table_version(table_id):
    return render_template("points/table_version.html", table=rules.get_table(db.session, table_id))


def _table_values(form) -> dict:
    """The flat form (code_0, name_0, …) as the nested shape TableInSchema loads; blank rows dropped."""
    values = {k: v for k, v in form_data(form).items() if "_" not in k or not k.rsplit("_", 1)[1].isdigit()}
    rows = []
    for i in range(100):
        row = {f: form.get(f"{f}_{i}", "").strip() for f in ACTIVITY_FIELDS}
        if not (row["code"] or row["name"] or row["points"]):  # a blank row (its kind select always has a value)
            if f"code_{i}" not in form:
                break
            continue
        rows.append({k: v for k, v in row.items() if v != ""})
    values["activities"] = rows
    return values


def _current_as_values() -> dict:
    current = rules.current_table_or_none(db.session, utcnow())
    if current is None:
        return {"activities": []}
    values = {c: getattr(current, c) for c in (
        "point_value_fen", "expiry_policy", "expiry_months", "max_hours_per_day", "max_points_per_month",
        "backdate_days", "publication_days", "daily_redeem_cap", "adjust_approval_threshold")}
    values["activities"] = [{f: getattr(a, f) for f in ACTIVITY_FIELDS} for a in current.activities]
    return {k: v for k, v in values.items() if v is not None}


@bp.route("/table/new", methods=["GET", "POST"])
@allow(Role.FEDERATION_ADMIN)
def table_new():
    def page(posted=Posted(values=_current_as_values())):
        rows = list(posted.values.get("activities", [])) + [{}] * BLANK_ROWS
        return render_template("points/table_form.html", rows=rows, **posted.context), posted.status

    def publish(data):
        acts = tuple(rules.ActivityInput(**a) for a in data.pop("activities"))
        return rules.publish_table(db.session, current_actor(), rules.TableInput(activities=acts, **data),
                                   now=utcnow())

    if request.method == "POST":
        return submit(TableInSchema(), publish, values=_table_values(request.form),
                      done=lambda version: _("已发布积分标准第 %(v)d 版，%(day)s 起生效", v=version.version,
                                             day=version.effective_from.isoformat()),
                      then=url_for("points.admin.table"), page=page)
    return page()


@bp.get("/overview")
@allow(Role.STORE_MANAGER, Role.DISTRICT_AUDITOR, Role.FEDERATION_ADMIN)
def overview():
    actor = current_actor()
    q = load(OverviewQuerySchema(), form_data(request.args))
    now = utcnow()
    month = oversight.month_of(q["month"], now)
    store_ids = {q["store_id"]} if q["store_id"] else None
    if q["store_id"]:
        stores_service.get_store(db.session, actor, q["store_id"])  # 404 for a store the actor may not see
    data = oversight.overview(db.session, actor, month=month, store_ids=store_ids, now=now)
    stores = stores_service.list_stores(db.session, actor)
    names = {s.id: s.name for s in stores}
    rows = [(s.name, data.by_store[s.id]) for s in stores if s.id in data.by_store]
    return render_template("points/overview.html", data=data, stores=stores, q=q, store_names=names, rows=rows,
                           platform=data.by_store.get(None), month=month)
