"""Intake of weighed goods: the line takes grams (typed as kg with up to three decimals), the stock receives the
grams, the value is per kg (sales.weighed.price_fen), and the receipt, the donation page and the monthly report
show the weight."""
import uuid

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from supermarket.errors import InvalidInput
from supermarket.intake import documents
from supermarket.intake.models import Donation, DonationLine
from supermarket.intake.report import monthly_report
from supermarket.inventory import ledger
from supermarket.inventory.models import StockMovement
from tests.printing import pdfcheck
from tests.supermarket.catalog.factories import make_item

from .factories import NOW, line, take_in


@pytest.fixture
def goods(session, world):
    return {"rice": make_item(session, "散装大米", price_fen=800, sold_by_weight=True),
            "towel": make_item(session, "纯棉毛巾", kind="donated_new", price_fen=600)}


def on_hand(session, world, item):
    return ledger.on_hand(session, world.stores["YL01"].id, item.id)


def written(session):
    return (session.scalar(select(func.count()).select_from(Donation)),
            session.scalar(select(func.count()).select_from(StockMovement)))


def test_five_kg_at_eight_yuan_a_kg_is_five_thousand_grams_worth_forty_yuan(session, world, goods):
    result = take_in(session, world, [line(goods["rice"], qty=None, weight_g=5000, value=800),
                                      line(goods["towel"], qty=3, value=1000)])
    d = result.donation
    assert on_hand(session, world, goods["rice"]) == 5000
    assert on_hand(session, world, goods["towel"]) == 3
    rice, towel = d.lines
    assert (rice.qty, rice.weight_g, rice.unit_value_fen, rice.line_value_fen) == (1, 5000, 800, 4000)
    assert (towel.qty, towel.weight_g, towel.line_value_fen) == (3, None, 3000)
    assert d.goods_value_fen == 7000 and d.total_value_fen == 7000 and d.unit_count == 4
    assert rice.movement.qty == 5000


def test_the_value_is_rounded_half_up_to_the_fen(session, world, goods):
    # 1.250 kg × ¥3.33/kg = 416.25 fen → 416; 0.005 kg × ¥1.00/kg = 0.5 fen → 1
    d = take_in(session, world, [line(goods["rice"], qty=None, weight_g=1250, value=333),
                                 line(goods["rice"], qty=None, weight_g=5, value=100)]).donation
    assert [x.line_value_fen for x in d.lines] == [416, 1] and d.goods_value_fen == 417


@pytest.mark.parametrize("qty, weight_g, field", [
    (2, None, "qty"),          # a count given for a weighed item
    (2, 5000, "qty"),          # both
    (None, None, "weight_g"),  # nothing
    (None, 0, "weight_g"),
    (None, -5, "weight_g"),
    (None, 1_000_001, "weight_g"),  # over 1,000 kg
])
def test_bad_amounts_of_a_weighed_item_are_refused_at_the_field(session, world, goods, qty, weight_g, field):
    before = written(session)
    with pytest.raises(InvalidInput) as e:
        take_in(session, world, [line(goods["towel"], qty=1), line(goods["rice"], qty=qty, weight_g=weight_g)])
    assert list(e.value.extra["fields"]["lines"][1]) == [field]
    assert written(session) == before


def test_grams_for_a_counted_item_are_refused(session, world, goods):
    with pytest.raises(InvalidInput) as e:
        take_in(session, world, [line(goods["towel"], qty=None, weight_g=1000)])
    assert "不按重量" in e.value.extra["fields"]["lines"][0]["weight_g"][0]


def test_the_table_refuses_a_weighed_line_whose_value_is_not_the_per_kg_rule(session, world, goods):
    d = take_in(session, world, [line(goods["rice"], qty=None, weight_g=1250, value=800)]).donation
    line_id = d.lines[0].id
    with pytest.raises(IntegrityError):
        with session.begin_nested():
            session.execute(update(DonationLine).where(DonationLine.id == line_id).values(line_value_fen=1001))
    with pytest.raises(IntegrityError):
        with session.begin_nested():
            session.execute(update(DonationLine).where(DonationLine.id == line_id).values(qty=2))
    with pytest.raises(IntegrityError):
        with session.begin_nested():
            # a counted line's rule stays exact: dropping the grams makes 1 × 800 ≠ 1000
            session.execute(update(DonationLine).where(DonationLine.id == line_id).values(weight_g=None))


def test_the_receipt_page_and_report_show_the_weight(session, world, goods, login):
    d = take_in(session, world, [line(goods["rice"], qty=None, weight_g=1250, value=800),
                                 line(goods["towel"], qty=3, value=1000)]).donation
    pdf, _ = documents.receipt_pdf(session, world.actor(session, "cashier-yl01"), d.id, now=NOW)
    text = pdfcheck.text(pdf).replace("\r\n", "")
    for expected in ("散装大米", "1.250 kg", "¥8.00/kg", "¥10.00", "3件", "¥40.00"):
        assert expected in text, expected
    r = monthly_report(session, world.actor(session, "manager-yl01"), world.stores["YL01"].id, NOW.date())
    assert r.goods_value_fen == 4000 and r.units == 4
    assert sum(c.weight_g for c in r.by_category) == 1250
    manager = login("manager-yl01")
    page = manager.get(f"/intake/donations/{d.id}").get_data(as_text=True)
    assert "1.250 kg" in page and "¥8.00/kg" in page
    report = manager.get(f"/intake/report?month={NOW:%Y-%m}").get_data(as_text=True)
    assert "其中称重 1.250 kg" in report and "¥40.00" in report


def test_labels_count_a_weighed_line_once(session, world, goods):
    d = take_in(session, world, [line(goods["rice"], qty=None, weight_g=5000, value=800)]).donation
    assert len(documents.labels_data(session, d)) == 1


def test_the_api_takes_grams_for_a_weighed_item_and_refuses_bad_ones_at_the_field(client, session, world, goods,
                                                                                   api_token):
    headers = api_token("cashier-yl01")

    def post(**amount):
        return client.post("/api/v1/donations", headers=headers, json={
            "idempotency_key": str(uuid.uuid4()), "donor": {"anonymous": True},
            "lines": [{"item_id": str(goods["rice"].id), "unit_value_fen": 800, "valuation_basis": "market",
                       **amount}],
            "checker": {"username": "manager-yl01", "password": "2468"}})

    for bad, field in (({"weight_g": 0}, "weight_g"), ({"weight_g": -1}, "weight_g"),
                       ({"weight_g": "5kg"}, "weight_g"), ({"weight_g": 1.5}, "weight_g"),
                       ({"weight_g": 1_000_001}, "weight_g"), ({"qty": 5}, "qty")):
        r = post(**bad)
        assert r.status_code == 422, (bad, r.get_json())
        fields = r.get_json()["error"]["fields"]
        assert field in str(fields), (bad, fields)
    assert written(session) == (0, 0)
    r = post(weight_g=5000)
    assert r.status_code == 201, r.get_json()
    out = r.get_json()
    assert out["total_value_fen"] == 4000 and out["lines"][0]["weight_g"] == 5000 and out["lines"][0]["qty"] == 1
    assert on_hand(session, world, goods["rice"]) == 5000
    looked = client.get(f"/api/v1/intake/items/{goods['rice'].barcode}", headers=headers).get_json()
    assert looked["sold_by_weight"] is True


def test_the_public_trace_shows_the_weight_received_and_what_is_on_the_shelf(session, world, goods, client):
    from supermarket.disclosure import trace as tr

    d = take_in(session, world, [line(goods["rice"], qty=None, weight_g=1250, value=800)],
                anonymous=True).donation
    tok = tr.ensure_token(session, world.actor(session, "cashier-yl01"), d, now=NOW)
    page = client.get(f"/public/trace/{tok.token}").get_data(as_text=True).replace(tok.token, "T")
    assert page.count("1.250 kg") == 2  # received, and on the shelf (the lot's grams), never "1250kg"
    assert "1250" not in page
