"""The district auditor's morning: the anomaly board, a sales.burst flag, its evidence down to the sale, and the
flag explained with a note. At 1024×768 (the auditor's PC); screenshots for a person to look at."""
from .conftest import CHROMIUM_ARGS, SCREENSHOTS, login  # noqa: F401


def _shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def test_auditor_opens_a_burst_flag_follows_the_evidence_and_explains_it(live_server, browser):
    url = live_server["url"]
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10000)
    try:
        login(page, url, "auditor-yl")
        page.wait_for_selector("button:has-text('退出')")
        page.click("nav >> text=预警")
        page.wait_for_selector("h1:has-text('预警看板')")
        body = page.inner_text("main")
        assert "短时间大量小额销售（刷单）" in body and "每周新增与处理" in body
        assert "FR01" not in page.inner_text("table.flag-list")          # another district's flags
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        _shot(page, "flags-board")

        page.click("table.flag-list a.flag-link:has-text('短时间大量小额销售')")
        page.wait_for_selector("h1:has-text('短时间大量小额销售')")
        assert page.locator("table.evidence a.evidence-link").count() == 20
        _shot(page, "flags-burst")
        flag_url = page.url
        first = page.locator("table.evidence a.evidence-link").first
        number = first.inner_text().split()[0]
        first.click()
        page.wait_for_url("**/sales/*")
        assert number in page.inner_text("main")
        _shot(page, "flags-evidence-sale")

        page.goto(flag_url)
        page.click("button:has-text('提交')")   # no note: refused, the message beside the field
        page.wait_for_selector("text=请填写说明")
        page.check("input[value=explained]")
        page.fill("textarea[name=note]", "店庆纸巾促销，小票与监控已核对")
        page.click("button:has-text('提交')")
        page.wait_for_selector(".status-explained")
        assert "店庆纸巾促销" in page.inner_text("main")
        _shot(page, "flags-explained")
    finally:
        context.close()
