"""Stock pages through the browser's eyes: render, filters, a stocktake and a write-off with a photo."""
from __future__ import annotations

import io
import re
from datetime import timedelta

from supermarket.clock import local_today
from supermarket.inventory import ledger
from supermarket.inventory.models import PeriodClose, Stocktake, WriteOff
from supermarket.models import utcnow
from tests.supermarket.catalog.factories import food_category, make_item
from tests.supermarket.inventory.factories import stock



def _png(size=(8, 8)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, (0, 120, 0)).save(buf, "PNG")
    return buf.getvalue()


PNG = _png()


def test_stock_pages_render_for_staff_and_oversight(client, login, session, world):
    store = world.stores["YL01"]
    milk = make_item(session, "牛奶", category=food_category(session))
    stock(session, store, milk, 4, expiry_date=local_today(utcnow()) + timedelta(days=2))
    login("cashier-yl01")
    assert client.get("/inventory").location.endswith(f"/stores/{store.id}/stock")
    for path in ("stock", "stock?status=near_expiry", "near-expiry", "stocktakes", "write-offs", "transfers",
                 "periods", "inventory-settings", f"stock/{milk.id}"):
        resp = client.get(f"/stores/{store.id}/{path}")
        assert resp.status_code == 200, path
        assert "牛奶" in resp.get_data(as_text=True) or path in ("stocktakes", "write-offs", "transfers", "periods",
                                                                "inventory-settings")
    assert client.get(f"/stores/{world.stores['FR01'].id}/stock").status_code == 404
    assert client.get(f"/stores/{store.id}/stock?status=bogus").status_code == 422
    home = client.get(f"/stores/{store.id}").get_data(as_text=True)
    assert "临期批次" in home and "低库存物品" in home


def test_a_stocktake_through_the_pages(client, login, session, world):
    store, item = world.stores["YL01"], make_item(session, "毛巾", price_fen=1000)
    stock(session, store, item, 5)
    login("manager-yl01")
    resp = client.post(f"/stores/{store.id}/stocktakes", data={"scope": "all"})
    take = session.query(Stocktake).one()
    assert resp.location.endswith(f"/inventory/stocktakes/{take.id}")
    client.post("/logout")
    login("cashier-yl01")
    for _ in range(3):
        assert client.post(f"/inventory/stocktakes/{take.id}/count", data={"barcode": item.barcode}).status_code == 302
    resp = client.post(f"/inventory/stocktakes/{take.id}/count", data={"barcode": "nope"})
    assert resp.status_code == 404 and "未找到条码" in resp.get_data(as_text=True)
    client.post("/logout")
    login("manager-yl01")
    review = client.get(f"/inventory/stocktakes/{take.id}/review").get_data(as_text=True)
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', review).group(1)
    assert "-¥20.00" in review and "40.00%" in review
    wrong = client.post(f"/inventory/stocktakes/{take.id}/approve",
                        data={"approver_username": "manager-yl01", "approver_secret": "0000", "digest": digest})
    assert wrong.status_code == 403 and "密码/PIN 错误" in wrong.get_data(as_text=True)
    done = client.post(f"/inventory/stocktakes/{take.id}/approve",
                       data={"approver_username": "manager-yl01", "approver_secret": "2468", "digest": digest})
    assert done.status_code == 302
    assert ledger.on_hand(session, store.id, item.id) == 3
    session.expire_all()
    assert session.get(Stocktake, take.id).variance_ratio_bp == 4000


def test_a_write_off_with_a_photo_and_an_oversized_one(client, login, session, world, app):
    store, item = world.stores["YL01"], make_item(session, price_fen=100)
    stock(session, store, item, 5)
    login("cashier-yl01")
    form = {"barcode": item.barcode, "qty": "2", "reason_code": "damaged", "reason": "摔坏"}
    resp = client.post(f"/stores/{store.id}/write-offs/new", content_type="multipart/form-data",
                       data={**form, "photo": (io.BytesIO(PNG), "a.png")})
    assert resp.status_code == 302
    row = session.query(WriteOff).one()
    photo = client.get(f"/inventory/write-offs/{row.id}/photo")
    assert photo.status_code == 200 and photo.mimetype == "image/png" and photo.data == PNG
    app.config["INVENTORY_PHOTO_MAX_BYTES"] = 32
    resp = client.post(f"/stores/{store.id}/write-offs/new", content_type="multipart/form-data",
                       data={**form, "photo": (io.BytesIO(PNG), "b.png")})
    assert resp.status_code == 413 and "照片太大" in resp.get_data(as_text=True)
    resp = client.post(f"/stores/{store.id}/write-offs/new", content_type="multipart/form-data",
                       data={**form, "photo": (io.BytesIO(b"GIF89a"), "c.gif")})
    assert resp.status_code == 422 and "JPEG、PNG 或 WebP" in resp.get_data(as_text=True)
    # Over MAX_CONTENT_LENGTH: refused before parsing (a raw body, so the test client spools no temp file).
    body = (b'--X\r\nContent-Disposition: form-data; name="photo"; filename="d.jpg"\r\n\r\n'
            + b"\xff" * (6 * 1024 * 1024) + b"\r\n--X--\r\n")
    huge = client.post(f"/stores/{store.id}/write-offs/new", data=body,
                       content_type="multipart/form-data; boundary=X")
    assert huge.status_code == 413 and "太大" in huge.get_data(as_text=True)
    assert session.query(WriteOff).count() == 1
    assert client.get(f"/inventory/write-offs/{row.id}").status_code == 200


def test_closing_a_month_through_the_page(client, login, session, world):
    store = world.stores["YL01"]
    login("manager-yl01")
    assert client.post(f"/stores/{store.id}/periods", data={"month": "2020-01"}).status_code == 302
    resp = client.post(f"/stores/{store.id}/periods", data={"month": "2019-12"})
    assert resp.status_code == 409 and "已经结账" in resp.get_data(as_text=True)
    assert client.post(f"/stores/{store.id}/periods", data={"month": "garbage"}).status_code == 422
    assert session.query(PeriodClose).count() == 1
