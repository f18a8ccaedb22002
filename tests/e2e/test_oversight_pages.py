"""The federation, district, user and audit pages fit a tablet in both orientations."""
import pytest

from .conftest import login, shot

PAGES = [
    ("admin", "/federation", "全市慈善超市", "federation-home"),
    ("admin", "/users", "用户管理", "users"),
    ("admin", "/users/new", "新建账号", "user-new"),
    ("auditor-yl", "/", "数据看板", "district-home"),  # a district auditor lands on the dashboard
    ("auditor-yl", "/audit", "审计日志", "audit"),
    ("manager-yl01", "/users", "用户管理", "manager-users"),
]


@pytest.mark.parametrize("username, path, heading, name", PAGES, ids=[p[3] for p in PAGES])
def test_page_fits_the_tablet(live_server, page, username, path, heading, name):
    check_fits_the_tablet(live_server, page, username, path, heading, name)


def check_fits_the_tablet(live_server, page, username, path, heading, name):
    """The page shows its heading and never scrolls sideways (a screenshot is kept to look at)."""
    login(page, live_server["url"], username)
    page.wait_for_selector("button:has-text('退出')")
    page.goto(live_server["url"] + path)
    assert heading in page.inner_text("h1")
    # Tables may scroll inside their own box, but the page itself never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
    shot(page, name)


def test_auditor_filters_the_audit_log(live_server, page):
    login(page, live_server["url"], "auditor-yl")
    page.wait_for_selector("button:has-text('退出')")
    page.goto(live_server["url"] + "/audit?action=auth.user_created")
    rows = page.locator("li.audit-event")
    assert rows.count() >= 1
    text = page.inner_text("#audit-log")  # the sentences; the raw action codes stay behind 详情
    assert "新建账号" in text and "登录系统" not in text
    assert "芙蓉区" not in text
