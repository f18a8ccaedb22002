"""`flask inventory verify` finds a cache that drifted from the ledger, at item and lot level."""
from sqlalchemy import update

from supermarket.inventory.models import LotBalance, StockBalance
from supermarket.inventory.verify import verify_balances
from tests.supermarket.catalog.factories import make_item
from tests.supermarket.inventory.factories import stock


def test_verify_reports_drift_and_the_command_fails(session, world, runner):
    store, item = world.stores["YL01"], make_item(session)
    move = stock(session, store, item, 5)
    assert runner.invoke(args=["inventory", "verify"]).exit_code == 0
    session.execute(update(StockBalance).values(qty=7))
    session.execute(update(LotBalance).values(qty=4))
    session.commit()
    drifts = sorted(verify_balances(session), key=lambda d: d.level)
    assert [(d.level, d.key, d.store_id, d.cached, d.ledger) for d in drifts] == [
        ("item", str(item.id), str(store.id), 7, 5), ("lot", str(move.lot_id), str(store.id), 4, 5)]
    result = runner.invoke(args=["inventory", "verify"])
    assert result.exit_code == 1 and "共 2 处不一致" in result.output
