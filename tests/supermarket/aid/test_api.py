"""The aid API: status codes and error bodies; nothing written on a refusal."""
import base64

import pytest

from supermarket.aid.models import Distribution

from .factories import aid_item, make_household, policy, signature_png


@pytest.fixture
def ready(session, world):
    policy(session, value_cap_fen=10000)
    stores = list(world.stores.values())
    rice = aid_item(session, stores, name="大米", price_fen=3500)
    household = make_household(session, world.stores["YL01"], name="王建国")
    return household, rice


def body(household, rice, **over):
    data = {"idempotency_key": "k-0000000001", "household_code": household.code,
            "lines": [{"barcode": rice.barcode, "qty": 1}],
            "signature_png": base64.b64encode(signature_png()).decode(),
            "witness": {"username": "manager-yl01", "password": "2468"}}
    data.update(over)
    return data


def test_post_distribution_then_replay(client, api_token, ready):
    household, rice = ready
    headers = api_token("cashier-yl01")
    r = client.post("/api/v1/distributions", json=body(household, rice), headers=headers)
    assert r.status_code == 201, r.get_json()
    data = r.get_json()
    assert data["value_fen"] == 3500 and data["household_code"] == household.code and data["signed"]
    assert data["entitlement"]["remaining_value_fen"] == 6500 and data["slip_url"].endswith("/slip.pdf")
    again = client.post("/api/v1/distributions", json=body(household, rice), headers=headers)
    assert again.status_code == 200 and again.get_json()["id"] == data["id"]
    got = client.get(f"/api/v1/distributions/{data['id']}", headers=headers)
    assert got.status_code == 200 and got.get_json()["serial"] == data["serial"]
    assert client.get(f"/api/v1/distributions/{data['id']}", headers=api_token("cashier-fr01")).status_code == 404


def test_entitlement_endpoint_counts_every_store(client, api_token, ready):
    household, rice = ready
    client.post("/api/v1/distributions", json=body(household, rice, lines=[{"item_id": str(rice.id), "qty": 2}]),
                headers=api_token("cashier-yl01"))
    fr = api_token("cashier-fr01")
    r = client.get(f"/api/v1/households/{household.code}/entitlement", headers=fr)
    assert r.status_code == 200
    data = r.get_json()
    assert data["entitlement"]["remaining_value_fen"] == 3000 and data["id_masked"] == "****" + household.id_last4
    assert data["head_name"] == "王建国" and data["store_code"] == "YL01"
    refused = client.post("/api/v1/distributions", headers=fr, json=body(
        household, rice, idempotency_key="k-fr-000001", witness={"username": "manager-fr01", "password": "2468"}))
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "aid.quota_exceeded"
    assert client.get("/api/v1/households/NOPE/entitlement", headers=fr).get_json()["error"]["code"] \
        == "aid.unknown_household"
    found = client.get(f"/api/v1/households?last4={household.id_last4}&name=王建国", headers=fr).get_json()
    assert [h["code"] for h in found["households"]] == [household.code]
    assert client.get("/api/v1/households?last4=12&name=x", headers=fr).status_code == 422


def _sig(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


@pytest.mark.parametrize("over, status, code", [
    ({"household_code": "NOPE"}, 404, "aid.unknown_household"),
    ({"lines": [{"barcode": "6900000000000", "qty": 1}]}, 404, "catalog.unknown_barcode"),
    ({"lines": [{"qty": 1}]}, 422, "invalid_input"),
    ({"lines": [{"barcode": "x", "item_id": "00000000-0000-0000-0000-000000000000", "qty": 1}]}, 422, "invalid_input"),
    ({"lines": [{"barcode": "x", "qty": 0}]}, 422, "invalid_input"),
    ({"lines": [{"barcode": "x", "qty": -1}]}, 422, "invalid_input"),
    ({"lines": [{"barcode": "x", "qty": "1"}]}, 422, "invalid_input"),
    ({"lines": [{"barcode": "x", "qty": 1.5}]}, 422, "invalid_input"),
    ({"lines": [{"barcode": "x", "qty": 10 ** 12}]}, 422, "invalid_input"),
    ({"lines": []}, 422, "invalid_input"),
    ({"signature_png": None}, 422, "aid.signature_required"),
    ({"signature_png": "not base64!"}, 422, "invalid_input"),
    ({"signature_png": _sig(b"GIF89a" + b"\0" * 64)}, 422, "aid.bad_image"),
    ({"signature_png": _sig(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)}, 422, "aid.bad_image"),
    ({"signature_png": "A" * 500_000}, 422, "invalid_input"),
    ({"witness": {"username": "cashier-yl01", "password": "changsha2023"}}, 403, "auth.approval_failed"),
    ({"witness": {"username": "manager-yl01", "password": "0000"}}, 403, "auth.approval_failed"),
    ({"witness": None}, 422, "invalid_input"),
    ({"proxy": {"name": "", "relation": "儿子"}, "signature_png": None}, 422, "invalid_input"),
    ({"override": {"username": "manager-yl01", "password": "2468", "reason": ""}}, 422, "invalid_input"),
    ({"idempotency_key": "short"}, 422, "invalid_input"),
])
def test_bad_input_gives_an_error_body_and_writes_nothing(client, api_token, session, ready, over, status, code):
    household, rice = ready
    r = client.post("/api/v1/distributions", json=body(household, rice, **over), headers=api_token("cashier-yl01"))
    assert r.status_code == status, r.get_json()
    error = r.get_json()["error"]
    assert error["code"] == code and error["message"]
    assert session.query(Distribution).count() == 0


def test_non_object_bodies_and_roles(client, api_token, ready):
    household, rice = ready
    headers = api_token("cashier-yl01")
    assert client.post("/api/v1/distributions", data="[]", content_type="application/json",
                       headers=headers).status_code == 422
    assert client.post("/api/v1/distributions", data="{", content_type="application/json",
                       headers=headers).status_code == 422
    assert client.post("/api/v1/distributions", json=body(household, rice),
                       headers=api_token("auditor-yl")).status_code == 403
    assert client.post("/api/v1/distributions", json=body(household, rice)).status_code == 401


def test_quote(client, api_token, ready):
    household, rice = ready
    r = client.post("/api/v1/distributions/quote", headers=api_token("cashier-fr01"),
                    json={"household_code": household.code, "lines": [{"barcode": rice.barcode, "qty": 3}]})
    assert r.status_code == 200
    data = r.get_json()
    assert data["total_value_fen"] == 10500 and data["needs_override"][0]["code"] == "aid.quota_exceeded"
    assert data["lines"][0]["name"] == "大米"
