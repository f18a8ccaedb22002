"""The offline till over HTTP: reserving a block, uploading a queued sale (replays answer 200), the current
shift's sales with `offline`, the local catalog with `since`, the manager's page, the Z report's offline lines,
and the service worker and manifest the till installs from."""
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from supermarket.sales import offline
from supermarket.sales.receipts import z_report_data
from supermarket.sales.shifts import current_shift

from .factories import stocked_item

SALES = "/api/v1/sales"
DEVICE = str(uuid.uuid4())


@pytest.fixture
def till(app, session, world, client, api_token):
    a = stocked_item(session, world, qty=1, price_fen=550)
    headers = api_token("cashier-yl01")
    assert client.post("/api/v1/shifts", json={"float_fen": 20000}, headers=headers).status_code == 201
    block = client.post(f"{SALES}/offline-blocks", json={"device_id": DEVICE}, headers=headers)
    assert block.status_code == 201
    return {"a": a, "h": headers, "client": client, "block": block.get_json()}


def queued(till, seq=1, key=None, total=550, sold_at=None):
    sold_at = sold_at or datetime.now(timezone.utc) - timedelta(minutes=30)
    return {"offline": True, "idempotency_key": key or str(uuid.uuid4()), "sold_at": sold_at.isoformat(),
            "block_id": till["block"]["id"], "seq": seq, "device_id": DEVICE, "total_fen": total,
            "lines": [{"barcode": till["a"].barcode.lower(), "qty": 1}],
            "payments": [{"method": "cash", "amount_fen": 1000}]}


def test_a_block_says_its_numbers_and_the_limits(till):
    assert till["block"]["prefix"] == "YL01-L0001"
    assert (till["block"]["size"], till["block"]["max_hours"], till["block"]["max_sales"]) == (300, 8, 300)


def test_an_upload_lands_then_replays_and_the_shift_lists_it_as_offline(till):
    c, h = till["client"], till["h"]
    online = c.post(SALES, json={"idempotency_key": str(uuid.uuid4()), "lines": [{"barcode": till["a"].barcode,
                                                                                "qty": 1}],
                                 "payments": [{"method": "cash", "amount_fen": 550}]}, headers=h)
    assert online.status_code == 201
    data = queued(till)
    first = c.post(SALES, json=data, headers=h)
    assert first.status_code == 201, first.get_json()
    again = c.post(SALES, json=data, headers=h)
    assert again.status_code == 200 and again.get_json()["id"] == first.get_json()["id"]
    listed = c.get(f"{SALES}?shift=current", headers=h).get_json()["sales"]
    # Oldest first by the time each was sold: the offline one was sold half an hour before the online one.
    assert [(s["offline"], s["provisional_number"], s["problems"]) for s in listed] == [
        (True, "YL01-L0001-0001", ["stock_short"]), (False, None, [])]
    assert datetime.fromisoformat(listed[0]["sold_at"]) == datetime.fromisoformat(data["sold_at"])
    assert listed[0]["landed_at"] is not None and listed[1]["landed_at"] is None
    assert c.get(f"{SALES}?shift=yesterday", headers=h).status_code == 422


def test_a_tampered_upload_is_refused_with_its_code(till):
    resp = till["client"].post(SALES, json=queued(till, total=1), headers=till["h"])
    assert resp.status_code == 409 and resp.get_json()["error"]["code"] == "sales.offline_price_mismatch"
    points = {**queued(till), "payments": [{"method": "points", "points": 5, "member_code": "M1"}]}
    assert till["client"].post(SALES, json=points, headers=till["h"]).status_code == 422


def test_the_catalog_is_whole_then_only_what_changed(till, session, world):
    c, h = till["client"], till["h"]
    full = c.get(f"{SALES}/catalog", headers=h).get_json()
    assert full["full"] and [(i["barcode_lower"], i["sellable"], i["price_fen"]) for i in full["items"]] == [
        (till["a"].barcode.lower(), 1, 550)]
    since = full["as_of"]
    assert c.get(f"{SALES}/catalog", query_string={"since": since}, headers=h).get_json()["items"] == []
    stocked_item(session, world, qty=3, price_fen=100, name="新到的杯子")
    changed = c.get(f"{SALES}/catalog", query_string={"since": since}, headers=h).get_json()
    assert [i["name"] for i in changed["items"]] == ["新到的杯子"] and not changed["full"]


def test_the_manager_page_lists_the_problem_and_the_z_report_lists_offline_sales_apart(
        till, session, world, client, login):
    c, h = till["client"], till["h"]
    c.post(SALES, json={"idempotency_key": str(uuid.uuid4()), "lines": [{"barcode": till["a"].barcode, "qty": 1}],
                        "payments": [{"method": "cash", "amount_fen": 550}]}, headers=h)
    sale = c.post(SALES, json=queued(till), headers=h).get_json()
    shift = current_shift(session, world.actor(session, "cashier-yl01"))
    notes = z_report_data(session, shift).notes
    assert notes[0].startswith("离线销售 1 笔") and notes[1].startswith(f"YL01-L0001-0001 → {sale['number']}")
    login("manager-yl01")
    page = client.get("/sales/offline").get_data(as_text=True)
    assert "YL01-L0001-0001" in page and "离线期间已售出" in page
    resp = client.post(f"/sales/offline/{sale['id']}/resolve", data={"note": "x"})
    assert resp.status_code == 422 and "2 到 200" in resp.get_data(as_text=True)
    resp = client.post(f"/sales/offline/{sale['id']}/resolve", data={"note": "盘点确认多卖一件"})
    assert resp.status_code == 302
    assert offline.open_problem_count(session, world.stores["YL01"].id) == 0


def test_the_service_worker_covers_the_till_and_the_manifest_starts_there(world, client, login):
    login("cashier-yl01")
    sw = client.get("/sales/sw.js")
    assert sw.status_code == 200 and sw.mimetype == "text/javascript" and b"caches" in sw.data
    manifest = client.get("/sales/till.webmanifest").get_json(force=True)
    assert manifest["start_url"] == "/sales/till" and manifest["scope"] == "/sales/"
    csp = client.get("/sales/till").headers["Content-Security-Policy"]
    assert "worker-src 'self'" in csp and "manifest-src 'self'" in csp and "unsafe" not in csp
