"""Project pages: the list, a new project, the project page (target, raised, spent, balance, ledger, the missing
monthly update, designations, advances, updates), the expenditure form and the uploaded files."""
from __future__ import annotations

import dataclasses
from io import BytesIO

from flask import Blueprint, render_template, request, send_file, url_for
from flask_babel import gettext as _

from ..auth.decorators import allow
from ..auth.permissions import ALL_STAFF, STORE_ROLES, Role
from ..auth.service import Approval
from ..catalog import service as catalog
from ..extensions import db
from ..forms import NoFields, Posted, submit
from ..models import utcnow
from ..web import current_actor
from . import service
from .files import Upload
from .schemas import (AdvanceFormSchema, DesignateFormSchema, ExpenditureFormSchema, ProjectFormSchema,
                      ShareFormSchema, UpdateFormSchema)

bp = Blueprint("projects", __name__, template_folder="templates")
MANAGERS = (Role.STORE_MANAGER, Role.DISTRICT_AUDITOR, Role.FEDERATION_ADMIN)


def _file(name: str) -> Upload | None:
    upload = request.files.get(name)
    if upload is None or not upload.filename:
        return None
    return Upload(upload.filename, upload.stream.read())  # MAX_CONTENT_LENGTH bounds it


@bp.get("/projects")
@allow(*ALL_STAFF)
def projects():
    actor = current_actor()
    rows = service.list_projects(db.session, actor)
    return render_template("projects/list.html", rows=rows,
                           figures=service.figures(db.session, [p.id for p in rows]),
                           can_create=actor.role in MANAGERS)


@bp.route("/projects/new", methods=["GET", "POST"])
@allow(*MANAGERS)
def project_new():
    actor = current_actor()

    def page(posted=Posted()):
        return render_template("projects/project_form.html", **posted.context), posted.status

    if request.method != "POST":
        return page()
    level = {Role.STORE_MANAGER: "store", Role.DISTRICT_AUDITOR: "district"}.get(actor.role, "city")

    def act(loaded):
        data, open_now = loaded
        project = service.create_project(db.session, actor, dataclasses.replace(data, level=level), now=utcnow())
        return service.set_status(db.session, actor, project.id, "open", now=utcnow()) if open_now else project

    return submit(ProjectFormSchema(), act, done=lambda p: _("已建立项目 %(title)s", title=p.title),
                  then=lambda p: url_for("projects.project", project_id=p.id), page=page)


def _project_page(project_id, posted: Posted = Posted()):
    actor = current_actor()
    now = utcnow()
    project = service.get_project(db.session, actor, project_id)
    return render_template(
        "projects/project.html", p=project, f=service.figures(db.session, [project.id])[project.id],
        ledger=service.ledger(db.session, project.id), missing=service.months_missing(db.session, project, now=now),
        updates=service.updates(db.session, project), expenditures=service.expenditures(db.session, project),
        sessions=service.list_sessions(db.session, actor, project_id=project.id),
        can_manage=service.can_manage(actor, project), can_spend=service.can_spend(actor, project),
        lines=service.money_lines_to_designate(db.session, actor) if actor.role in STORE_ROLES else [],
        shares=service.category_shares(db.session, project),
        categories=catalog.list_categories(db.session) if actor.role is Role.STORE_MANAGER else [],
        **posted.context), posted.status


@bp.get("/projects/<uuid:project_id>")
@allow(*ALL_STAFF)
def project(project_id):
    return _project_page(project_id)


def _on_page(project_id, form, schema, act, done):
    return submit(schema, act, done=done, then=url_for("projects.project", project_id=project_id), form=form,
                  page=lambda posted: _project_page(project_id, posted))


@bp.post("/projects/<uuid:project_id>/status/<any(open, closed):status>")
@allow(*MANAGERS)
def project_status(project_id, status):
    return _on_page(project_id, "status", NoFields(),
                    lambda d: service.set_status(db.session, current_actor(), project_id, status, now=utcnow()),
                    _("项目已开始") if status == "open" else _("项目已结束"))


@bp.post("/projects/<uuid:project_id>/designations")
@allow(*STORE_ROLES)
def designate(project_id):
    return _on_page(project_id, "designate", DesignateFormSchema(),
                    lambda d: service.designate(db.session, current_actor(), project_id, d["money_line_id"],
                                                now=utcnow()), _("捐款已指定给本项目"))


@bp.post("/projects/<uuid:project_id>/shares")
@allow(Role.STORE_MANAGER)
def share(project_id):
    return _on_page(project_id, "share", ShareFormSchema(),
                    lambda d: service.set_category_share(db.session, current_actor(), project_id, d["category_id"],
                                                         d["share_percent"] * 100, now=utcnow()),
                    _("品类分成已设置"))


@bp.post("/projects/<uuid:project_id>/updates")
@allow(*ALL_STAFF)
def post_update(project_id):
    photo = _file("photo")
    return _on_page(project_id, "update", UpdateFormSchema(),
                    lambda d: service.post_update(db.session, current_actor(), project_id, text=d["text"],
                                                  photo=photo, now=utcnow()), _("本月进展已发布"))


@bp.post("/projects/<uuid:project_id>/advances")
@allow(*ALL_STAFF)
def advance(project_id):
    return _on_page(project_id, "advance", AdvanceFormSchema(),
                    lambda d: service.record_advance(
                        db.session, current_actor(), project_id, amount_fen=d["amount_fen"], reason=d["reason"],
                        approval=Approval(d["approver"], d["approver_secret"]), now=utcnow()), _("垫支已记录"))


@bp.route("/projects/<uuid:project_id>/expenditures/new", methods=["GET", "POST"])
@allow(*ALL_STAFF)
def expenditure_new(project_id):
    actor = current_actor()
    project = service.get_project(db.session, actor, project_id)

    def page(posted=Posted()):
        f = service.figures(db.session, [project.id])[project.id]
        return render_template("projects/expenditure_form.html", p=project, f=f, **posted.context), posted.status

    if request.method != "POST":
        return page()
    voucher = _file("voucher")

    def act(d):
        return service.record_expenditure(db.session, actor, project.id, service.ExpenditureInput(
            amount_fen=d["amount_fen"], payee=d["payee"], purpose=d["purpose"], spent_on=d["spent_on"],
            approval=Approval(d["approver"], d["approver_secret"]), voucher=voucher), now=utcnow())

    return submit(ExpenditureFormSchema(), act, done=_("支出已记录"),
                  then=url_for("projects.project", project_id=project.id), page=page)


@bp.get("/projects/files/<uuid:file_id>")
@allow(*ALL_STAFF)
def file(file_id):
    row = service.file_for(db.session, current_actor(), file_id)
    resp = send_file(BytesIO(row.data), mimetype=row.content_type, max_age=0)
    # Served as what it was checked to be, never sniffed into something else.
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Content-Security-Policy"] = "default-src 'none'"
    return resp


from . import views_live  # noqa: E402,F401  (the sessions' pages, on this blueprint)
