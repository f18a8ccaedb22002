"""Discounts at the till on a tablet (issue 17): a line discount within the cashier's limit, a basket discount
above it approved by a manager on the spot (a wrong PIN refused at the field first), the sale paid, the total
and the pay button inside the viewport throughout."""
from .conftest import login, shot, wait_js
from .test_till import demo_code, scan
from .test_till_day import inside_viewport, open_till

CASHIER = "cashier-tx02"  # 书院路, whose manager is 邓红 (manager-tx02)


def discount(page, value: str, kind: str = "percent"):
    page.wait_for_selector("#discount-dialog[open]")
    page.check(f"#discount-form input[name=kind][value={kind}]")
    page.fill("#discount-value", value)
    page.click("#discount-ok")


def test_a_basket_discount_above_the_cashiers_limit_is_approved_by_a_manager_and_paid(live_server, page):
    base = live_server["url"]
    open_till(page, base, CASHIER)
    scan(page, "3*" + demo_code(3))                           # 搪瓷脸盆 ¥8.00 × 3
    wait_js(page, "document.querySelectorAll('#cart tbody tr').length === 1")
    page.wait_for_timeout(350)
    scan(page, demo_code(2))                                  # 毛巾 ¥6.00
    wait_js(page, "document.querySelectorAll('#cart tbody tr').length === 2")
    assert page.inner_text("#total") == "¥30.00"

    # A line discount: bad input is refused at the field, 10 % is within the cashier's limit.
    page.click("#cart tbody tr:nth-child(2) .discount-btn")
    for bad, message in (("abc", "1 到 100"), ("101", "1 到 100"), ("0", "1 到 100")):
        discount(page, bad)
        assert message in page.inner_text("#discount-value-error")
        assert page.get_attribute("#discount-value", "aria-invalid") == "true"
        assert page.is_visible("#discount-dialog")
    discount(page, "7", kind="amount")
    assert "不能超过金额 ¥6.00" in page.inner_text("#discount-value-error")
    discount(page, "10")
    page.wait_for_selector("#discount-dialog", state="hidden")
    assert page.inner_text("#total") == "¥29.40"
    assert "−¥0.60" in page.inner_text("#cart tbody tr:nth-child(2) .discount-note")

    # The basket: 15 % is above the cashier's 10 %: the manager types their PIN in the same dialog.
    page.click("#basket-discount")
    assert page.is_hidden("#discount-remove")                 # no basket discount yet: nothing to remove
    discount(page, "15")
    page.wait_for_selector("#discount-approval:not([hidden])")
    assert "整单折扣 15% 超过您的折扣权限，需店长批准" in page.inner_text("#discount-approval-what")
    page.select_option("#discount-manager", "manager-tx02")
    page.fill("#discount-secret", "0000")
    page.click("#discount-ok")
    page.wait_for_selector("#discount-secret-error:not([hidden])")
    assert "批准整单折扣 15%未通过" in page.inner_text("#discount-secret-error")
    assert page.is_visible("#discount-dialog") and page.inner_text("#total") == "¥29.40"   # nothing applied
    shot(page, "till-discount-wrong-pin")
    page.fill("#discount-secret", "2468")
    page.click("#discount-ok")
    page.wait_for_selector("#discount-dialog", state="hidden")
    wait_js(page, "!document.getElementById('till-message').hidden")
    assert "已批准整单折扣 15%" in page.inner_text("#till-message")
    assert page.inner_text("#total") == "¥24.99"               # 15 % of ¥29.40 = ¥4.41
    assert "−¥4.41" in page.inner_text("#basket-discount-row")
    page.click("button.tender[data-method=cash]")
    for selector in ("#scan", "#till-message", "#total", "#finish", ".due-box"):
        inside_viewport(page, selector)
    shot(page, "till-discount-approved")

    page.fill(".payment[data-method=cash] .pay-amount", "30")
    page.click("#finish")
    page.wait_for_selector("#receipt-screen:not([hidden])")
    assert page.inner_text("#receipt-change") == "¥5.01"
    paper = page.inner_text("#receipt-paper")
    assert "优惠合计" in paper and "−¥5.01" in paper and "¥24.99" in paper
    shot(page, "till-discount-receipt")


def test_the_store_manager_edits_the_discount_limits(live_server, page):
    base = live_server["url"]
    login(page, base, "manager-tx03")
    page.goto(f"{base}/sales/settings")
    page.wait_for_selector("#discount-limits")
    assert page.input_value("#store_manager_amount") == "500.00"  # the default (the cashier's is set below)
    page.fill("#cashier_percent", "60")
    page.click("#save-discount-limits")
    page.wait_for_selector("#cashier_percent[aria-invalid=true]")
    assert "收银员的折扣上限不能高于店长的" in page.inner_text("#discount-limits")
    page.locator("#discount-limits").scroll_into_view_if_needed()
    shot(page, "till-discount-limits-refused")
    page.fill("#cashier_percent", "12")
    page.click("#save-discount-limits")
    page.wait_for_selector("text=折扣权限已保存")
    assert page.input_value("#cashier_percent") == "12"
