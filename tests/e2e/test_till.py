"""The till on a tablet: open a shift, scan two items with a keyboard-wedge scanner, pay cash, see the change and
the receipt; a manager voids the sale; the shift closes with its Z report."""
import re

from supermarket.catalog.codes import gtin_check_digit

from .conftest import has_focus, login, shot, till_ready, wait_js


def demo_code(n: int) -> str:
    body = f"694{n:09d}"  # the sales demo's items (supermarket/sales/demo.py)
    return body + str(gtin_check_digit(body))


def scan(page, code: str):
    """A keyboard-wedge scanner types the code and Enter into whatever has focus."""
    page.keyboard.type(code)
    page.keyboard.press("Enter")


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_sell_void_and_close_a_shift(live_server, page):
    base = live_server["url"]
    login(page, base, "cashier-yl01")
    page.goto(f"{base}/sales/till")
    page.fill("#float_yuan", "200")
    shot(page, "till-open-shift")
    page.click("#open-shift-button")
    till_ready(page)
    has_focus(page, "scan")
    no_sideways_scroll(page)

    scan(page, demo_code(1))                      # 洗衣粉 1kg ¥12.50
    page.wait_for_selector("#cart tbody tr")
    scan(page, demo_code(2))                      # 毛巾 ¥6.00 …
    scan(page, demo_code(2))                      # … read twice by the scanner at once: ignored
    wait_js(page, "document.querySelectorAll('#cart tbody tr').length === 2")
    page.wait_for_timeout(400)
    assert page.inner_text("#cart tbody tr:nth-child(2) .qty") == "1"
    scan(page, demo_code(2))                      # a deliberate second scan adds one
    wait_js(page, "document.querySelector('#cart tbody tr:nth-child(2) .qty').textContent === '2'")
    assert page.inner_text("#total") == "¥24.50"

    page.click("button.tender[data-method=cash]")
    page.fill(".payment[data-method=cash] .pay-amount", "50")
    assert page.inner_text("#change") == "¥25.50"
    shot(page, "till-cart")
    page.click("#finish")
    page.wait_for_selector("#receipt-screen:not([hidden])")
    assert page.inner_text("#receipt-change") == "¥25.50"
    number = page.inner_text(".receipt-no")
    assert re.fullmatch(r"YL01-\d{8}-\d{4}", number)
    assert "洗衣粉 1kg × 1" in page.inner_text("#receipt-paper")
    shot(page, "till-receipt")
    sale_url = page.get_attribute("#sale-link", "href")
    receipt = page.request.get(base + sale_url.replace("/sales/", "/api/v1/sales/") + "/receipt.pdf?width=58")
    assert receipt.ok and receipt.body().startswith(b"%PDF-")

    # The manager voids it on the same tablet with their PIN.
    page.click("#sale-link")
    page.wait_for_selector("#void-form")
    page.fill("#void-reason", "顾客不要了")
    page.select_option("#void-approver_username", "manager-yl01")
    page.fill("#void-approver_secret", "2468")
    page.click("#void-button")
    page.wait_for_selector("text=已作废，作废单号")
    assert page.inner_text("#sale-status") == "已作废"
    no_sideways_scroll(page)
    shot(page, "sale-voided")

    # The day's close: count the drawer, compare, the manager countersigns, the Z report prints.
    page.goto(f"{base}/sales/shift")
    page.fill("#counted_cash", "200")
    page.click("#preview-button")
    page.wait_for_selector("#close-preview")
    assert "¥200.00" in page.inner_text("#close-preview") and page.inner_text("#variance-total") == "¥0.00"
    page.select_option("#approver_username", "manager-yl01")
    page.fill("#approver_secret", "2468")
    shot(page, "shift-close")
    page.click("#confirm-close")
    page.wait_for_selector("#z-report-link")
    assert "已结班" in page.content()
    z = page.request.get(base + page.get_attribute("#z-report-link", "href"))
    assert z.ok and z.body().startswith(b"%PDF-")
    no_sideways_scroll(page)
    shot(page, "shift-closed")


def test_search_and_quick_keys_for_goods_without_a_code(live_server, page):
    base = live_server["url"]
    login(page, base, "cashier-yl02")
    page.goto(f"{base}/sales/till")
    if page.query_selector("#open-shift"):
        page.fill("#float_yuan", "100")
        page.click("#open-shift-button")
    till_ready(page)
    page.fill("#search", "mj")                    # 毛巾 by its pinyin initials
    page.click("#results .result >> text=毛巾")
    page.wait_for_selector("#cart tbody tr")
    has_focus(page, "scan")
    page.click(".quick-key >> text=衣物")
    page.wait_for_selector("#results .result")
    assert "羽绒服" in page.inner_text("#results")
    shot(page, "till-search")


def test_a_price_override_needs_the_managers_pin(live_server, page):
    base = live_server["url"]
    login(page, base, "cashier-fr01")
    page.goto(f"{base}/sales/till")
    if page.query_selector("#open-shift"):
        page.fill("#float_yuan", "100")
        page.click("#open-shift-button")
    till_ready(page)
    scan(page, demo_code(3))                      # 搪瓷脸盆 ¥8.00
    page.wait_for_selector("#cart tbody tr")
    page.click("#cart .price-btn")
    page.fill("#override-form [name=price]", "5")
    page.fill("#override-form [name=reason]", "盆沿有磕碰")
    page.select_option("#override-form [name=manager]", "manager-fr01")
    page.fill("#override-form [name=secret]", "2468")
    shot(page, "till-override")
    page.click("#override-form button[value=ok]")
    # The dialog's close event (which reprices the line) is dispatched after the click returns.
    wait_js(page, "document.querySelector('#total').textContent === '¥5.00'")
    page.click("button.tender[data-method=cash]")
    page.click("#finish")
    page.wait_for_selector("#receipt-screen:not([hidden])")
    assert "¥5.00" in page.inner_text("#receipt-paper")
    page.click("#next-customer")
    has_focus(page, "scan")

    scan(page, demo_code(3))                      # a wrong PIN: the server refuses, nothing is sold
    page.wait_for_selector("#cart tbody tr")
    page.click("#cart .price-btn")
    page.fill("#override-form [name=price]", "1")
    page.fill("#override-form [name=reason]", "试试")
    page.fill("#override-form [name=secret]", "0000")
    page.click("#override-form button[value=ok]")
    page.click("button.tender[data-method=cash]")
    page.click("#finish")
    page.wait_for_selector("#till-message:not([hidden])")
    assert "确认人" in page.inner_text("#till-message")
    assert page.is_hidden("#receipt-screen")
