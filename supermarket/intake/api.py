"""Intake JSON API: record and list donations, their receipt and labels, donor search and the scan look-up."""
from __future__ import annotations

import dataclasses
import json

from flask import Blueprint, current_app, request, url_for

from ..api import doc, listing
from ..auth.decorators import allow
from ..auth.permissions import ALL_STAFF, STORE_ROLES
from ..errors import InvalidInput
from ..extensions import db, limiter, login_rate_limit
from ..models import utcnow
from ..web import created, current_actor, load, send_pdf
from . import documents, donors, lines, service
from .photos import DEFAULT_MAX_BYTES, PhotoUpload
from .schemas import (DonationDetailOutSchema, DonationOutSchema, DonationSchema, DonorOutSchema,
                      LabelsQuerySchema, PageQuerySchema)

bp = Blueprint("intake", __name__)


def donation_json(actor, donation, *, detail: bool = False, **extra) -> dict:
    body = (DonationDetailOutSchema() if detail else DonationOutSchema()).dump(donation)
    body["donor"] = donors.display_name(actor, donation)
    return {**body, **extra}


def _payload_and_photo():
    """JSON body, or multipart with a `payload` JSON field and an optional `photo` file (one transaction)."""
    if request.mimetype != "multipart/form-data":
        return request.get_json(silent=True), None
    try:
        payload = json.loads(request.form.get("payload") or "null")
    except ValueError:
        raise InvalidInput(fields={"payload": ["JSON"]}) from None
    upload = request.files.get("photo")
    if upload is None or not upload.filename:
        return payload, None
    return payload, PhotoUpload(upload.filename, upload.stream.read())  # MAX_CONTENT_LENGTH bounds it


@bp.post("/donations")
@allow(*STORE_ROLES)
@limiter.limit(login_rate_limit)  # the checker's password is tried here too
@doc(summary="Take in a donation (goods and/or money), confirmed by a second staff member",
     body=DonationSchema, responses={201: DonationDetailOutSchema, 200: DonationDetailOutSchema})
def create_donation():
    actor = current_actor()
    raw, photo = _payload_and_photo()
    data = load(DonationSchema(), raw)
    if photo is not None:
        data = dataclasses.replace(data, photo=photo)
    result = service.record_donation(
        db.session, actor, data, pii_key=current_app.config["PII_HASH_KEY"], now=utcnow(),
        photo_max_bytes=current_app.config.get("INTAKE_PHOTO_MAX_BYTES", DEFAULT_MAX_BYTES))
    d = result.donation
    return created(donation_json(actor, d, detail=True, warnings=result.warnings, replayed=result.replayed,
                                 page_url=url_for("intake.donation", donation_id=d.id),
                                 receipt_url=url_for("intake.receipt_pdf", donation_id=d.id),
                                 labels_url=url_for("intake.labels_pdf", donation_id=d.id)), result.replayed)


@bp.get("/donations")
@allow(*ALL_STAFF)
@doc(summary="Donations of the caller's store(s), newest first", query=PageQuerySchema,
     responses={200: listing("donations", DonationOutSchema)})
def list_donations():
    actor = current_actor()
    page = load(PageQuerySchema(), request.args.to_dict())
    rows = service.list_donations(db.session, actor, limit=page["limit"], offset=page["offset"])
    return {"donations": [donation_json(actor, d) for d in rows]}


@bp.get("/donations/<uuid:donation_id>")
@allow(*ALL_STAFF)
@doc(summary="One donation with its lines", responses={200: DonationDetailOutSchema})
def get_donation(donation_id):
    actor = current_actor()
    return donation_json(actor, service.get_donation(db.session, actor, donation_id), detail=True)


@bp.get("/donations/<uuid:donation_id>/receipt.pdf")
@allow(*ALL_STAFF)
@doc(summary="The donation receipt (PDF); every copy after the first is marked 补打 and audited")
def receipt_pdf(donation_id):
    return send_pdf(*documents.receipt_pdf(db.session, current_actor(), donation_id, now=utcnow()))


@bp.get("/donations/<uuid:donation_id>/labels.pdf")
@allow(*ALL_STAFF)
@doc(summary="Price labels of the donation (PDF): A4 sheet or 40×30 mm singles", query=LabelsQuerySchema)
def labels_pdf(donation_id):
    query = load(LabelsQuerySchema(), request.args.to_dict())
    return send_pdf(*documents.labels_pdf(db.session, current_actor(), donation_id, **query))


@bp.get("/donors")
@allow(*ALL_STAFF)
@doc(summary="Donors of the caller's store(s); `q` searches name or phone", query=PageQuerySchema,
     responses={200: listing("donors", DonorOutSchema)})
def list_donors():
    actor = current_actor()
    page = load(PageQuerySchema(), request.args.to_dict())
    rows = donors.list_donors(db.session, actor, q=page["q"], limit=page["limit"], offset=page["offset"])
    return {"donors": DonorOutSchema(many=True).dump([donors.present(actor, d) for d in rows])}


@bp.get("/intake/items/<path:code>")
@allow(*STORE_ROLES)
@doc(summary="Scan look-up on the intake screen: the item with this barcode, with its category's rules")
def lookup_item(code):
    actor = current_actor()
    item = lines.find_item_for_intake(db.session, actor.store_id, code)
    c = item.category
    return {"id": str(item.id), "name": item.name, "barcode": item.barcode, "unit": item.unit,
            "kind": item.kind, "condition_grade": item.condition_grade, "price_fen": item.default_price_fen,
            "sold_by_weight": item.sold_by_weight,
            "category": {"id": str(c.id), "name": c.name, "is_food": c.is_food, "prohibited": c.prohibited,
                         "prohibited_reason": c.prohibited_reason, "near_expiry_days": c.near_expiry_days}}
