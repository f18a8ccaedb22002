"""Catalog pages: list and search, create with barcode checks, edit, store price, categories."""
from __future__ import annotations

from supermarket.catalog.models import Category, Item
from tests.supermarket.catalog.factories import make_category, make_item


def test_items_page_searches_by_pinyin_and_shows_store_price_and_stock(client, login, session, world):
    make_item(session, "康师傅矿泉水 550ml", price_fen=150)
    make_item(session, "可口可乐", price_fen=300)
    login("cashier-yl01")
    page = client.get("/items?q=kqs").get_data(as_text=True)
    assert "康师傅矿泉水 550ml" in page and "可口可乐" not in page and "¥1.50" in page and "本店库存" in page


def test_create_item_with_a_wrong_check_digit_shows_a_chinese_error_and_writes_nothing(client, login, session,
                                                                                     world):
    category = make_category(session)
    login("cashier-yl01")
    values = {"name": "洗衣粉", "category_id": str(category.id), "kind": "donated_new", "price_yuan": "12.50",
              "barcode": "6901234567893"}
    resp = client.post("/items/new", data=values)
    assert resp.status_code == 422 and "校验位不正确" in resp.get_data(as_text=True)
    assert session.query(Item).count() == 0
    values["barcode"] = "6901234567892"
    resp = client.post("/items/new", data=values)
    assert resp.status_code == 302
    item = session.query(Item).one()
    assert (item.default_price_fen, item.barcode) == (1250, "6901234567892")
    detail = client.get(resp.location).get_data(as_text=True)
    assert "6901234567892" in detail and "EAN-13" in detail


def test_goods_without_barcode_get_an_internal_code(client, login, session, world):
    category = make_category(session)
    login("cashier-yl01")
    resp = client.post("/items/new", data={"name": "二手羽绒服", "category_id": str(category.id),
                                           "kind": "donated_used", "condition_grade": "B", "price_yuan": "60"})
    assert resp.status_code == 302
    assert session.query(Item).one().barcode == "YL01-000001"


def test_bad_prices_are_refused(client, login, session, world):
    category = make_category(session)
    login("cashier-yl01")
    for price in ("abc", "-1", "1.234", "99999999", "NaN", "Infinity"):
        resp = client.post("/items/new", data={"name": "x", "category_id": str(category.id), "kind": "purchased",
                                               "price_yuan": price})
        assert resp.status_code == 422, price
    assert session.query(Item).count() == 0


def test_edit_and_store_price(client, login, session, world):
    item = make_item(session, price_fen=500)
    login("manager-yl01")
    resp = client.post(f"/items/{item.id}/edit", data={"name": "大毛巾", "category_id": str(item.category_id),
                                                       "unit": "条", "price_yuan": "6", "active": "on"})
    assert resp.status_code == 302
    resp = client.post(f"/items/{item.id}/store-price", data={"price_yuan": "4.5"})
    assert resp.status_code == 302
    page = client.get(f"/items/{item.id}").get_data(as_text=True)
    assert "大毛巾" in page and "¥6.00" in page and "¥4.50" in page


def test_cashier_cannot_edit_items_or_categories(client, login, session, world):
    item = make_item(session)
    login("cashier-yl01")
    assert client.post(f"/items/{item.id}/edit", data={"name": "x"}).status_code == 403
    assert client.get("/categories/new").status_code == 403


def test_federation_manages_categories(client, login, session, world):
    login("admin")
    resp = client.post("/categories/new", data={"code": "MED", "name": "药品", "prohibited": "on",
                                                 "near_expiry_days": "7"})
    assert resp.status_code == 422 and "须写明原因" in resp.get_data(as_text=True)
    resp = client.post("/categories/new", data={"code": "MED", "name": "药品", "prohibited": "on",
                                                 "prohibited_reason": "不得销售药品", "near_expiry_days": "7"})
    assert resp.status_code == 302
    category = session.query(Category).one()
    resp = client.post(f"/categories/{category.id}/edit", data={"name": "药品", "is_food": "on",
                                                                 "near_expiry_days": "400"})
    assert resp.status_code == 422
    resp = client.post(f"/categories/{category.id}/edit", data={"name": "药品类", "near_expiry_days": "10",
                                                                 "prohibited": "on", "prohibited_reason": "禁止"})
    assert resp.status_code == 302
    assert "药品类" in client.get("/categories").get_data(as_text=True)


def test_item_page_draws_the_barcode_and_prints_a_label(client, login, session, world):
    ean = make_item(session, "毛巾", barcode="6901234567892")
    internal = make_item(session, "二手毛衣", store=world.stores["YL01"], kind="donated_used", condition_grade="A")
    login("cashier-yl01")
    for item in (ean, internal):
        page = client.get(f"/items/{item.id}").get_data(as_text=True)
        assert '<svg' in page and f'aria-label="{item.barcode}"' in page
    pdf = client.get(f"/items/{ean.id}/label.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-")
