"""Route-matrix samples for outreach URLs: one object of the target store per parameter."""
from __future__ import annotations

from datetime import timedelta

from supermarket.auth.permissions import system_actor
from supermarket.models import utcnow

CITY_WIDE = {"reference"}  # a complaint's public reference: open to anyone by design


def _file(session, world, store):
    from supermarket.outreach import profile
    from supermarket.outreach.files import Upload

    from .helpers import pdf

    return profile.attach_document(session, system_actor(), "rule", "finance", Upload("f.pdf", pdf()),
                                   store_id=store.id, now=utcnow()).id


def _complaint(session, world, store):
    from supermarket.outreach import complaints

    return complaints.record_complaint(session, system_actor(), channel="phone", category="goods", text="样例",
                                       store_id=store.id, now=utcnow() - timedelta(days=20)).id


def _type(session, world, store):
    from supermarket.outreach import services_log

    name = f"样例服务{store.code}"
    existing = [t for t in services_log.list_service_types(session, system_actor(), store.id, active_only=False)
                if t.name == name]
    return existing[0].id if existing else services_log.add_service_type(session, system_actor(), name,
                                                                         store_id=store.id, now=utcnow()).id


def _reference(session, world, store):
    from supermarket.outreach import complaints

    return complaints.record_complaint(session, system_actor(), channel="visit", category="other", text="样例",
                                       store_id=store.id, now=utcnow()).reference


SAMPLES = {"file_id": _file, "complaint_id": _complaint, "type_id": _type, "reference": _reference}
