"""Taking in a donation on the tablet: three lines, a second staff member confirms, the receipt opens."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pypdfium2 as pdfium
from sqlalchemy import select

from tests.printing import pdfcheck

from .conftest import SCREENSHOTS, has_focus, login, shot

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _demo_goods(app):
    """A non-food and a food item with manufacturer codes, and a plain category for a new item."""
    from supermarket.catalog.models import Category, Item
    from supermarket.extensions import db

    with app.app_context():
        items = db.session.scalars(select(Item).join(Category).where(
            Item.origin_store_id.is_(None), Category.prohibited.is_(False))).all()
        plain = next(i for i in items if not i.is_food)
        food = next(i for i in items if i.is_food)
        category = db.session.scalars(select(Category).where(Category.prohibited.is_(False),
                                                             Category.is_food.is_(False))).first()
        return plain.barcode, food.barcode, category.name


def _save_pdf_page_as_png(pdf: bytes, name: str) -> None:
    doc = pdfium.PdfDocument(pdf)
    try:
        doc[0].render(scale=150 / 72).to_pil().save(SCREENSHOTS / name)
    finally:
        doc.close()


def test_cashier_takes_in_three_lines_with_a_checker_and_opens_the_receipt(live_server, page):
    base = live_server["url"]
    plain, food, category = _demo_goods(live_server["app"])
    login(page, base, "cashier-yl01")
    page.wait_for_selector("#today-figures")
    page.goto(f"{base}/intake/new")
    has_focus(page, "scan")

    page.fill("#donor-search", "张建国")
    page.press("#donor-search", "Enter")
    page.click("#donor-results button")
    assert "张建国" in page.inner_text("#donor-chosen")

    page.fill("#scan", plain)  # a keyboard-wedge scanner types the code and Enter
    page.press("#scan", "Enter")
    first = page.wait_for_selector(".line:nth-child(1) .f-value")
    first.fill("15")
    page.fill(".line:nth-child(1) .f-qty", "3")
    page.fill("#scan", food)
    page.press("#scan", "Enter")
    page.wait_for_selector(".line:nth-child(2) .f-expiry")
    page.fill(".line:nth-child(2) .f-value", "30")
    page.fill(".line:nth-child(2) .f-expiry", ((datetime.now(SHANGHAI).date()) + timedelta(days=180)).isoformat())
    page.click("#add-new-item")
    third = ".line:nth-child(3)"
    page.fill(f"{third} .f-name", "儿童羽绒服")
    page.select_option(f"{third} .f-category", label=category)
    page.select_option(f"{third} .f-kind", "donated_used")
    page.select_option(f"{third} .f-grade", "A")
    page.fill(f"{third} .f-qty", "2")
    page.fill(f"{third} .f-value", "80")
    assert page.inner_text("#total") == "¥235.00"

    page.fill("#checker-username", "cashier-yl01")  # the receiver cannot check their own count
    page.fill("#checker-password", "changsha2023")
    page.click("#save")
    page.wait_for_selector("#intake-error:not([hidden])")
    assert "不能是接收人本人" in page.inner_text("#intake-error")

    page.fill("#checker-username", "manager-yl01")
    page.fill("#checker-password", "2468")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "intake-filled")
    page.click("#save")
    page.wait_for_selector("#saved:not([hidden])")
    serial = page.inner_text("#saved-serial")
    assert serial.startswith("YL01-")
    shot(page, "intake-saved")

    href = page.get_attribute("#receipt-link", "href")
    receipt = page.context.request.get(base + href)  # the link opens in a new tab: same session, same PDF
    assert receipt.status == 200 and receipt.headers["content-type"] == "application/pdf"
    text = pdfcheck.text(receipt.body()).replace("\r\n", "")
    assert serial in text and "捐 赠 收 据" in text and "张建国" in text and "儿童羽绒服" in text
    assert "¥235.00" in text and "复核人：望月湖店长 陈刚" in text
    labels = page.context.request.get(base + page.get_attribute("#labels-sheet-link", "href"))
    codes = [c for img in pdfcheck.images(labels.body(), dpi=200) for _f, c in pdfcheck.decode(img)]
    assert plain in codes and food in codes
    _save_pdf_page_as_png(receipt.body(), f"intake-receipt-{page.orientation}.png")
    _save_pdf_page_as_png(labels.body(), f"intake-labels-{page.orientation}.png")

    page.click("#donation-link")
    page.wait_for_selector("#lines")
    assert serial in page.inner_text("#serial") and page.locator("#lines tbody tr").count() == 3
    shot(page, "intake-donation-page")


def test_donation_pages_fit_the_tablet(live_server, page):
    """Donations, donors, pledges (with the overdue list) and the monthly report, as a manager."""
    base = live_server["url"]
    login(page, base, "manager-yl01")
    page.wait_for_selector("#today-figures")
    for path, name, selector in (("/intake/donations", "intake-donations", "#donations"),
                                 ("/intake/donors", "intake-donors", "#donors"),
                                 ("/intake/pledges", "intake-pledges", "#overdue"),
                                 ("/intake/report", "intake-report", "#by-category")):
        page.goto(base + path)
        page.wait_for_selector(selector)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
        shot(page, name)
        if path == "/intake/pledges":  # the demo's one overdue pledge of this store, with its follow-up
            assert page.locator("#overdue tbody tr").count() == 1 and "逾期" in page.inner_text("#overdue")
    page.goto(base + "/intake/donors?q=张建国")
    page.click("#donors tbody tr:first-child a")
    page.wait_for_selector("#history")
    assert page.locator("#history tbody tr").count() >= 2 and "13807310001" in page.inner_text("#donor-phone")
    shot(page, "intake-donor")


def test_a_weighed_item_is_taken_in_by_weight_in_kg(live_server, page):
    """Scanning an item sold by weight asks for 重量（公斤） and a value per kg; four decimals are refused at the
    field; 5 kg at ¥8.00/kg is ¥40.00 and 5,000 g in stock."""
    from supermarket.catalog.models import Item
    from supermarket.extensions import db

    base = live_server["url"]
    with live_server["app"].app_context():
        rice = db.session.scalars(select(Item).where(Item.sold_by_weight.is_(True))).first().barcode
    login(page, base, "cashier-yl01")
    page.wait_for_selector("#today-figures")
    page.goto(f"{base}/intake/new")
    page.check("#donor-mode-anonymous")
    page.fill("#scan", rice)
    page.press("#scan", "Enter")
    weight = page.wait_for_selector(".line:nth-child(1) .f-weight")
    assert page.is_hidden(".line:nth-child(1) .f-qty")
    assert "重量（公斤）" in page.inner_text(".line:nth-child(1) .f-weight-field")
    assert "每公斤价值" in page.inner_text(".line:nth-child(1) .f-value-label")
    weight.fill("1.2345")
    page.fill(".line:nth-child(1) .f-value", "8")
    page.fill("#checker-username", "manager-yl01")
    page.fill("#checker-password", "2468")
    page.click("#save")
    page.wait_for_selector(".line.has-error")
    assert "三位小数" in page.inner_text(".line:nth-child(1) .line-error")
    assert page.get_attribute(".line:nth-child(1) .f-weight", "aria-invalid") == "true"
    weight.fill("5")
    if page.is_visible(".line:nth-child(1) .f-expiry"):  # the demo's rice is food
        page.fill(".line:nth-child(1) .f-expiry", (datetime.now(SHANGHAI).date() + timedelta(days=300)).isoformat())
    assert page.inner_text("#total") == "¥40.00"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "intake-weighed")
    page.click("#save")
    page.wait_for_selector("#saved:not([hidden])")
    page.click("#donation-link")
    page.wait_for_selector("#lines")
    row = page.inner_text("#lines tbody tr")
    assert "5.000 kg" in row and "¥8.00/kg" in row and "¥40.00" in row
    shot(page, "intake-weighed-donation")
