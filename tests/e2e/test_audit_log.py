"""The district auditor reads the audit log as sentences, opens an event's raw record, checks the chain of their
district, and downloads the log; at 1024×768 and 768×1024, screenshots for a person to look at."""
from .conftest import login, shot


def test_auditor_reads_the_log_checks_the_chain_and_downloads_it(live_server, page):
    url = live_server["url"]
    login(page, url, "auditor-yl")
    page.wait_for_selector("button:has-text('退出')")
    page.goto(f"{url}/audit?action=aid.distributed")
    page.wait_for_selector("h1:has-text('审计日志')")
    first = page.locator("li.audit-event").first
    assert "发放物资" in first.inner_text() and "¥" in first.inner_text()
    assert "aid.distributed" not in first.locator(".sentence").inner_text()   # the code only behind 详情
    first.locator("details summary").click()
    assert "aid.distributed" in first.locator("details").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shot(page, "audit-log")

    page.click("#verify-chain")
    page.wait_for_selector("#verify-result")
    assert "完整" in page.inner_text("#verify-result")
    shot(page, "audit-log-verified")

    with page.expect_download() as download:
        page.click("a:has-text('下载 Excel')")
    assert download.value.suggested_filename == "audit-log.xlsx"
