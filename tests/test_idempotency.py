"""The one idempotency rule: same key and payload → the first result; another payload → 409; keys per store."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from supermarket.auth.permissions import Actor, Role
from supermarket.errors import Conflict
from supermarket.idempotency import IdempotencyMismatch, fingerprint, run_once
from supermarket.stores.models import District
from supermarket.uow import unit_of_work


def make(session, actor, code: str, key, *, fail: Exception | None = None):
    def write(claim):
        with unit_of_work(session):
            district = District(code=code, name=f"区{code}")
            session.add(district)
            session.flush()
            claim.record(session, district.id)
            if fail:
                raise fail
        return district

    return run_once(session, actor, kind="test.district", key=key, payload={"code": code},
                    write=write, load=lambda rid: session.get(District, uuid.UUID(rid)))


def districts(session) -> int:
    return session.scalar(select(func.count()).select_from(District))


@pytest.fixture
def cashier(world):
    return Actor(world.users["cashier-yl01"].id, "cashier-yl01", Role.CASHIER,
                 store_ids=frozenset({world.stores["YL01"].id}))


def test_the_same_key_and_payload_answers_the_first_result_and_writes_nothing(session, cashier):
    key = uuid.uuid4()
    first, replayed = make(session, cashier, "AA", key)
    assert not replayed
    before = districts(session)
    again, replayed = make(session, cashier, "AA", key)
    assert replayed and again.id == first.id and districts(session) == before


def test_the_same_key_with_another_payload_is_refused(session, cashier):
    key = uuid.uuid4()
    make(session, cashier, "AA", key)
    before = districts(session)
    with pytest.raises(IdempotencyMismatch) as e:
        make(session, cashier, "BB", key)
    assert e.value.status == 409 and e.value.code == "idempotency.mismatch" and districts(session) == before


def test_keys_are_scoped_to_the_store(session, world, cashier):
    other = Actor(world.users["cashier-fr01"].id, "cashier-fr01", Role.CASHIER,
                  store_ids=frozenset({world.stores["FR01"].id}))
    key = uuid.uuid4()
    mine, _ = make(session, cashier, "AA", key)
    theirs, replayed = make(session, other, "BB", key)
    assert not replayed and theirs.id != mine.id


def test_a_failed_action_leaves_its_key_unused(session, cashier):
    key = uuid.uuid4()
    with pytest.raises(Conflict):
        make(session, cashier, "AA", key, fail=Conflict("refused"))
    done, replayed = make(session, cashier, "AA", key)
    assert not replayed and done.code == "AA"


def test_without_a_key_every_call_acts(session, cashier):
    make(session, cashier, "AA", None)
    make(session, cashier, "BB", None)
    assert districts(session) >= 2


def test_the_fingerprint_ignores_the_key_and_key_order_but_not_values():
    a = fingerprint({"x": 1, "y": [1, 2], "idempotency_key": "k1"})
    assert a == fingerprint({"y": [1, 2], "x": 1, "idempotency_key": "k2"})
    assert a != fingerprint({"x": 2, "y": [1, 2]})
