"""Star rating in Chromium: the manager of YL01 finishes the self-assessment with a photo and submits it on a
1024×768 tablet; the district auditor reviews it on a 768×1024 tablet (an override with its reason) and accepts;
the public pages fit a phone. Screenshots of every rating page."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.e2e.conftest import CHROMIUM, SCREENSHOTS, TABLET_SIZES, login, wait_js  # noqa: F401

pytestmark = pytest.mark.e2e


def _context(browser, size):
    context = browser.new_context(viewport=size, locale="zh-CN", has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    return context, page, blocked


def _shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{size['width']}x{size['height']}.png"), full_page=True)


def _fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"page is {width}px wide"


def _photo(tmp_path):
    path = tmp_path / "zones.jpg"
    buf = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 120, 60)).save(buf, "JPEG")
    path.write_bytes(buf.getvalue())
    return str(path)


def test_manager_submits_with_a_photo_and_the_auditor_reviews_on_a_tablet(browser, live_server, tmp_path):
    base = live_server["url"]
    photo = _photo(tmp_path)

    context, page, blocked = _context(browser, TABLET_SIZES["landscape"])
    login(page, base, "manager-yl01")
    page.click("nav >> text=星级评定")
    page.wait_for_url(f"{base}/rating/stores/YL01")
    _fits(page)
    _shot(page, "rating-store")
    page.locator("section table a").first.click()
    page.wait_for_url("**/rating/assessments/**")
    assessment_url = page.url
    _shot(page, "rating-assessment-draft")
    for rule in ("C-02", "C-05"):
        form = page.locator(f"#answer-{rule}")
        for box in form.locator("input[name=checked]").all():
            box.check()
        form.locator("input[name=evidence]").set_input_files(photo)
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()
        assert "自评项已保存" in page.locator(".flash").inner_text()
    page.select_option("#submit-form select[name=stars_applied]", "1")
    page.click("#submit-form button[type=submit]")
    page.wait_for_load_state()
    assert "已提交" in page.locator(".flash").inner_text()
    assert "自动项数据冻结于" in page.locator("#status").inner_text()
    _fits(page)
    _shot(page, "rating-assessment-submitted")
    context.close()
    assert blocked == [], blocked

    context, page, blocked = _context(browser, TABLET_SIZES["portrait"])
    login(page, base, "auditor-yl")
    page.click("nav >> text=星级评定")
    page.wait_for_url(f"{base}/rating")
    assert "YL01" in page.locator("#queue").inner_text()
    _fits(page)
    _shot(page, "rating-queue")
    page.click("#queue >> text=YL01")
    page.wait_for_url(assessment_url)
    page.select_option("select[name='reviews.C-01.grade']", "C")
    page.click("#accept-form button[type=submit]")
    page.wait_for_load_state()
    assert "改判 C-01 须写明理由" in page.locator("#accept-form .alert").inner_text()
    assert page.locator("input[name='reviews.C-01.reason'][aria-invalid=true]").count() == 1
    _shot(page, "rating-review-refused")
    page.select_option("select[name='reviews.C-01.grade']", "C")
    page.fill("input[name='reviews.C-01.reason']", "现场测量面积 28 平方米")
    page.click("#accept-form button[type=submit]")
    page.wait_for_load_state()
    assert "审核已完成" in page.locator(".flash").inner_text()
    assert "现场测量面积 28 平方米" in page.locator("#lines").inner_text()
    _fits(page)
    _shot(page, "rating-assessment-publicity")
    page.goto(f"{base}/rating/findings")
    _fits(page)
    _shot(page, "rating-findings")
    page.goto(f"{base}/rating")
    page.locator("text=岳麓区2026年度慈善超市星级评定").first.click()
    page.wait_for_url("**/rating/rounds/**")
    _fits(page)
    _shot(page, "rating-round")
    context.close()
    assert blocked == [], blocked

    # TX03's on-site check: the store sees the scheduled visit; an inspector moves it to today and records it.
    for size in ("landscape", "portrait"):
        context, page, blocked = _context(browser, TABLET_SIZES[size])
        login(page, base, "manager-tx03")
        page.goto(f"{base}/rating/stores/TX03")
        assert "auditor-tx-2" in page.locator("section table").first.inner_text()
        _fits(page)
        _shot(page, "rating-store-visit")
        context.close()
        assert blocked == [], blocked
    for size in ("landscape", "portrait"):
        context, page, blocked = _context(browser, TABLET_SIZES[size])
        login(page, base, "auditor-tx")
        page.goto(f"{base}/rating")
        _fits(page)
        _shot(page, "rating-queue-tx")
        page.click("#queue >> text=TX03")
        page.wait_for_url("**/rating/assessments/**")
        assert "auditor-tx-2" in page.locator("#onsite-visit").inner_text()
        _fits(page)
        _shot(page, "rating-onsite-scheduled")
        if size == "portrait":
            today = page.locator("#onsite-form input[name=visited_on]").input_value()
            page.fill("#schedule-form input[name=scheduled_on]", today)
            page.click("#schedule-form button[type=submit]")
            page.wait_for_load_state()
            assert "现场核查已安排" in page.locator(".flash").inner_text()
            page.fill("#onsite-form input[name=second_auditor]", "auditor-tx-2")
            page.fill("#onsite-form input[name=second_secret]", "changsha2023")
            page.click("#onsite-form button[type=submit]")
            page.wait_for_load_state()
            assert page.locator("#onsite-form .error-text").count() >= 1
            _shot(page, "rating-onsite-refused")
            page.check("#onsite-form input[name='items.P-01'][value=met]")
            page.fill("#onsite-form input[name='notes.P-01']", "导出文件已脱敏，查看记录可追溯")
            page.locator("#onsite-form input[name='photos.P-01']").set_input_files(photo)
            page.fill("#onsite-form input[name=second_auditor]", "auditor-tx-2")
            page.fill("#onsite-form input[name=second_secret]", "changsha2023")
            page.click("#onsite-form button[type=submit]")
            page.wait_for_load_state()
            assert "现场核查已记录" in page.locator(".flash").inner_text()
            assert "达标" in page.locator("#onsite-check").inner_text()
            _fits(page)
            _shot(page, "rating-onsite-recorded")
        page.goto(f"{base}/rating")
        page.locator("text=天心区2026年度慈善超市星级评定").first.click()
        page.wait_for_url("**/rating/rounds/**")
        _fits(page)
        _shot(page, "rating-round-tx")
        context.close()
        assert blocked == [], blocked

    context, page, blocked = _context(browser, {"width": 390, "height": 844})
    login(page, base, "manager-yl02")
    page.goto(f"{base}/rating/stores/YL02")
    link = page.locator("text=公开核验页").get_attribute("href")
    page.click("form.inline button")  # log out: the public pages are for anyone
    page.goto(f"{base}{link}")
    assert "星级有效" in page.locator(".verdict").inner_text()
    _fits(page)
    _shot(page, "rating-public-verify")
    page.goto(f"{base}/public/rating")
    assert "YL01" in page.content()
    _fits(page)
    _shot(page, "rating-public-publicity")
    context.close()
    assert blocked == [], blocked
