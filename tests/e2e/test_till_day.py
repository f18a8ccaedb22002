"""The till through a day at the counter on a tablet (issue 17): everything fits 1024×768 and 768×1024 with a
full cart and a message, the header is one row, touch targets are 44 px, codes typed in lower case are found."""
from .conftest import login, shot, till_ready, wait_js
from .test_till import demo_code, scan

CASHIER = "cashier-tx03"  # a store no other browser test sells at


def open_till(page, base, username=CASHIER):
    login(page, base, username)
    page.goto(f"{base}/sales/till")
    if page.query_selector("#open-shift"):
        page.fill("#float_yuan", "200")
        page.click("#open-shift-button")
    till_ready(page)


def inside_viewport(page, selector: str) -> dict:
    box = page.locator(selector).bounding_box()
    size = page.viewport_size
    assert box is not None, f"{selector} is not shown"
    assert box["x"] >= 0 and box["y"] >= 0, (selector, box)
    assert box["x"] + box["width"] <= size["width"] + 0.5, (selector, box, size)
    assert box["y"] + box["height"] <= size["height"] + 0.5, (selector, box, size)
    return box


def small_targets(page, scope: str) -> list:
    """Visible buttons and links under `scope` shorter or narrower than 44 px."""
    return page.evaluate("""scope => Array.from(document.querySelectorAll(scope + ' button, ' + scope + ' a.btn'))
        .filter(b => b.offsetParent !== null)
        .map(b => [b.textContent.trim(), b.getBoundingClientRect().width, b.getBoundingClientRect().height])
        .filter(r => r[1] < 44 || r[2] < 44)""", scope)


def test_a_full_cart_and_a_message_fit_the_tablet(live_server, page):
    base = live_server["url"]
    open_till(page, base)
    header = page.locator("header.topbar").bounding_box()
    assert header["height"] < 64, header  # one row, the menu behind a button
    for n in range(1, 13):
        scan(page, demo_code(n).lower() if n == 1 else demo_code(n))
        wait_js(page, f"document.querySelectorAll('#cart tbody tr').length === {n}")
    scan(page, "yl99-999999")  # not a code of this city: the message shows above the cart
    wait_js(page, "!document.getElementById('till-message').hidden")
    assert "未找到" in page.inner_text("#till-message")
    page.click("button.tender[data-method=cash]")
    for selector in ("#scan", "#till-message", ".cart-wrap", "#total", "#finish", ".due-box"):
        inside_viewport(page, selector)
    # The page itself does not scroll: the cart does, inside itself.
    assert page.evaluate("document.scrollingElement.scrollHeight <= window.innerHeight + 1")
    assert page.evaluate("(w => w.scrollHeight > w.clientHeight)(document.querySelector('.cart-wrap'))")
    assert small_targets(page, "#till") == []
    assert small_targets(page, "header.topbar") == []
    shot(page, "till-day-full-cart")

    page.click("#menu-toggle")  # the rest of the menu opens over the till
    page.wait_for_selector("#main-nav a >> text=收银台")
    inside_viewport(page, "#main-nav")
    shot(page, "till-day-menu")
    page.click("#menu-toggle")
    assert page.is_hidden("#main-nav")


def test_thirteen_typed_on_the_keypad_and_bad_quantities_refused_at_the_field(live_server, page):
    base = live_server["url"]
    open_till(page, base, "cashier-tx02")
    scan(page, demo_code(2))                                  # 毛巾 ¥6.00
    page.wait_for_selector("#cart tbody tr")
    page.click("#cart tbody tr:nth-child(1) button.qty")
    page.wait_for_selector("#qty-dialog[open]")
    for bad in ("abc", "0", "-1", "1e9", "99999"):
        page.fill("#qty-input", bad)
        page.click("#qty-ok")
        assert page.inner_text("#qty-error") == "数量须为 1 到 9999 之间的整数"
        assert page.get_attribute("#qty-input", "aria-invalid") == "true"
        assert page.is_visible("#qty-dialog")
    page.click("#keypad .key[data-key=clear]")
    page.click("#keypad .key[data-key='1']")
    page.click("#keypad .key[data-key='3']")
    shot(page, "till-day-keypad")
    page.click("#qty-ok")
    wait_js(page, "document.querySelector('#cart tbody tr button.qty').textContent === '13'")
    assert page.inner_text("#total") == "¥78.00"
    # The scanner fires as soon as the dialog is gone, before the till has put the focus back in the scan field:
    # its keystrokes must still land there (not on the line's button, whose Enter would reopen the dialog).
    wait_js(page, "!document.getElementById('qty-dialog').open")

    scan(page, "3*" + demo_code(3))                           # 搪瓷脸盆 ¥8.00 × 3, the quantity typed first
    wait_js(page, "document.querySelectorAll('#cart tbody tr').length === 2")
    assert page.inner_text("#cart tbody tr:nth-child(2) button.qty") == "3"
    for bad in ("0*", "-1*", "abc*", "1e9*"):
        scan(page, bad + demo_code(4))
        wait_js(page, "!document.getElementById('scan-error').hidden")
        assert page.inner_text("#scan-error") == "数量须为 1 到 9999 之间的整数"
        assert page.get_attribute("#scan", "aria-invalid") == "true"
    assert page.locator("#cart tbody tr").count() == 2           # nothing was added
    page.wait_for_timeout(350)
    scan(page, demo_code(4))                                     # a plain scan clears the error
    wait_js(page, "document.querySelectorAll('#cart tbody tr').length === 3")
    assert page.is_hidden("#scan-error")

    page.click("#cart tbody tr:nth-child(3) .remove-btn")
    page.click("button.tender[data-method=cash]")
    page.fill(".payment[data-method=cash] .pay-amount", "110")
    page.click("#finish")
    page.wait_for_selector("#receipt-screen:not([hidden])")
    assert "毛巾 × 13" in page.inner_text("#receipt-paper") and page.inner_text("#receipt-change") == "¥8.00"
    page.goto(f"{base}/sales/")                # other pages keep their full menu, without the button
    page.wait_for_selector("#main-nav a")
    assert page.is_hidden("#menu-toggle") and page.is_visible("#main-nav")
