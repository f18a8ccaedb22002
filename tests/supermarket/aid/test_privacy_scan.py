"""No page, PDF or API response available to a cashier (the public list included) contains an unmasked ID
number: with the demo city loaded, every such output is fetched and scanned for the demo households' numbers."""
from __future__ import annotations

import pytest
from flask import url_for

from supermarket.aid.demo import demo_id_numbers
from supermarket.aid.models import Campaign, Distribution, Entitlement, Household
from supermarket.demo import DEMO_PASSWORD
from tests.demo_cache import demo_world
from supermarket.stores.models import Store
from tests.printing import pdfcheck


def _text(resp) -> str:
    if resp.mimetype == "application/pdf":
        return pdfcheck.text(resp.data)
    if resp.mimetype and resp.mimetype.startswith("image/"):
        return ""
    return resp.get_data().decode("utf-8", "replace")


@pytest.fixture
def demo(app, session):
    ctx = demo_world()
    return ctx


def _cashier_urls(app, session, ctx) -> list[str]:
    """Every GET route a cashier of YL01 may call, filled with the demo's YL01 objects, plus the counter
    look-ups of every demo household and the public list of every store and month."""
    yl01 = ctx.stores["YL01"]
    dists = session.query(Distribution).filter_by(store_id=yl01.id).all()
    samples = {
        "store_id": [yl01.id], "district_id": [yl01.district_id], "user_id": [ctx.users["cashier-yl01"].id],
        "household_id": [h.id for h in session.query(Household).filter_by(store_id=yl01.id)],
        "distribution_id": [d.id for d in dists], "file_id": [d.signature_id for d in dists if d.signature_id],
        "campaign_id": [c.id for c in session.query(Campaign)],
        "entitlement_id": [e.id for e in session.query(Entitlement)],
        "code": [h.code for h in session.query(Household)],
    }
    months = sorted({d.handed_out_on.strftime("%Y-%m") for d in session.query(Distribution)})
    urls = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint in ("static", "auth.logout", "i18n.switch"):
                continue
            if any(arg not in samples for arg in rule.arguments):
                continue  # another domain's object: it holds no household data
            if not rule.arguments:
                urls.append(url_for(rule.endpoint))
                continue
            (arg, *more) = rule.arguments
            assert not more, rule
            urls += [url_for(rule.endpoint, **{arg: value}) for value in samples[arg]]
        urls += [url_for("aid.public_list", store=s.code, month=m) for s in session.query(Store) for m in months]
        urls += [url_for("aid.public_list_pdf", month=m) for m in months]
        urls += [url_for("aid.public_list_pdf", store="YL01", month=m) for m in months]
        urls += [url_for("aid.households", q=n) for n in demo_id_numbers()]  # a full number typed as a search
        urls += [url_for("api.aid.household_entitlement", code=n) for n in demo_id_numbers()]
        urls += [url_for("api.aid.find_households", last4=h.id_last4, name=h.head_name)
                 for h in session.query(Household)]
    return urls


def test_no_output_a_cashier_or_the_public_sees_holds_a_full_id_number(app, session, client, demo):
    numbers = demo_id_numbers()
    needles = set(numbers) | {n.lower() for n in numbers} | {n[:17] for n in numbers}
    urls = _cashier_urls(app, session, demo)
    assert len(urls) > 60
    resp = client.post("/login", data={"username": "cashier-yl01", "password": DEMO_PASSWORD})
    assert resp.status_code == 302
    scanned = 0
    for url in urls:
        resp = client.get(url, headers={"Accept": "text/html"})
        assert resp.status_code < 500, url
        text = _text(resp)
        assert not [n for n in needles if n in text], url
        scanned += resp.status_code == 200
    # The counter's hand-out and preview with an ID number scanned into the wrong fields.
    for payload in ({"household_code": numbers[0], "lines": [{"barcode": numbers[1], "qty": 1}]},
                    {"household_code": "DEMO-HH-1", "lines": [{"barcode": numbers[1], "qty": 1}]}):
        for path in ("/api/v1/distributions/quote", "/api/v1/distributions"):
            resp = client.post(path, json=dict(payload, idempotency_key="scan-000001",
                                               witness={"username": "manager-yl01", "password": "2468"},
                                               proxy={"name": "某某", "relation": "邻居"}))
            assert resp.status_code in (404, 422), resp.get_json()
            assert not [n for n in needles if n in resp.get_data(as_text=True)]
    client.post("/logout")
    for url in [u for u in urls if u.startswith("/public/")]:
        assert not [n for n in needles if n in _text(client.get(url))], url
    assert scanned > 50
