"""Held sales (issue 17, item 4): parked carts never touch stock, come back in the same shift (never in
another's), keep their approved price changes, and stop the close until recalled or discarded."""
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from supermarket.audit.models import AuditEvent
from supermarket.auth.errors import ApprovalFailed
from supermarket.auth.service import FAILED_APPROVALS
from supermarket.errors import InvalidInput
from supermarket.inventory.models import StockBalance
from supermarket.sales import checkout, held, shifts
from supermarket.sales.errors import ApprovalRequired
from supermarket.sales.inputs import Approval, Cart, CartLine, ShiftClose
from supermarket.sales.till_models import HeldSale
from supermarket.uow import plain_session

from .factories import NOW, cash, manager_ok, open_shift, stocked_item

LATER = NOW + timedelta(minutes=10)


def cashier(session, world):
    return world.actor(session, "cashier-yl01")


def on_hand(session, world, item):
    return session.scalar(select(StockBalance.qty).where(StockBalance.item_id == item.id,
                                                         StockBalance.store_id == world.stores["YL01"].id))


@pytest.fixture
def goods(session, world):
    open_shift(session, world)
    return stocked_item(session, world, qty=10, price_fen=500), stocked_item(session, world, qty=5, price_fen=1200,
                                                                             name="保温杯")


def test_a_parked_cart_takes_no_stock_and_comes_back_whole(session, world, goods):
    basin, cup = goods
    actor = cashier(session, world)
    parked = held.park(session, actor, (CartLine(qty=3, item_id=basin.id), CartLine(qty=1, barcode=cup.barcode)),
                       label="红衣阿姨", now=NOW)
    assert (parked.status, parked.line_count, parked.total_fen) == ("parked", 2, 2700)
    assert on_hand(session, world, basin) == 10 and on_hand(session, world, cup) == 5
    shift = shifts.current_shift(session, actor)
    assert [h.id for h in held.parked(session, shift)] == [parked.id]
    got, lines = held.recall(session, actor, parked.id, now=LATER)
    assert got.status == "recalled" and got.ended_by_id == actor.user_id
    assert [(line["item"].id, line["qty"], line["item"].price_fen) for line in lines] == [
        (basin.id, 3, 500), (cup.id, 1, 1200)]
    assert held.parked(session, shift) == []
    # Recalled once: a second tablet's tap is refused.
    with pytest.raises(held.HeldNotParked):
        held.recall(session, actor, parked.id, now=LATER)
    sale = checkout.checkout(session, actor, Cart(uuid.uuid4(), (CartLine(3, item_id=basin.id),
                                                                 CartLine(1, item_id=cup.id)),
                                                  (cash(2700),), held_id=parked.id), now=LATER).sale
    assert sale.total_fen == 2700 and on_hand(session, world, basin) == 7
    actions = set(session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("sales.%held%") |
                                                                   (AuditEvent.action == "sales.sale_parked"))))
    assert actions == {"sales.sale_parked", "sales.held_sale_recalled"}


def test_another_shift_or_store_cannot_recall_it(session, world, goods):
    basin, _ = goods
    parked = held.park(session, cashier(session, world), (CartLine(qty=1, item_id=basin.id),), now=NOW)
    manager = world.actor(session, "manager-yl01")
    open_shift(session, world, username="manager-yl01")
    with pytest.raises(held.HeldElsewhere) as e:
        held.recall(session, manager, parked.id, now=LATER)
    assert "另一个班次" in e.value.message
    open_shift(session, world, username="cashier-yl02")
    with pytest.raises(held.HeldNotFound):
        held.recall(session, world.actor(session, "cashier-yl02"), parked.id, now=LATER)
    with pytest.raises(held.HeldNotFound):
        held.discard(session, world.actor(session, "cashier-yl02"), parked.id, reason="顾客走了", now=LATER)
    session.refresh(parked)
    assert parked.status == "parked" and parked.ended_at is None


def test_price_changes_are_approved_when_parked_and_reused_at_the_sale(session, world, goods, app):
    basin, _ = goods
    actor = cashier(session, world)
    changed = CartLine(qty=2, item_id=basin.id, unit_price_fen=400, override_reason="外观瑕疵")
    with pytest.raises(ApprovalRequired):
        held.park(session, actor, (changed,), now=NOW)
    with pytest.raises(ApprovalFailed):
        held.park(session, actor, (changed,), approval=Approval("manager-yl01", "0000"), now=NOW)
    # A wrong PIN counts toward the manager's lockout, and nothing was parked.
    assert "manager-yl01" in plain_session(session).info[FAILED_APPROVALS]
    assert session.scalar(select(func.count()).select_from(HeldSale)) == 0
    parked = held.park(session, actor, (changed,), approval=manager_ok(), now=NOW)
    _, lines = held.recall(session, actor, parked.id, now=LATER)
    assert (lines[0]["unit_price_fen"], lines[0]["override_reason"]) == (400, "外观瑕疵")
    sale = checkout.checkout(session, actor, Cart(uuid.uuid4(), (changed,), (cash(800),), held_id=parked.id),
                             now=LATER).sale
    assert sale.total_fen == 800 and sale.approver.username == "manager-yl01"


def test_the_held_approval_covers_only_the_prices_it_approved(session, world, goods):
    basin, _ = goods
    actor = cashier(session, world)
    parked = held.park(session, actor, (CartLine(qty=2, item_id=basin.id, unit_price_fen=400,
                                                 override_reason="外观瑕疵"),), approval=manager_ok(), now=NOW)
    held.recall(session, actor, parked.id, now=LATER)
    cheaper = CartLine(qty=2, item_id=basin.id, unit_price_fen=100, override_reason="外观瑕疵")
    with pytest.raises(ApprovalRequired):
        checkout.checkout(session, actor, Cart(uuid.uuid4(), (cheaper,), (cash(200),), held_id=parked.id), now=LATER)


def test_the_close_waits_for_parked_carts_and_a_discard_is_recorded(session, world, goods):
    basin, _ = goods
    actor = cashier(session, world)
    parked = held.park(session, actor, (CartLine(qty=1, item_id=basin.id),), now=NOW)
    with pytest.raises(held.HeldSalesOpen) as e:
        shifts.close_shift(session, actor, ShiftClose({"cash": 20000}, manager_ok()), now=LATER)
    assert "1 张挂单" in e.value.message
    with pytest.raises(InvalidInput) as e:
        held.discard(session, actor, parked.id, reason=" ", now=LATER)
    assert "reason" in e.value.extra["fields"]
    gone = held.discard(session, actor, parked.id, reason="顾客不要了", now=LATER)
    assert (gone.status, gone.reason, gone.ended_by_id, gone.ended_at) == ("discarded", "顾客不要了", actor.user_id,
                                                                           LATER)
    closed = shifts.close_shift(session, actor, ShiftClose({"cash": 20000}, manager_ok()), now=LATER)
    assert closed.status == "closed" and on_hand(session, world, basin) == 10
    assert session.scalar(select(func.count()).select_from(AuditEvent)
                          .where(AuditEvent.action == "sales.held_sale_discarded")) == 1


def test_an_empty_cart_is_not_parked(session, world, goods):
    with pytest.raises(InvalidInput):
        held.park(session, cashier(session, world), (), now=NOW)
