"""The central check in Chromium: the district auditor opens the board, filters to a rule, drills into a store and
opens an exception's document; every page of the board at both tablet sizes, with nothing wider than the page."""
from __future__ import annotations

import pytest

from tests.e2e.conftest import login, shot

pytestmark = pytest.mark.e2e


def _fits(page) -> None:
    """Nothing overflows the page: the grid scrolls inside its own box."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"page is {width}px wide"


def test_auditor_filters_drills_down_and_opens_the_document(page, live_server):
    base = live_server["url"]
    login(page, base, "auditor-tx")
    page.click("nav >> text=标准化核查")
    page.wait_for_url(f"{base}/compliance")
    stores = page.locator("table.grid tbody th.sticky a").all_inner_texts()
    assert sorted(stores) == ["TX01", "TX02", "TX03"]  # only 天心区
    _fits(page)
    shot(page, "compliance-board-auditor")
    page.select_option("select[name=rule]", "A-02")  # the filter applies on change (compliance.js)
    page.wait_for_url("**rule=A-02**")
    assert page.locator("table.grid tbody th.sticky a").all_inner_texts() == ["TX01"]
    assert "RL-5" in page.locator(".red-list").inner_text()
    page.click("table.grid tbody th.sticky >> text=TX01")
    page.wait_for_url(f"{base}/compliance/stores/TX01")
    assert page.locator("#card-stars").inner_text() == "未达标"
    _fits(page)
    shot(page, "compliance-store")
    page.click("table.rules >> a:text-is('A-02')")
    page.wait_for_url(f"{base}/compliance/stores/TX01/rules/A-02")
    link = page.locator("#exceptions tbody a").first
    label = link.inner_text()
    assert label.startswith("发放")
    _fits(page)
    shot(page, "compliance-rule")
    link.click()
    page.wait_for_load_state()
    assert "/aid/distributions/" in page.url and page.locator("h1").count()
    assert "404" not in page.title()
    shot(page, "compliance-document")


def test_the_federation_pages_fit_both_tablet_sizes(page, live_server):
    base = live_server["url"]
    login(page, base, "admin")
    for path, name in (("/compliance", "compliance-board-city"), ("/compliance/stores/TX02", "compliance-store-tx02"),
                       ("/compliance/stores/TX02/rules/D-04", "compliance-rule-na-form"),
                       ("/standards/current", "standards-current"), ("/standards/draft", "standards-draft")):
        page.goto(base + path)
        assert page.locator("h1").count() == 1
        _fits(page)
        shot(page, name)
    page.click("text=退出")
    login(page, base, "manager-yl01")
    page.wait_for_url("**/stores/**")
    assert "暂定星级" in page.locator("#today-figures").inner_text()
    page.goto(base + "/")
    shot(page, "store-home-stars")
