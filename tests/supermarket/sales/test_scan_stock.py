"""Scanning and stock at the till (issue 17, item 8): codes matched without regard to case, sellable stock with
expired lots apart, and the expired refusal naming the item and its expiry date, never a lot id."""
from datetime import date, timedelta

import pytest

from supermarket.catalog.codes import lookup_variants
from supermarket.clock import local_today
from supermarket.inventory.errors import ExpiredLot
from tests.supermarket.catalog.factories import food_category, make_item
from tests.supermarket.inventory.factories import stock

from .factories import NOW, open_shift, sell


def test_lookup_variants_upper_case_the_code():
    assert lookup_variants(" yl01-000058 ") == ["YL01-000058"]
    assert lookup_variants("012345678905") == ["012345678905", "0012345678905"]


@pytest.fixture
def bread(session, world):
    """面包 with an internal code: 3 expired three days ago, 5 fresh (by the real clock: the API's `now`)."""
    store = world.stores["YL01"]
    item = make_item(session, "面包", category=food_category(session), store=store, price_fen=350)
    item.unit = "包"
    session.commit()
    today = local_today()
    old = stock(session, store, item, 3, expiry_date=today - timedelta(days=3))
    stock(session, store, item, 5, expiry_date=today + timedelta(days=30))
    return item, old, today - timedelta(days=3)


def test_scan_api_matches_lower_case_and_answers_sellable_and_expired(client, api_token, bread):
    item, old, expired_on = bread
    assert item.barcode.startswith("YL01-")
    resp = client.get(f"/api/v1/items?barcode={item.barcode.lower()}", headers=api_token("cashier-yl01"))
    assert resp.status_code == 200, resp.get_json()
    data = resp.get_json()
    assert data["item"]["id"] == str(item.id)
    assert (data["on_hand"], data["sellable"], data["expired"]) == (8, 5, 3)
    assert data["expired_on"] == expired_on.isoformat()
    search = client.get("/api/v1/items?q=面包", headers=api_token("cashier-yl01")).get_json()["items"]
    assert [(r["on_hand"], r["sellable"], r["expired"]) for r in search] == [(8, 5, 3)]


def test_till_lookup_names_the_item_and_date_never_the_lot(client, api_token, bread, session, world):
    item, old, expired_on = bread
    headers = api_token("cashier-yl01")
    assert client.post("/api/v1/shifts", json={"float_fen": 0}, headers=headers).status_code == 201
    resp = client.get(f"/api/v1/sales/items?barcode={item.barcode.lower()}", headers=headers)
    found = resp.get_json()["items"]
    assert len(found) == 1 and (found[0]["on_hand"], found[0]["sellable"], found[0]["expired"]) == (8, 5, 3)
    day = f"{expired_on.month}月{expired_on.day}日"
    assert found[0]["expired_note"] == f"面包 有 3 包已于 {day}过期，不能销售"
    # Selling more than the sellable five is refused by name and date, and nothing is written.
    sale = client.post("/api/v1/sales", headers=headers, json={
        "idempotency_key": "6f1c1d1e-0000-4000-8000-000000000001",
        "lines": [{"barcode": item.barcode.lower(), "qty": 6}],
        "payments": [{"method": "cash", "amount_fen": 2100}]})
    assert sale.status_code == 409
    message = sale.get_json()["error"]["message"]
    assert message == f"面包 有 3 包已于 {day}过期，不能销售"
    assert old.lot_id.hex[:8].upper() not in message
    ok = client.post("/api/v1/sales", headers=headers, json={
        "idempotency_key": "6f1c1d1e-0000-4000-8000-000000000002",
        "lines": [{"barcode": item.barcode.lower(), "qty": 5}],
        "payments": [{"method": "cash", "amount_fen": 1750}]})
    assert ok.status_code == 201, ok.get_json()


def test_checkout_refusal_names_item_count_and_date(session, world):
    store = world.stores["YL01"]
    cheese = make_item(session, "奶酪", category=food_category(session), price_fen=900)
    stock(session, store, cheese, 3, expiry_date=date(2026, 11, 20))
    open_shift(session, world)
    with pytest.raises(ExpiredLot) as e:
        sell(session, world, (cheese, 1), now=NOW)
    assert e.value.message == "奶酪 有 3 件已于 11月20日过期，不能销售"
