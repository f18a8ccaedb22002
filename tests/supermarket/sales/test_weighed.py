"""Weighed goods: a line of an item sold by weight carries its grams; the server prices it (per kg, rounded half
up to the fen), takes the grams from stock, gives them back on a return or a void, and prints the weight."""
import uuid

import pytest
from marshmallow import ValidationError
from sqlalchemy import func, select

import printing.escpos
import printing.receipt
from supermarket.audit.models import AuditEvent
from supermarket.catalog import service as catalog
from supermarket.errors import Conflict, InvalidInput
from supermarket.i18n import kg
from supermarket.inventory import ledger
from supermarket.inventory.errors import InsufficientStock
from supermarket.points.errors import NotRedeemable
from supermarket.sales import checkout, receipts, reversals, weighed
from supermarket.sales.discounts import Discount
from supermarket.sales.inputs import Cart, CartLine, Refund, ReturnLine
from supermarket.sales.models import Sale
from supermarket.sales.schemas import CheckoutSchema
from tests.supermarket.catalog.factories import SYSTEM

from .factories import NOW, cash, manager_ok, open_shift, stocked_item


@pytest.fixture
def shop(session, world):
    open_shift(session, world)
    return {"rice": stocked_item(session, world, qty=5000, price_fen=800, name="散装大米", sold_by_weight=True),
            "odd": stocked_item(session, world, qty=5000, price_fen=333, name="散装绿豆", sold_by_weight=True),
            "cup": stocked_item(session, world, qty=10, price_fen=500, name="搪瓷杯")}


def sell(session, world, *lines, pay, discount=None):
    cart = Cart(idempotency_key=uuid.uuid4(), lines=tuple(lines), payments=(cash(pay),), discount=discount)
    return checkout.checkout(session, world.actor(session, "cashier-yl01"), cart, now=NOW).sale


def grams(item, g, **kw):
    return CartLine(qty=1, item_id=item.id, weight_g=g, **kw)


def on_hand(session, world, item):
    return ledger.on_hand(session, world.stores["YL01"].id, item.id)


def written(session):
    return (session.scalar(select(func.count()).select_from(Sale)),
            session.scalar(select(func.count()).select_from(AuditEvent)))


def test_price_is_per_kg_rounded_half_up_to_the_fen():
    assert weighed.price_fen(800, 1250) == 1000
    assert weighed.price_fen(333, 1500) == 500   # 499.5 fen: the half fen goes up
    assert weighed.price_fen(333, 1498) == 499   # 498.834
    assert weighed.price_fen(1, 500) == 1 and weighed.price_fen(1, 499) == 0
    assert kg(1250) == "1.250 kg" and kg(-5) == "-0.005 kg"


def test_a_weighed_line_is_priced_by_the_server_and_its_grams_leave_the_stock(session, world, shop):
    sale = sell(session, world, grams(shop["rice"], 1250), grams(shop["odd"], 1500),
                CartLine(2, item_id=shop["cup"].id), pay=2500)
    rice, odd, cup = sale.lines
    assert (rice.qty, rice.weight_g, rice.unit_price_fen, rice.line_total_fen) == (1, 1250, 800, 1000)
    assert (odd.weight_g, odd.line_total_fen) == (1500, 500)  # 499.5 fen rounds up
    assert (cup.qty, cup.weight_g, cup.line_total_fen) == (2, None, 1000)
    assert sale.total_fen == 2500
    assert on_hand(session, world, shop["rice"]) == 5000 - 1250
    assert on_hand(session, world, shop["odd"]) == 5000 - 1500
    assert on_hand(session, world, shop["cup"]) == 8


def test_more_grams_than_in_stock_is_refused_and_nothing_is_written(session, world, shop):
    before = written(session)
    with pytest.raises(InsufficientStock):
        sell(session, world, grams(shop["rice"], 5001), pay=4001)
    assert written(session) == before and on_hand(session, world, shop["rice"]) == 5000


def test_returning_a_weighed_line_gives_back_its_grams_and_its_money(session, world, shop):
    sale = sell(session, world, grams(shop["rice"], 1250), CartLine(1, item_id=shop["cup"].id), pay=1500)
    rice = sale.lines[0]
    ret = reversals.return_items(session, world.actor(session, "cashier-yl01"), sale.id, [ReturnLine(rice.id, 1)],
                                 refund=Refund("cash"), approval=manager_ok(), reason="米有虫", now=NOW)
    assert ret.total_fen == -1000 and ret.lines[0].weight_g == -1250 and ret.lines[0].qty == -1
    assert on_hand(session, world, shop["rice"]) == 5000
    assert on_hand(session, world, shop["cup"]) == 9


def test_a_void_gives_back_the_grams(session, world, shop):
    sale = sell(session, world, grams(shop["rice"], 2000), pay=1600)
    void = reversals.void_sale(session, world.actor(session, "cashier-yl01"), sale.id, approval=manager_ok(),
                               reason="称错了", now=NOW)
    assert void.lines[0].weight_g == -2000 and void.total_fen == -1600
    assert on_hand(session, world, shop["rice"]) == 5000


def test_a_weighed_line_is_discounted_on_its_total(session, world, shop):
    sale = sell(session, world, grams(shop["rice"], 1250, discount=Discount(percent=10)), pay=900)
    line = sale.lines[0]
    assert (line.discount_fen, line.line_total_fen) == (100, 900)


@pytest.mark.parametrize("make, field", [
    (lambda s: CartLine(1, item_id=s["rice"].id), "weight_g"),                   # a weighed item without grams
    (lambda s: CartLine(1, item_id=s["cup"].id, weight_g=500), "weight_g"),     # grams for a counted item
    (lambda s: CartLine(1, item_id=s["rice"].id, weight_g=50_001), "weight_g"),  # over 50 kg
    (lambda s: CartLine(1, item_id=s["rice"].id, weight_g=0), "weight_g"),
    (lambda s: CartLine(1, item_id=s["rice"].id, weight_g=-5), "weight_g"),
])
def test_bad_weights_are_refused_at_the_field_and_nothing_is_written(session, world, shop, make, field):
    before = written(session)
    with pytest.raises(InvalidInput) as e:
        sell(session, world, make(shop), pay=1000)
    assert field in e.value.extra["fields"] and "重量" in e.value.extra["fields"][field][0]
    assert written(session) == before and on_hand(session, world, shop["rice"]) == 5000


def test_a_weighed_item_cannot_be_paid_with_points(session, world, shop):
    with pytest.raises(NotRedeemable):
        sell(session, world, grams(shop["rice"], 1000, pay_with_points=True), pay=0)
    with pytest.raises(InvalidInput) as e:
        catalog.update_item(session, SYSTEM, shop["rice"].id, points_price=50)
    assert "points_price" in e.value.extra["fields"]


@pytest.mark.parametrize("line, where", [
    ({"weight_g": 0}, "weight_g"), ({"weight_g": -1}, "weight_g"), ({"weight_g": "abc"}, "weight_g"),
    ({"weight_g": 1.25}, "weight_g"), ({"weight_g": 50_001}, "weight_g"), ({"weight_g": 1000, "qty": 1}, "weight_g"),
])
def test_the_schema_refuses_bad_grams_at_the_field(line, where):
    data = {"idempotency_key": str(uuid.uuid4()), "lines": [{"item_id": str(uuid.uuid4()), **line}]}
    with pytest.raises(ValidationError) as e:
        CheckoutSchema().load(data)
    assert where in e.value.messages["lines"][0]


def test_the_schema_takes_grams_instead_of_a_quantity():
    data = {"idempotency_key": str(uuid.uuid4()), "lines": [{"item_id": str(uuid.uuid4()), "weight_g": 1250}]}
    line = CheckoutSchema().load(data).lines[0]
    assert (line.qty, line.weight_g) == (1, 1250)


def test_the_receipt_prints_the_weight_and_the_price_per_kg(session, world, shop):
    sale = sell(session, world, grams(shop["rice"], 1250), pay=1000)
    data = receipts.receipt_data(sale)
    for width in (32, 48):
        text = "\n".join(i.text for i in printing.receipt.compose_receipt(data, width) if hasattr(i, "text"))
        assert "1.250 kg × ¥8.00/kg" in text and "¥10.00" in text
    escpos = printing.escpos.receipt_escpos(data, width_mm=80).decode("gb18030", errors="replace")
    assert "1.250 kg × ¥8.00/kg" in escpos


def test_switching_to_weight_is_refused_once_the_item_has_stock(session, world, shop):
    with pytest.raises(Conflict) as e:
        catalog.update_item(session, SYSTEM, shop["cup"].id, sold_by_weight=True)
    assert "sold_by_weight" in e.value.extra["fields"]


def test_the_api_answers_a_field_error_for_a_weighed_line_without_grams(session, world, shop, client, api_token):
    headers = api_token("cashier-yl01")
    resp = client.post("/api/v1/sales", headers=headers, json={
        "idempotency_key": str(uuid.uuid4()), "lines": [{"barcode": shop["rice"].barcode, "qty": 1}],
        "payments": [{"method": "cash", "amount_fen": 1000}]})
    assert resp.status_code == 422
    assert "weight_g" in resp.get_json()["error"]["fields"]
    resp = client.post("/api/v1/sales", headers=headers, json={
        "idempotency_key": str(uuid.uuid4()), "lines": [{"barcode": shop["rice"].barcode, "weight_g": 1250}],
        "payments": [{"method": "cash", "amount_fen": 1000}]})
    assert resp.status_code == 201
    assert resp.get_json()["lines"][0]["weight_g"] == 1250 and resp.get_json()["total_fen"] == 1000


def test_the_item_form_marks_an_item_sold_by_weight_and_the_pages_show_kg(session, world, client, login):
    from supermarket.catalog.models import Item
    from tests.supermarket.catalog.factories import make_category
    from tests.supermarket.inventory.factories import stock

    category = make_category(session)
    login("manager-yl01")
    values = {"name": "散装小米", "category_id": str(category.id), "kind": "purchased", "price_yuan": "9.60",
              "sold_by_weight": "on", "points_price": "10"}
    refused = client.post("/items/new", data=values)
    assert refused.status_code == 422 and "按重量销售的物品不能设积分价" in refused.get_data(as_text=True)
    assert session.query(Item).filter_by(name="散装小米").count() == 0
    del values["points_price"]
    assert client.post("/items/new", data=values).status_code == 302
    item = session.query(Item).filter_by(name="散装小米").one()
    assert item.sold_by_weight and item.default_price_fen == 960
    stock(session, world.stores["YL01"], item, 2500)
    detail = client.get(f"/items/{item.id}").get_data(as_text=True)
    assert "2.500 kg" in detail and "按重量销售" in detail


def test_the_sale_page_shows_the_weight(session, world, shop, login):
    sale = sell(session, world, grams(shop["rice"], 1250), pay=1000)
    page = login("cashier-yl01").get(f"/sales/{sale.id}").get_data(as_text=True)
    assert "1.250 kg" in page and "¥8.00/kg" in page


def test_a_parked_cart_keeps_its_grams(session, world, shop):
    from supermarket.sales import held

    actor = world.actor(session, "cashier-yl01")
    parked = held.park(session, actor, (grams(shop["rice"], 1250),), now=NOW)
    assert parked.total_fen == 1000
    _h, lines = held.recall(session, actor, parked.id, now=NOW)
    assert lines[0]["weight_g"] == 1250 and lines[0]["item"].sold_by_weight
    assert on_hand(session, world, shop["rice"]) == 5000  # parked carts never touch stock
