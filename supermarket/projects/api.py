"""Projects and livestreams JSON API, scoped like everything else (another store's id is a 404)."""
from __future__ import annotations

import json

from flask import Blueprint, request

from ..api import doc, listing
from ..auth.decorators import allow
from ..auth.permissions import ALL_STAFF, STORE_ROLES, Role
from ..errors import InvalidInput
from ..extensions import db, limiter, login_rate_limit
from ..models import utcnow
from ..web import current_actor, load
from . import service
from .files import Upload
from .schemas import (CloseInSchema, ExpenditureInSchema, ExpenditureOutSchema, ImportOutSchema, PageQuerySchema,
                      ProjectDetailOutSchema, ProjectInSchema, ProjectOutSchema, PublishInSchema,
                      ReconciliationOutSchema, SessionInSchema, SessionOutSchema, TotalsInSchema)

bp = Blueprint("projects", __name__)
MANAGERS = (Role.STORE_MANAGER, Role.DISTRICT_AUDITOR, Role.FEDERATION_ADMIN)


def project_detail(actor, project) -> dict:
    f = service.figures(db.session, [project.id])[project.id]
    body = ProjectOutSchema().dump(project)
    body.update(raised_fen=f.raised_fen, spent_fen=f.spent_fen, balance_fen=f.balance_fen,
                advances_fen=f.advances_fen,
                months_missing=[m.strftime("%Y-%m") for m in service.months_missing(db.session, project,
                                                                                     now=utcnow())],
                ledger=[{"at": r.at.isoformat(), "kind": r.kind, "reference": r.reference,
                         "amount_fen": r.amount_fen} for r in service.ledger(db.session, project.id)],
                expenditures=ExpenditureOutSchema(many=True).dump(service.expenditures(db.session, project)))
    return body


@bp.get("/projects")
@allow(*ALL_STAFF)
@doc(summary="Projects the caller may see, with their figures", query=PageQuerySchema,
     responses={200: listing("projects", ProjectDetailOutSchema)})
def list_projects():
    actor = current_actor()
    page = load(PageQuerySchema(), request.args.to_dict())
    rows = service.list_projects(db.session, actor, limit=page["limit"], offset=page["offset"])
    figures = service.figures(db.session, [p.id for p in rows])
    return {"projects": [{**ProjectOutSchema().dump(p), "raised_fen": figures[p.id].raised_fen,
                          "spent_fen": figures[p.id].spent_fen, "balance_fen": figures[p.id].balance_fen}
                         for p in rows]}


@bp.post("/projects")
@allow(*MANAGERS)
@doc(summary="Create a project (a draft unless `open`)", body=ProjectInSchema, responses={201: ProjectDetailOutSchema})
def create_project():
    actor = current_actor()
    data, open_now = load(ProjectInSchema(), request.get_json(silent=True))
    now = utcnow()
    project = service.create_project(db.session, actor, data, now=now)
    if open_now:
        project = service.set_status(db.session, actor, project.id, "open", now=now)
    return project_detail(actor, project), 201


@bp.get("/projects/<project_id>")
@allow(*ALL_STAFF)
@doc(summary="One project: target, raised, spent, balance and its ledger", responses={200: ProjectDetailOutSchema})
def get_project(project_id):
    actor = current_actor()
    return project_detail(actor, service.get_project(db.session, actor, project_id))


@bp.post("/projects/<project_id>/expenditures")
@allow(*ALL_STAFF)
@limiter.limit(login_rate_limit)  # the approver's password is tried here
@doc(summary="Spend from a project, approved by a second person; 409 projects.insufficient_balance beyond the "
             "balance (unless an approved advance covers it). JSON, or multipart with a `payload` JSON field "
             "and a `voucher` file (JPEG/PNG/WebP/PDF)", body=ExpenditureInSchema,
     responses={201: ExpenditureOutSchema})
def create_expenditure(project_id):
    actor = current_actor()
    voucher = None
    if request.mimetype == "multipart/form-data":
        try:
            raw = json.loads(request.form.get("payload") or "null")
        except ValueError:
            raise InvalidInput(fields={"payload": ["JSON"]}) from None
        upload = request.files.get("voucher")
        if upload is not None and upload.filename:
            voucher = Upload(upload.filename, upload.stream.read())
    else:
        raw = request.get_json(silent=True)
    data = load(ExpenditureInSchema(), raw)
    row = service.record_expenditure(db.session, actor, project_id, service.ExpenditureInput(
        amount_fen=data["amount_fen"], payee=data["payee"], purpose=data["purpose"], spent_on=data["spent_on"],
        approval=data["approval"], voucher=voucher), now=utcnow())
    return ExpenditureOutSchema().dump(row), 201


@bp.get("/livestreams")
@allow(*ALL_STAFF)
@doc(summary="Livestream and charity-sale sessions of the caller's stores", query=PageQuerySchema,
     responses={200: listing("livestreams", SessionOutSchema)})
def list_livestreams():
    actor = current_actor()
    page = load(PageQuerySchema(), request.args.to_dict())
    rows = service.list_sessions(db.session, actor, limit=page["limit"], offset=page["offset"])
    return {"livestreams": SessionOutSchema(many=True).dump(rows)}


@bp.post("/livestreams")
@allow(*STORE_ROLES)
@doc(summary="Register a session before it starts, for an open project", body=SessionInSchema,
     responses={201: SessionOutSchema})
def create_livestream():
    actor = current_actor()
    data = load(SessionInSchema(), request.get_json(silent=True))
    row = service.register_session(db.session, actor, data, now=utcnow())
    return SessionOutSchema().dump(row), 201


@bp.post("/livestreams/<session_id>/orders")
@allow(*STORE_ROLES)
@doc(summary="Import the platform's order export (CSV as the body, or a `file` field): every row checked, "
             "nothing imported when one is bad; the same file again adds nothing", responses={201: ImportOutSchema})
def import_orders(session_id):
    actor = current_actor()
    upload = request.files.get("file")
    if upload is not None:
        data, filename = upload.stream.read(), upload.filename or ""
    else:
        data, filename = request.get_data(cache=False), ""
    result = service.import_orders(db.session, actor, session_id, data, filename=filename, now=utcnow())
    return ImportOutSchema().dump(result), 200 if result.replayed else 201


@bp.get("/livestreams/<session_id>/reconciliation")
@allow(*ALL_STAFF)
@doc(summary="Platform total, recorded sales (till and orders) and money received, with the differences",
     responses={200: ReconciliationOutSchema})
def reconciliation(session_id):
    actor = current_actor()
    return ReconciliationOutSchema().dump(service.reconciliation(db.session, actor, session_id))


@bp.post("/livestreams/<session_id>/totals")
@allow(*STORE_ROLES)
@doc(summary="Record the platform's reported total and the money received", body=TotalsInSchema,
     responses={200: ReconciliationOutSchema})
def record_totals(session_id):
    actor = current_actor()
    data = load(TotalsInSchema(), request.get_json(silent=True))
    return ReconciliationOutSchema().dump(service.record_totals(db.session, actor, session_id, now=utcnow(), **data))


@bp.post("/livestreams/<session_id>/close")
@allow(Role.STORE_MANAGER, Role.FEDERATION_ADMIN)
@doc(summary="Close the session (a manager), explaining any difference", body=CloseInSchema,
     responses={200: ReconciliationOutSchema})
def close(session_id):
    actor = current_actor()
    data = load(CloseInSchema(), request.get_json(silent=True))
    return ReconciliationOutSchema().dump(service.close_session(db.session, actor, session_id,
                                                                explanation=data["explanation"], now=utcnow()))


@bp.post("/livestreams/<session_id>/publication")
@allow(Role.STORE_MANAGER, Role.FEDERATION_ADMIN)
@doc(summary="Record where and when the session's result was published", body=PublishInSchema,
     responses={200: SessionOutSchema})
def publish(session_id):
    actor = current_actor()
    data = load(PublishInSchema(), request.get_json(silent=True))
    return SessionOutSchema().dump(service.record_publication(db.session, actor, session_id, where=data["where"],
                                                              now=utcnow()))
