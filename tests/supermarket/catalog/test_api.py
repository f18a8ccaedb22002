"""The scan lookup and search API: status codes and error bodies."""
from __future__ import annotations

import pytest

from supermarket.catalog import service
from tests.supermarket.catalog.factories import make_item
from tests.supermarket.inventory.factories import stock


@pytest.fixture
def water(session, world):
    item = make_item(session, "康师傅矿泉水 550ml", price_fen=150, points_price=2)
    stock(session, world.stores["YL01"], item, 12)
    service.set_store_price(session, world.actor(session, "admin"), store_id=world.stores["YL01"].id,
                            item_id=item.id, price_fen=120)
    return item


def test_scan_lookup_returns_item_price_and_stock_of_the_actors_store(client, api_token, world, water):
    headers = api_token("cashier-yl01")
    body = client.get(f"/api/v1/items?barcode={water.barcode}", headers=headers).get_json()
    assert body["item"]["name"] == "康师傅矿泉水 550ml" and body["item"]["points_price"] == 2
    assert (body["price_fen"], body["on_hand"], body["store_id"]) == (120, 12, str(world.stores["YL01"].id))
    other = client.get(f"/api/v1/items?barcode={water.barcode}", headers=api_token("cashier-fr01")).get_json()
    assert (other["price_fen"], other["on_hand"]) == (150, 0)


@pytest.mark.parametrize("code", ["6900000000000", "x" * 40, "%27%20OR%201=1", "%00"])
def test_unknown_barcode_is_404_with_its_code(client, api_token, world, water, code):
    resp = client.get(f"/api/v1/items?barcode={code}", headers=api_token("cashier-yl01"))
    expected = (422, "invalid_characters") if code == "%00" else (404, "catalog.unknown_barcode")
    assert (resp.status_code, resp.get_json()["error"]["code"]) == expected


def test_search_by_pinyin_initials(client, api_token, world, water):
    body = client.get("/api/v1/items?q=kqs", headers=api_token("cashier-yl01")).get_json()
    assert [r["item"]["name"] for r in body["items"]] == ["康师傅矿泉水 550ml"]
    assert body["items"][0]["on_hand"] == 12


def test_bad_queries(client, api_token, world, water):
    headers = api_token("cashier-yl01")
    assert client.get("/api/v1/items", headers=headers).status_code == 422
    resp = client.get(f"/api/v1/items?barcode={water.barcode}&q=kqs", headers=headers)
    assert resp.status_code == 422 and resp.get_json()["error"]["code"] == "invalid_input"
    assert client.get("/api/v1/items?q=kqs&limit=0", headers=headers).status_code == 422
    assert client.get("/api/v1/items?q=kqs").status_code == 401


def test_oversight_names_a_store_it_may_see(client, api_token, world, water):
    headers = api_token("auditor-yl")
    assert client.get(f"/api/v1/items?barcode={water.barcode}", headers=headers).status_code == 422
    ok = client.get(f"/api/v1/items?barcode={water.barcode}&store_id={world.stores['YL01'].id}", headers=headers)
    assert ok.status_code == 200 and ok.get_json()["on_hand"] == 12
    denied = client.get(f"/api/v1/items?barcode={water.barcode}&store_id={world.stores['FR01'].id}",
                        headers=headers)
    assert denied.status_code == 404


def test_categories_list(client, api_token, world, water):
    body = client.get("/api/v1/categories", headers=api_token("cashier-yl01")).get_json()
    assert [c["code"] for c in body["categories"]] == ["GEN"]
