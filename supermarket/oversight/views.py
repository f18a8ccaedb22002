"""`/dashboard`: the city, a district or a store for a period, with charts, a table under each, and each table's
data as CSV or xlsx (`?format=csv|xlsx&table=<name>` on the same URL: the same scope and period)."""
from __future__ import annotations

from flask import Blueprint, Response, render_template, request, url_for
from flask_babel import gettext as _

from ..auth.decorators import allow
from ..clock import local_today, utcnow
from ..errors import InvalidInput
from ..extensions import db
from ..web import current_actor
from . import export, periods, service
from .errors import InvalidPeriod
from .tables import format_value

bp = Blueprint("oversight", __name__, template_folder="templates")

_ARGS = ("period", "month", "quarter", "year", "start", "end", "district", "store")


def _text_args() -> dict:
    out = {}
    for key in _ARGS:
        value = request.args.get(key, "")
        if len(value) > 40:  # nothing legitimate is this long: refuse instead of echoing it
            raise InvalidPeriod(_("参数过长"), fields={key: [_("参数过长")]})
        out[key] = value.strip()
    return out


def _link_for(args: dict, period: periods.Period):
    def link(kind: str, code: str) -> str:
        return url_for("oversight.dashboard", **period.params(), **{kind: code})
    return link


@bp.get("/dashboard")
@allow(*service.VIEWERS)
def dashboard():
    actor = current_actor()
    args = _text_args()
    today = local_today(utcnow())
    try:
        period = periods.parse(args, today)
    except InvalidPeriod as e:
        if request.args.get("format"):
            raise
        return render_template("oversight/dashboard.html", board=None, args=args, error=e, kinds=periods.KINDS,
                               fmt=format_value), 422
    board = service.dashboard(db.session, actor, period, district=args["district"] or None,
                              store=args["store"] or None, link=_link_for(args, period))
    fmt = request.args.get("format")
    if fmt:
        if fmt not in export.FORMATS:
            raise InvalidInput(_("导出格式须为 csv 或 xlsx"), fields={"format": [_("导出格式须为 csv 或 xlsx")]})
        table = board.table(request.args.get("table", ""))
        scope = board.store.code if board.store else (board.district.code if board.district else "city")
        name = f"dashboard-{table.name}-{scope}-{period.start.isoformat()}-{period.end.isoformat()}.{fmt}"
        body = export.to_csv(table) if fmt == "csv" else export.to_xlsx(table)
        mime = "text/csv; charset=utf-8" if fmt == "csv" else export.XLSX
        return Response(body, mimetype=mime, headers={"Content-Disposition": f'attachment; filename="{name}"'})
    return render_template("oversight/dashboard.html", board=board, args=args, error=None, kinds=periods.KINDS,
                           fmt=format_value, export_args={k: v for k, v in args.items() if v}, **_home_links(actor))


def _home_links(actor) -> dict:
    """The pages the dashboard replaced as the landing page stay one click away; the federation is still told
    when a periodic job has not run for a day."""
    from ..auth.permissions import Role
    from ..jobs.service import job_statuses

    if actor.role is Role.FEDERATION_ADMIN:
        return {"home_link": (url_for("stores.federation_home"), _("门店与区县管理")),
                "jobs_behind": [s for s in job_statuses(db.session, actor, utcnow()) if s.behind]}
    if actor.role is Role.DISTRICT_AUDITOR:
        return {"home_link": (url_for("stores.district_home", district_id=next(iter(actor.district_ids))),
                              _("本区门店")), "jobs_behind": []}
    return {"home_link": None, "jobs_behind": []}
