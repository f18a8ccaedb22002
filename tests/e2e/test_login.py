"""Logging in on a tablet, in both orientations."""
from .conftest import login, shot


def test_cashier_logs_in_and_sees_store_home_in_chinese(live_server, page):
    login(page, live_server["url"], "cashier-yl01")
    page.wait_for_selector("#today-figures")
    assert "望月湖慈善超市" in page.inner_text("h1")
    assert "今日概况" in page.content()
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    # Nothing overflows sideways at tablet width.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "store-home")


def test_wrong_password_gives_chinese_error(live_server, page):
    login(page, live_server["url"], "cashier-yl01", "wrong-password")
    error = page.wait_for_selector("#login-error")
    assert error.inner_text() == "用户名或密码错误"
    shot(page, "login-error")


def test_every_demo_account_can_log_in(live_server, browser):
    from supermarket.auth.demo import ACCOUNTS

    context = browser.new_context(viewport={"width": 1024, "height": 768})
    page = context.new_page()
    for username, *_ in ACCOUNTS:
        login(page, live_server["url"], username)
        page.wait_for_selector("button:has-text('退出')")
        assert "/login" not in page.url, username
        page.click("button:has-text('退出')")
        page.wait_for_selector("#username")
    context.close()
