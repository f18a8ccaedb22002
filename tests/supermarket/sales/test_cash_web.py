"""The cash drawer's API (/api/v1/sales/cash-moves, /no-sale, /x-report.pdf) and pages (钱箱, X 报表)."""
import re
import uuid

import pytest
from sqlalchemy import func, select

from supermarket.auth.models import LoginAttempt
from supermarket.sales.models import CashMovement

from .factories import open_shift, sell, stocked_item

API = "/api/v1/sales"


@pytest.fixture
def shift(session, world):
    shift = open_shift(session, world, float_fen=20000)
    sell(session, world, (stocked_item(session, world, qty=5, price_fen=550), 2))        # cash 1100
    return shift


def count(session):
    return session.scalar(select(func.count()).select_from(CashMovement))


def test_api_paid_in_is_201_and_a_replay_is_200(session, world, shift, client, api_token):
    h = api_token("cashier-yl01")
    body = {"kind": "paid_in", "amount_fen": 5000, "reason": "找零备用", "idempotency_key": str(uuid.uuid4())}
    first = client.post(f"{API}/cash-moves", json=body, headers=h)
    assert first.status_code == 201 and first.get_json()["cashier"] == "cashier-yl01"
    again = client.post(f"{API}/cash-moves", json=body, headers=h)
    assert again.status_code == 200 and again.headers["Idempotent-Replay"] == "true"
    assert again.get_json()["id"] == first.get_json()["id"] and count(session) == 1
    listed = client.get(f"{API}/cash-moves", headers=h).get_json()["moves"]
    assert [m["amount_fen"] for m in listed] == [5000]


@pytest.mark.parametrize("body, status, code, field", [
    ({"kind": "paid_in", "amount_fen": 0, "reason": "零钱"}, 422, "invalid_input", "amount_fen"),
    ({"kind": "paid_in", "amount_fen": "12", "reason": "零钱"}, 422, "invalid_input", "amount_fen"),
    ({"kind": "paid_in", "amount_fen": 10**9, "reason": "零钱"}, 422, "invalid_input", "amount_fen"),
    ({"kind": "paid_in", "amount_fen": 100}, 422, "invalid_input", "reason"),
    ({"kind": "steal", "amount_fen": 100, "reason": "零钱"}, 422, "invalid_input", "kind"),
    ({"kind": "paid_out", "amount_fen": 21101, "reason": "退押金",
      "approval": {"username": "manager-yl01", "secret": "2468"}}, 422, "sales.cash_short", "amount_fen"),
    ({"kind": "paid_in", "amount_fen": 20001, "reason": "补备用金"}, 403, "sales.approval_required", "approval"),
])
def test_api_bad_input(session, world, shift, client, api_token, body, status, code, field):
    resp = client.post(f"{API}/cash-moves", json=body, headers=api_token("cashier-yl01"))
    error = resp.get_json()["error"]
    assert resp.status_code == status and error["code"] == code and field in error["fields"]
    assert count(session) == 0


def test_api_a_wrong_pin_is_refused_and_counted(session, world, shift, client, api_token):
    body = {"kind": "paid_in", "amount_fen": 20001, "reason": "补备用金",
            "approval": {"username": "manager-yl01", "secret": "0000"}}
    resp = client.post(f"{API}/cash-moves", json=body, headers=api_token("cashier-yl01"))
    assert resp.status_code == 403 and resp.get_json()["error"]["code"] == "auth.approval_failed"
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(LoginAttempt)
                          .where(LoginAttempt.username == "manager-yl01", LoginAttempt.success.is_(False))) == 1
    assert count(session) == 0


def test_api_no_sale_and_the_x_report(session, world, shift, client, api_token):
    h = api_token("cashier-yl01")
    assert client.post(f"{API}/no-sale", json={"reason": "x"}, headers=h).status_code == 422
    assert client.post(f"{API}/no-sale", json={"reason": "换零钱"}, headers=h).status_code == 201
    pdf = client.get(f"{API}/x-report.pdf", headers=h)
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    # Without an open shift: a stable 404, never a 500.
    other = api_token("cashier-yl02")
    resp = client.get(f"{API}/x-report.pdf", headers=other)
    assert resp.status_code == 404 and resp.get_json()["error"]["code"] == "sales.no_open_shift"


def test_the_till_links_the_drawer_and_the_page_records_a_payout(session, world, shift, login):
    client = login("cashier-yl01")
    assert 'id="cash-drawer-link"' in client.get("/sales/till").get_data(as_text=True)
    page = client.get("/sales/cash").get_data(as_text=True)
    assert "¥211.00" in page and 'id="no-cash-moves"' in page
    done = client.post("/sales/cash/move", data={"kind": "paid_out", "amount": "12.50", "reason": "买胶带",
                                                  "idempotency_key": str(uuid.uuid4())})
    assert done.status_code == 302
    page = client.get("/sales/cash").get_data(as_text=True)
    assert "¥198.50" in page and "买胶带" in page


@pytest.mark.parametrize("data, field_id, message", [
    ({"kind": "paid_out", "amount": "300", "reason": "退押金", "approver_username": "manager-yl01",
      "approver_secret": "2468"}, "cash-amount", "钱箱里应有现金 ¥211.00，不能支出 ¥300.00"),
    ({"kind": "paid_out", "amount": "abc", "reason": "退押金"}, "cash-amount", "请输入金额"),
    ({"kind": "paid_in", "amount": "5", "reason": ""}, "cash-reason", ""),
])
def test_the_page_marks_the_refused_field(session, world, shift, login, data, field_id, message):
    resp = login("cashier-yl01").post("/sales/cash/move", data=data)
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and re.search(rf'id="{field_id}"[^>]*aria-invalid="true"', page)
    assert message in page and count(session) == 0


def test_the_page_asks_a_manager_above_the_limit(session, world, shift, login):
    client = login("cashier-yl01")
    resp = client.post("/sales/cash/move", data={"kind": "paid_in", "amount": "250", "reason": "补备用金"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 403 and "超过 ¥200.00 需要店长当场批准" in page
    assert re.search(r'id="cash-approver_username"[^>]*aria-invalid="true"', page)
    ok = client.post("/sales/cash/move", data={"kind": "paid_in", "amount": "250", "reason": "补备用金",
                                               "approver_username": "manager-yl01", "approver_secret": "2468"})
    assert ok.status_code == 302 and count(session) == 1


def test_no_sale_and_the_x_report_pages(session, world, shift, login):
    client = login("cashier-yl01")
    refused = client.post("/sales/cash/no-sale", data={"reason": ""})
    assert refused.status_code == 422 and re.search(r'id="no-sale-reason"[^>]*aria-invalid="true"',
                                                    refused.get_data(as_text=True))
    assert client.post("/sales/cash/no-sale", data={"reason": "换零钱"}).status_code == 302
    page = client.get("/sales/x-report").get_data(as_text=True)
    assert "换零钱" in page and re.search(r'id="x-no-sale">1<', page) and "¥211.00" in page
    assert client.get("/sales/x-report.pdf").data.startswith(b"%PDF")
