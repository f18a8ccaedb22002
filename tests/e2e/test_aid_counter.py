"""The aid counter on a tablet: find DEMO-HH-1 by its card code, hand out two items, sign on the screen with a
finger (the mouse here), a witness confirms, print the slip."""
from __future__ import annotations

import pypdfium2 as pdfium

from .conftest import SCREENSHOTS, has_focus, login, shot, wait_js


def _barcodes(app, *names) -> list[str]:
    from supermarket.catalog.models import Item
    from supermarket.extensions import db

    with app.app_context():
        found = {i.name: i.barcode for i in db.session.query(Item).filter(Item.name.in_(names))}
        db.session.remove()
    return [found[n] for n in names]


def _sign(page):
    box = page.locator("#signature-pad").bounding_box()
    x, y, w, h = box["x"], box["y"], box["width"], box["height"]
    page.mouse.move(x + w * 0.15, y + h * 0.6)
    page.mouse.down()
    for k in range(1, 13):  # a wavy stroke across the pad
        page.mouse.move(x + w * (0.15 + 0.05 * k), y + h * (0.35 if k % 2 else 0.7), steps=4)
    page.mouse.up()


def test_hand_out_two_items_with_a_signature_and_print_the_slip(live_server, page):
    url = live_server["url"]
    towel, paste = _barcodes(live_server["app"], "爱心毛巾", "爱心牙膏")
    login(page, url, "cashier-yl01")
    page.wait_for_selector("#today-figures")
    page.goto(f"{url}/aid/counter")
    has_focus(page, "household-code")  # the scan field has focus

    page.fill("#household-code", "DEMO-HH-1")
    page.press("#household-code", "Enter")
    page.wait_for_selector("#household:not([hidden])")
    assert page.inner_text("#hh-code") == "DEMO-HH-1"
    assert page.inner_text("#hh-id").startswith("****")
    assert "¥" in page.inner_text("#hh-remaining")

    for code, rows in ((towel, 1), (paste, 2)):
        page.fill("#item-barcode", code)
        page.press("#item-barcode", "Enter")
        wait_js(page, f"document.querySelectorAll('#basket-table tbody tr').length === {rows}")
    wait_js(page, "document.getElementById('basket-total').textContent === '¥14.00'")
    assert page.locator("#basket-problems").is_hidden()

    page.locator("#signature-pad").scroll_into_view_if_needed()
    _sign(page)
    page.fill("#witness-username", "manager-yl01")
    page.fill("#witness-password", "2468")
    # Touch-sized controls; nothing overflows sideways at tablet width.
    assert page.locator("#save").bounding_box()["height"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "aid-counter-signed")

    page.click("#save")
    page.wait_for_selector("#done:not([hidden])")
    serial = page.inner_text("#done-serial")
    assert serial.startswith("YL01-A-") and page.inner_text("#done-value") == "¥14.00"
    shot(page, "aid-counter-done")

    href = page.get_attribute("#print-slip", "href")
    slip = page.context.request.get(f"{url}{href}")
    assert slip.status == 200 and slip.headers["content-type"] == "application/pdf"
    pdf = slip.body()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    doc = pdfium.PdfDocument(pdf)
    text = doc[0].get_textpage().get_text_range()
    assert serial in text and "爱心毛巾" in text and "爱心牙膏" in text and "DEMO-HH-1" in text
    doc[0].render(scale=2).to_pil().save(SCREENSHOTS / f"aid-slip-{page.orientation}.png")
    doc.close()


def test_an_unknown_card_and_the_missing_signature_are_explained(live_server, page):
    url = live_server["url"]
    towel, = _barcodes(live_server["app"], "爱心毛巾")
    login(page, url, "cashier-yl02")
    page.wait_for_selector("#today-figures")
    page.goto(f"{url}/aid/counter")
    page.fill("#household-code", "NOPE-123")
    page.press("#household-code", "Enter")
    page.wait_for_selector("#counter-error:not([hidden])")
    assert "未找到户编号" in page.inner_text("#counter-error")
    page.fill("#household-code", "DEMO-HH-1")  # a YL01 household, served at YL02: the city-wide look-up
    page.press("#household-code", "Enter")
    page.wait_for_selector("#household:not([hidden])")
    page.fill("#item-barcode", towel)
    page.press("#item-barcode", "Enter")
    wait_js(page, "document.querySelectorAll('#basket-table tbody tr').length === 1")
    page.click("#save")
    assert "签名" in page.inner_text("#counter-error")
    shot(page, "aid-counter-error")
