"""No 5xx from input: nesting depth and body size limits, text no column can hold, and characters that make a
stored line read differently from what was stored (issue 16's reproductions, on SQLite and PostgreSQL)."""
from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import func, select

from supermarket.audit.models import AuditEvent
from supermarket.intake.models import Donor
from supermarket.sales.models import Sale
from supermarket.text_rules import bad_text
from tests.supermarket.sales.factories import stocked_item

NESTED_1000 = "[" * 1000 + "]" * 1000


def _code(resp):
    return resp.get_json()["error"]["code"]


@pytest.fixture
def till(app, session, world, client, api_token):
    item = stocked_item(session, world, qty=5, price_fen=550)
    headers = api_token("cashier-yl01")
    assert client.post("/api/v1/shifts", json={"float_fen": 20000}, headers=headers).status_code == 201
    return {"item": item, "h": headers}


def _sale(till, **line):
    return {"idempotency_key": str(uuid.uuid4()), "lines": [{"barcode": till["item"].barcode, "qty": 1, **line}],
            "payments": [{"method": "cash", "amount_fen": 550}]}


@pytest.mark.parametrize("path", ["/api/v1/auth/token", "/api/v1/sales", "/api/v1/shifts", "/api/v1/donations",
                                  "/api/v1/points/credits"])
def test_json_nested_1000_deep_is_422_not_500(client, till, path):
    resp = client.post(path, data=NESTED_1000, content_type="application/json", headers=till["h"])
    assert resp.status_code == 422
    assert _code(resp) == "json_too_deep"
    deep_object = '{"a":' * 1000 + "1" + "}" * 1000
    resp = client.post("/api/v1/auth/token", data=deep_object, content_type="application/json")
    assert (resp.status_code, _code(resp)) == (422, "json_too_deep")


def test_brackets_inside_strings_are_not_nesting(client, world):
    resp = client.post("/api/v1/auth/token", json={"username": "[" * 40 + "\\\"{" * 8, "password": "x"})
    assert resp.status_code == 401  # a wrong login, not a refused shape


def test_a_json_body_over_the_limit_is_413(client, world):
    resp = client.post("/api/v1/auth/token", data=json.dumps({"username": "a" * (1024 * 1024 + 10)}),
                       content_type="application/json")
    assert (resp.status_code, _code(resp)) == (413, "payload_too_large")


@pytest.mark.parametrize("where", ["barcode", "override_reason"])
def test_lone_surrogate_in_a_sale_is_invalid_characters(client, session, till, where):
    data = _sale(till)
    if where == "barcode":
        data["lines"][0]["barcode"] = "69\udc80"
    else:
        data["lines"][0].update(unit_price_fen=100, override_reason="坏了\udc80")
    raw = json.dumps(data)  # ensure_ascii: sent as the escape "\udc80", as an attacker would
    resp = client.post("/api/v1/sales", data=raw, content_type="application/json", headers=till["h"])
    assert (resp.status_code, _code(resp)) == (422, "invalid_characters")
    assert session.scalar(select(func.count()).select_from(Sale)) == 0


def test_lone_surrogate_in_a_void_reason_is_invalid_characters(client, session, till):
    sale = client.post("/api/v1/sales", json=_sale(till), headers=till["h"]).get_json()
    raw = json.dumps({"reason": "顾客\udc80", "approval": {"username": "manager-yl01", "secret": "2468"}})
    resp = client.post(f"/api/v1/sales/{sale['id']}/void", data=raw, content_type="application/json",
                       headers=till["h"])
    assert (resp.status_code, _code(resp)) == (422, "invalid_characters")
    assert session.scalar(select(func.count()).select_from(Sale)) == 1


@pytest.mark.parametrize("char", ["\u202e", "\u200b", "\ufeff", "\x07", "\n", "\u2066"])
def test_bidi_zero_width_and_controls_in_a_void_reason_are_refused_and_named(client, session, till, char):
    sale = client.post("/api/v1/sales", json=_sale(till), headers=till["h"]).get_json()
    events = session.scalar(select(func.count()).select_from(AuditEvent))
    resp = client.post(f"/api/v1/sales/{sale['id']}/void", headers=till["h"],
                       json={"reason": f"顾客{char}001 款退", "approval": {"username": "manager-yl01", "secret": "2468"}})
    assert (resp.status_code, _code(resp)) == (422, "invalid_characters")
    assert list(resp.get_json()["error"]["fields"]) == ["reason"]
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == events


def test_a_bidi_override_in_a_donor_name_is_refused_in_the_api_by_its_path(client, session, till):
    body = {"idempotency_key": str(uuid.uuid4()), "donor": {"kind": "person", "name": "张\u202e三"},
            "lines": [{"item_id": str(till["item"].id), "qty": 1, "unit_value_fen": 100,
                       "valuation_basis": "market"}],
            "checker": {"username": "manager-yl01", "password": "2468"}}
    resp = client.post("/api/v1/donations", json=body, headers=till["h"])
    assert (resp.status_code, _code(resp)) == (422, "invalid_characters")
    assert "donor.name" in resp.get_json()["error"]["fields"]
    assert session.scalar(select(func.count()).select_from(Donor)) == 0


def test_a_bidi_override_in_the_donor_form_is_shown_beside_the_field(client, session, login, world):
    login("cashier-yl01")
    resp = client.post("/intake/donors/new", data={"kind": "person", "name": "李\u202e四", "note": "第一行\r\n第二行"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "不能有换行、控制字符或不可见字符" in page
    assert session.scalar(select(func.count()).select_from(Donor)) == 0


def test_multi_line_text_keeps_newline_and_tab_but_not_bidi(client, session, login, world):
    login("cashier-yl01")
    resp = client.post("/intake/donors/new", data={"kind": "person", "name": "李四", "note": "一\r\n\t二"})
    assert resp.status_code == 302
    assert session.scalar(select(Donor.note)) == "一\r\n\t二"
    resp = client.post("/intake/donors/new", data={"kind": "person", "name": "王五", "note": "一\u202e二"})
    assert resp.status_code == 422 and "不能有控制字符或不可见字符" in resp.get_data(as_text=True)


def test_the_rules():
    for text in ("张三", "退款 100 元", "Ünïcödé 😀", "ａ＿全角"):
        assert not bad_text(text, multiline=False)
    for char in "\x00\x07\t\n\r\x1b\x7f\x85\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202e\u2060\u2066\u2069\ufeff\u2028":
        assert bad_text(f"a{char}b", multiline=False), repr(char)
    assert not bad_text("a\nb\tc\r\nd", multiline=True)
    for char in ("\r", "\x07", "\u202e", "\u200b", "\x0b", "\u2029"):
        assert bad_text(f"a{char}b", multiline=True), repr(char)


def test_depth_is_counted_past_the_bracket_count_shortcut():
    """Many brackets side by side are shallow; the count alone only settles bodies with few brackets."""
    from supermarket.input_guard import json_depth_exceeds

    wide = json.dumps({"lines": [{"qty": 1} for _ in range(100)]}).encode()
    assert not json_depth_exceeds(wide, 32)                     # 101 openers, depth 3
    assert json_depth_exceeds(b"[" * 33 + b"]" * 33, 32)        # 33 openers, all nested
    assert not json_depth_exceeds(b"[" * 32 + b"]" * 32, 32)
    assert not json_depth_exceeds(b'["' + b"[" * 40 + b'"]', 32)  # inside a string
