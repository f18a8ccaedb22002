"""Weighed goods at the till (issue 17, item 2): 散装大米 asks its weight when scanned, bad weights are refused at
the field, "0.5*" typed before the scan weighs the next one, and 1.250 kg at ¥8.00/kg sells for ¥10.00."""
from .conftest import shot, wait_js
from .test_till import demo_code, scan
from .test_till_day import inside_viewport, open_till

RICE = demo_code(13)  # 散装大米, ¥8.00 per kg (supermarket/sales/demo.py WEIGHED)
BAD = "重量请填写千克数（大于 0，不超过 50 千克，最多三位小数），例如 1.25"


def test_selling_rice_by_weight(live_server, page):
    base = live_server["url"]
    open_till(page, base, "cashier-tx01")
    scan(page, RICE)
    page.wait_for_selector("#weight-dialog[open]")
    assert "散装大米" in page.inner_text("#weight-item") and "¥8.00/kg" in page.inner_text("#weight-item")
    for bad in ("0", "-1", "abc", "60", "1.2345", "50.001"):
        page.fill("#weight-input", bad)
        page.click("#weight-ok")
        assert page.inner_text("#weight-error") == BAD
        assert page.get_attribute("#weight-input", "aria-invalid") == "true"
        assert page.is_visible("#weight-dialog")
    assert page.locator("#cart tbody tr").count() == 0           # nothing added while the weight is wrong
    page.fill("#weight-input", "")
    for key in ("1", ".", "2", "5"):                              # tapped on the dialog's keypad
        page.click(f"#weight-keypad .key[data-key='{key}']")
    assert page.inner_text("#weight-preview") == "1.250 kg × ¥8.00/kg = ¥10.00"
    inside_viewport(page, "#weight-ok")
    shot(page, "till-weighed-dialog")
    page.click("#weight-ok")
    wait_js(page, "document.querySelectorAll('#cart tbody tr').length === 1")
    row = "#cart tbody tr:nth-child(1)"
    assert page.inner_text(f"{row} .weight-note") == "1.250 kg × ¥8.00/kg"
    assert page.inner_text(f"{row} .line-total") == "¥10.00"
    assert page.inner_text("#total") == "¥10.00"
    wait_js(page, "!document.getElementById('weight-dialog').open")

    page.wait_for_timeout(350)
    scan(page, "1.2345*" + RICE)                                  # four decimals typed before the scan: refused
    wait_js(page, "!document.getElementById('scan-error').hidden")
    assert page.inner_text("#scan-error") == BAD
    assert page.locator("#cart tbody tr").count() == 1
    page.wait_for_timeout(350)
    scan(page, "0.5*" + RICE)                                     # the weight typed first: no dialog
    wait_js(page, "document.querySelectorAll('#cart tbody tr').length === 2")
    assert page.is_hidden("#scan-error") and not page.is_visible("#weight-dialog")
    assert page.inner_text("#cart tbody tr:nth-child(2) .weight-note") == "0.500 kg × ¥8.00/kg"
    assert page.inner_text("#total") == "¥14.00"
    shot(page, "till-weighed-cart")
    page.click("#cart tbody tr:nth-child(2) .remove-btn")
    assert page.inner_text("#total") == "¥10.00"

    page.click("button.tender[data-method=cash]")
    page.fill(".payment[data-method=cash] .pay-amount", "20")
    page.click("#finish")
    page.wait_for_selector("#receipt-screen:not([hidden])")
    assert "散装大米 1.250 kg" in page.inner_text("#receipt-paper")
    assert page.inner_text("#receipt-change") == "¥10.00"
    shot(page, "till-weighed-receipt")
