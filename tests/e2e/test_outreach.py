"""Outreach in Chromium: the convenience-service quick log in two taps at tablet sizes, the public complaint form
on a phone without login (nothing personal shown), the auditor's overdue list, the store profile."""
from __future__ import annotations

import re

import pytest

from .conftest import CHROMIUM, login, shot

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}


def _no_horizontal_overflow(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), "page overflows"


def test_quick_log_in_two_taps(page, live_server):
    base = live_server["url"]
    login(page, base, "cashier-yl01")
    page.goto(f"{base}/outreach/services")
    tile = page.locator(".service-tile", has_text="代缴费")
    before = int(re.search(r"(\d+)", tile.locator(".service-today").inner_text()).group(1))
    shot(page, "outreach-quicklog-before")
    _no_horizontal_overflow(page)
    tile.tap()                                   # tap 1: the service
    page.locator(".quicklog-submit").tap()        # tap 2: 登记
    page.wait_for_selector(".flash")
    assert "已登记：代缴费 1 次" in page.locator(".flash").inner_text()
    after = int(re.search(r"(\d+)", page.locator(".service-tile", has_text="代缴费")
                          .locator(".service-today").inner_text()).group(1))
    assert after == before + 1
    assert "代缴费" in page.locator("#service-logs tbody tr").first.inner_text()
    shot(page, "outreach-quicklog-after")


def test_auditor_sees_the_overdue_complaint_and_manager_profile(page, live_server):
    base = live_server["url"]
    login(page, base, "auditor-yl")
    page.goto(f"{base}/outreach/complaints/overdue")
    rows = page.locator("#overdue tbody tr")
    assert rows.count() == 1 and "望月湖" in rows.first.inner_text()
    assert int(rows.first.locator("td.num").inner_text()) >= 16
    shot(page, "outreach-overdue")
    page.context.clear_cookies()
    login(page, base, "manager-yl01")
    page.goto(f"{base}/outreach/profile")
    assert page.locator("#signage .badge-ok").count() == 7
    _no_horizontal_overflow(page)
    shot(page, "outreach-profile")


@pytest.mark.parametrize("size", ["phone", "tablet"])
def test_public_complaint_without_login(browser, live_server, size):
    base = live_server["url"]
    viewport = PHONE if size == "phone" else {"width": 768, "height": 1024}
    context = browser.new_context(viewport=viewport, locale="zh-CN", has_touch=True)
    page = context.new_page()
    page.orientation = size
    try:
        page.goto(f"{base}/public/complaints")
        assert "门店标记" not in page.content()
        page.select_option("select[name=store_code]", "YL02")
        page.select_option("select[name=category]", "suggestion")
        page.fill("textarea[name=text]", "希望周末也能开门，我叫王小二")
        page.fill("input[name=contact]", "13912345678")
        _no_horizontal_overflow(page)
        shot(page, "outreach-public-form")
        page.locator("button[type=submit]").first.tap()
        page.wait_for_selector(".reference")
        reference = page.locator(".reference").inner_text().strip()
        assert reference.startswith("TS") and reference in page.locator(".flash").inner_text()
        body = page.content()
        assert "13912345678" not in body and "139****5678" not in body and "王小二" not in body
        assert "处理中" in page.locator("#status").inner_text()
        _no_horizontal_overflow(page)
        shot(page, "outreach-public-status")
        # look it up again through the form, typed in lower case
        page.goto(f"{base}/public/complaints")
        page.fill("input[name=reference]", reference.lower())
        page.locator(".lookup button").tap()
        page.wait_for_selector(".reference")
        assert page.locator(".reference").inner_text().strip() == reference
    finally:
        context.close()
