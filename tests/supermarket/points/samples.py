"""Route-matrix samples for points. Residents, member codes and points-table versions belong to no store
(CITY_WIDE); entries and credits belong to the store where they happened."""
from __future__ import annotations

import itertools
import uuid
from datetime import timedelta

from sqlalchemy import select

from supermarket.points import credits, service
from supermarket.points.models import PointsTable
from supermarket.uow import unit_of_work

from .factories import NOW, PIN, give_points, make_resident, make_table

_n = itertools.count(1)


def _table(session):
    return session.scalar(select(PointsTable).limit(1)) or make_table(session)


def _redemption(session, world, store):
    """A resident who redeemed at `store` (their history names the store: leak detection looks for it)."""
    _table(session)
    resident = make_resident(session, phone=f"1370000{next(_n):04d}")
    give_points(session, resident, 20)
    cashier = world.actor(session, f"cashier-{store.code.lower()}")
    with unit_of_work(session):
        entry = service.redeem(session, cashier, store_id=store.id, member_code=resident.member_code, pin=PIN,
                               points=5, ref_type="sale", ref_id=str(uuid.uuid4()), now=NOW)
    return resident.id, resident.member_code, entry.id


def _credit(session, world, store):
    _table(session)
    resident = make_resident(session, phone=f"1370000{next(_n):04d}")
    start = NOW - timedelta(hours=4)
    claim = credits.Claim(resident.member_code, "community-service", start, minutes=120, started_at=start,
                          ended_at=start + timedelta(hours=2), note=f"门店标记{store.code}")
    return credits.enter_shift(session, world.actor(session, f"cashier-{store.code.lower()}"), claim,
                               store_id=store.id, idempotency_key=str(uuid.uuid4()), now=NOW).id


def _once(make):
    """Make one sample per store and world (the sweep asks for the same parameter many times)."""
    def sample(session, world, store):
        cache = world.__dict__.setdefault("_points_samples", {})
        key = (make.__name__, store.code)
        if key not in cache:
            cache[key] = make(session, world, store)
        return cache[key]
    return sample


_redemption_once = _once(_redemption)
SAMPLES = {
    "resident_id": lambda s, w, store: _redemption_once(s, w, store)[0],
    "member_code": lambda s, w, store: _redemption_once(s, w, store)[1],
    "entry_id": lambda s, w, store: _redemption_once(s, w, store)[2],
    "credit_id": _once(_credit),
    "table_id": lambda s, w, store: _table(s).id,
}
CITY_WIDE = {"resident_id", "member_code", "table_id"}
