"""Change for charity through the till's API: the sale answers with its gift; bad gifts get per-field Chinese
messages and write nothing."""
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from supermarket.sales.donation_models import TillDonation
from supermarket.sales.models import Sale
from tests.supermarket.projects.factories import open_project

from .factories import NOW, stocked_item

SALES = "/api/v1/sales"


@pytest.fixture
def till(app, session, world, client, api_token):
    item = stocked_item(session, world, qty=5, price_fen=940, name="面包")
    project = open_project(session, world, now=NOW - timedelta(days=1))
    headers = api_token("cashier-yl01")
    assert client.post("/api/v1/shifts", json={"float_fen": 20000}, headers=headers).status_code == 201
    return {"item": item, "project": project, "h": headers, "client": client}


def post(till, donation, given=1000):
    return till["client"].post(SALES, json={
        "idempotency_key": str(uuid.uuid4()), "lines": [{"barcode": till["item"].barcode, "qty": 1}],
        "payments": [{"method": "cash", "amount_fen": given}], "donation": donation}, headers=till["h"])


def test_the_sale_answers_with_its_gift_and_the_smaller_change(till):
    resp = post(till, {"project_id": str(till["project"].id), "amount_fen": 60, "kind": "change"})
    assert resp.status_code == 201, resp.get_json()
    data = resp.get_json()
    assert (data["total_fen"], data["change_fen"]) == (940, 0)
    assert data["donation"] == {"project_id": str(till["project"].id), "project_title": "山区小学过冬衣物",
                                "amount_fen": 60, "kind": "change"}


@pytest.mark.parametrize("donation, field", [
    ({"amount_fen": -60, "kind": "change"}, "donation.amount_fen"),
    ({"amount_fen": "0.6", "kind": "change"}, "donation.amount_fen"),
    ({"amount_fen": 60, "kind": "tip"}, "donation.kind"),
    ({"amount_fen": 50, "kind": "change"}, "donation.amount_fen"),
    ({"amount_fen": 60, "kind": "change", "project_id": "not-a-uuid"}, "donation.project_id"),
    ({"amount_fen": 60, "kind": "change", "project_id": str(uuid.uuid4())}, "donation.project_id"),
])
def test_a_bad_gift_is_refused_per_field_in_chinese_and_nothing_is_written(session, till, donation, field):
    donation = {"project_id": str(till["project"].id), **donation}
    before = [session.scalar(select(func.count()).select_from(m)) for m in (Sale, TillDonation)]
    resp = post(till, donation)
    assert resp.status_code == 422
    err = resp.get_json()["error"]
    assert err["code"] == "invalid_input" and field in err["fields"], err
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err["fields"][field][0])
    assert [session.scalar(select(func.count()).select_from(m)) for m in (Sale, TillDonation)] == before
