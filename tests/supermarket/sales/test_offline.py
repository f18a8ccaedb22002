"""The offline till's server half: blocks of provisional numbers, queued sales landing exactly once, replays from
elsewhere refused, tampered totals refused, stale sales and conflicts landed with their problem for the manager."""
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from supermarket.audit.models import AuditEvent
from supermarket.audit.rows import verify_rows
from supermarket.audit.service import verify_chain
from supermarket.errors import Forbidden, InvalidInput
from supermarket.idempotency import IdempotencyMismatch
from supermarket.inventory import ledger
from supermarket.inventory.models import StockMovement
from supermarket.inventory.verify import verify_balances
from supermarket.sales import offline, shifts
from supermarket.sales.errors import (OfflineBlockForeign, OfflineBlockUnknown, OfflineNumberUsed,
                                      OfflinePriceMismatch)
from supermarket.sales.inputs import ShiftClose, Tendered
from supermarket.sales.models import OfflineSale, OfflineShortfall, Sale

from .factories import NOW, cart, cash, manager_ok, open_shift, sell, stocked_item

DEVICE = uuid.UUID("0f0e0d0c-0b0a-4909-8807-060504030201")


@pytest.fixture
def till(session, world):
    shift = open_shift(session, world)
    actor = world.actor(session, "cashier-yl01")
    block = offline.reserve_block(session, actor, device_id=DEVICE, now=NOW)
    item = stocked_item(session, world, qty=5, price_fen=550)
    return {"actor": actor, "block": block, "item": item, "shift": shift}


def upload(till, *, seq=1, qty=1, key=None, sold_at=None, total_fen=None, payments=None, device=DEVICE,
           block_id=None, shift_id="own"):
    item = till["item"]
    total = item.default_price_fen * qty
    c = cart((item, qty), payments=payments or (cash(total),), key=key)
    return offline.OfflineUpload(c, block_id or till["block"].id, seq, device, sold_at or NOW - timedelta(hours=1),
                                 total if total_fen is None else total_fen,
                                 till["shift"].id if shift_id == "own" else shift_id)


def count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def test_a_block_is_numbered_per_store_and_sized_by_the_limit(session, world, till):
    second = offline.reserve_block(session, till["actor"], device_id=uuid.uuid4(), now=NOW)
    assert (till["block"].prefix, second.prefix) == ("YL01-L0001", "YL01-L0002")
    assert till["block"].size == offline.DEFAULT_MAX_SALES == 300
    other = offline.reserve_block(session, world.actor(session, "cashier-yl02"), device_id=DEVICE, now=NOW)
    assert other.prefix == "YL02-L0001"


def test_a_queued_sale_lands_with_its_time_and_provisional_number_and_replays_once(session, world, till):
    sold_at = NOW - timedelta(hours=2)
    key = uuid.uuid4()
    first = offline.land(session, till["actor"], upload(till, qty=2, key=key, sold_at=sold_at), now=NOW)
    sale = first.sale
    assert not first.replayed
    assert (sale.sold_at, sale.total_fen, sale.shift_id) == (sold_at, 1100, till["shift"].id)
    row = session.get(OfflineSale, sale.id)
    assert (row.provisional_number, row.problems, row.needs_review) == ("YL01-L0001-0001", "", False)
    assert ledger.on_hand(session, world.stores["YL01"].id, till["item"].id) == 3
    before = (count(session, Sale), count(session, StockMovement), count(session, AuditEvent))
    # The answer was lost: the till uploads the same sale again, and again.
    for _ in range(2):
        again = offline.land(session, till["actor"], upload(till, qty=2, key=key, sold_at=sold_at), now=NOW)
        assert again.replayed and again.sale.id == sale.id
    assert (count(session, Sale), count(session, StockMovement), count(session, AuditEvent)) == before


def test_a_sale_tried_online_then_queued_with_the_same_key_lands_once(session, world, till):
    key = uuid.uuid4()
    online = sell(session, world, (till["item"], 1), key=key).sale
    landed = offline.land(session, till["actor"], upload(till, key=key), now=NOW)
    assert landed.replayed and landed.sale.id == online.id
    assert count(session, OfflineSale) == 0


def test_the_same_key_with_another_cart_is_refused(session, world, till):
    key = uuid.uuid4()
    offline.land(session, till["actor"], upload(till, key=key), now=NOW)
    with pytest.raises(IdempotencyMismatch):
        offline.land(session, till["actor"], upload(till, key=key, qty=2, seq=2), now=NOW)


def test_a_replay_from_another_store_or_tablet_is_refused(session, world, till):
    open_shift(session, world, "cashier-yl02")
    other_store = world.actor(session, "cashier-yl02")
    stocked_item(session, world, store="YL02", qty=5, price_fen=550, name="另一店的脸盆")
    with pytest.raises(OfflineBlockUnknown):
        offline.land(session, other_store, upload(till, shift_id=None), now=NOW)
    with pytest.raises(OfflineBlockForeign):
        offline.land(session, till["actor"], upload(till, device=uuid.uuid4()), now=NOW)
    open_shift(session, world, "manager-yl01")
    with pytest.raises(OfflineBlockForeign):  # another cashier of the same store, same tablet
        offline.land(session, world.actor(session, "manager-yl01"), upload(till, shift_id=None), now=NOW)
    assert count(session, Sale) == 0


def test_a_provisional_number_is_used_once(session, world, till):
    offline.land(session, till["actor"], upload(till, seq=1), now=NOW)
    with pytest.raises(OfflineNumberUsed):
        offline.land(session, till["actor"], upload(till, seq=1), now=NOW)
    with pytest.raises(InvalidInput):
        offline.land(session, till["actor"], upload(till, seq=301), now=NOW)
    assert count(session, Sale) == 1


def test_a_tampered_total_is_refused_by_the_servers_own_pricing(session, world, till):
    # The queue was edited to 1 fen; the payment matches the edit, so only the server's pricing catches it.
    with pytest.raises(OfflinePriceMismatch):
        offline.land(session, till["actor"], upload(till, total_fen=1, payments=(cash(1),)), now=NOW)
    assert count(session, Sale) == 0
    assert ledger.on_hand(session, world.stores["YL01"].id, till["item"].id) == 5


def test_a_sale_older_than_the_limit_lands_flagged_and_one_from_the_future_is_refused(session, world, till):
    sale = offline.land(session, till["actor"], upload(till, sold_at=NOW - timedelta(hours=9)), now=NOW).sale
    row = session.get(OfflineSale, sale.id)
    assert (row.problems, row.needs_review) == ("stale", True)
    with pytest.raises(InvalidInput):
        offline.land(session, till["actor"], upload(till, seq=2, sold_at=NOW + timedelta(hours=1)), now=NOW)


def test_stock_sold_elsewhere_meanwhile_lands_with_a_shortfall_and_the_books_stay_whole(session, world, till):
    item = till["item"]
    # Another tablet sells four of the five while this one sells two offline: the books can give one.
    open_shift(session, world, "manager-yl01")
    sell(session, world, (item, 4), username="manager-yl01")
    sale = offline.land(session, till["actor"], upload(till, qty=2), now=NOW).sale
    row = session.get(OfflineSale, sale.id)
    assert (row.problems, row.needs_review) == ("stock_short", True)
    assert [(s.item_id, s.qty) for s in session.scalars(select(OfflineShortfall))] == [(item.id, 1)]
    assert sale.lines[0].qty == 2 and sale.total_fen == 1100
    assert ledger.on_hand(session, world.stores["YL01"].id, item.id) == 0
    moved = session.scalar(select(func.sum(StockMovement.qty)).where(StockMovement.doc_id == str(sale.id)))
    assert moved == -1
    assert verify_balances(session) == []
    assert verify_chain(session).ok
    assert verify_rows(session) == []
    listed = offline.offline_sales(session, world.actor(session, "manager-yl01"), world.stores["YL01"].id,
                                   open_only=True)
    assert [o.sale_id for o in listed] == [sale.id]


def test_a_sale_of_a_shift_closed_meanwhile_lands_in_that_shift_flagged(session, world, till):
    actor = till["actor"]
    shifts.close_shift(session, actor, ShiftClose({"cash": 20000}, manager_ok()), now=NOW)
    sale = offline.land(session, actor, upload(till), now=NOW + timedelta(minutes=5)).sale
    assert sale.shift_id == till["shift"].id
    assert session.get(OfflineSale, sale.id).problems == "shift_closed"


def test_points_and_price_overrides_are_refused_offline_at_the_edge(app, session, world, till):
    from supermarket.sales.offline_schemas import OfflineSaleSchema
    from marshmallow import ValidationError

    base = {"offline": True, "idempotency_key": str(uuid.uuid4()), "sold_at": NOW.isoformat(),
            "block_id": str(till["block"].id), "seq": 1, "device_id": str(DEVICE), "total_fen": 550,
            "lines": [{"barcode": till["item"].barcode, "qty": 1}],
            "payments": [{"method": "cash", "amount_fen": 550}]}
    with app.test_request_context():
        assert OfflineSaleSchema().load(base).seq == 1
        for bad in ({"lines": [{"barcode": till["item"].barcode, "qty": 1, "unit_price_fen": 1}]},
                    {"payments": [{"method": "points", "points": 5, "member_code": "M0001"}]}):
            with pytest.raises(ValidationError):
                OfflineSaleSchema().load({**base, **bad})


def test_the_manager_resolves_a_problem_once_and_a_cashier_cannot(session, world, till):
    sale = offline.land(session, till["actor"], upload(till, sold_at=NOW - timedelta(hours=9)), now=NOW).sale
    with pytest.raises(Forbidden):
        offline.resolve(session, till["actor"], sale.id, note="我自己处理")
    manager = world.actor(session, "manager-yl01")
    row = offline.resolve(session, manager, sale.id, note="平板断网一整天，已核对现金", now=NOW)
    assert row.resolved_by_id == manager.user_id
    with pytest.raises(InvalidInput):
        offline.resolve(session, manager, sale.id, note="再处理一次", now=NOW)
    assert offline.open_problem_count(session, world.stores["YL01"].id) == 0


def test_mobile_pay_offline_keeps_its_typed_reference(session, world, till):
    sale = offline.land(session, till["actor"], upload(till, payments=(Tendered("wechat", 550, "4200001234"),)),
                        now=NOW).sale
    assert [(p.method, p.reference) for p in sale.payments] == [("wechat", "4200001234")]


def test_an_unsettled_shortfall_is_on_the_anomaly_board_until_the_manager_settles_it(session, world, till):
    from supermarket.flags.detectors.stock import sold_offline

    offline.land(session, till["actor"], upload(till, seq=2, qty=1, sold_at=NOW - timedelta(hours=9)), now=NOW)
    open_shift(session, world, "manager-yl01")
    sell(session, world, (till["item"], 4), username="manager-yl01")
    sale = offline.land(session, till["actor"], upload(till, qty=2), now=NOW).sale
    since = NOW - timedelta(days=7)
    found = sold_offline(session, {"lookback_days": 7}, now=NOW, since=since)
    # Only the sale with units short: a stale sale is the manager's list's business, not an anomaly.
    assert [(c.kind, c.subject, c.detail) for c in found] == [
        ("stock.sold_offline", f"offline_sale:{sale.id}", {"units": 2})]
    assert c_people(found[0]) == [str(till["actor"].user_id)]
    offline.resolve(session, world.actor(session, "manager-yl01"), sale.id, note="盘点确认多卖两件", now=NOW)
    assert sold_offline(session, {"lookback_days": 7}, now=NOW, since=since) == []


def c_people(candidate):
    return [p["id"] for p in candidate.people]
