"""Points test factories: a points table, residents, points given straight into the ledger."""
from __future__ import annotations

import itertools
from datetime import date, datetime, timezone

from supermarket.points import ledger
from supermarket.points.models import PointsActivity, PointsTable
from supermarket.points.residents import register_resident
from supermarket.uow import unit_of_work

from tests.factories import SYSTEM

NOW = datetime(2026, 6, 15, 4, 0, tzinfo=timezone.utc)  # 12:00 in Changsha
PIN = "123456"
PII_KEY = "test-pii-key"
_phones = itertools.count(13900000001)

DEFAULT_ACTIVITIES = (
    dict(code="community-service", name="社区服务", kind="hourly", points=1, per_hours=1, max_hours_per_shift=4),
    dict(code="elder-care", name="助老服务", kind="hourly", points=2, per_hours=1, max_hours_per_shift=4),
    dict(code="recruit", name="招募志愿者", kind="occurrence", points=2),
    dict(code="good-deed", name="好人好事", kind="occurrence", points=5, max_points_per_month=10),
    dict(code="uncivil", name="不文明行为", kind="deduction", points=5),
)


def make_table(session, *, effective_from=date(2020, 1, 1), version=None, activities=DEFAULT_ACTIVITIES,
               **settings) -> PointsTable:
    """A points table version written directly (the service refuses past dates, tests need them)."""
    from sqlalchemy import func, select

    version = version or (session.scalar(select(func.max(PointsTable.version))) or 0) + 1
    values = dict(point_value_fen=100, expiry_policy="end_of_following_year", max_hours_per_day=8,
                  max_points_per_month=200, backdate_days=7, publication_days=0, daily_redeem_cap=None,
                  adjust_approval_threshold=50)
    values.update(settings)
    table = PointsTable(version=version, effective_from=effective_from, created_by="test", **values)
    table.activities = [PointsActivity(**a) for a in activities]
    session.add(table)
    session.commit()
    return table


def make_resident(session, *, name="李秀英", phone=None, pin=PIN, member_code=None, community="望月湖社区",
                  store=None, **extra):
    return register_resident(session, SYSTEM, name=name, phone=phone or str(next(_phones)), pin=pin,
                             pii_key=PII_KEY, community=community, member_code=member_code,
                             store_id=store.id if store else None, now=NOW, **extra)


def give_points(session, resident, points, *, expires_at=None, now=NOW, key=None):
    """Points straight into the ledger as one lot (an 'earn' entry)."""
    ctx = ledger.Context(SYSTEM, now)
    with unit_of_work(session):
        entry = ledger.credit(session, ctx, resident.id, "earn", points, key or f"test:{next(_keys)}", expires_at)
    return entry


_keys = itertools.count(1)
