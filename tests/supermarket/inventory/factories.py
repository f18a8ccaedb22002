"""Inventory factories: put stock into a store, act as a store's staff, run a count."""
from datetime import date, datetime, timezone

from supermarket.clock import local_today
from supermarket.inventory import ledger, stocktake_review, stocktakes
from supermarket.models import utcnow
from supermarket.uow import unit_of_work
from tests.factories import SYSTEM

NOW = datetime(2026, 6, 15, 4, 0, tzinfo=timezone.utc)  # 12:00 in Changsha, a Monday
PIN = "2468"


def stock(session, store, item, qty, *, expiry_date: date | None = None, now=None):
    with unit_of_work(session):
        return ledger.receive(session, SYSTEM, store_id=store.id, item=item, qty=qty, kind="intake",
                              doc_type="test", doc_id="seed", now=now or utcnow(), expiry_date=expiry_date)


def manager(session, world, code="YL01"):
    return world.actor(session, f"manager-{code.lower()}")


def cashier(session, world, code="YL01"):
    return world.actor(session, f"cashier-{code.lower()}")


def start_count(session, world, code="YL01", *, category_ids=None, now=NOW):
    return stocktakes.start_stocktake(session, manager(session, world, code), store_id=world.stores[code].id,
                                      category_ids=category_ids, now=now)


def count(session, world, take, item, qty=1, *, code="YL01", now=NOW):
    return stocktakes.record_count(session, cashier(session, world, code), take.id, item_id=item.id, qty=qty,
                                   now=now)


def approve(session, world, take, *, code="YL01", approver=None, now=NOW, today=None):
    """Review as the store's manager and approve with the manager's PIN (they did not count)."""
    actor = manager(session, world, code)
    review = stocktake_review.review_stocktake(session, actor, take.id, today=today or local_today(now))
    return stocktake_review.approve_stocktake(session, actor, take.id, approver_username=approver or actor.username,
                                              approver_secret=PIN, digest=review.digest, now=now)
