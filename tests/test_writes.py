"""writes.together(): rows of several tables held in a block and written at its end (one statement on
PostgreSQL), exactly as separate INSERTs would have written them; an error writes nothing."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError

from supermarket.audit.models import AuditChainHead, AuditEvent
from supermarket.audit.service import record, verify_chain
from supermarket.auth.permissions import system_actor
from supermarket.stores.models import District, Store
from supermarket.uow import unit_of_work
from supermarket.writes import insert_loaded, together


def district_row(code: str, name: str = "测试区") -> dict:
    return {"id": uuid.uuid4(), "code": code, "name": name,
            "created_at": datetime(2026, 11, 27, 16, 0, 0, 123456, tzinfo=timezone.utc)}


def store_row(district_id, code: str) -> dict:
    row = {c: None for c in Store.__table__.columns.keys()}
    row.update(id=uuid.uuid4(), code=code, name=f"门店{code}", district_id=district_id, address="岳麓大道 1 号",
               floor_area_m2=120, opening_hours="09:00-18:00", phone="", status="open", star_level=None,
               created_at=datetime(2026, 11, 27, tzinfo=timezone.utc))
    return row


def test_rows_are_held_until_the_block_ends_then_all_written(session):
    parent = district_row("ZA")
    with unit_of_work(session), together(session) as batch:
        [district] = insert_loaded(session, District, [parent])
        insert_loaded(session, Store, [store_row(parent["id"], "ZA01"), store_row(parent["id"], "ZA02")])
        assert len(batch.inserts[Store.__table__]) == 2
        # Held, not yet sent: a query inside the block does not see them.
        assert session.connection().execute(select(District.id).where(District.code == "ZA")).first() is None
    assert district.id == parent["id"] and district in session and not session.dirty
    session.expunge_all()
    assert session.scalar(select(District.name).where(District.code == "ZA")) == "测试区"
    stored = session.scalar(select(District.created_at).where(District.code == "ZA"))
    assert stored == parent["created_at"]  # microseconds and the zone survive the trip
    stores = session.scalars(select(Store).where(Store.district_id == parent["id"]).order_by(Store.code)).all()
    assert [(s.code, s.name, s.floor_area_m2, s.star_level) for s in stores] == [
        ("ZA01", "门店ZA01", 120, None), ("ZA02", "门店ZA02", 120, None)]


def test_an_error_in_the_block_writes_nothing(session):
    with pytest.raises(RuntimeError), unit_of_work(session), together(session):
        insert_loaded(session, District, [district_row("ZB")])
        raise RuntimeError("boom")
    assert session.scalar(select(District).where(District.code == "ZB")) is None
    assert "writes.together" not in session.registry().info


def test_a_constraint_broken_at_the_end_rolls_everything_back(session):
    with unit_of_work(session):
        insert_loaded(session, District, [district_row("ZC")])
    with pytest.raises(IntegrityError), unit_of_work(session), together(session):
        insert_loaded(session, District, [district_row("ZD")])
        insert_loaded(session, District, [district_row("ZC", "重复代码")])
    assert session.scalar(select(District).where(District.code == "ZD")) is None


def test_a_value_too_long_for_its_column_is_refused_not_cut(session):
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite does not enforce VARCHAR lengths")
    with pytest.raises(DBAPIError), unit_of_work(session), together(session):
        insert_loaded(session, District, [district_row("Z" * 17)])
    assert session.scalar(select(District).where(District.code.like("ZZZ%"))) is None


def test_rows_must_be_whole(session):
    with pytest.raises(ValueError, match="code"), together(session):
        insert_loaded(session, District, [{"id": uuid.uuid4(), "name": "缺代码", "created_at": None}])


def test_nested_blocks_write_once_at_the_outer_end(session):
    with unit_of_work(session), together(session) as outer:
        with together(session) as inner:
            insert_loaded(session, District, [district_row("ZE")])
        assert inner is outer
        assert session.connection().execute(select(District.id).where(District.code == "ZE")).first() is None
    assert session.scalar(select(District.code).where(District.code == "ZE")) == "ZE"


def test_audit_events_in_one_block_link_to_each_other_and_move_the_head_once(session):
    actor = system_actor("tester")
    with unit_of_work(session):
        record(session, actor, "test.before", summary={"n": 0})
    with unit_of_work(session), together(session) as batch:
        first = record(session, actor, "test.first", summary={"n": 1})
        second = record(session, actor, "test.second", summary={"n": 2, "名": "中文"})
        assert len(batch.inserts[AuditEvent.__table__]) == 2
    events = {e.id: e for e in session.scalars(select(AuditEvent).where(AuditEvent.id.in_([first, second])))}
    assert events[second].prev_hash == events[first].hash
    assert events[second].seq == events[first].seq + 1
    head = session.get(AuditChainHead, events[first].chain)
    assert (head.seq, head.hash) == (events[second].seq, events[second].hash)
    assert verify_chain(session).ok


def test_updates_of_one_table_set_the_same_columns(session):
    with pytest.raises(ValueError, match="same columns"), together(session) as batch:
        batch.set_values(AuditChainHead.__table__, "chain", "a", {"hash": "x"})
        batch.set_values(AuditChainHead.__table__, "chain", "b", {"seq": 2})


def test_updates_of_two_tables_and_inserts_go_out_together(session):
    with unit_of_work(session):
        [district] = insert_loaded(session, District, [district_row("ZF", "旧名")])
        record(session, system_actor("tester"), "test.first")
    chain = session.scalars(select(AuditChainHead.chain)).first()
    with unit_of_work(session), together(session) as batch:
        insert_loaded(session, District, [district_row("ZG")])
        batch.set_values(District.__table__, "id", district.id, {"name": "新名"})
        batch.set_values(AuditChainHead.__table__, "chain", chain, {"hash": "f" * 64})
    session.expunge_all()
    assert session.scalar(select(District.name).where(District.code == "ZF")) == "新名"
    assert session.scalar(select(District.name).where(District.code == "ZG")) == "测试区"
    assert session.get(AuditChainHead, chain).hash == "f" * 64
