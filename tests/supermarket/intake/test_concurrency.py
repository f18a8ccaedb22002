"""Several tablets at once (PostgreSQL, real threads): gapless serials, one donation per idempotency key,
distinct receipt copy numbers."""
import uuid

import pytest
from sqlalchemy import func, select

from supermarket.intake import service
from supermarket.intake.models import Donation
from tests.supermarket.catalog.factories import make_item
from tests.concurrency import run_at_once

from .factories import NOW, PII_KEY, donation_input, line, take_in

pytestmark = pytest.mark.pg


def _run(app, n, work):
    """`work(session)` in `n` threads released together: their results (or exceptions)."""
    return run_at_once(app, n, lambda s, i: work(s), errors=Exception, as_error=lambda e: e)

def test_six_tablets_get_six_gapless_serials(app, session, world):
    item = make_item(session, "毛巾", kind="donated_new")
    actor, item_id = world.actor(session, "cashier-yl01"), item.id

    def work(s):
        data = donation_input([line(s.get(type(item), item_id))])
        return service.record_donation(s, actor, data, pii_key=PII_KEY, now=NOW).donation.serial

    serials = _run(app, 6, work)
    assert sorted(serials) == [f"YL01-2026-{n:06d}" for n in range(1, 7)]


def test_a_retried_request_racing_itself_records_one_donation(app, session, world):
    item = make_item(session, "毛巾", kind="donated_new")
    actor, item_id, key = world.actor(session, "cashier-yl01"), item.id, uuid.uuid4()

    def work(s):
        data = donation_input([line(s.get(type(item), item_id))], key=key)
        return service.record_donation(s, actor, data, pii_key=PII_KEY, now=NOW).donation.id

    ids = _run(app, 4, work)
    assert len(set(ids)) == 1 and not any(isinstance(x, Exception) for x in ids)
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Donation)) == 1
    assert take_in(session, world, [line(item)]).donation.serial == "YL01-2026-000002"  # no serial was lost


def test_concurrent_receipt_prints_get_distinct_copy_numbers(app, session, world):
    item = make_item(session, "毛巾", kind="donated_new")
    donation_id = take_in(session, world, [line(item)]).donation.id
    actor = world.actor(session, "cashier-yl01")
    copies = _run(app, 5, lambda s: service.record_receipt_print(s, actor, donation_id, now=NOW)[1])
    assert sorted(copies) == [1, 2, 3, 4, 5]
