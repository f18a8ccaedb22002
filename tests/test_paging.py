"""The shared pagination helper: numbered pages clamp and count; keyset pages reach every row exactly once,
ties in time broken by id."""
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from supermarket.audit import service as audit
from supermarket.audit.models import AuditEvent
from supermarket.auth.models import User
from supermarket.auth.permissions import system_actor
from supermarket.paging import decode_cursor, keyset_page, offset_page, page_number

T0 = datetime(2026, 11, 1, 2, 0, tzinfo=timezone.utc)


def test_keyset_pages_reach_every_row_once(session, world):
    for i in range(11):  # pairs of events share a time: the id breaks the tie
        audit.record(session, system_actor("t"), "test.x", summary={"i": i}, now=T0 + timedelta(minutes=i // 2))
    session.commit()
    stmt = select(AuditEvent).where(AuditEvent.action == "test.x")
    seen, after, pages = [], None, 0
    while True:
        page = keyset_page(session, stmt, time_col=AuditEvent.at, id_col=AuditEvent.id, after=after, per_page=3)
        pages += 1
        assert page.total == 11 and page.keyset
        seen += page.items
        if not page.has_next:
            break
        after = page.next_after
        assert decode_cursor(after) is not None
    assert pages == 4 and len({e.id for e in seen}) == 11
    assert [e.at for e in seen] == sorted((e.at for e in seen), reverse=True)


def test_offset_pages_count_and_clamp(session, world):
    stmt = select(User).order_by(User.username, User.id)
    total = session.query(User).count()
    last = offset_page(session, stmt, page=10_000, per_page=4)
    assert last.total == total and last.number == last.pages == -(-total // 4)
    assert last.last_index == total and not last.has_next and last.has_prev
    assert page_number("abc") == 1 and page_number("-3") == 1 and page_number("7") == 7
    assert decode_cursor("nonsense") is None and decode_cursor("2026-11-01T00:00:00~not-a-uuid") is None
