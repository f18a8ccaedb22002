"""Outreach services: publicity events, convenience services, training, the profile, uploads."""
from __future__ import annotations

import uuid
from datetime import date, time, timedelta

import pytest
from sqlalchemy import func, select

from supermarket.audit.models import AuditEvent
from supermarket.errors import Forbidden, InvalidInput, NotFound
from supermarket.outreach import service
from supermarket.outreach.errors import BadUpload, UnknownAttendee, UnknownServiceType, UploadTooLarge
from supermarket.outreach.files import Upload
from supermarket.outreach.models import OutreachFile, PublicityEvent, ServiceLog, Training

from .helpers import NOW, jpeg, pdf, png


def _count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def test_event_with_photos_is_recorded_with_sha256_and_audited(session, world):
    cashier = world.actor(session, "cashier-yl01")
    event = service.record_event(session, cashier, service.EventInput(
        held_on=date(2026, 11, 18), kind="community", title="进社区宣传", place="望月湖社区", people_reached=120,
        photos=(Upload("a.png", png()), Upload("b.jpg", jpeg()))), now=NOW)
    assert event.store_id == world.stores["YL01"].id
    photos = session.scalars(select(OutreachFile).where(OutreachFile.event_id == event.id)).all()
    assert sorted(p.content_type for p in photos) == ["image/jpeg", "image/png"]
    assert all(len(p.sha256) == 64 and p.width == 64 for p in photos)
    assert session.scalar(select(AuditEvent.action).where(AuditEvent.subject_id == str(event.id))) \
        == "outreach.event_recorded"


@pytest.mark.parametrize("data, error", [
    (b"%PDF-1.4 pretending to be a photo %%EOF", BadUpload),
    (b"GIF89a" + b"\0" * 100, BadUpload),
    (png()[:60], BadUpload),                      # truncated PNG: magic right, content broken
    (png(8, 8), BadUpload),                       # a tracking pixel
    (b"\x89PNG\r\n\x1a\n" + b"\0" * (6 * 1024 * 1024), UploadTooLarge),
])
def test_an_event_photo_that_is_not_one_writes_nothing(session, world, data, error):
    cashier = world.actor(session, "cashier-yl01")
    with pytest.raises(error) as e:
        service.record_event(session, cashier, service.EventInput(
            held_on=date(2026, 11, 18), kind="day", title="宣传日", photos=(Upload("x.png", data),)), now=NOW)
    assert e.value.extra["fields"]["photos"]
    assert _count(session, PublicityEvent) == 0 and _count(session, OutreachFile) == 0


def test_event_in_the_future_or_for_another_store_is_refused(session, world):
    cashier = world.actor(session, "cashier-yl01")
    with pytest.raises(InvalidInput):
        service.record_event(session, cashier, service.EventInput(held_on=date(2026, 11, 21), kind="day",
                                                                  title="明天"), now=NOW)
    with pytest.raises(NotFound):
        service.record_event(session, cashier, service.EventInput(held_on=date(2026, 11, 18), kind="day",
                                                                  title="别店", store_id=world.stores["YL02"].id),
                             now=NOW)
    with pytest.raises(Forbidden):
        service.record_event(session, world.actor(session, "auditor-yl"), service.EventInput(
            held_on=date(2026, 11, 18), kind="day", title="审核员", store_id=world.stores["YL01"].id), now=NOW)
    assert _count(session, PublicityEvent) == 0


def test_service_types_and_the_quick_log(session, world):
    manager, cashier = world.actor(session, "manager-yl01"), world.actor(session, "cashier-yl01")
    repair = service.add_service_type(session, manager, "小家电维修", now=NOW)
    service.add_service_type(session, manager, "代缴费", now=NOW)
    with pytest.raises(Forbidden):
        service.add_service_type(session, cashier, "工具借用", now=NOW)
    assert [t.name for t in service.list_service_types(session, cashier)] == ["小家电维修", "代缴费"]
    key = uuid.uuid4()
    first = service.log_service(session, cashier, repair.id, idempotency_key=key, now=NOW)
    again = service.log_service(session, cashier, repair.id, idempotency_key=key, now=NOW)
    assert first.id == again.id and first.count == 1 and _count(session, ServiceLog) == 1
    # another store's cashier cannot log on this store's type
    with pytest.raises(UnknownServiceType):
        service.log_service(session, world.actor(session, "cashier-yl02"), repair.id, now=NOW)
    service.set_service_type_active(session, manager, repair.id, False, now=NOW)
    with pytest.raises(UnknownServiceType):
        service.log_service(session, cashier, repair.id, now=NOW)
    assert _count(session, ServiceLog) == 1


def test_training_attendees_must_be_the_stores_people(session, world):
    manager = world.actor(session, "manager-yl01")
    own = [world.users["cashier-yl01"].id, world.users["manager-yl01"].id]
    t = service.record_training(session, manager, service.TrainingInput(
        held_on=date(2026, 11, 1), topic="食品安全", trainer="区慈善会", user_ids=tuple(own)), now=NOW)
    assert len(t.attendees) == 2
    with pytest.raises(UnknownAttendee):
        service.record_training(session, manager, service.TrainingInput(
            held_on=date(2026, 11, 1), topic="x", trainer="y", user_ids=(world.users["cashier-yl02"].id,)),
            now=NOW)
    assert _count(session, Training) == 1


def test_profile_documents_and_opening_hours(session, world):
    manager = world.actor(session, "manager-yl01")
    service.update_basics(session, manager, floor_area_m2=80, legal_form="charity_org", operator_name="岳麓区慈善会",
                          zones={"intake", "sales", "storage"}, now=NOW)
    service.attach_document(session, manager, "rule", "finance", Upload("finance.pdf", pdf()), now=NOW)
    service.attach_document(session, manager, "signage", "logo_plaque", Upload("p.png", png()), now=NOW)
    with pytest.raises(BadUpload):  # a signage item needs a photo, not a PDF
        service.attach_document(session, manager, "signage", "purpose", Upload("p.pdf", pdf()), now=NOW)
    with pytest.raises(BadUpload):  # a "PDF" without its end marker
        service.attach_document(session, manager, "rule", "stock", Upload("s.pdf", b"%PDF-1.4 hello"), now=NOW)
    service.set_opening_hours(session, manager, {0: (time(9), time(17)), 2: (time(9), time(12))}, now=NOW)
    view = service.get_profile(session, manager)
    assert view.profile.floor_area_m2 == 80
    assert view.present("zone", "sales") and not view.present("zone", "display")
    assert view.present("rule", "finance") and not view.present("rule", "stock")
    assert view.present("signage", "logo_plaque") and not view.present("signage", "purpose")
    assert view.weekly_hours == 11
    from supermarket.outreach.errors import BadOpeningHours
    with pytest.raises(BadOpeningHours):
        service.set_opening_hours(session, manager, {1: (time(17), time(9))}, now=NOW)
    with pytest.raises(Forbidden):
        service.update_basics(session, world.actor(session, "cashier-yl01"), floor_area_m2=1, legal_form="",
                              operator_name="", zones=set(), now=NOW)


def test_files_are_served_only_within_scope(session, world):
    manager = world.actor(session, "manager-yl01")
    f = service.attach_document(session, manager, "rule", "finance", Upload("finance.pdf", pdf()), now=NOW)
    assert service.get_file(session, world.actor(session, "auditor-yl"), f.id).id == f.id
    for other in ("manager-yl02", "auditor-fr", "cashier-fr01"):
        with pytest.raises(NotFound):
            service.get_file(session, world.actor(session, other), f.id)


def test_opening_sessions_count_staff_and_volunteers_per_day(session, world):
    from .helpers import add_shift

    store = world.stores["YL01"]
    add_shift(session, store, world.users["cashier-yl01"], NOW - timedelta(hours=3))
    add_shift(session, store, world.users["manager-yl01"], NOW - timedelta(hours=2))
    add_shift(session, store, world.users["cashier-yl01"], NOW - timedelta(days=1))
    days = service.opening_sessions(session, None, NOW - timedelta(days=7), NOW)[store.id]
    assert sorted(s.people for s in days.values()) == [1, 2]
