"""Discounts over HTTP: the till's approval check (refused at once, counted towards the lockout), a checkout
with a basket discount through the API, and the limits on the settings page."""
import uuid

import pytest
from sqlalchemy import select

from supermarket.auth.models import LoginAttempt
from supermarket.sales import discounts
from supermarket.sales.discounts import Limit
from supermarket.sales.models import Sale

from .factories import stocked_item

CHECK = "/api/v1/sales/discounts/check"


@pytest.fixture
def till(session, world, client, api_token):
    a = stocked_item(session, world, qty=5, price_fen=1000)
    headers = api_token("cashier-yl01")
    assert client.post("/api/v1/shifts", json={"float_fen": 20000}, headers=headers).status_code == 201
    return {"a": a, "h": headers, "client": client}


def check(till, secret, percent=15, base_fen=2000):
    return till["client"].post(CHECK, json={"discount": {"percent": percent}, "base_fen": base_fen,
                                            "approval": {"username": "manager-yl01", "secret": secret}},
                               headers=till["h"])


def test_the_check_approves_or_refuses_at_once_and_a_wrong_pin_counts(till, session):
    ok = check(till, "2468")
    assert ok.status_code == 200 and ok.get_json()["approver"] == "manager-yl01"
    assert "批准整单折扣 15%" in ok.get_json()["message"]
    wrong = check(till, "0000")
    err = wrong.get_json()["error"]
    assert (wrong.status_code, err["code"]) == (403, "auth.approval_failed")
    assert "批准整单折扣 15%未通过" in err["message"] and err["fields"]["secret"]
    failures = session.scalars(select(LoginAttempt).where(LoginAttempt.username == "manager-yl01")).all()
    assert len(failures) == 1 and not failures[0].success


@pytest.mark.parametrize("discount, field", [
    ({"percent": 101}, "percent"), ({"percent": -5}, "percent"), ({"percent": "abc"}, "percent"),
    ({"amount_fen": 0}, "amount_fen"), ({}, "percent"),
])
def test_bad_discounts_in_a_sale_are_422_with_the_field_and_nothing_written(till, session, discount, field):
    resp = till["client"].post("/api/v1/sales", json={
        "idempotency_key": str(uuid.uuid4()), "lines": [{"barcode": till["a"].barcode, "qty": 2}],
        "discount": discount, "payments": [{"method": "cash", "amount_fen": 2000}]}, headers=till["h"])
    assert resp.status_code == 422
    assert field in str(resp.get_json()["error"]["fields"])
    assert session.scalar(select(Sale.id)) is None


def test_a_basket_discount_approved_in_the_sale_request(till, session):
    resp = till["client"].post("/api/v1/sales", json={
        "idempotency_key": str(uuid.uuid4()), "lines": [{"barcode": till["a"].barcode, "qty": 2}],
        "discount": {"percent": 15}, "discount_approval": {"username": "manager-yl01", "secret": "2468"},
        "payments": [{"method": "cash", "amount_fen": 1700}]}, headers=till["h"])
    assert resp.status_code == 201, resp.get_json()
    sale = resp.get_json()
    assert sale["total_fen"] == 1700 and sale["lines"][0]["discount_fen"] == 300
    assert sale["lines"][0]["basket_discount_fen"] == 300


def test_the_store_manager_edits_the_limits_on_the_settings_page(session, world, login):
    client = login("manager-yl01")
    page = client.get("/sales/settings").get_data(as_text=True)
    assert 'id="discount-limits"' in page and 'value="10"' in page and 'value="20.00"' in page
    data = {"cashier_percent": "15", "cashier_amount": "30", "store_manager_percent": "40",
            "store_manager_amount": "300"}
    assert client.post("/sales/settings/discounts", data=data).status_code == 302
    assert discounts.limits_of(session, world.stores["YL01"].id) == {"cashier": Limit(15, 3000),
                                                                     "store_manager": Limit(40, 30000)}
    bad = client.post("/sales/settings/discounts", data=dict(data, cashier_percent="abc"))
    assert bad.status_code == 422 and "请填写 0 到 100 之间的整数" in bad.get_data(as_text=True)
    over = client.post("/sales/settings/discounts", data=dict(data, cashier_percent="50"))
    assert over.status_code == 422 and "收银员的折扣上限不能高于店长的" in over.get_data(as_text=True)
    assert discounts.limits_of(session, world.stores["YL01"].id)["cashier"] == Limit(15, 3000)
    assert login("cashier-yl01").post("/sales/settings/discounts", data=data).status_code == 403


def test_the_x_report_page_counts_the_shifts_discounts(till, login):
    resp = till["client"].post("/api/v1/sales", json={
        "idempotency_key": str(uuid.uuid4()), "lines": [{"barcode": till["a"].barcode, "qty": 2,
                                                         "discount": {"amount_fen": 150}}],
        "payments": [{"method": "cash", "amount_fen": 1850}]}, headers=till["h"])
    assert resp.status_code == 201, resp.get_json()
    page = login("cashier-yl01").get("/sales/x-report").get_data(as_text=True)
    assert 'id="x-discounts"' in page and "-¥1.50" in page and "用户cashier-yl01 1" in page
