"""The sale as one transaction: lines, funds, payments, stock, numbers, idempotency, and bad input."""
import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from supermarket.audit.models import AuditEvent
from supermarket.auth.permissions import Role
from supermarket.auth.errors import ApprovalFailed
from supermarket.catalog import service as catalog
from supermarket.catalog.errors import UnknownBarcode, UnknownItem
from supermarket.errors import Forbidden, InvalidInput
from supermarket.idempotency import IdempotencyMismatch
from supermarket.inventory import ledger
from supermarket.inventory.errors import ExpiredLot, InsufficientStock, ProhibitedGoods
from supermarket.inventory.models import StockMovement
from supermarket.points.errors import NotRedeemable
from supermarket.sales import checkout, settings
from supermarket.sales.errors import (ApprovalRequired, ItemInactive, PaymentMismatch, ShiftClosed,
                                      TenderNotAccepted, TooLarge)
from supermarket.sales.inputs import Approval, CartLine, Tendered
from supermarket.sales.models import Payment, Sale, SaleLine
from tests.factories import SYSTEM
from tests.supermarket.catalog.factories import food_category, make_item
from tests.supermarket.inventory.factories import stock

from .factories import NOW, cart, cash, manager_ok, open_shift, sell, stocked_item


def counts(session):
    return {m.__name__: session.scalar(select(func.count()).select_from(m))
            for m in (Sale, SaleLine, Payment, StockMovement, AuditEvent)}


@pytest.fixture
def shop(session, world):
    open_shift(session, world)
    return {"a": stocked_item(session, world, qty=10, price_fen=550),
            "b": stocked_item(session, world, qty=5, price_fen=1200, name="旧毛衣", kind="donated_used")}


def on_hand(session, world, item, store="YL01"):
    return ledger.on_hand(session, world.stores[store].id, item.id)


def test_a_cash_sale_writes_sale_lines_funds_payment_movements_and_audit(session, world, shop):
    a, b = shop["a"], shop["b"]
    sale = sell(session, world, (a, 2), (b, 1), given=5000).sale
    assert (sale.number, sale.kind, sale.total_fen, sale.change_fen) == ("YL01-20261127-0001", "sale", 2300, 2700)
    assert [(x.name, x.qty, x.unit_price_fen, x.line_total_fen, x.fund) for x in sale.lines] == [
        ("搪瓷脸盆", 2, 550, 1100, "purchased"), ("旧毛衣", 1, 1200, 1200, "donated")]
    assert [(p.method, p.amount_fen, p.tendered_fen) for p in sale.payments] == [("cash", 2300, 5000)]
    moves = session.scalars(select(StockMovement).where(StockMovement.doc_id == str(sale.id))).all()
    assert sorted((m.item_id, m.qty, m.kind, m.doc_type) for m in moves) == sorted(
        [(a.id, -2, "sale", "sale"), (b.id, -1, "sale", "sale")])
    assert (on_hand(session, world, a), on_hand(session, world, b)) == (8, 4)
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "sales.sale_completed"))
    assert event.subject_id == str(sale.id) and "YL01-20261127-0001" in event.summary


def test_lines_take_the_lot_expiring_first_and_refuse_expired_lots(session, world, shop):
    milk = make_item(session, "牛奶", category=food_category(session), price_fen=300)
    store = world.stores["YL01"]
    stock(session, store, milk, 2, expiry_date=date(2026, 12, 20))
    soon = stock(session, store, milk, 1, expiry_date=date(2026, 11, 30))
    sale = sell(session, world, (milk, 1)).sale
    move = session.scalar(select(StockMovement).where(StockMovement.doc_id == str(sale.id)))
    assert move.lot_id == soon.lot_id

    cheese = make_item(session, "奶酪", category=food_category(session), price_fen=900)
    stock(session, store, cheese, 3, expiry_date=date(2026, 11, 20))
    before = counts(session)
    with pytest.raises(ExpiredLot) as e:
        sell(session, world, (shop["a"], 1), (cheese, 1))
    assert "11月20日过期" in e.value.message
    assert counts(session) == before and on_hand(session, world, shop["a"]) == 10


def test_receipt_numbers_are_gapless_per_store_and_shanghai_day(session, world, shop):
    a = shop["a"]
    assert sell(session, world, (a, 1)).sale.number == "YL01-20261127-0001"
    with pytest.raises(InsufficientStock):
        sell(session, world, (a, 100))
    assert sell(session, world, (a, 1)).sale.number == "YL01-20261127-0002"
    open_shift(session, world, "cashier-yl02")
    other = stocked_item(session, world, store="YL02", qty=3)
    assert sell(session, world, (other, 1), username="cashier-yl02").sale.number == "YL02-20261127-0001"
    # 17:00 UTC is already the 28th in Changsha.
    late = NOW.replace(hour=17)
    assert sell(session, world, (a, 1), now=late).sale.number == "YL01-20261128-0001"


def test_a_replayed_key_returns_the_first_sale_and_writes_nothing(session, world, shop):
    a = shop["a"]
    key = uuid.uuid4()
    first = sell(session, world, (a, 2), given=2000, key=key).sale
    before = counts(session)
    again = sell(session, world, (a, 2), given=2000, key=key)
    assert again.replayed and again.sale.id == first.id
    assert counts(session) == before and on_hand(session, world, a) == 8


def test_a_replayed_key_with_another_cart_is_refused(session, world, shop):
    """The issue's reproduction: the same key with another payload used to answer the first sale."""
    a = shop["a"]
    key = uuid.uuid4()
    first = sell(session, world, (a, 2), given=2000, key=key).sale
    before = counts(session)
    with pytest.raises(IdempotencyMismatch) as e:
        sell(session, world, (a, 999), given=1, key=key)
    assert e.value.code == "idempotency.mismatch" and e.value.status == 409
    with pytest.raises(IdempotencyMismatch):
        sell(session, world, (a, 1), given=2000, key=key)
    assert counts(session) == before and on_hand(session, world, a) == 8 and first.status == "completed"


def test_a_sale_key_is_scoped_to_the_store(session, world, shop):
    key = uuid.uuid4()
    mine = sell(session, world, (shop["a"], 1), key=key).sale
    other = stocked_item(session, world, store="YL02", qty=3)
    open_shift(session, world, "cashier-yl02")
    theirs = sell(session, world, (other, 1), username="cashier-yl02", key=key)
    assert not theirs.replayed and theirs.sale.id != mine.id


def test_a_replay_after_the_shift_closed_still_returns_the_sale(session, world, shop):
    from supermarket.sales import shifts
    from supermarket.sales.inputs import ShiftClose

    key = uuid.uuid4()
    first = sell(session, world, (shop["a"], 1), key=key).sale
    actor = world.actor(session, "cashier-yl01")
    shifts.close_shift(session, actor, ShiftClose({"cash": 20550}, manager_ok()), now=NOW + timedelta(hours=1))
    assert sell(session, world, (shop["a"], 1), key=key).sale.id == first.id


def test_sales_need_an_open_shift(session, world):
    a = stocked_item(session, world)
    before = counts(session)
    with pytest.raises(ShiftClosed):
        sell(session, world, (a, 1))
    assert counts(session) == before


@pytest.mark.parametrize("username", ["admin", "auditor-yl"])
def test_only_store_staff_sell(session, world, username):
    a = stocked_item(session, world)
    with pytest.raises(Forbidden):
        checkout.checkout(session, world.actor(session, username), cart((a, 1), payments=[cash(500)]), now=NOW)


def test_unknown_codes_ids_inactive_items_and_other_stores_stock_are_refused(session, world, shop):
    actor = world.actor(session, "cashier-yl01")
    before = counts(session)
    with pytest.raises(UnknownBarcode):
        checkout.checkout(session, actor, cart(CartLine(1, barcode="6900000000000"), payments=[cash(100)]), now=NOW)
    import uuid
    with pytest.raises(UnknownItem):
        checkout.checkout(session, actor, cart(CartLine(1, item_id=uuid.uuid4()), payments=[cash(100)]), now=NOW)
    elsewhere = stocked_item(session, world, store="FR01", qty=5)
    with pytest.raises(InsufficientStock):
        sell(session, world, (elsewhere, 1))
    catalog.update_item(session, SYSTEM, shop["a"].id, active=False)
    with pytest.raises(ItemInactive):
        sell(session, world, (shop["a"], 1))
    assert counts(session)["Sale"] == before["Sale"] and counts(session)["StockMovement"] == before["StockMovement"] + 1


def test_upc_read_with_a_leading_zero_finds_the_item(session, world, shop):
    upc = stocked_item(session, world, barcode="036000291452", name="进口饼干", qty=3)
    sale = checkout.checkout(session, world.actor(session, "cashier-yl01"),
                             cart(CartLine(1, barcode="0036000291452"), payments=[cash(500)]), now=NOW).sale
    assert sale.lines[0].item_id == upc.id


def test_store_price_is_charged(session, world, shop):
    catalog.set_store_price(session, world.actor(session, "manager-yl01"), store_id=world.stores["YL01"].id,
                            item_id=shop["a"].id, price_fen=400)
    sale = sell(session, world, (shop["a"], 2), given=800).sale
    assert (sale.total_fen, sale.lines[0].list_price_fen, sale.lines[0].unit_price_fen) == (800, 400, 400)


@pytest.mark.parametrize("payments, error", [
    ([cash(1000)], PaymentMismatch),                                          # short by 100
    ([Tendered("wechat", 500, "4200001234"), cash(500)], PaymentMismatch),   # short by 100
    ([Tendered("wechat", 2000, "4200001234")], PaymentMismatch),             # scan pay over the total
    ([Tendered("wechat", 1100)], InvalidInput),                              # no reference
    ([], PaymentMismatch),
])
def test_payments_must_cover_the_total(session, world, shop, payments, error):
    before = counts(session)
    with pytest.raises(error):
        sell(session, world, (shop["a"], 2), payments=payments)
    assert counts(session) == before


def test_mixed_tenders_give_change_from_cash_only(session, world, shop):
    sale = sell(session, world, (shop["a"], 2), payments=[Tendered("alipay", 600, "2088 0001"), cash(1000)]).sale
    assert sale.change_fen == 500
    assert [(p.method, p.amount_fen, p.tendered_fen, p.reference) for p in sale.payments] == [
        ("alipay", 600, None, "2088 0001"), ("cash", 500, 1000, "")]


def test_a_tender_the_store_does_not_accept_is_refused(session, world, shop):
    settings.update_till_config(session, world.actor(session, "manager-yl01"), world.stores["YL01"].id,
                                accepted=["cash", "wechat"], receipt_width_mm=80)
    before = counts(session)
    with pytest.raises(TenderNotAccepted):
        sell(session, world, (shop["a"], 1), payments=[Tendered("alipay", 550, "20880001")])
    assert counts(session) == before


def test_a_points_line_needs_an_item_with_a_points_price(session, world, shop):
    pay = Tendered("points", points=60, member_code="M0001", pin="1234")
    with pytest.raises(NotRedeemable) as e:
        checkout.checkout(session, world.actor(session, "cashier-yl01"),
                          cart(CartLine(1, barcode=shop["a"].barcode, pay_with_points=True), payments=[pay]), now=NOW)
    assert e.value.code == "points.not_redeemable"


def test_a_price_override_needs_a_reason_and_a_managers_approval(session, world, shop):
    a = shop["a"]
    line = CartLine(2, barcode=a.barcode, unit_price_fen=300, override_reason="包装破损")
    actor = world.actor(session, "cashier-yl01")
    before = counts(session)
    with pytest.raises(ApprovalRequired):
        checkout.checkout(session, actor, cart(line, payments=[cash(600)]), now=NOW)
    with pytest.raises(ApprovalFailed):
        checkout.checkout(session, actor, cart(line, payments=[cash(600)],
                                               approval=Approval("cashier-yl01", "changsha2023")), now=NOW)
    with pytest.raises(ApprovalFailed):  # a manager of another store
        checkout.checkout(session, actor, cart(line, payments=[cash(600)], approval=manager_ok("yl02")), now=NOW)
    with pytest.raises(InvalidInput):
        checkout.checkout(session, actor, cart(CartLine(2, barcode=a.barcode, unit_price_fen=300),
                                               payments=[cash(600)], approval=manager_ok()), now=NOW)
    assert counts(session) == before
    sale = checkout.checkout(session, actor, cart(line, payments=[cash(600)], approval=manager_ok()), now=NOW).sale
    assert (sale.total_fen, sale.lines[0].list_price_fen, sale.lines[0].override_reason) == (600, 550, "包装破损")
    assert sale.approver_id == world.users["manager-yl01"].id
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "sales.price_overridden"))
    assert "包装破损" in event.summary


def test_a_manager_cannot_approve_their_own_override(session, world, shop):
    open_shift(session, world, "manager-yl01")
    line = CartLine(1, barcode=shop["a"].barcode, unit_price_fen=100, override_reason="试用装")
    with pytest.raises(ApprovalFailed):
        checkout.checkout(session, world.actor(session, "manager-yl01"),
                          cart(line, payments=[cash(100)], approval=manager_ok()), now=NOW)


def test_absurd_totals_are_refused(session, world, shop):
    line = CartLine(9999, barcode=shop["a"].barcode, unit_price_fen=10_000_000, override_reason="x")
    with pytest.raises(TooLarge):
        checkout.checkout(session, world.actor(session, "cashier-yl01"),
                          cart(line, payments=[cash(100_000_000)], approval=manager_ok()), now=NOW)


def test_a_manager_sells_on_their_own_shift(session, world, shop):
    open_shift(session, world, "manager-yl01")
    sale = sell(session, world, (shop["a"], 1), username="manager-yl01").sale
    assert sale.cashier_id == world.users["manager-yl01"].id
    assert world.users["manager-yl01"].role == Role.STORE_MANAGER.value


def test_one_item_on_two_lines_is_taken_once_with_the_summed_quantity(session, world, shop):
    a = shop["a"]
    sale = sell(session, world, (a, 3), (a, 4), given=5000).sale
    assert [(x.line_no, x.qty) for x in sale.lines] == [(1, 3), (2, 4)]
    assert on_hand(session, world, a) == 3
    before = counts(session)
    with pytest.raises(InsufficientStock) as e:
        sell(session, world, (a, 2), (a, 2))
    assert "搪瓷脸盆" in e.value.message and "需要 4" in e.value.message and "现有 3" in e.value.message
    assert counts(session) == before and on_hand(session, world, a) == 3


def test_the_short_item_is_named_when_another_line_has_stock(session, world, shop):
    a, b = shop["a"], shop["b"]
    with pytest.raises(InsufficientStock) as e:
        sell(session, world, (a, 1), (b, 6))
    assert "旧毛衣" in e.value.message and e.value.extra["item_id"] == str(b.id)
    assert (on_hand(session, world, a), on_hand(session, world, b)) == (10, 5)


def test_the_returned_sale_is_loaded_and_clean(session, world, shop):
    from supermarket.sales.schemas import SaleSchema

    sale = sell(session, world, (shop["a"], 1), (shop["b"], 2)).sale
    assert sale in session and not session.new and not session.dirty
    body = SaleSchema().dump(sale)
    assert body["cashier"] == world.users["cashier-yl01"].display_name
    assert [line["qty"] for line in body["lines"]] == [1, 2] and body["payments"][0]["method"] == "cash"
    assert sale.lines[0].sale is sale and sale.shift.status == "open"


def test_prohibited_goods_cannot_be_sold(session, world, shop):
    cat = shop["a"].category
    catalog.update_category(session, SYSTEM, cat.id, prohibited=True, prohibited_reason="药品")
    with pytest.raises(ProhibitedGoods) as e:
        sell(session, world, (shop["a"], 1))
    assert "药品" in e.value.message and on_hand(session, world, shop["a"]) == 10


def test_another_stores_till_settings_and_closed_months_do_not_apply_here(session, world, shop):
    """The sale's first statement reads the store's code, settings and closed month: each of this store."""
    from datetime import datetime, timezone

    from supermarket.inventory import periods
    from supermarket.inventory.errors import PeriodClosed

    yl02 = world.stores["YL02"]
    settings.update_till_config(session, world.actor(session, "manager-yl02"), yl02.id, accepted=["cash"],
                                receipt_width_mm=80)
    periods.close_month(session, world.actor(session, "manager-yl02"), yl02.id, month=date(2026, 10, 1), now=NOW)
    sale = sell(session, world, (shop["a"], 1), payments=[Tendered("alipay", 550, "20880001")]).sale
    assert sale.number.startswith("YL01-")
    october = datetime(2026, 10, 20, 2, 0, tzinfo=timezone.utc)
    assert sell(session, world, (shop["a"], 1), now=october).sale.number == "YL01-20261020-0001"

    open_shift(session, world, "cashier-yl02")
    there = stocked_item(session, world, store="YL02", qty=5, name="旧书")
    with pytest.raises(TenderNotAccepted):
        sell(session, world, (there, 1), username="cashier-yl02", payments=[Tendered("alipay", 500, "20880002")])
    with pytest.raises(PeriodClosed):
        sell(session, world, (there, 1), username="cashier-yl02", now=october)
    assert sell(session, world, (there, 1), username="cashier-yl02").sale.number.startswith("YL02-")
