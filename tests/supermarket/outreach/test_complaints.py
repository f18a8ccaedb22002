"""Complaints: the public channel (honeypot, flood limit), staff entry, one answer, the overdue list."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from supermarket.errors import Forbidden, InvalidInput
from supermarket.outreach import service
from supermarket.outreach.complaints import ANSWER_DAYS
from supermarket.outreach.errors import AlreadyAnswered, ComplaintFlood, UnknownComplaint
from supermarket.outreach.models import Complaint

from .helpers import NOW


def _public(session, text="店员态度不好", address="203.0.113.9", now=NOW, **kw):
    data = service.PublicComplaintInput(store_code=kw.pop("store_code", "YL01"), category=kw.pop("category", "service"),
                                        text=text, **kw)
    return service.submit_public(session, data, address=address, now=now)


def _count(session):
    return session.scalar(select(func.count()).select_from(Complaint))


def test_public_complaint_answered_and_found_by_its_reference(session, world):
    c = _public(session, contact="13812345678")
    assert c.reference.startswith("TS") and len(c.reference) == 10 and c.entered_by_id is None
    status = service.public_status(session, c.reference.lower(), now=NOW)
    assert status.answered_at is None and status.store_code == "YL01"
    manager = world.actor(session, "manager-yl01")
    later = NOW + timedelta(days=2)
    service.answer_complaint(session, manager, c.id, "已约谈店员并致歉", now=later)
    status = service.public_status(session, c.reference, now=later)
    assert status.answer == "已约谈店员并致歉" and status.answered_at == later
    with pytest.raises(AlreadyAnswered):
        service.answer_complaint(session, manager, c.id, "再次答复", now=later)


def test_a_cashier_or_another_store_cannot_answer(session, world):
    c = _public(session)
    with pytest.raises(Forbidden):
        service.answer_complaint(session, world.actor(session, "cashier-yl01"), c.id, "好", now=NOW)
    for other in ("manager-yl02", "auditor-fr"):
        with pytest.raises(UnknownComplaint):
            service.answer_complaint(session, world.actor(session, other), c.id, "好", now=NOW)


def test_a_flood_from_one_address_is_refused_and_writes_nothing(session, world):
    for i in range(5):
        _public(session, text=f"第{i}条", now=NOW + timedelta(minutes=i))
    with pytest.raises(ComplaintFlood) as e:
        _public(session, text="第6条", now=NOW + timedelta(minutes=6))
    assert e.value.status == 429 and "频繁" in e.value.message
    assert _count(session) == 5
    _public(session, text="另一地址", address="198.51.100.7", now=NOW + timedelta(minutes=7))  # others still can
    _public(session, text="一小时后", now=NOW + timedelta(minutes=61))                          # and later, again
    assert _count(session) == 7


def test_honeypot_unknown_store_and_empty_text_write_nothing(session, world):
    with pytest.raises(InvalidInput):
        _public(session, honeypot="http://spam.example")
    with pytest.raises(InvalidInput) as e:
        _public(session, store_code="NOPE")
    assert "store_code" in e.value.extra["fields"]
    with pytest.raises(InvalidInput):
        _public(session, text="   ")
    with pytest.raises(InvalidInput):
        _public(session, category="bribe")
    assert _count(session) == 0


def test_unknown_reference_is_not_found(session, world):
    with pytest.raises(UnknownComplaint):
        service.public_status(session, "TS23456789", now=NOW)


def test_an_unanswered_complaint_of_16_days_is_on_the_district_auditors_list(session, world):
    cashier = world.actor(session, "cashier-yl01")
    old = service.record_complaint(session, cashier, channel="phone", category="goods", text="买到破损商品",
                                   now=NOW - timedelta(days=16))
    recent = service.record_complaint(session, cashier, channel="visit", category="price", text="价格偏高",
                                      now=NOW - timedelta(days=ANSWER_DAYS - 1))
    answered = service.record_complaint(session, cashier, channel="phone", category="other", text="已处理",
                                        now=NOW - timedelta(days=20))
    service.answer_complaint(session, world.actor(session, "manager-yl01"), answered.id, "已处理完毕",
                             now=NOW - timedelta(days=19))
    fr = service.record_complaint(session, world.actor(session, "cashier-fr01"), channel="phone",
                                  category="goods", text="芙蓉区的", now=NOW - timedelta(days=30))
    assert [c.id for c in service.overdue(session, world.actor(session, "auditor-yl"), now=NOW)] == [old.id]
    assert [c.id for c in service.overdue(session, world.actor(session, "auditor-fr"), now=NOW)] == [fr.id]
    assert service.public_status(session, old.reference, now=NOW).overdue
    assert not service.public_status(session, recent.reference, now=NOW).overdue


def test_staff_entry_needs_a_staff_channel(session, world):
    with pytest.raises(InvalidInput):
        service.record_complaint(session, world.actor(session, "cashier-yl01"), channel="web", category="goods",
                                 text="x", now=NOW)
