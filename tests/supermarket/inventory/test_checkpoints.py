"""`flask inventory verify` from checkpoints: the daily run reads what moved since the last checkpoint (and the
whole ledger of what it touched), `--full` everything; a checkpoint commits to the ledger before it, and the
checkpoints are a hash chain."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, text

from supermarket.inventory.checkpoints import verify_daily, verify_full
from supermarket.inventory.models import InventoryCheckpoint, StockMovement
from supermarket.models import utcnow
from tests.factories import sql_id
from tests.supermarket.catalog.factories import make_item
from tests.supermarket.inventory.factories import stock

NOW_ONLY = timedelta(0)  # the watermark at the run itself: the movements written before it are "old"


def sql(session, statement, **params):
    session.execute(text(statement), params)
    session.commit()


def _checkpoints(session) -> int:
    return session.scalar(select(func.count()).select_from(InventoryCheckpoint))


def _old_and_checkpoint(session, world):
    store = world.stores["YL01"]
    old_item = make_item(session, name="旧物品")
    old = stock(session, store, old_item, 5)
    first = verify_daily(session, now=utcnow(), settle=NOW_ONLY)  # no checkpoint yet: the full run
    assert first.ok and first.full and _checkpoints(session) == 1
    return store, old_item, old


def test_a_movement_edited_after_the_checkpoint_is_found_by_the_daily_run(session, world):
    store, _old_item, _old = _old_and_checkpoint(session, world)
    new_item = make_item(session, name="新物品")
    new = stock(session, store, new_item, 3)
    sql(session, "UPDATE stock_movements SET qty = 4 WHERE id = :id", id=sql_id(new.id))
    result = verify_daily(session, now=utcnow(), settle=NOW_ONLY)
    assert not result.ok and not result.full and result.movements == 1
    assert sorted((d.level, d.key, d.cached, d.ledger) for d in result.drifts) == [
        ("item", str(new_item.id), 3, 4), ("lot", str(new.lot_id), 3, 4)]
    assert _checkpoints(session) == 1  # nothing whole, no new checkpoint


def test_a_movement_edited_before_the_checkpoint_is_the_full_runs_to_find(session, world):
    store, old_item, old = _old_and_checkpoint(session, world)
    stock(session, store, make_item(session, name="新物品"), 3)
    sql(session, "UPDATE stock_movements SET qty = 6 WHERE id = :id", id=sql_id(old.id))
    # the daily run promises only what moved since: the old item's balance is not read
    daily = verify_daily(session, now=utcnow(), settle=NOW_ONLY)
    assert daily.ok and daily.movements == 1 and daily.balances == 2
    full = verify_full(session, now=utcnow(), settle=NOW_ONLY)
    assert not full.ok and {(d.level, d.key) for d in full.drifts} == {("item", str(old_item.id)),
                                                                       ("lot", str(old.lot_id))}
    assert "之前的流水已变" in full.broken  # and the checkpoint's own count and sum disagree with the ledger


def test_an_old_movement_edited_with_its_balances_is_found_by_the_checkpoints_sum(session, world, runner):
    _store, old_item, old = _old_and_checkpoint(session, world)
    # edited consistently: every balance still equals its ledger, which only the checkpoint can contradict
    sql(session, "UPDATE stock_movements SET qty = 2 WHERE id = :id", id=sql_id(old.id))
    sql(session, "UPDATE stock_balances SET qty = 2 WHERE item_id = :item", item=sql_id(old_item.id))
    sql(session, "UPDATE lot_balances SET qty = 2 WHERE lot_id = :lot", lot=sql_id(old.lot_id))
    full = verify_full(session, now=utcnow(), settle=NOW_ONLY)
    assert full.drifts == [] and "当时 1 条、数量合计 5" in full.broken and "现在 1 条、合计 2" in full.broken
    out = runner.invoke(args=["inventory", "verify", "--full"])
    assert out.exit_code == 1 and "核验点不符" in out.output


def test_a_checkpoint_rewritten_to_match_is_found(session, world):
    _old_and_checkpoint(session, world)
    sql(session, "UPDATE inventory_checkpoints SET qty_sum = qty_sum + 1")
    for run in (verify_daily, verify_full):
        result = run(session, now=utcnow(), settle=NOW_ONLY)
        assert not result.ok and "被改动" in result.broken


def test_the_daily_command_says_what_it_checked_and_what_it_did_not(session, world, runner):
    store = world.stores["YL01"]
    stock(session, store, make_item(session), 5)
    assert runner.invoke(args=["inventory", "verify"]).output.strip() == "库存余额与流水一致。"  # first: full
    out = runner.invoke(args=["inventory", "verify"])
    assert out.exit_code == 0 and "新流水 1 条" in out.output and "--full" in out.output
    assert runner.invoke(args=["inventory", "verify", "--full"]).exit_code == 0
    assert session.scalar(select(func.count()).select_from(StockMovement)) == 1
    marks = list(session.scalars(select(InventoryCheckpoint).order_by(InventoryCheckpoint.id)))
    assert [cp.full for cp in marks] == [True, False, True]
    # the watermark lags each run by SETTLE, so a movement committed late by a long transaction is read next time
    assert all(cp.verified_at - cp.watermark == timedelta(minutes=10) for cp in marks)
    assert [cp.movements for cp in marks] == [0, 0, 0]  # the one movement is younger than every watermark
