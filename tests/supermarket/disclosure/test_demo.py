"""The demo's disclosures, and the privacy check of every public page rendered from the demo."""
import re

import pytest

from supermarket.aid.models import Household
from supermarket.auth.models import User
from tests.demo_cache import demo_world
from supermarket.disclosure.models import Disclosure, TraceToken
from supermarket.intake.models import Donor
from supermarket.points.models import Resident

PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)|0731-?\d{7,8}")
HEX = re.compile(r"[0-9a-f]{32,}")
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


@pytest.fixture
def demo(app, session):
    return demo_world()


def test_three_months_published_one_corrected_one_late(session, demo):
    rows = session.query(Disclosure).all()
    months = demo.extra["disclosure_months"]
    assert {(r.store.code, r.month) for r in rows} == {(c, m) for c in demo.stores for m in months}
    corrected = [r for r in rows if r.version == 2]
    assert len(corrected) == 1 and corrected[0].store.code == "YL01" and corrected[0].month == months[1]
    assert corrected[0].changes and "money_in.total_fen" in corrected[0].changes
    late = [r for r in rows if r.version == 1 and r.published_at.astimezone().date() > r.due_on]
    assert [(r.store.code, r.month) for r in late] == [("FR01", months[1])]


def _public_urls(session, client):
    urls = ["/public/", "/public/api/stores", "/public/aid"]
    for code in ("YL", "FR", "TX"):
        urls.append(f"/public/districts/{code}")
    for r in session.query(Disclosure):
        base = f"/public/stores/{r.store.code}"
        m = r.month.strftime("%Y-%m")
        urls += [base, f"/public/api/stores/{r.store.code}", f"{base}/{m}?v={r.version}", f"{base}/{m}/verify?v={r.version}",
                 f"/public/api/stores/{r.store.code}/disclosures/{m}?v={r.version}", f"/public/api/totals/{m}",
                 f"/public/aid?store={r.store.code}&month={m}"]
    urls += [f"/public/trace/{t.token}" for t in session.query(TraceToken)]
    urls += [f"/public/api/trace/{t.token}" for t in session.query(TraceToken)]
    return sorted(set(urls))


def test_no_public_page_holds_personal_data(session, client, demo):
    people = {h.head_name for h in session.query(Household)} | {r.name for r in session.query(Resident)}
    people |= {d.name for d in session.query(Donor).filter(Donor.kind == "person")}
    people |= {d.contact_person for d in session.query(Donor) if d.contact_person}
    logins = {u.username for u in session.query(User)} | {u.display_name for u in session.query(User)}
    assert len(people) > 20 and "manager-yl01" in logins
    urls = _public_urls(session, client)
    assert len([u for u in urls if u.startswith("/public/trace/")]) >= 30
    for url in urls:
        resp = client.get(url)
        assert resp.status_code == 200, url
        text = resp.get_data(as_text=True)
        # Hashes (chain heads, digests, vouchers' SHA-256) are hex: eleven digits inside one read like a phone.
        scan = HEX.sub("#", text)
        assert not PHONE.search(scan), (url, PHONE.search(scan).group())
        assert not ID_NUMBER.search(scan), url
        for name in people | logins:
            assert name not in text, (url, name)
        if url.startswith("/public/trace/"):
            assert "fate" in text or "捐款" in text


def test_every_demo_receipt_has_a_working_token(session, client, demo):
    from supermarket.intake.models import Donation
    assert session.query(TraceToken).count() == session.query(Donation).count()
