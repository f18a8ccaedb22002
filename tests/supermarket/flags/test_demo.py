"""`flask demo` plants one pattern of each kind, detects them all, and leaves some explained and one confirmed."""
from sqlalchemy import select

from tests.demo_cache import demo_world
from supermarket.flags.kinds import KINDS
from supermarket.flags.models import Flag


def test_the_demo_raises_every_kind_some_explained_one_confirmed(app, session):
    demo_world()
    rows = session.execute(select(Flag.kind, Flag.status)).all()
    assert {k for k, _s in rows} == set(KINDS)
    statuses = [s for _k, s in rows]
    assert statuses.count("confirmed") == 1 and statuses.count("explained") >= 2
    assert ("sales.staff_purchase", "confirmed") in rows and ("sales.burst", "open") in rows
