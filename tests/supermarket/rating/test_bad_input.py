"""Bad input: a clear error in Chinese and nothing written (no row, no audit event)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from supermarket.audit.models import AuditEvent
from supermarket.errors import Forbidden
from supermarket.idempotency import IdempotencyMismatch
from supermarket.rating import decisions, service
from supermarket.rating.errors import (AssessmentNotFound, BadAnswer, EvidenceMissing, EvidenceTooLarge, Locked,
                                       OutOfOrder)
from supermarket.rating.models import Answer, Assessment, Evidence
from supermarket.uploads import Upload
from tests.supermarket.rating.helpers import SELF_ANSWERS, png


def _events(session):
    return session.scalar(select(func.count()).select_from(AuditEvent))


@pytest.fixture
def draft(session, world):
    service.open_round(session, world.actor(session, "auditor-yl"), name="评定", deadline=date.today() + timedelta(days=9))
    return session.scalar(select(Assessment).where(Assessment.store_id == world.stores["YL01"].id))


def test_evidence_too_large_or_not_what_it_claims(session, world, draft):
    manager = world.actor(session, "manager-yl01")
    before = _events(session)
    with pytest.raises(EvidenceTooLarge) as e:
        service.answer(session, manager, draft.id, "C-01", SELF_ANSWERS["C-01"],
                       [Upload("big.png", b"\x89PNG" + b"0" * (6 * 1024 * 1024))])
    assert "文件太大" in e.value.message
    with pytest.raises(Exception) as e:
        service.answer(session, manager, draft.id, "C-01", SELF_ANSWERS["C-01"], [Upload("a.pdf", b"%PDF-1.4 cut")])
    assert e.value.code == "rating.bad_evidence"
    with pytest.raises(BadAnswer) as e:
        service.answer(session, manager, draft.id, "C-01", {"area_m2": "很大", "zones": 3})
    assert "请填写" in e.value.message
    with pytest.raises(BadAnswer):
        service.answer(session, manager, draft.id, "D-01", {"yes": True})
    assert _events(session) == before and session.scalar(select(func.count()).select_from(Answer)) == 0
    # A real PDF is accepted as evidence; its SHA-256 kept.
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    service.answer(session, manager, draft.id, "C-05", SELF_ANSWERS["C-05"], [Upload("rules.pdf", pdf)])
    row = session.scalar(select(Evidence))
    assert row.content_type == "application/pdf" and len(row.sha256) == 64


def test_scope_roles_order_and_replay(session, world, draft):
    manager, auditor = world.actor(session, "manager-yl01"), world.actor(session, "auditor-yl")
    before = _events(session)
    with pytest.raises(AssessmentNotFound):
        service.answer(session, world.actor(session, "manager-fr01"), draft.id, "C-01", SELF_ANSWERS["C-01"])
    with pytest.raises(AssessmentNotFound):
        service.accept(session, world.actor(session, "auditor-fr"), draft.id)
    with pytest.raises(Forbidden):  # the federation never reviews in the district's place
        service.accept(session, world.actor(session, "admin"), draft.id)
    with pytest.raises(OutOfOrder):
        service.accept(session, auditor, draft.id)
    with pytest.raises(EvidenceMissing) as e:
        service.submit(session, manager, draft.id, stars_applied=2)
    assert "还有自评项未完成" in e.value.message
    assert _events(session) == before

    for rule, value in SELF_ANSWERS.items():
        service.answer(session, manager, draft.id, rule, value, [Upload("p.png", png())], idempotency_key=f"k-{rule}")
    # The same key again with the same answer: the first result, nothing new; with another answer: refused.
    n = _events(session)
    service.answer(session, manager, draft.id, "C-01", SELF_ANSWERS["C-01"], [Upload("p.png", png())],
                   idempotency_key="k-C-01")
    assert _events(session) == n
    with pytest.raises(IdempotencyMismatch):
        service.answer(session, manager, draft.id, "C-01", {"area_m2": 1, "zones": 1}, idempotency_key="k-C-01")
    service.submit(session, manager, draft.id, stars_applied=2)
    n = _events(session)
    with pytest.raises(Locked):
        service.answer(session, manager, draft.id, "C-01", {"area_m2": 1, "zones": 1})
    with pytest.raises(OutOfOrder):
        service.submit(session, manager, draft.id, stars_applied=2)
    with pytest.raises(OutOfOrder):
        decisions.decide(session, auditor, draft.id, stars=1)
    assert _events(session) == n


def test_a_photo_too_small_to_read_is_refused(session, world, draft):
    from supermarket.rating.errors import BadEvidence

    with pytest.raises(BadEvidence) as e:
        service.answer(session, world.actor(session, "manager-yl01"), draft.id, "C-01", SELF_ANSWERS["C-01"],
                       [Upload("tiny.png", png(size=(20, 20)))])
    assert "图片尺寸须在" in e.value.message
