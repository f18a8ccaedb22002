"""The audit chain: every action appends; editing or deleting any row is detected."""
from sqlalchemy import text

from tests.factories import sql_id

from supermarket.audit.models import AuditEvent
from supermarket.audit.service import list_events, record, verify_chain


def test_every_state_change_appends_an_event(session, world):
    actions = {e.action for e in session.query(AuditEvent)}
    assert {"stores.district_created", "stores.store_created", "auth.user_created"} <= actions
    assert verify_chain(session).ok


def test_chain_is_per_store_and_sequential(session, world):
    store = world.stores["YL01"]
    seqs = [e.seq for e in session.query(AuditEvent).filter_by(chain=str(store.id)).order_by(AuditEvent.seq)]
    assert seqs == list(range(1, len(seqs) + 1))


def test_editing_a_row_by_hand_breaks_the_chain(session, world):
    victim = session.query(AuditEvent).filter_by(action="auth.user_created").order_by(AuditEvent.at).first()
    session.execute(text("UPDATE audit_events SET summary = :s WHERE id = :id"),
                    {"s": '{"role":"federation_admin"}', "id": sql_id(victim.id)})
    session.commit()
    result = verify_chain(session)
    assert not result.ok
    assert result.broken.event_id == str(victim.id)
    assert "hash" in result.broken.reason


def test_deleting_a_row_breaks_the_chain(session, world):
    chain = str(world.stores["YL01"].id)
    middle = session.query(AuditEvent).filter_by(chain=chain, seq=2).one()
    session.execute(text("DELETE FROM audit_events WHERE id = :id"),
                    {"id": sql_id(middle.id)})
    session.commit()
    result = verify_chain(session)
    assert not result.ok and result.broken.chain == chain and result.broken.seq == 2


def test_deleting_the_last_row_breaks_the_chain(session, world):
    chain = str(world.stores["FR01"].id)
    last = session.query(AuditEvent).filter_by(chain=chain).order_by(AuditEvent.seq.desc()).first()
    session.execute(text("DELETE FROM audit_events WHERE id = :id"),
                    {"id": sql_id(last.id)})
    session.commit()
    assert not verify_chain(session).ok


def test_auditor_sees_only_own_district_events(session, world):
    auditor = world.actor(session, "auditor-fr")
    events = list_events(session, auditor, limit=1000)
    assert events and {e.store_id for e in events} == {world.stores["FR01"].id}


def test_record_never_commits(session, world):
    record(session, world.actor(session, "admin"), "test.uncommitted", summary={"x": 1})
    session.rollback()
    assert session.query(AuditEvent).filter_by(action="test.uncommitted").count() == 0
    assert verify_chain(session).ok
