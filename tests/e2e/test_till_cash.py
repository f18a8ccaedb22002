"""The cash drawer from the till on a tablet (issue 17, item 5): the header stays one row with the 钱箱 link,
a payout beyond the drawer is refused at its field, a paid in is recorded, the X report shows it."""
from .conftest import login, shot, till_ready
from .test_till_day import inside_viewport, small_targets

CASHIER = "cashier-tx01"  # a store no other browser test sells at


def test_the_drawer_from_the_till(live_server, page):
    base = live_server["url"]
    login(page, base, CASHIER)
    page.goto(f"{base}/sales/till")
    if page.query_selector("#open-shift"):
        page.fill("#float_yuan", "200")
        page.click("#open-shift-button")
    till_ready(page)
    assert page.locator("header.topbar").bounding_box()["height"] < 64
    inside_viewport(page, "#cash-drawer-link")
    assert small_targets(page, "header.topbar") == []
    shot(page, "till-cash-till")
    page.click("#cash-drawer-link")
    page.wait_for_selector("#cash-move-form")
    # Landscape and portrait share one server and this cashier's shift: compare with what the drawer held.
    before = float(page.inner_text("#expected-cash").replace("¥", "").replace(",", ""))
    page.check("#kind-paid_out")
    page.fill("#cash-amount", "999")
    page.fill("#cash-reason", "退押金")
    page.click("#cash-move-button")
    page.wait_for_selector("#cash-amount[aria-invalid=true]")
    assert "不能支出" in page.inner_text("#cash-move-form")
    shot(page, "till-cash-refused")
    page.check("#kind-paid_in")
    page.fill("#cash-amount", "50")
    page.fill("#cash-reason", "补零钱")
    page.click("#cash-move-button")
    page.wait_for_selector("#cash-moves")
    after = float(page.inner_text("#expected-cash").replace("¥", "").replace(",", ""))
    assert round(after - before, 2) == 50
    page.click("#x-report-link")
    page.wait_for_selector("#x-paid-in")
    assert page.inner_text("#x-paid-in").startswith("¥")
    shot(page, "till-cash-x-report")
