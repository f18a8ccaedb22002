"""The intake API: status codes, error bodies, replays, uploads, PDFs; bad input never writes anything."""
import io
import json
import uuid
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select

from supermarket.intake.models import Donation, DonationPhoto
from supermarket.inventory.models import StockMovement
from supermarket.models import utcnow
from tests.supermarket.catalog.factories import food_category, make_category, make_item

from .factories import make_donor


@pytest.fixture
def goods(session, world):
    return {"towel": make_item(session, "纯棉毛巾", kind="donated_new", price_fen=600),
            "rice": make_item(session, "东北大米", category=food_category(session)),
            "cloth": make_category(session, "CLOTH", "服装"),
            "med": make_category(session, "MED", "药品", prohibited=True, prohibited_reason="药品须由有资质的机构接收")}


@pytest.fixture
def cashier(api_token, world):
    return api_token("cashier-yl01")


def body(goods, **overrides):
    today = utcnow().date()
    data = {"idempotency_key": str(uuid.uuid4()), "donor": {"anonymous": True},
            "lines": [{"item_id": str(goods["towel"].id), "qty": 2, "unit_value_fen": 1000, "valuation_basis": "market"},
                      {"item_id": str(goods["rice"].id), "qty": 1, "unit_value_fen": 3000, "valuation_basis": "invoice",
                       "expiry_date": (today + timedelta(days=200)).isoformat()},
                      {"item": {"name": "儿童羽绒服", "category_id": str(goods["cloth"].id), "kind": "donated_used",
                                "condition_grade": "A"}, "qty": 1, "unit_value_fen": 8000,
                       "valuation_basis": "declared"}],
            "checker": {"username": "manager-yl01", "password": "2468"}}
    data.update(overrides)
    return data


def written(session):
    return (session.scalar(select(func.count()).select_from(Donation)),
            session.scalar(select(func.count()).select_from(StockMovement)))


def test_post_returns_201_with_id_and_serial_and_a_replay_returns_the_same(client, session, cashier, goods):
    data = body(goods)
    r = client.post("/api/v1/donations", json=data, headers=cashier)
    assert r.status_code == 201, r.get_json()
    out = r.get_json()
    assert out["serial"].startswith("YL01-") and out["serial"].endswith("-000001")
    assert out["donor"] == "匿名" and out["total_value_fen"] == 13000 and len(out["lines"]) == 3
    assert out["receipt_url"] == f"/intake/donations/{out['id']}/receipt.pdf" and not out["replayed"]
    again = client.post("/api/v1/donations", json=data, headers=cashier)
    assert again.status_code == 200 and again.get_json()["id"] == out["id"] and again.get_json()["replayed"]
    assert again.headers["Idempotent-Replay"] == "true"
    assert written(session) == (1, 3)


def test_list_is_the_stores_donations_newest_first_and_pdfs_download(client, session, cashier, goods, api_token):
    ids = [client.post("/api/v1/donations", json=body(goods), headers=cashier).get_json()["id"] for _ in range(2)]
    client.post("/api/v1/donations", json=body(goods, checker={"username": "manager-yl02", "password": "2468"}),
                headers=api_token("cashier-yl02"))
    listed = client.get("/api/v1/donations", headers=cashier).get_json()["donations"]
    assert [d["id"] for d in listed] == ids[::-1]
    receipt = client.get(f"/api/v1/donations/{ids[0]}/receipt.pdf", headers=cashier)
    assert receipt.status_code == 200 and receipt.mimetype == "application/pdf" and receipt.data.startswith(b"%PDF")
    labels = client.get(f"/api/v1/donations/{ids[0]}/labels.pdf?format=single&per=line", headers=cashier)
    assert labels.status_code == 200 and labels.data.startswith(b"%PDF")
    assert client.get(f"/api/v1/donations/{ids[0]}/labels.pdf?skip=24", headers=cashier).status_code == 422
    assert client.get(f"/api/v1/donations/{ids[0]}/labels.pdf?format=roll", headers=cashier).status_code == 422
    other = client.get("/api/v1/donations", headers=api_token("cashier-yl02")).get_json()["donations"][0]["id"]
    for url in (f"/api/v1/donations/{other}", f"/api/v1/donations/{other}/receipt.pdf",
                f"/api/v1/donations/{other}/labels.pdf"):
        assert client.get(url, headers=cashier).status_code == 404


def _error(r, status, code):
    assert r.status_code == status, r.get_json()
    err = r.get_json()["error"]
    assert err["code"] == code and err["message"]
    return err


def test_bad_input_gets_a_clear_error_and_writes_nothing(client, session, cashier, goods, world):
    today = utcnow().date()
    theirs = make_donor(session, world, "YL02", name="王五", phone="13700000000")
    their_item = make_item(session, "外店物品", store=world.stores["YL02"], kind="donated_new")
    rice = lambda **kw: [{"item_id": str(goods["rice"].id), "qty": 1, "unit_value_fen": 100,  # noqa: E731
                          "valuation_basis": "market", **kw}]
    towel = lambda **kw: [{"item_id": str(goods["towel"].id), "qty": 1, "unit_value_fen": 100,  # noqa: E731
                           "valuation_basis": "market", **kw}]
    cases = [
        (body(goods, donor=None), 422, "invalid_input"),
        (body(goods, donor={}), 422, "invalid_input"),
        (body(goods, lines=towel(qty=0)), 422, "invalid_input"),
        (body(goods, lines=towel(qty=-2)), 422, "invalid_input"),
        (body(goods, lines=towel(qty=1.5)), 422, "invalid_input"),
        (body(goods, lines=towel(qty="2")), 422, "invalid_input"),
        (body(goods, lines=towel(unit_value_fen=-100)), 422, "invalid_input"),
        (body(goods, lines=towel(unit_value_fen=0)), 422, "invalid_input"),
        (body(goods, lines=towel(qty=10**9)), 422, "invalid_input"),
        (body(goods, lines=rice()), 422, "invalid_input"),
        (body(goods, lines=rice(expiry_date=(today - timedelta(days=1)).isoformat())), 409, "intake.expired_food"),
        (body(goods, lines=[{"item": {"name": "感冒药", "category_id": str(goods["med"].id)}, "qty": 1,
                             "unit_value_fen": 100, "valuation_basis": "market"}]), 409, "intake.prohibited_category"),
        (body(goods, checker={"username": "cashier-yl01", "password": "changsha2023"}), 409, "intake.same_checker"),
        (body(goods, checker={"username": "manager-yl01", "password": "0000"}), 403, "intake.checker_failed"),
        (body(goods, checker={}), 422, "invalid_input"),
        (body(goods, donor={"id": str(theirs.id)}), 404, "intake.unknown_donor"),
        (body(goods, lines=[{"item_id": str(their_item.id), "qty": 1, "unit_value_fen": 100,
                             "valuation_basis": "market"}]), 404, "intake.unknown_item"),
        (body(goods, lines=[{"item_id": str(uuid.uuid4()), "qty": 1, "unit_value_fen": 100,
                             "valuation_basis": "market"}]), 404, "intake.unknown_item"),
        (body(goods, idempotency_key="not-a-uuid"), 422, "invalid_input"),
        (body(goods, lines=[], money=[]), 422, "invalid_input"),
        (body(goods, money=[{"method": "gold", "amount_fen": 100}]), 422, "invalid_input"),
        (["not", "an", "object"], 422, "invalid_input"),
    ]
    for data, status, code in cases:
        r = client.post("/api/v1/donations", json=data, headers=cashier)
        err = _error(r, status, code)
        if code == "intake.prohibited_category":
            assert "药品须由有资质的机构接收" in err["message"]
    assert written(session) == (0, 0)


def _png(size=(40, 40)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


def _multipart(client, headers, payload, photo: bytes, name="photo.png"):
    return client.post("/api/v1/donations", headers=headers, content_type="multipart/form-data",
                       data={"payload": json.dumps(payload), "photo": (io.BytesIO(photo), name)})


def test_a_photo_is_kept_with_the_donation_and_bad_photos_are_refused(app, client, session, cashier, goods):
    r = _multipart(client, cashier, body(goods), _png())
    assert r.status_code == 201, r.get_json()
    row = session.scalar(select(DonationPhoto))
    assert row.content_type == "image/png" and r.get_json()["has_photo"]
    app.config["INTAKE_PHOTO_MAX_BYTES"] = 1000
    _error(_multipart(client, cashier, body(goods), _png((600, 600)) + b"\0" * 2000), 413, "intake.photo_too_large")
    _error(_multipart(client, cashier, body(goods), b"%PDF-1.4 not a photo", "x.png"), 422, "intake.bad_photo")
    app.config["MAX_CONTENT_LENGTH"] = 5000
    big = _multipart(client, cashier, body(goods), b"\xff" * 10000)
    assert big.status_code == 413 and big.get_json()["error"]["code"] == "payload_too_large"
    assert written(session) == (1, 3)


def test_who_may_call(client, session, goods, api_token):
    assert client.post("/api/v1/donations", json=body(goods)).status_code == 401
    _error(client.post("/api/v1/donations", json=body(goods), headers=api_token("auditor-yl")), 403, "forbidden")
    assert client.get("/api/v1/donations", headers=api_token("auditor-yl")).status_code == 200


def test_donor_search_masks_for_oversight_and_item_lookup(client, session, world, cashier, goods, api_token):
    make_donor(session, world, name="张三明", phone="13812345678")
    mine = client.get("/api/v1/donors?q=张", headers=cashier).get_json()["donors"]
    assert [(d["name"], d["phone"]) for d in mine] == [("张三明", "13812345678")]
    theirs = client.get("/api/v1/donors", headers=api_token("auditor-yl")).get_json()["donors"]
    assert [(d["name"], d["phone"]) for d in theirs] == [("张*明", "138****5678")]
    found = client.get(f"/api/v1/intake/items/{goods['rice'].barcode}", headers=cashier).get_json()
    assert found["name"] == "东北大米" and found["category"]["is_food"]
    _error(client.get("/api/v1/intake/items/6900000000000", headers=cashier), 404, "catalog.unknown_barcode")
