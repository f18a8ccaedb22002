"""Aid pages: forms with Chinese errors (never echoing an ID number), the logged record, PDFs, public list."""
import io

import pytest
from PIL import Image

from supermarket.aid.models import Campaign, Entitlement, Household, HouseholdView
from supermarket.clock import local_today
from supermarket.models import utcnow
from tests.printing import pdfcheck

from .factories import aid_item, hand_out, make_household, policy, valid_id


def test_registration_form(session, world, login):
    client = login("manager-yl01")
    assert client.get("/aid/households/new").status_code == 200
    number = valid_id(21)
    form = {"head_name": "赵六", "id_number": number, "category_code": "dibao", "members": "2",
            "verified_on": "2026-11-01", "phone": "13800001111"}
    from supermarket.aid.entitlements import ensure_default_categories

    ensure_default_categories(session)
    r = client.post("/aid/households/new", data=form)
    assert r.status_code == 302
    h = session.query(Household).one()
    assert h.store_id == world.stores["YL01"].id and h.head_name == "赵六"
    dup = client.post("/aid/households/new", data=form)
    text = dup.get_data(as_text=True)
    assert dup.status_code == 409 and "门店标记YL01" in text and number not in text
    bad = client.post("/aid/households/new", data=dict(form, id_number=number[:-1] + "0" if number[-1] != "0"
                                                       else number[:-1] + "1"))
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "校验位" in text and number[:-1] not in text
    junk = client.post("/aid/households/new", data=dict(form, members="-3", verified_on="昨天"))
    assert junk.status_code == 422 and session.query(Household).count() == 1


def test_the_record_is_logged_and_scoped(session, world, login):
    h = make_household(session, world.stores["YL01"], name="钱七", phone="13812345678")
    cashier = login("cashier-yl01")
    page = cashier.get(f"/aid/households/{h.id}").get_data(as_text=True)
    assert "钱*" in page and "钱七" not in page and "138****5678" in page
    assert login("cashier-fr01").get(f"/aid/households/{h.id}").status_code == 404
    manager = login("manager-yl01")
    page = manager.get(f"/aid/households/{h.id}").get_data(as_text=True)
    assert "钱七" in page and "13812345678" in page
    assert session.query(HouseholdView).count() == 2  # the refused one is not a view
    log = login("auditor-yl").get("/aid/record-views").get_data(as_text=True)
    assert "cashier-yl01" in log and "manager-yl01" in log and h.code in log
    assert h.code not in login("auditor-fr").get("/aid/record-views").get_data(as_text=True)
    manager = login("manager-yl01")  # one client: log the manager in again
    bad = manager.post(f"/aid/households/{h.id}/status", data={"status": "gone", "reason": "x"})
    assert bad.status_code == 422
    ok = manager.post(f"/aid/households/{h.id}/status", data={"status": "suspended", "reason": "核查"})
    assert ok.status_code == 302 and session.get(Household, h.id).status == "suspended"
    card = manager.get(f"/aid/households/{h.id}/card.pdf")
    assert card.mimetype == "application/pdf" and "钱*" in pdfcheck.text(card.data)


def test_counter_page_slip_and_public_list(session, world, login, client):
    policy(session)
    rice = aid_item(session, [world.stores["YL01"]], name="大米", price_fen=3500)
    h = make_household(session, world.stores["YL01"], name="孙小红")
    d = hand_out(session, world, "YL01", h, [(rice, 1)]).distribution
    cashier = login("cashier-yl01")
    page = cashier.get("/aid/counter").get_data(as_text=True)
    assert "signature-pad" in page and "aid_counter.js" in page
    slip = cashier.get(f"/aid/distributions/{d.id}/slip.pdf")
    text = pdfcheck.text(slip.data)
    assert slip.mimetype == "application/pdf" and d.serial in text and "孙*红" in text and "孙小红" not in text
    detail = cashier.get(f"/aid/distributions/{d.id}").get_data(as_text=True)
    assert d.serial in detail and "/aid/files/" in detail
    img = cashier.get(f"/aid/files/{d.signature_id}")
    assert img.mimetype == "image/png" and img.data.startswith(b"\x89PNG")
    assert login("cashier-fr01").get(f"/aid/files/{d.signature_id}").status_code == 404
    cashier.post("/logout")
    month = d.handed_out_on.strftime("%Y-%m")
    public = client.get(f"/public/aid?month={month}&store=YL01").get_data(as_text=True)
    assert "孙*红" in public and "孙小红" not in public and "****" + h.id_last4 in public and "¥35.00" in public
    pdf = client.get(f"/public/aid.pdf?month={month}&store=YL01")
    assert client.get(f"/public/aid.pdf?month={month}").status_code == 404  # per store, never the whole city
    assert "孙*红" in pdfcheck.text(pdf.data)
    assert client.get("/public/aid?store=NOPE").status_code == 404
    assert client.get("/public/aid?month=2026-13").status_code == 422


def test_policy_and_campaign_forms(session, world, login):
    policy(session, "tekun")
    admin = login("admin")
    form = {"category_code": "dibao", "period": "month", "value_cap_yuan": "99.5", "effective_from": "2026-01-01"}
    assert admin.post("/aid/entitlements/new", data=form).status_code == 302
    assert session.query(Entitlement).filter_by(category_code="dibao").one().value_cap_fen == 9950
    for bad in ("abc", "-1", "0.001", "1e9"):
        r = admin.post("/aid/entitlements/new", data=dict(form, value_cap_yuan=bad, category_code="disabled"))
        assert r.status_code == 422, bad
    overlap = admin.post("/aid/entitlements/new", data=form)
    assert overlap.status_code == 409 and "重叠" in overlap.get_data(as_text=True)
    assert login("manager-yl01").get("/aid/entitlements/new").status_code == 403

    manager = login("manager-yl01")
    rice = aid_item(session, [world.stores["YL01"]], name="大米", price_fen=3500)
    today = local_today(utcnow()).isoformat()
    r = manager.post("/aid/campaigns/new", data={"name": "送温暖", "starts_on": today, "ends_on": today,
                                                  "pack": f"{rice.barcode} 2\n"})
    assert r.status_code == 302
    c = session.query(Campaign).one()
    bad = manager.post("/aid/campaigns/new", data={"name": "x", "starts_on": today, "ends_on": today,
                                                    "pack": "6900000000000 1"})
    assert bad.status_code == 404 or bad.status_code == 422
    h = make_household(session, world.stores["YL01"])
    assert manager.post(f"/aid/campaigns/{c.id}/households", data={"codes": h.code}).status_code == 302
    unknown = manager.post(f"/aid/campaigns/{c.id}/households", data={"codes": "NOPE"})
    assert unknown.status_code == 404 and "NOPE" in unknown.get_data(as_text=True)
    sheet = manager.get(f"/aid/campaigns/{c.id}/sheet.pdf")
    assert h.code in pdfcheck.text(sheet.data)
    buf = io.BytesIO()
    Image.new("RGB", (50, 50)).save(buf, "PNG")
    ok = manager.post(f"/aid/campaigns/{c.id}/photo", data={"photo": (io.BytesIO(buf.getvalue()), "s.png")},
                      content_type="multipart/form-data")
    assert ok.status_code == 302
    fake = manager.post(f"/aid/campaigns/{c.id}/photo", data={"photo": (io.BytesIO(b"hello"), "s.jpg")},
                        content_type="multipart/form-data")
    assert fake.status_code == 422 and "JPEG" in fake.get_data(as_text=True)
    handed = login("cashier-yl01").post(f"/aid/campaigns/{c.id}/handout", data={"household_id": str(h.id)})
    assert handed.status_code == 302
    twice = login("cashier-yl01").post(f"/aid/campaigns/{c.id}/handout", data={"household_id": str(h.id)})
    assert twice.status_code == 409


@pytest.mark.parametrize("username", ["auditor-yl", "admin"])
def test_the_old_flags_page_sends_the_auditor_to_the_board(session, world, login, username):
    r = login(username).get("/aid/flags?month=2026-11")
    assert r.status_code == 302 and r.headers["Location"].endswith("/flags?kind=aid")


def test_searching_by_a_full_id_number_finds_the_household_without_echoing_it(session, world, login):
    number = valid_id(77)
    h = make_household(session, world.stores["YL01"], id_number=number)
    client = login("manager-yl01")
    found = client.post("/aid/households", data={"q": number})
    text = found.get_data(as_text=True)
    assert found.status_code == 200 and h.code in text and number not in text and "****" + number[-4:] in text
    typed = client.get(f"/aid/households?q={number}")
    assert typed.status_code == 302 and number not in typed.location
