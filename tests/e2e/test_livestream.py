"""A livestream session on a tablet: registered before it starts, the platform's order file imported with a
progress bar (the same file again adds nothing), the totals reconciled with a difference; and the demo's session
with an unexplained difference closed by the manager with an explanation, then its publication recorded."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from .conftest import login, shot, wait_js

CST = timezone(timedelta(hours=8))


def _orders(path, start, tag):
    rows = ["订单编号,订单应付金额,订单提交时间,订单状态"]
    for n in range(1, 6):
        at = (start + timedelta(minutes=10 * n)).strftime("%Y-%m-%d %H:%M:%S")
        rows.append(f"E2E{tag}{n:03d},{10 * n}.00,{at},已完成")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_register_import_and_reconcile_a_session(live_server, page, tmp_path):
    url, tag = live_server["url"], page.orientation[:1].upper()
    start = (datetime.now(CST) + timedelta(hours=2)).replace(second=0, microsecond=0)
    login(page, url, "cashier-yl01")
    page.goto(f"{url}/livestreams/new")
    page.fill("input[name=title]", f"端到端直播{tag}")
    page.select_option("select[name=project_id]", label="山区小学过冬衣物")
    page.select_option("select[name=platform]", "douyin")
    page.fill("input[name=host]", "主播小周")
    page.fill("input[name=starts_at]", start.strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=ends_at]", (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "livestream-register")
    page.click("form.card button[type=submit]")
    page.wait_for_selector("#order-import")
    assert f"端到端直播{tag}" in page.inner_text("h1")

    csv_file = _orders(tmp_path / "douyin.csv", start, tag)
    page.set_input_files("#order-import input[type=file]", str(csv_file))
    page.click("#order-import button[type=submit]")
    page.wait_for_selector("#import-result[data-state=done]")
    assert page.locator("#import-progress").evaluate("el => el.value") == 100
    assert "新增 5 笔" in page.inner_text("#import-result")
    shot(page, "livestream-imported")
    wait_js(page, "document.getElementById('orders-total').textContent.includes('150.00')")
    # The same file again adds nothing.
    page.set_input_files("#order-import input[type=file]", str(csv_file))
    page.click("#order-import button[type=submit]")
    page.wait_for_selector("#import-result[data-state=done]")
    assert "未新增" in page.inner_text("#import-result")
    page.wait_for_load_state("load")

    page.goto(page.url + "/reconciliation")
    page.fill("input[name=platform_total_yuan]", "160")
    page.fill("input[name=received_yuan]", "145.5")
    page.click("form[action$='/totals'] button")
    page.wait_for_selector("[data-diff=platform] .diff")
    assert "10.00" in page.inner_text("[data-diff=platform]")
    assert "-¥4.50" in page.inner_text("[data-diff=received]")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "livestream-reconciliation")


def test_the_manager_closes_a_session_with_a_difference_by_explaining_it(live_server, page):
    url = live_server["url"]
    login(page, url, "manager-yl01")
    page.goto(f"{url}/livestreams")
    page.click("text=冬衣义卖直播（第二场）")
    page.click("text=对账")
    page.wait_for_selector("table.recon")
    if page.locator("form[action$='/close']").count() == 0:  # closed in the other orientation's run
        shot(page, "livestream-closed")
        return
    page.click("form[action$='/close'] button")
    page.wait_for_selector(".error-text")
    assert "须说明原因" in page.inner_text("form[action$='/close']")
    shot(page, "livestream-close-refused")
    page.fill("textarea[name=explanation]", "平台扣除技术服务费80元；一笔退款12元尚未到账")
    page.click("form[action$='/close'] button")
    page.wait_for_selector("form[action$='/publication']")
    assert "平台扣除技术服务费" in page.inner_text("main") if page.locator("main").count() else True
    page.fill("input[name=where]", "门店公告栏")
    page.click("form[action$='/publication'] button")
    page.wait_for_selector("text=已公示")
    shot(page, "livestream-closed")


def test_the_project_page_shows_its_figures_ledger_and_the_missing_update(live_server, page):
    url = live_server["url"]
    login(page, url, "cashier-yl01")
    page.goto(f"{url}/projects")
    page.click("text=山区小学过冬衣物")
    page.wait_for_selector("[data-figure=balance]")
    assert "¥680.00" in page.inner_text("[data-figure=spent]")
    assert page.locator(".missing-update").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "project-page")
    page.click("text=记录支出")
    page.fill("input[name=amount_yuan]", "50000")
    page.fill("input[name=payee]", "某商店")
    page.fill("input[name=purpose]", "测试超支")
    page.fill("input[name=spent_on]", "2026-12-01")
    page.fill("input[name=approver]", "manager-yl01")
    page.fill("input[name=approver_secret]", "2468")
    page.click("form.card button[type=submit]")
    page.wait_for_selector(".alert")
    assert "余额不足" in page.inner_text(".alert")
    assert page.input_value("input[name=payee]") == "某商店"
    shot(page, "project-expenditure-refused")
