"""Outreach JSON API: publicity events, convenience services, trainings and complaints, scoped like the pages."""
from __future__ import annotations

import json

from flask import Blueprint, request

from ..api import doc, listing
from ..auth.decorators import allow
from ..auth.permissions import ALL_STAFF, Role
from ..errors import InvalidInput
from ..extensions import db
from ..models import utcnow
from ..web import current_actor, form_data, load
from . import service
from .files import Upload
from .schemas import (AnswerSchema, ComplaintSchema, EventInSchema, EventSchema, ServiceLogInSchema,
                      ServiceLogSchema, ServiceTypeInSchema, ServiceTypeSchema, StaffComplaintSchema,
                      StoreQuerySchema, TrainingInSchema, TrainingSchema)

bp = Blueprint("outreach", __name__)
WRITERS = (Role.CASHIER, Role.STORE_MANAGER, Role.FEDERATION_ADMIN)


def _store_query():
    return load(StoreQuerySchema(), form_data(request.args))["store_id"]


def _payload_and_files(name: str):
    """A JSON body, or multipart with a `payload` JSON field and files under `name`."""
    if request.mimetype != "multipart/form-data":
        return request.get_json(silent=True), ()
    try:
        payload = json.loads(request.form.get("payload") or "null")
    except ValueError:
        raise InvalidInput(fields={"payload": ["JSON"]}) from None
    return payload, tuple(Upload(f.filename or "", f.read()) for f in request.files.getlist(name) if f.filename)


@bp.get("/publicity-events")
@allow(*ALL_STAFF)
@doc(summary="Publicity events of the stores the caller may see (?store_id= for one)",
     query=StoreQuerySchema, responses={200: listing("events", EventSchema)})
def list_events():
    rows = service.list_events(db.session, current_actor(), store_id=_store_query())
    return {"events": EventSchema(many=True).dump(rows)}


@bp.post("/publicity-events")
@allow(*WRITERS)
@doc(summary="Record a publicity event: JSON, or multipart with `payload` (JSON) and `photos` files",
     body=EventInSchema, responses={201: EventSchema})
def create_event():
    raw, photos = _payload_and_files("photos")
    data = load(EventInSchema(), raw)
    event = service.record_event(db.session, current_actor(), service.EventInput(photos=photos, **data),
                                 now=utcnow())
    return EventSchema().dump(event), 201


@bp.get("/convenience-services")
@allow(*ALL_STAFF)
@doc(summary="Convenience services logged (newest first) at the stores the caller may see",
     query=StoreQuerySchema, responses={200: listing("services", ServiceLogSchema)})
def list_services():
    rows = service.list_logs(db.session, current_actor(), store_id=_store_query())
    return {"services": ServiceLogSchema(many=True).dump(rows)}


@bp.post("/convenience-services")
@allow(Role.CASHIER, Role.STORE_MANAGER)
@doc(summary="Log convenience services given now (count defaults to 1; a repeated idempotency_key logs once)",
     body=ServiceLogInSchema, responses={201: ServiceLogSchema, 200: ServiceLogSchema})
def log_service():
    data = load(ServiceLogInSchema(), request.get_json(silent=True))
    now = utcnow()
    row = service.log_service(db.session, current_actor(), data["type_id"], count=data["count"],
                              member_code=data["member_code"], idempotency_key=data["idempotency_key"], now=now)
    return ServiceLogSchema().dump(row), 201 if row.served_at == now else 200


@bp.get("/convenience-services/types")
@allow(*ALL_STAFF)
@doc(summary="The service types a store offers (?store_id= for overseers)", query=StoreQuerySchema,
     responses={200: listing("types", ServiceTypeSchema)})
def list_types():
    rows = service.list_service_types(db.session, current_actor(), _store_query(), active_only=False)
    return {"types": ServiceTypeSchema(many=True).dump(rows)}


@bp.post("/convenience-services/types")
@allow(Role.STORE_MANAGER, Role.FEDERATION_ADMIN)
@doc(summary="Add a service type to the store", body=ServiceTypeInSchema, responses={201: ServiceTypeSchema})
def create_type():
    data = load(ServiceTypeInSchema(), request.get_json(silent=True))
    row = service.add_service_type(db.session, current_actor(), data["name"], store_id=data["store_id"],
                                   now=utcnow())
    return ServiceTypeSchema().dump(row), 201


@bp.get("/trainings")
@allow(*ALL_STAFF)
@doc(summary="Training sessions", query=StoreQuerySchema, responses={200: listing("trainings", TrainingSchema)})
def list_trainings():
    rows = service.list_trainings(db.session, current_actor(), store_id=_store_query())
    return {"trainings": TrainingSchema(many=True).dump(rows)}


@bp.post("/trainings")
@allow(*WRITERS)
@doc(summary="Record a training with its attendees (user_ids of the store, volunteers' member_codes)",
     body=TrainingInSchema, responses={201: TrainingSchema})
def create_training():
    data = load(TrainingInSchema(), request.get_json(silent=True))
    row = service.record_training(db.session, current_actor(), service.TrainingInput(
        held_on=data["held_on"], topic=data["topic"], trainer=data["trainer"], minutes=data["minutes"],
        user_ids=tuple(data["user_ids"]), member_codes=tuple(data["member_codes"]), store_id=data["store_id"]),
        now=utcnow())
    return TrainingSchema().dump(row), 201


@bp.get("/complaints")
@allow(*ALL_STAFF)
@doc(summary="Complaints and feedback (contacts masked); ?store_id=", query=StoreQuerySchema,
     responses={200: listing("complaints", ComplaintSchema)})
def list_complaints():
    rows = service.list_complaints(db.session, current_actor(), store_id=_store_query())
    return {"complaints": ComplaintSchema(many=True).dump(rows)}


@bp.post("/complaints")
@allow(*WRITERS)
@doc(summary="Enter a complaint taken by phone or at a visit; answers with its reference",
     body=StaffComplaintSchema, responses={201: ComplaintSchema})
def create_complaint():
    data = load(StaffComplaintSchema(), request.get_json(silent=True))
    row = service.record_complaint(db.session, current_actor(), now=utcnow(), **data)
    return ComplaintSchema().dump(row), 201


@bp.post("/complaints/<uuid:complaint_id>/answer")
@allow(Role.STORE_MANAGER, Role.DISTRICT_AUDITOR, Role.FEDERATION_ADMIN)
@doc(summary="Answer a complaint (once; 409 outreach.already_answered after)", body=AnswerSchema,
     responses={200: ComplaintSchema})
def answer_complaint(complaint_id):
    data = load(AnswerSchema(), request.get_json(silent=True))
    row = service.answer_complaint(db.session, current_actor(), complaint_id, data["answer"], now=utcnow())
    return ComplaintSchema().dump(row)
