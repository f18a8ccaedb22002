"""Verification that scales: the daily run starts at each chain's last checkpoint, the full run walks every event
(on several processes on PostgreSQL); both name the first broken event."""
from datetime import datetime, timedelta, timezone

from sqlalchemy import text

from supermarket.audit import service
from supermarket.audit.checkpoints import latest_checkpoints, verify_daily, verify_full
from supermarket.audit.models import AuditCheckpoint, AuditEvent
from supermarket.auth.permissions import system_actor
from tests.factories import sql_id

NOW = datetime(2026, 11, 30, 16, 0, tzinfo=timezone.utc)
ACTOR = system_actor("test")


def _url():
    from supermarket.extensions import db

    return db.engine.url.render_as_string(hide_password=False)


def _events(session, world, n, *, store="YL01", at=NOW):
    ids = []
    for i in range(n):
        ids.append(service.record(session, ACTOR, "test.event", summary={"n": i},
                                  store_id=world.stores[store].id, subject_type="test", subject_id=str(i),
                                  now=at + timedelta(seconds=i)))
    session.commit()
    return ids


def _tamper(session, event_id):
    session.execute(text("UPDATE audit_events SET summary = '{\"n\": 999}' WHERE id = :id"),
                    {"id": sql_id(event_id)})
    session.commit()


def test_the_daily_run_reads_only_what_is_new_and_finds_an_edit_after_the_checkpoint(session, world):
    _events(session, world, 30)
    first = verify_daily(session, now=NOW)
    assert first.ok and first.events == session.query(AuditEvent).count()
    assert session.query(AuditCheckpoint).count() >= 1
    new = _events(session, world, 5, at=NOW + timedelta(days=1))
    second = verify_daily(session, now=NOW + timedelta(days=1))
    assert second.ok and second.events == 5  # only the day's events were read
    late = _events(session, world, 4, at=NOW + timedelta(days=2))
    _tamper(session, late[2])
    broken = verify_daily(session, now=NOW + timedelta(days=2))
    assert not broken.ok and broken.broken.event_id == str(late[2])
    assert broken.broken.reason.startswith("content") and len(new) == 5


def test_an_edit_in_an_old_chain_is_found_by_the_full_run(session, world):
    old = _events(session, world, 40, at=NOW - timedelta(days=365))
    assert verify_daily(session, now=NOW).ok
    _tamper(session, old[7])
    # the daily run starts after the checkpoint: the old edit is for the full run, which names it
    full = verify_full(session, now=NOW, jobs=2, url=_url())  # two processes on PostgreSQL
    assert not full.ok and full.broken.event_id == str(old[7]) and full.broken.reason.startswith("content")


def test_a_chain_rewritten_behind_a_checkpoint_is_found_daily(session, world):
    ids = _events(session, world, 10)
    assert verify_daily(session, now=NOW).ok
    last = session.get(AuditEvent, ids[-1])
    session.execute(text("UPDATE audit_events SET hash = :h WHERE id = :id"), {"h": "f" * 64, "id": sql_id(last.id)})
    session.commit()
    result = verify_daily(session, now=NOW + timedelta(hours=1))
    assert not result.ok and "checkpoint" in result.broken.reason


def test_a_forged_checkpoint_is_found(session, world):
    _events(session, world, 3)
    assert verify_daily(session, now=NOW).ok
    session.execute(text("UPDATE audit_checkpoints SET seq = seq + 100"))
    session.commit()
    _latest, broken = latest_checkpoints(session)
    assert broken is not None and broken.reason == "checkpoint record altered"
    assert not verify_daily(session, now=NOW).ok


def test_the_full_run_records_checkpoints_and_passes_on_a_whole_chain(session, world):
    _events(session, world, 12)
    _events(session, world, 6, store="FR01")
    result = verify_full(session, now=NOW, jobs=2, url=_url())
    assert result.ok and result.events == session.query(AuditEvent).count()
    chains = {c.chain for c in session.query(AuditCheckpoint).filter_by(full=True)}
    assert str(world.stores["FR01"].id) in chains
