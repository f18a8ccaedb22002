"""The Sunshine charity public pages on a phone (390×844) and a tablet/PC (1024×768): no login, Chinese renders,
nothing overflows the width; the trace page opened from a demo receipt's token."""
import pytest

from .conftest import CHROMIUM, shot

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1024, "height": 768}}


@pytest.fixture(params=list(SIZES), ids=list(SIZES))
def view(request, browser):
    context = browser.new_context(viewport=SIZES[request.param], locale="zh-CN", has_touch=True,
                                  is_mobile=request.param == "phone")
    page = context.new_page()
    page.orientation = request.param
    page.set_default_timeout(10000)
    yield page
    context.close()


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _months(live_server):
    from supermarket.disclosure.models import Disclosure
    from supermarket.disclosure.models import TraceToken
    from supermarket.extensions import db

    with live_server["app"].app_context():
        rows = db.session.query(Disclosure).filter_by(version=2).all()
        token = db.session.query(TraceToken).first().token
        return [(r.store.code, r.month.strftime("%Y-%m")) for r in rows], token


def test_the_public_pages_fit_and_read(live_server, view):
    url = live_server["url"]
    (corrected,), token = _months(live_server)
    code, month = corrected
    view.goto(f"{url}/public/")
    assert "全市" in view.inner_text("h1")
    assert fits(view)
    shot(view, "disclosure-city")
    view.click(f"text=岳麓区")
    assert fits(view)
    shot(view, "disclosure-district")
    view.goto(f"{url}/public/stores/{code}")
    assert "七项功能" in view.inner_text("main") and "未评定" in view.inner_text("main")
    assert fits(view)
    shot(view, "disclosure-store")
    view.goto(f"{url}/public/stores/{code}/{month}")
    assert "更正原因" in view.inner_text("main") and "第 2 版" in view.inner_text("main")
    assert fits(view)
    shot(view, "disclosure-month")
    view.goto(f"{url}/public/stores/{code}/{month}?v=1")
    assert "本版本已被更正" in view.inner_text("main")
    view.click("text=核验")
    view.wait_for_selector(".verdict")
    assert "核验通过" in view.inner_text("main")
    assert fits(view)
    shot(view, "disclosure-verify")
    view.goto(f"{url}/public/trace/{token}")
    assert "捐赠去向" in view.inner_text("h1")
    assert fits(view)
    shot(view, "disclosure-trace")


def test_english_is_switchable(live_server, view):
    view.goto(f"{live_server['url']}/public/")
    view.click("text=English")
    view.wait_for_selector("text=Sunshine Charity")
    assert fits(view)
    shot(view, "disclosure-city-en")
