"""The points tender at the till: a sale paid partly or wholly in points, voids and returns giving the points
back into their lots, and every refusal writing nothing."""
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

import printing
from supermarket.inventory import ledger as stock_ledger
from supermarket.inventory.models import StockMovement
from supermarket.points import service
from supermarket.points.errors import DailyCap, InsufficientBalance, PinLocked, UnknownMember, WrongPin
from supermarket.points.models import PinAttempt, PointsEntry, PointsLot
from supermarket.sales import checkout, receipts, reversals
from supermarket.sales.errors import PaymentMismatch, ReturnExceeds
from supermarket.sales.inputs import CartLine, Refund, ReturnLine, Tendered
from supermarket.sales.models import Sale
from supermarket.sales.receipts import receipt_data
from tests.printing import pdfcheck
from tests.supermarket.sales.factories import NOW, cart, cash, manager_ok, open_shift, stocked_item

from .factories import PIN, give_points, make_resident, make_table

SOON, LATE = NOW + timedelta(days=20), NOW + timedelta(days=400)


@pytest.fixture
def till(session, world):
    make_table(session, daily_redeem_cap=150)
    resident = make_resident(session)
    give_points(session, resident, 40, expires_at=SOON)
    give_points(session, resident, 60, expires_at=LATE)
    open_shift(session, world)
    return {"resident": resident,
            "bag": stocked_item(session, world, name="环保袋", price_fen=300, points_price=30, qty=5),
            "rice": stocked_item(session, world, name="大米 5kg", price_fen=3500, qty=5),
            "cashier": world.actor(session, "cashier-yl01")}


def pay_points(till, points, pin=PIN, code=None):
    return Tendered("points", points=points, member_code=code or till["resident"].member_code, pin=pin)


def sell(session, till, *lines, payments, key=None, now=NOW):
    return checkout.checkout(session, till["cashier"], cart(*lines, payments=payments, key=key), now=now).sale


def bag_line(till, qty=1):
    return CartLine(qty, barcode=till["bag"].barcode, pay_with_points=True)


def balance(session, till):
    cached, total, lots = service.resident_balance_check(session, till["resident"].id)
    assert cached == total == lots
    return cached


def written(session):
    return tuple(session.scalar(select(func.count()).select_from(m)) for m in (Sale, StockMovement, PointsEntry))


def test_a_mixed_sale_takes_money_and_points_in_one_transaction(session, world, till):
    sale = sell(session, till, bag_line(till, 2), (till["rice"], 1), payments=[pay_points(till, 60), cash(5000)])
    assert sale.points_total == 60 and sale.total_fen == 3500 and sale.change_fen == 1500
    assert balance(session, till) == 40
    entry = session.scalar(select(PointsEntry).where(PointsEntry.kind == "redeem"))
    assert entry.ref_type == "sale" and entry.ref_id == str(sale.id) and entry.store_id == world.stores["YL01"].id
    assert stock_ledger.on_hand(session, world.stores["YL01"].id, till["bag"].id) == 3
    data = receipt_data(sale)
    assert any(p.method == "积分" and p.points == 60 for p in data.payments)
    assert any(line.name == "环保袋（积分兑换）" and line.points_price == 30 for line in data.lines)
    # The printed receipt (issue 17): points spent as 积分 (never ¥0.00 nor 分), the balance left, the store.
    store = world.stores["YL01"]
    store.address, store.phone = "岳麓区望月湖街道桐梓坡路 88 号", "0731-88886666"
    session.commit()
    for width in (58, 80):
        _sale, pdf = receipts.print_receipt(session, till["cashier"], sale.id, width_mm=width, now=NOW)
        printed = pdfcheck.text(pdf)
        for expected in ("30积分", "合计积分", "60积分", "剩余积分", "40积分", "电话 0731-88886666",
                         "桐梓坡路 88 号", "¥35.00", "找零", "沿此线撕下"):
            assert expected in printed, (expected, printed)
        assert "¥0.00" not in printed and " 分" not in printed


def test_a_wrong_pin_writes_no_sale_no_stock_and_no_points_but_counts(session, world, till):
    before = written(session)
    with pytest.raises(WrongPin) as e:
        sell(session, till, bag_line(till), payments=[pay_points(till, 30, pin="000000")])
    assert e.value.code == "points.wrong_pin" and e.value.status == 403
    assert written(session) == before and balance(session, till) == 100
    assert session.scalar(select(func.count()).select_from(PinAttempt)) == 1
    for i in range(4):
        with pytest.raises((WrongPin, PinLocked)):
            sell(session, till, bag_line(till), payments=[pay_points(till, 30, pin="000000")],
                 now=NOW + timedelta(seconds=i + 1))
    with pytest.raises(PinLocked) as e:
        sell(session, till, bag_line(till), payments=[pay_points(till, 30)], now=NOW + timedelta(seconds=9))
    assert e.value.status == 429 and written(session) == before


def test_refusals_write_nothing(session, world, till):
    before = written(session)
    with pytest.raises(InsufficientBalance):
        sell(session, till, bag_line(till, 4), payments=[pay_points(till, 120)])
    with pytest.raises(PaymentMismatch):
        sell(session, till, bag_line(till, 2), payments=[pay_points(till, 50)])
    with pytest.raises(UnknownMember):
        sell(session, till, bag_line(till), payments=[pay_points(till, 30, code="NOBODY")])
    assert written(session) == before and balance(session, till) == 100


def test_the_daily_cap_is_per_resident_across_stores(session, world, till):
    give_points(session, till["resident"], 200)
    sell(session, till, bag_line(till, 3), payments=[pay_points(till, 90)])
    open_shift(session, world, "cashier-fr01")
    bag_fr = stocked_item(session, world, store="FR01", name="环保袋 FR", price_fen=300, points_price=30, qty=5)
    fr = {**till, "cashier": world.actor(session, "cashier-fr01")}
    with pytest.raises(DailyCap):
        sell(session, fr, CartLine(3, barcode=bag_fr.barcode, pay_with_points=True), payments=[pay_points(till, 90)])
    sale = sell(session, fr, CartLine(2, barcode=bag_fr.barcode, pay_with_points=True),
                payments=[pay_points(till, 60)])
    assert sale.store_id == world.stores["FR01"].id and balance(session, till) == 300 - 150


def test_the_same_key_twice_redeems_once(session, world, till):
    key = uuid.uuid4()
    first = sell(session, till, bag_line(till), payments=[pay_points(till, 30)], key=key)
    again = checkout.checkout(session, till["cashier"], cart(bag_line(till), payments=[pay_points(till, 30)],
                                                             key=key), now=NOW)
    assert again.replayed and again.sale.id == first.id and balance(session, till) == 70


def test_a_void_gives_every_point_back_into_its_lots(session, world, till):
    sale = sell(session, till, bag_line(till, 2), payments=[pay_points(till, 60)])  # 40 soon + 20 late
    reversals.void_sale(session, till["cashier"], sale.id, approval=manager_ok(), reason="顾客不要了",
                        now=NOW + timedelta(minutes=5))
    assert balance(session, till) == 100
    back = sorted(session.execute(select(PointsLot.expires_at, PointsLot.points)
                                  .where(PointsLot.origin_lot_id.is_not(None))).all())
    assert back == [(SOON, 40), (LATE, 20)]
    refund = session.scalar(select(PointsEntry).where(PointsEntry.kind == "reverse"))
    assert refund.points == 60 and refund.ref_id == str(sale.id)


def test_returns_give_back_exactly_the_points_of_the_returned_lines(session, world, till):
    sale = sell(session, till, bag_line(till, 2), (till["rice"], 1), payments=[pay_points(till, 60), cash(3500)])
    bag_line_id = next(line.id for line in sale.lines if line.pay_with_points)
    for n in (1, 1):
        reversals.return_items(session, till["cashier"], sale.id, [ReturnLine(bag_line_id, n)], refund=Refund("cash"),
                               approval=manager_ok(), reason="破损", now=NOW + timedelta(minutes=n))
    assert balance(session, till) == 100
    with pytest.raises(ReturnExceeds):
        reversals.return_items(session, till["cashier"], sale.id, [ReturnLine(bag_line_id, 1)],
                               refund=Refund("cash"), approval=manager_ok(), reason="再退", now=NOW)
    assert balance(session, till) == 100


def test_the_api_takes_the_points_tender_and_maps_its_errors(client, session, world, till, api_token):
    headers = api_token("cashier-yl01")
    body = {"idempotency_key": "5f0c6f7e-9d1a-4c49-9a43-1b2f3c4d5e6f",
            "lines": [{"barcode": till["bag"].barcode, "qty": 1, "pay_with_points": True}],
            "payments": [{"method": "points", "points": 30, "member_code": till["resident"].member_code,
                          "pin": PIN}]}
    ok = client.post("/api/v1/sales", json=body, headers=headers)
    assert ok.status_code == 201, ok.get_json()
    cases = [({"pin": "999999"}, 403, "points.wrong_pin"), ({"points": 60}, 409, "sales.payment_mismatch"),
             ({"member_code": "NOBODY"}, 404, "points.unknown_member")]
    for change, status, code in cases:
        bad = {**body, "idempotency_key": None, "payments": [{**body["payments"][0], **change}]}
        bad.pop("idempotency_key")
        r = client.post("/api/v1/sales", json={**bad, "idempotency_key": "6f0c6f7e-9d1a-4c49-9a43-1b2f3c4d5e6f"},
                        headers=headers)
        assert (r.status_code, r.get_json()["error"]["code"]) == (status, code)
    big = {**body, "idempotency_key": "7f0c6f7e-9d1a-4c49-9a43-1b2f3c4d5e6f",
           "lines": [{"barcode": till["bag"].barcode, "qty": 4, "pay_with_points": True}],
           "payments": [{**body["payments"][0], "points": 120}]}
    r = client.post("/api/v1/sales", json=big, headers=headers)
    assert (r.status_code, r.get_json()["error"]["code"]) == (409, "points.insufficient_balance")
    plain = {**body, "idempotency_key": "8f0c6f7e-9d1a-4c49-9a43-1b2f3c4d5e6f",
             "lines": [{"barcode": till["rice"].barcode, "qty": 1, "pay_with_points": True}]}
    r = client.post("/api/v1/sales", json=plain, headers=headers)
    assert (r.status_code, r.get_json()["error"]["code"]) == (422, "points.not_redeemable")
    assert balance(session, till) == 70
