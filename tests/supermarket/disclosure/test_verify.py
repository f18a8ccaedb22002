"""Verifiable history: editing an event of a published month fails that month's verification, naming the first
event that differs; months published before the edit still verify."""
from datetime import date, datetime, timezone

from sqlalchemy import text

from supermarket.audit.against import verify_against
from supermarket.audit.models import AuditEvent
from supermarket.disclosure import service
from tests.supermarket.intake.factories import cash, take_in
from .factories import AFTER, MONTH, close_stock, october

NOV = date(2026, 11, 1)
IN_NOV = datetime(2026, 11, 20, 3, 0, tzinfo=timezone.utc)
AFTER_NOV = datetime(2026, 12, 2, 3, 0, tzinfo=timezone.utc)


def two_months(session, world):
    october(session, world)
    close_stock(session, world)
    manager = world.actor(session, "manager-yl01")
    store = world.stores["YL01"]
    oct_ = service.close_month(session, manager, store.id, MONTH, now=AFTER)
    take_in(session, world, [], money=[cash(2000)], now=IN_NOV)
    close_stock(session, world, month=NOV, now=AFTER_NOV)
    nov = service.close_month(session, manager, store.id, NOV, now=AFTER_NOV)
    return store, oct_, nov


def check(session, row):
    return verify_against(session, str(row.store_id), row.chain_head_hash, event_count=row.chain_event_count)


def edit(session, store, seq, summary='{"edited":true}'):
    session.execute(text("UPDATE audit_events SET summary = :s WHERE chain = :c AND seq = :q"),
                    {"s": summary, "c": str(store.id), "q": seq})
    session.commit()


def test_untouched_months_verify(session, world):
    store, oct_, nov = two_months(session, world)
    assert check(session, oct_).ok and check(session, nov).ok
    assert check(session, nov).events == nov.chain_event_count


def test_an_edit_in_november_fails_november_only_and_names_the_event(session, world):
    store, oct_, nov = two_months(session, world)
    seq = oct_.chain_event_count + 2  # an event after October's head
    edit(session, store, seq)
    assert check(session, oct_).ok
    r = check(session, nov)
    event = session.query(AuditEvent).filter_by(chain=str(store.id), seq=seq).one()
    assert (r.ok, r.bad_seq, r.bad_event_id, r.bad_action) == (False, seq, str(event.id), event.action)


def test_an_edit_in_october_fails_both_and_names_the_first(session, world):
    store, oct_, nov = two_months(session, world)
    edit(session, store, 3)
    edit(session, store, oct_.chain_event_count + 2)
    assert (check(session, oct_).ok, check(session, oct_).bad_seq) == (False, 3)
    assert check(session, nov).bad_seq == 3


def test_a_chain_rewritten_with_fresh_hashes_still_fails(session, world):
    """Someone who edits an event and recomputes every later hash still cannot reach the published head."""
    from supermarket.audit.service import GENESIS, _content, event_hash

    store, oct_, nov = two_months(session, world)
    edit(session, store, 2)
    prev = GENESIS
    for ev in session.query(AuditEvent).filter_by(chain=str(store.id)).order_by(AuditEvent.seq):
        ev.prev_hash = prev
        ev.hash = prev = event_hash(prev, _content(ev))
    session.commit()
    r = check(session, oct_)
    assert not r.ok and r.reason == "the chain up to the published head was rewritten"


def test_the_cli_verifies_against_a_published_hash(session, world, runner):
    store, oct_, nov = two_months(session, world)
    ok = runner.invoke(args=["audit", "verify", "--store", "YL01", "--against", oct_.chain_head_hash])
    assert ok.exit_code == 0 and "核验通过" in ok.output
    edit(session, store, 4)
    bad = runner.invoke(args=["audit", "verify", "--store", "YL01", "--against", oct_.chain_head_hash])
    event = session.query(AuditEvent).filter_by(chain=str(store.id), seq=4).one()
    assert bad.exit_code == 1 and "第 4 条" in bad.output and str(event.id) in bad.output
    unknown = runner.invoke(args=["audit", "verify", "--store", "YL01", "--against", "f" * 64])
    assert unknown.exit_code == 1
