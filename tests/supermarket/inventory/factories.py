"""Inventory factories: put stock into a store."""
from datetime import date

from supermarket.inventory import ledger
from supermarket.models import utcnow
from supermarket.uow import unit_of_work
from tests.factories import SYSTEM


def stock(session, store, item, qty, *, expiry_date: date | None = None, now=None):
    with unit_of_work(session):
        return ledger.receive(session, SYSTEM, store_id=store.id, item=item, qty=qty, kind="intake",
                              doc_type="test", doc_id="seed", now=now or utcnow(), expiry_date=expiry_date)
