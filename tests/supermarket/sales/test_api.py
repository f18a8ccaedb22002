"""The till's JSON API: status codes and error bodies, including every kind of bad input."""
import uuid

import pytest

from supermarket.sales import settings

from .factories import stocked_item

SALES = "/api/v1/sales"


@pytest.fixture
def till(app, session, world, client, api_token):
    a = stocked_item(session, world, qty=5, price_fen=550)
    b = stocked_item(session, world, qty=5, price_fen=1200, name="旧毛衣", kind="donated_used")
    headers = api_token("cashier-yl01")
    assert client.post("/api/v1/shifts", json={"float_fen": 20000}, headers=headers).status_code == 201
    return {"a": a, "b": b, "h": headers, "client": client}


def body(till, *lines, payments=None, key=None):
    lines = lines or ({"barcode": till["a"].barcode, "qty": 2}, {"item_id": str(till["b"].id), "qty": 1})
    return {"idempotency_key": key or str(uuid.uuid4()), "lines": list(lines),
            "payments": payments if payments is not None else [{"method": "cash", "amount_fen": 5000}]}


def post(till, data, url=SALES):
    return till["client"].post(url, json=data, headers=till["h"])


def error(resp):
    return resp.get_json()["error"]["code"]


def test_a_sale_returns_201_with_number_total_and_change(till):
    resp = post(till, body(till))
    assert resp.status_code == 201
    data = resp.get_json()
    assert data["number"].startswith("YL01-") and (data["total_fen"], data["change_fen"]) == (2300, 2700)
    assert data["replayed"] is False and [x["fund"] for x in data["lines"]] == ["purchased", "donated"]
    assert post(till, body(till)).get_json()["number"] != data["number"]  # a new key is a new sale


def test_a_replay_returns_the_first_sale(till):
    data = body(till)
    first = post(till, data).get_json()
    second = post(till, data)
    assert second.status_code == 200 and second.get_json()["id"] == first["id"] and second.get_json()["replayed"]


@pytest.mark.parametrize("lines, payments, status, code", [
    ([{"barcode": "6900000000000", "qty": 1}], None, 404, "catalog.unknown_barcode"),
    ([{"item_id": str(uuid.uuid4()), "qty": 1}], None, 404, "catalog.unknown_item"),
    ([{"barcode": "A", "qty": 0}], None, 422, "invalid_input"),
    ([{"barcode": "A", "qty": 10**9}], None, 422, "invalid_input"),
    ([{"barcode": "A", "qty": 1.5}], None, 422, "invalid_input"),
    ([{"barcode": "A", "qty": "1"}], None, 422, "invalid_input"),
    ([{"barcode": "A", "qty": 1, "unit_price_fen": -1}], None, 422, "invalid_input"),
    ([{"qty": 1}], None, 422, "invalid_input"),
    ([], None, 422, "invalid_input"),
    (None, [{"method": "cash", "amount_fen": 100}], 409, "sales.payment_mismatch"),
    (None, [{"method": "cash", "amount_fen": -5}], 422, "invalid_input"),
    (None, [{"method": "bitcoin", "amount_fen": 5000}], 422, "invalid_input"),
    (None, [{"method": "wechat", "amount_fen": 2300}], 422, "invalid_input"),
    (None, [{"method": "points", "points": 10, "member_code": "M1", "pin": "1"}], 409, "sales.payment_mismatch"),
    (None, [], 409, "sales.payment_mismatch"),
])
def test_bad_input_is_refused_with_a_clear_error_and_nothing_written(till, session, lines, payments, status, code):
    from sqlalchemy import func, select

    from supermarket.sales.models import Sale

    if lines is not None:
        lines = [dict(line, barcode=till["a"].barcode) if line.get("barcode") == "A" else line for line in lines]
        data = body(till, payments=payments)
        data["lines"] = lines
    else:
        data = body(till, payments=payments)
    resp = post(till, data)
    assert (resp.status_code, error(resp)) == (status, code), resp.get_json()
    assert resp.get_json()["error"]["message"]
    assert session.scalar(select(func.count()).select_from(Sale)) == 0


def test_not_a_json_object_is_invalid(till):
    resp = till["client"].post(SALES, data="[1,2]", content_type="application/json", headers=till["h"])
    assert (resp.status_code, error(resp)) == (422, "invalid_input")


def test_insufficient_stock_is_409(till):
    resp = post(till, body(till, {"barcode": till["a"].barcode, "qty": 6}))
    assert (resp.status_code, error(resp)) == (409, "inventory.insufficient_stock")


def test_a_tender_the_store_does_not_accept(till, session, world):
    settings.update_till_config(session, world.actor(session, "manager-yl01"), world.stores["YL01"].id,
                                accepted=["cash"], receipt_width_mm=58)
    resp = post(till, body(till, payments=[{"method": "wechat", "amount_fen": 2300, "reference": "42000001"}]))
    assert (resp.status_code, error(resp)) == (409, "sales.tender_not_accepted")


def test_without_an_open_shift_sales_are_409(app, session, world, client, api_token):
    item = stocked_item(session, world)
    resp = client.post(SALES, json={"idempotency_key": str(uuid.uuid4()), "lines": [{"barcode": item.barcode, "qty": 1}],
                                    "payments": [{"method": "cash", "amount_fen": 500}]},
                       headers=api_token("cashier-yl01"))
    assert (resp.status_code, error(resp)) == (409, "sales.shift_closed")
    assert client.get("/api/v1/shifts/current", headers=api_token("cashier-yl01")).status_code == 404


def test_auditors_cannot_sell(app, session, world, client, api_token):
    resp = client.post(SALES, json={}, headers=api_token("auditor-yl"))
    assert resp.status_code == 403


def test_void_and_return_over_the_api(till, session, world, api_token):
    sale = post(till, body(till)).get_json()
    approval = {"username": "manager-yl01", "secret": "2468"}
    line_a = sale["lines"][0]["id"]
    url = f"{SALES}/{sale['id']}"
    resp = post(till, {"lines": [{"sale_line_id": line_a, "qty": 3}], "reason": "坏了", "approval": approval},
                url + "/returns")
    assert (resp.status_code, error(resp)) == (409, "sales.return_exceeds")
    resp = post(till, {"lines": [{"sale_line_id": line_a, "qty": 1}], "reason": "坏了",
                       "approval": {"username": "cashier-yl01", "secret": "changsha2023"}}, url + "/returns")
    assert (resp.status_code, error(resp)) == (403, "auth.approval_failed")
    resp = post(till, {"lines": [{"sale_line_id": line_a, "qty": 1}], "reason": "坏了", "approval": approval},
                url + "/returns")
    assert resp.status_code == 201 and resp.get_json()["total_fen"] == -550
    ret = resp.get_json()
    resp = post(till, {"reason": "错了", "approval": approval}, f"{SALES}/{ret['id']}/void")
    assert (resp.status_code, error(resp)) == (409, "sales.not_reversible")
    resp = post(till, {"reason": "错了", "approval": approval}, url + "/void")
    assert (resp.status_code, error(resp)) == (409, "sales.has_returns")

    other = post(till, body(till, {"item_id": str(till["b"].id), "qty": 1},
                            payments=[{"method": "cash", "amount_fen": 1200}])).get_json()
    resp = post(till, {"reason": "错了", "approval": approval}, f"{SALES}/{other['id']}/void")
    assert resp.status_code == 201 and resp.get_json()["kind"] == "void"
    resp = post(till, {"reason": "错了", "approval": approval}, f"{SALES}/{resp.get_json()['id']}/void")
    assert (resp.status_code, error(resp)) == (409, "sales.not_reversible")
    resp = post(till, {"reason": "错了", "approval": approval}, f"{SALES}/{other['id']}/void")
    assert (resp.status_code, error(resp)) == (409, "sales.already_voided")


def test_another_stores_sale_is_404(till, client, api_token):
    sale = post(till, body(till)).get_json()
    other = api_token("cashier-fr01")
    assert client.get(f"{SALES}/{sale['id']}", headers=other).status_code == 404
    resp = client.post(f"{SALES}/{sale['id']}/void", json={"reason": "x", "approval": {"username": "manager-fr01",
                                                                                       "secret": "2468"}},
                       headers=other)
    assert (resp.status_code, error(resp)) == (404, "not_found")
    assert client.get(f"{SALES}/{sale['id']}/receipt.pdf", headers=other).status_code == 404


def test_receipt_pdf_in_both_widths_and_reprints(till):
    sale = post(till, body(till)).get_json()
    client, h = till["client"], till["h"]
    first = client.get(f"{SALES}/{sale['id']}/receipt.pdf?width=58", headers=h)
    assert first.status_code == 200 and first.mimetype == "application/pdf" and first.data.startswith(b"%PDF-")
    assert client.get(f"{SALES}/{sale['id']}/receipt.pdf?width=80", headers=h).status_code == 200
    resp = client.get(f"{SALES}/{sale['id']}/receipt.pdf?width=70", headers=h)
    assert (resp.status_code, error(resp)) == (422, "invalid_input")


def test_shift_open_current_and_close(till):
    client, h = till["client"], till["h"]
    resp = client.post("/api/v1/shifts", json={"float_fen": 100}, headers=h)
    assert (resp.status_code, error(resp)) == (409, "sales.shift_already_open")
    assert client.get("/api/v1/shifts/current", headers=h).get_json()["float_fen"] == 20000
    post(till, body(till))
    close = "/api/v1/shifts/current/close"
    resp = client.post(close, json={"counted": {"cash": 22300}}, headers=h)
    assert (resp.status_code, error(resp)) == (403, "sales.approval_required")
    resp = client.post(close, json={"counted": {"cash": -1}, "approval": {"username": "manager-yl01", "secret": "2468"}},
                       headers=h)
    assert (resp.status_code, error(resp)) == (422, "invalid_input")
    resp = client.post(close, json={"counted": {"cash": 22250}, "approval": {"username": "manager-yl01",
                                                                             "secret": "2468"}}, headers=h)
    assert resp.status_code == 200, resp.get_json()
    shift = resp.get_json()
    assert (shift["status"], shift["variance_fen"]) == ("closed", -50)
    z = client.get(shift["z_report_url"], headers=h)
    assert z.status_code == 200 and z.data.startswith(b"%PDF-")
    assert client.get("/api/v1/shifts/current", headers=h).status_code == 404


def test_till_lookup_by_barcode_name_and_category(till):
    client, h = till["client"], till["h"]
    found = client.get(f"{SALES}/items?barcode={till['a'].barcode}", headers=h).get_json()["items"]
    assert [(i["name"], i["price_fen"], i["on_hand"]) for i in found] == [("搪瓷脸盆", 550, 5)]
    resp = client.get(f"{SALES}/items?barcode=123", headers=h)
    assert (resp.status_code, error(resp)) == (404, "catalog.unknown_barcode")
    assert [i["name"] for i in client.get(f"{SALES}/items?q=jmy", headers=h).get_json()["items"]] == ["旧毛衣"]
    cat = str(till["a"].category_id)
    assert {i["name"] for i in client.get(f"{SALES}/items?category_id={cat}", headers=h).get_json()["items"]} == {
        "搪瓷脸盆", "旧毛衣"}


def test_bearer_posts_pass_and_cookie_posts_need_the_csrf_header(app, session, world, client, api_token):
    app.config["WTF_CSRF_ENABLED"] = True
    item = stocked_item(session, world)
    headers = api_token("cashier-yl01")
    assert client.post("/api/v1/shifts", json={"float_fen": 0}, headers=headers).status_code == 201
    sale = {"idempotency_key": str(uuid.uuid4()), "lines": [{"barcode": item.barcode, "qty": 1}],
            "payments": [{"method": "cash", "amount_fen": 500}]}
    assert client.post(SALES, json=sale, headers=headers).status_code == 201
    app.config["WTF_CSRF_ENABLED"] = False
    client.post("/login", data={"username": "cashier-yl01", "password": "changsha2023"})
    app.config["WTF_CSRF_ENABLED"] = True
    resp = client.post(SALES, json=dict(sale, idempotency_key=str(uuid.uuid4())))
    assert (resp.status_code, error(resp)) == (400, "csrf_failed")


def test_guessing_a_managers_pin_at_the_till_is_throttled(till, session, world):
    from sqlalchemy import select

    from supermarket.auth.models import LoginAttempt

    sale = post(till, body(till)).get_json()
    url = f"{SALES}/{sale['id']}/void"
    for guess in ("0000", "1111", "1234", "9999", "2469"):
        resp = post(till, {"reason": "错了", "approval": {"username": "manager-yl01", "secret": guess}}, url)
        assert (resp.status_code, error(resp)) == (403, "auth.approval_failed")
    failures = session.scalars(select(LoginAttempt).where(LoginAttempt.username == "manager-yl01")).all()
    assert len(failures) == 5 and not any(a.success for a in failures) and failures[0].address == "127.0.0.1"
    # The sixth try is refused before the PIN is checked, the right PIN included; nothing is voided.
    resp = post(till, {"reason": "错了", "approval": {"username": "manager-yl01", "secret": "2468"}}, url)
    assert (resp.status_code, error(resp)) == (429, "auth.too_many_attempts")
    assert "manager-yl01" in resp.get_json()["error"]["message"]
    assert till["client"].get(f"{SALES}/{sale['id']}", headers=till["h"]).get_json()["status"] == "completed"
