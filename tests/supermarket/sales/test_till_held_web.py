"""Held sales and returns without receipt through the API and the pages: refusals are stable codes with the
field named (JSON) or the message beside the field (pages), and nothing is written."""
import uuid

import pytest
from sqlalchemy import func, select

from supermarket.auth.models import LoginAttempt
from supermarket.sales.till_models import HeldSale, OpenReturn

from .factories import open_shift, stocked_item

API = "/api/v1/sales"


@pytest.fixture
def item(session, world):
    open_shift(session, world, float_fen=20000)
    return stocked_item(session, world, qty=5, price_fen=2500)


def count(session, model):
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


def test_api_park_list_recall_and_another_shift_refused(session, world, item, client, api_token):
    h = api_token("cashier-yl01")
    parked = client.post(f"{API}/held", json={"lines": [{"barcode": item.barcode, "qty": 2}], "label": "阿姨"},
                         headers=h)
    assert parked.status_code == 201 and parked.get_json()["total_fen"] == 5000
    held_id = parked.get_json()["id"]
    assert [x["id"] for x in client.get(f"{API}/held", headers=h).get_json()["held"]] == [held_id]
    open_shift(session, world, username="manager-yl01")
    other = client.post(f"{API}/held/{held_id}/recall", headers=api_token("manager-yl01"))
    assert other.status_code == 409
    assert other.get_json()["error"]["code"] == "sales.held_other_shift"
    assert "另一个班次" in other.get_json()["error"]["message"]
    got = client.post(f"{API}/held/{held_id}/recall", headers=h).get_json()
    assert got["status"] == "recalled" and got["lines"][0]["qty"] == 2
    assert got["lines"][0]["item"]["price_fen"] == 2500 and got["lines"][0]["item"]["sellable"] == 5
    assert client.get(f"{API}/held", headers=h).get_json()["held"] == []


def test_api_open_return_refusals_write_nothing(session, world, item, client, api_token):
    h = api_token("cashier-yl01")
    body = {"barcode": item.barcode, "qty": 5, "reason": "没有小票",
            "approval": {"username": "manager-yl01", "secret": "2468"}}
    over = client.post(f"{API}/open-returns", json=body, headers=h)
    assert over.status_code == 422 and over.get_json()["error"]["code"] == "sales.open_return_over_limit"
    assert "qty" in over.get_json()["error"]["fields"]
    wrong = client.post(f"{API}/open-returns", json={**body, "qty": 1, "approval": {"username": "manager-yl01",
                                                                                     "secret": "0000"}}, headers=h)
    assert wrong.status_code == 403 and wrong.get_json()["error"]["fields"]["approval"]
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.username == "manager-yl01", LoginAttempt.success.is_(False))) == 1
    assert count(session, OpenReturn) == 0
    done = client.post(f"{API}/open-returns", json={**body, "qty": 1, "idempotency_key": str(uuid.uuid4())},
                       headers=h)
    assert done.status_code == 201 and done.get_json()["refund_fen"] == 2500


def test_pages_say_refusals_beside_the_field(session, world, item, login):
    client = login("cashier-yl01")
    page = client.post("/sales/open-return", data={"barcode": item.barcode, "qty": "1", "unit_price": "26",
                                                   "reason": "没有小票", "approver_username": "manager-yl01",
                                                   "approver_secret": "2468"})
    html = page.get_data(as_text=True)
    assert page.status_code == 422 and 'id="return-unit_price"' in html
    assert "退款单价不能高于现价 ¥25.00" in html and count(session, OpenReturn) == 0
    ok = client.post("/sales/open-return", data={"barcode": item.barcode, "qty": "1", "unit_price": "",
                                                 "reason": "没有小票", "approver_username": "manager-yl01",
                                                 "approver_secret": "2468"})
    assert ok.status_code == 302 and count(session, OpenReturn) == 1

    parked = client.post(f"{API}/held", json={"lines": [{"barcode": item.barcode, "qty": 1}]}).get_json()
    close = client.get("/sales/shift").get_data(as_text=True)
    assert 'id="held-warning"' in close and "1 张挂单" in close
    blank = client.post(f"/sales/held/{parked['id']}/discard", data={"reason": ""})
    assert blank.status_code == 422 and "aria-invalid" in blank.get_data(as_text=True)
    assert count(session, HeldSale) == 1
    gone = client.post(f"/sales/held/{parked['id']}/discard", data={"reason": "顾客走了"})
    assert gone.status_code == 302
    assert 'id="held-warning"' not in client.get("/sales/shift").get_data(as_text=True)
    receipts = client.get("/sales/receipts")
    assert receipts.status_code == 200
