"""Two detection runs at once (cron and a manual `flask flags detect`) raise each flag once (PostgreSQL)."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from supermarket.flags import detect
from supermarket.flags.models import Flag, FlagPerson
from tests.concurrency import run_at_once
from tests.supermarket.sales.factories import NOW, open_shift, sell, stocked_item


@pytest.mark.pg
@pytest.mark.parametrize("round_", range(3))
def test_two_runs_at_once_raise_each_flag_once(app, session, world, round_):
    item = stocked_item(session, world, qty=25, price_fen=300, name="纸巾")
    open_shift(session, world)
    for i in range(20):
        sell(session, world, (item, 1), now=NOW + timedelta(seconds=20 * i))
    later = NOW + timedelta(hours=1)

    results = run_at_once(app, 3, lambda s, i: detect.detect(s, now=later))
    assert sorted(r.get("sales.burst", 0) for r in results) == [0, 0, 1]
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Flag)) == 1
    assert session.scalar(select(func.count()).select_from(FlagPerson)) == 1
