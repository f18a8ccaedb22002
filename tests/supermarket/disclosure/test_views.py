"""Public pages (no login) and the staff pages of the close, correction and review."""

import re

import pytest

from supermarket.disclosure import service
from supermarket.disclosure.models import Disclosure
from .factories import AFTER, LATE, MONTH, close_stock, october


@pytest.fixture
def published(session, world):
    october(session, world)
    close_stock(session, world)
    row = service.close_month(session, world.actor(session, "manager-yl01"), world.stores["YL01"].id, MONTH,
                              now=AFTER)
    return row


def test_every_public_page_answers_without_login(client, published):
    for url, marker in (("/public/", "全市合计"), ("/public/districts/YL", "区县合计"), ("/public/stores/YL01", "七项功能"),
                        ("/public/stores/YL01/2026-10", "收支公示"), ("/public/stores/YL01/2026-10/verify", "核验通过")):
        resp = client.get(url)
        assert resp.status_code == 200, url
        assert marker in resp.get_data(as_text=True), url
    pdf = client.get("/public/stores/YL01/2026-10/pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-")


def test_the_month_page_shows_the_figures_and_the_head_hash(client, published):
    html = client.get("/public/stores/YL01/2026-10").get_data(as_text=True)
    assert published.chain_head_hash in html
    assert "¥80.00" in html and "¥18.00" in html and "¥30.00" in html  # money in, sales, aid
    assert "核验通过" in client.get("/public/stores/YL01/2026-10/verify").get_data(as_text=True)


@pytest.mark.parametrize("url", ["/public/stores/NOPE", "/public/stores/YL01/2026-09", "/public/stores/YL02/2026-10",
                                 "/public/stores/YL01/2026-13", "/public/stores/YL01/2026-10?v=7",
                                 "/public/stores/YL01/abc/pdf", "/public/districts/ZZ", "/public/trace/nope",
                                 "/public/stores/YL01/2026-10?v=x"])
def test_what_does_not_exist_is_a_plain_404(client, published, url):
    assert client.get(url).status_code == 404


def test_a_published_page_is_cached_per_version(session, world, client, published):
    first = client.get("/public/stores/YL01/2026-10")
    assert "public" in first.headers["Cache-Control"] and first.headers["ETag"]
    again = client.get("/public/stores/YL01/2026-10", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    service.correct(session, world.actor(session, "manager-yl01"), published.id, "复核后重新发布", now=LATE)
    fresh = client.get("/public/stores/YL01/2026-10", headers={"If-None-Match": first.headers["ETag"]})
    assert fresh.status_code == 200 and "复核后重新发布" in fresh.get_data(as_text=True)
    old = client.get("/public/stores/YL01/2026-10?v=1").get_data(as_text=True)
    assert "本版本已被更正" in old
    assert client.get("/public/stores/YL01/2026-10/pdf?v=1").data.startswith(b"%PDF-")


def test_the_store_page_shows_unrated_star_and_functions(client, published):
    html = client.get("/public/stores/YL01").get_data(as_text=True)
    assert "未评定" in html and "款物募捐" in html and "2026年10月" in html


def test_the_manager_previews_and_confirms_the_close(session, world, login, client):
    october(session, world)
    close_stock(session, world)
    login("manager-yl01")
    store_id = world.stores["YL01"].id
    page = client.get(f"/disclosure/stores/{store_id}?month=2026-10")
    assert page.status_code == 200 and "¥80.00" in page.get_data(as_text=True)
    refused = client.post(f"/disclosure/stores/{store_id}?month=2026-10", data={"month": "10/2026",
                                                                             "expected_sha256": "x"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and re.search(r'name="month"[^>]*aria-invalid="true"', html)
    assert "有 1 处需要修改" in html  # the month; the hidden check's message is in the banner, not counted
    sha = re.search(r'name="expected_sha256" value="([0-9a-f]{64})"', page.get_data(as_text=True)).group(1)
    resp = client.post(f"/disclosure/stores/{store_id}?month=2026-10", data={"month": "2026-10",
                                                                          "expected_sha256": sha})
    assert resp.status_code == 302
    row = session.query(Disclosure).one()
    again = client.post(f"/disclosure/stores/{store_id}?month=2026-10", data={"month": "2026-10"})
    assert again.status_code == 409 and "已经结账公示" in again.get_data(as_text=True)
    empty = client.post(f"/disclosure/{row.id}/correct", data={"reason": ""})
    assert empty.status_code == 422
    assert re.search(r'<textarea name="reason"[^>]*aria-invalid="true"', empty.get_data(as_text=True))
    assert client.post(f"/disclosure/{row.id}/correct", data={"reason": "补充说明"}).status_code == 302
    assert session.query(Disclosure).count() == 2


def test_the_auditor_reviews_and_sees_the_calendar(session, world, login, client, published):
    login("auditor-yl")
    returned = client.post(f"/disclosure/{published.id}/review", data={"decision": "return"})
    html = returned.get_data(as_text=True)
    assert returned.status_code == 422 and 'class="alert"' in html
    assert re.search(r'<textarea name="note"[^>]*aria-invalid="true"', html)
    assert 'value="return" checked' in html  # the choice is kept
    undecided = client.post(f"/disclosure/{published.id}/review", data={"note": "看过"}).get_data(as_text=True)
    assert 'name="decision" value="accept" aria-invalid="true"' in undecided and "看过" in undecided
    assert client.post(f"/disclosure/{published.id}/review",
                       data={"decision": "return", "note": "请补充"}).status_code == 302
    html = client.get("/disclosure/calendar?month=2026-10").get_data(as_text=True)
    assert "YL01" in html and "YL02" in html and "FR01" not in html and "逾期未公示" in html


def test_another_districts_auditor_and_other_managers_get_404(session, world, login, client, published):
    login("auditor-fr")
    assert client.get(f"/disclosure/{published.id}").status_code == 404
    assert client.post(f"/disclosure/{published.id}/review", data={"decision": "accept"}).status_code == 404


def test_cashiers_cannot_close(world, login, client):
    login("cashier-yl01")
    assert client.get(f"/disclosure/stores/{world.stores['YL01'].id}").status_code in (302, 403)


def test_the_staff_api_is_scoped(client, api_token, published, world):
    mine = client.get("/api/v1/disclosures?store=YL01&month=2026-10", headers=api_token("manager-yl01"))
    assert mine.status_code == 200
    body = mine.get_json()["disclosures"][0]
    assert body["store"] == "YL01" and body["figures"]["sales"]["total_fen"] == 1800
    assert body["chain_head_hash"] == published.chain_head_hash
    other = client.get("/api/v1/disclosures?store=YL01", headers=api_token("manager-fr01"))
    assert other.status_code == 404 and other.get_json()["error"]["code"] == "not_found"
    bad = client.get("/api/v1/disclosures?month=2026-99", headers=api_token("auditor-yl"))
    assert bad.status_code == 422
    assert client.get("/api/v1/disclosures").status_code == 401


def test_the_public_json(client, published):
    assert [s["code"] for s in client.get("/public/api/stores").get_json()["stores"]] == ["FR01", "YL01", "YL02"]
    store = client.get("/public/api/stores/YL01").get_json()
    assert store["star"] is None and store["months"] == [{"month": "2026-10", "version": 1, "late": False}]
    d = client.get("/public/api/stores/YL01/disclosures/2026-10").get_json()
    assert d["figures"]["money_in"]["total_fen"] == 8000 and d["versions"] == [{"version": 1, "status": "published"}]
    assert client.get("/public/api/totals/2026-10?district=YL").get_json()["figures"]["aid"]["value_fen"] == 3000
    missing = client.get("/public/api/stores/YL01/disclosures/2026-09")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "/api/v1/disclosures" in spec["paths"] and "/public/api/stores/{code}" in spec["paths"]


def test_a_refused_trace_token_change_shows_the_donation_page_with_the_message(session, world, login, client):
    """The choice is the button pressed (a hidden field), so its message goes into the panel's banner."""
    donation = october(session, world)["d1"].donation
    login("manager-yl01")
    refused = client.post(f"/disclosure/donations/{donation.id}/trace-token", data={"action": "burn"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and donation.serial in html
    panel = html[html.index('id="trace-token"'):]
    assert 'class="alert"' in panel[:600] and "请从给出的" in panel[:600]
    assert client.post(f"/disclosure/donations/{donation.id}/trace-token", data={"action": "reissue"}).status_code == 302
    login("manager-fr01")
    assert client.post(f"/disclosure/donations/{donation.id}/trace-token", data={}).status_code == 404
