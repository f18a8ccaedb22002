"""Held sales, returns without receipt and reprints from the till on a tablet (issue 17, items 4 and 7): a cart
is parked, another customer is served, the parked cart is recalled and paid; a return without receipt is refused
at its fields (over the limit, above today's price, a wrong PIN), then made; the shift's receipts reprint on
either roll."""
from .conftest import login, shot, till_ready, wait_js
from .test_till import demo_code, scan
from .test_till_day import inside_viewport, small_targets

CASHIER = "cashier-tx03"  # test_till_day's full cart at this store never pays, so no sale of ours collides


def open_till(page, base):
    login(page, base, CASHIER)
    page.goto(f"{base}/sales/till")
    if page.query_selector("#open-shift"):
        page.fill("#float_yuan", "200")
        page.click("#open-shift-button")
    till_ready(page)
    wait_js(page, "window.tillCart !== undefined")


def pay_cash(page, yuan: str):
    page.click("button.tender[data-method=cash]")
    page.fill(".payment[data-method=cash] .pay-amount", yuan)
    page.click("#finish")
    page.wait_for_selector("#receipt-screen:not([hidden])")


def test_a_held_sale_is_recalled_and_paid(live_server, page):
    base = live_server["url"]
    open_till(page, base)
    label = f"红衣阿姨 {page.viewport_size['width']}"
    scan(page, demo_code(1))                                   # 洗衣粉 ¥12.50
    page.wait_for_selector("#cart tbody tr")
    page.wait_for_timeout(350)
    scan(page, demo_code(2))                                   # 毛巾 ¥6.00
    wait_js(page, "document.querySelectorAll('#cart tbody tr').length === 2")
    inside_viewport(page, "#park-button")
    assert small_targets(page, "#held-bar") == []
    page.click("#park-button")
    page.wait_for_selector("#park-dialog[open]")
    page.fill("#park-label", label)
    shot(page, "till-held-park")
    page.click("#park-ok")
    wait_js(page, "!document.getElementById('park-dialog').open")
    wait_js(page, "document.querySelectorAll('#cart tbody tr').length === 0")
    assert "已挂单" in page.inner_text("#till-message")
    wait_js(page, "document.getElementById('held-count').textContent !== ''"
                  " && !document.getElementById('held-count').hidden")
    # The close page says the shift cannot close while a cart is parked, before anything is counted.
    page.goto(f"{base}/sales/shift")
    page.wait_for_selector("#held-warning")
    assert label in page.inner_text("#held-warning")
    shot(page, "till-held-close-warning")
    page.goto(f"{base}/sales/till")
    wait_js(page, "window.tillCart !== undefined && !document.getElementById('held-count').hidden")

    scan(page, demo_code(3))                                   # the next customer: 搪瓷脸盆 ¥8.00
    wait_js(page, "document.querySelectorAll('#cart tbody tr').length === 1")
    pay_cash(page, "8")
    page.click("#next-customer")

    page.click("#recall-button")
    page.wait_for_selector("#recall-dialog[open] .held-row")
    shot(page, "till-held-recall-list")
    page.locator(".held-row", has_text=label).locator(".recall-one").click()
    wait_js(page, "document.querySelectorAll('#cart tbody tr').length === 2")
    assert page.inner_text("#total") == "¥18.50"
    assert label in page.inner_text("#till-message")
    pay_cash(page, "20")
    assert page.inner_text("#receipt-change") == "¥1.50"
    assert "洗衣粉" in page.inner_text("#receipt-paper") and "毛巾" in page.inner_text("#receipt-paper")
    shot(page, "till-held-paid")
    page.click("#next-customer")
    # Recalled and paid: no longer in the list.
    page.click("#recall-button")
    page.wait_for_selector("#recall-dialog[open]")
    assert page.locator(".held-row", has_text=label).count() == 0


def test_a_return_without_receipt_and_a_reprint(live_server, page):
    base = live_server["url"]
    open_till(page, base)
    inside_viewport(page, "#open-return-link")
    page.click("#open-return-link")
    page.wait_for_selector("#open-return-form")
    rows_before = page.locator("#open-returns tbody tr").count()
    code = demo_code(4).lower()                                 # 保温杯 ¥25.00, typed in lower case
    page.fill("#return-barcode", code)
    page.fill("#return-qty", "5")                               # ¥125 > the store's ¥100
    page.fill("#return-reason", "顾客说买重了")
    page.fill("#return-approver_secret", "2468")
    page.click("#open-return-button")
    page.wait_for_selector("#return-qty[aria-invalid=true]")
    assert "本店限额" in page.inner_text("#open-return-form")
    page.fill("#return-qty", "1")
    page.fill("#return-unit_price", "30")                       # above today's price
    page.fill("#return-approver_secret", "2468")
    page.click("#open-return-button")
    page.wait_for_selector("#return-unit_price[aria-invalid=true]")
    assert "不能高于现价 ¥25.00" in page.inner_text("#open-return-form")
    page.fill("#return-unit_price", "")
    page.fill("#return-approver_secret", "0000")                # a wrong PIN
    page.click("#open-return-button")
    page.wait_for_selector("#return-approver_username[aria-invalid=true]")  # said beside the approval
    assert "密码/PIN 错误" in page.inner_text("#open-return-form .approval")
    shot(page, "till-open-return-refused")
    page.fill("#return-approver_secret", "2468")
    page.click("#open-return-button")
    page.wait_for_selector("#open-returns")
    assert "已办理无小票退货" in page.inner_text("body")
    assert page.locator("#open-returns tbody tr").count() == rows_before + 1
    assert "保温杯" in page.inner_text("#open-returns tbody tr:last-child")
    shot(page, "till-open-return-done")

    page.goto(f"{base}/sales/till")
    page.click("#reprint-link")
    page.wait_for_selector("#shift-receipts")
    page.check("input[name=width][value='80']")
    href = page.get_attribute("#shift-receipts tbody tr:first-child a.reprint", "href")
    assert href.endswith("width=80")
    assert "最近一张" in page.inner_text("#shift-receipts tbody tr:first-child")
    shot(page, "till-reprint-list")
    pdf = page.request.get(base + href)
    assert pdf.ok and pdf.body().startswith(b"%PDF")
