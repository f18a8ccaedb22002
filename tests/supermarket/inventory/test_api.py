"""Stock and counting API: pagination, scope, status codes and error bodies."""
from __future__ import annotations

from supermarket.inventory.models import StocktakeCount
from tests.supermarket.catalog.factories import make_item
from tests.supermarket.inventory.factories import start_count, stock


def test_stock_is_the_actors_store_paginated(client, api_token, session, world):
    for i in range(5):
        stock(session, world.stores["YL01"], make_item(session, f"物品{i}"), i + 1)
    stock(session, world.stores["FR01"], make_item(session, "芙蓉区的货"), 9)
    headers = api_token("cashier-yl01")
    body = client.get("/api/v1/stock?per_page=2&page=2", headers=headers).get_json()
    assert (body["total"], body["page"], body["per_page"]) == (5, 2, 2)
    assert [r["item"]["name"] for r in body["items"]] == ["物品2", "物品3"]
    assert body["items"][0]["qty"] == 3 and body["items"][0]["value_fen"] == 600
    low = client.get("/api/v1/stock?status=low", headers=headers).get_json()
    assert [r["qty"] for r in low["items"]] == [1, 2, 3]


def test_stock_bad_queries_and_scope(client, api_token, session, world):
    headers = api_token("cashier-yl01")
    for query in ("per_page=0", "per_page=1000", "page=0", "status=rotten", "category_id=nope"):
        resp = client.get(f"/api/v1/stock?{query}", headers=headers)
        assert resp.status_code == 422 and resp.get_json()["error"]["code"] == "invalid_input", query
    assert client.get(f"/api/v1/stock?store_id={world.stores['FR01'].id}", headers=headers).status_code == 404
    assert client.get("/api/v1/stock", headers=api_token("admin")).status_code == 422  # which store?
    assert client.get(f"/api/v1/stock?store_id={world.stores['FR01'].id}",
                      headers=api_token("admin")).status_code == 200


def test_counting_by_scan(client, api_token, session, world):
    item = make_item(session, "香皂")
    take = start_count(session, world)
    headers = api_token("cashier-yl01")
    url = f"/api/v1/stocktakes/{take.id}/counts"
    assert client.post(url, json={"barcode": item.barcode}, headers=headers).get_json()["counted_qty"] == 1
    resp = client.post(url, json={"barcode": item.barcode, "qty": 11}, headers=headers)
    assert resp.status_code == 201 and resp.get_json()["counted_qty"] == 12
    assert resp.get_json()["item"]["name"] == "香皂"
    unknown = client.post(url, json={"barcode": "6900000000000"}, headers=headers)
    assert unknown.status_code == 404 and unknown.get_json()["error"]["code"] == "catalog.unknown_barcode"
    for bad in ({}, {"barcode": item.barcode, "qty": 0}, {"barcode": item.barcode, "qty": "lots"},
                {"barcode": item.barcode, "qty": 10**9}, [1, 2]):
        assert client.post(url, json=bad, headers=headers).status_code == 422, bad
    below = client.post(url, json={"barcode": item.barcode, "qty": -13}, headers=headers)
    assert below.status_code == 422 and below.get_json()["error"]["code"] == "inventory.bad_quantity"
    other = client.post(url, json={"barcode": item.barcode}, headers=api_token("cashier-fr01"))
    assert other.status_code == 404
    assert client.post(url, json={"barcode": item.barcode}, headers=api_token("auditor-yl")).status_code == 403
    assert session.query(StocktakeCount).count() == 2
