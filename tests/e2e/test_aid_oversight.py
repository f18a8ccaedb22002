"""The district auditor's aid flags and the read-access log; the public list without login."""
from .conftest import login, shot


def test_auditor_sees_flags_and_who_opened_household_records(live_server, page):
    url = live_server["url"]
    login(page, url, "manager-yl01")
    page.wait_for_selector("#today-figures")
    assert "今日物资发放" in page.inner_text("#today-figures")
    page.goto(f"{url}/aid/households")
    page.click("text=DEMO-HH-1")
    page.wait_for_selector("text=本次查阅已记录")
    shot(page, "aid-household-record")
    page.click("button:has-text('退出')")

    login(page, url, "auditor-yl")
    page.wait_for_selector("button:has-text('退出')")
    page.goto(f"{url}/aid/flags")   # the aid flags are on the anomaly board now
    page.wait_for_selector("h1:has-text('预警看板')")
    body = page.inner_text("main")
    for kind in ("同一天在两家门店领取", "多次代领", "同一地址多户", "发放缺少签名或见证"):
        assert kind in body, kind
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shot(page, "aid-flags")
    page.goto(f"{url}/aid/record-views")
    assert "manager-yl01" in page.inner_text("main") and "DEMO-HH-1" in page.inner_text("main")
    shot(page, "aid-record-views")


def test_the_public_list_needs_no_login_and_is_masked(live_server, page):
    page.goto(f"{live_server['url']}/public/aid?store=YL01")
    assert "物资发放公示" in page.inner_text("h1")
    assert "王建国" not in page.content()
    shot(page, "aid-public-list")
