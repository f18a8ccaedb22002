"""Two stores hand out to one household at the same moment: each within the cap alone, over it together.
Exactly one succeeds (PostgreSQL, real threads and connections)."""
import pytest

from supermarket.aid.errors import QuotaExceeded
from supermarket.aid.handout import distribute
from supermarket.aid.models import AidUsage, Distribution
from supermarket.catalog.models import Item
from supermarket.inventory import ledger
from supermarket.inventory.verify import verify_balances
from supermarket.models import utcnow
from tests.concurrency import run_at_once

from .factories import aid_item, handout_input, make_household, policy


@pytest.mark.pg
@pytest.mark.parametrize("round_", range(3))
def test_two_stores_at_once_cannot_pass_the_cap_together(app, session, world, round_):

    policy(session, value_cap_fen=10000)
    rice = aid_item(session, [world.stores["YL01"], world.stores["FR01"]], name="大米", price_fen=6000)
    household = make_household(session, world.stores["YL01"])
    actors = {code: world.actor(session, f"cashier-{code.lower()}") for code in ("YL01", "FR01")}
    code, rice_id = household.code, rice.id
    stores = ("YL01", "FR01")

    def work(s, i):
        store_code = stores[i]
        item = s.get(Item, rice_id)

        class _H:  # only the code is read from it
            pass

        h = _H()
        h.code = code
        distribute(s, actors[store_code], handout_input(h, [(item, 1)], store_code=store_code), now=utcnow())
        return "ok"

    results = dict(zip(stores, run_at_once(app, 2, work, errors=QuotaExceeded)))
    assert sorted(results.values()) == ["aid.quota_exceeded", "ok"]
    session.expire_all()
    assert session.query(Distribution).count() == 1
    usage = session.query(AidUsage).one()
    assert usage.value_fen == 6000 and usage.items == 1
    winner = next(c for c, r in results.items() if r == "ok")
    loser = "FR01" if winner == "YL01" else "YL01"
    assert ledger.on_hand(session, world.stores[winner].id, rice_id) == 49
    assert ledger.on_hand(session, world.stores[loser].id, rice_id) == 50
    assert verify_balances(session) == []
