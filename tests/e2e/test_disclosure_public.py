"""The Sunshine charity public pages on a phone (390×844), a tablet (768×1024) and a tablet/PC (1024×768): no
login, Chinese renders, nothing overflows the width; the store's projects and livestream results; the trace page
opened from a demo receipt's token (one whose money went to a project); the manager's 去向码 panel."""
import pytest

from .conftest import CHROMIUM, login, shot

SIZES = {"phone": {"width": 390, "height": 844}, "portrait": {"width": 768, "height": 1024},
         "desktop": {"width": 1024, "height": 768}}


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
        from supermarket.projects.models import Designation
        rows = db.session.query(Disclosure).filter_by(version=2).all()
        designated = db.session.query(Designation.donation_id)
        token = (db.session.query(TraceToken).filter(TraceToken.donation_id.in_(designated),
                                                     TraceToken.revoked_at.is_(None)).first().token)
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
    assert "本店慈善项目" in view.inner_text("main") and "直播义买结果" in view.inner_text("main")
    assert fits(view)
    shot(view, "disclosure-store")
    view.goto(f"{url}/public/stores/{code}/{month}")
    assert "更正原因" in view.inner_text("main") and "第 2 版" in view.inner_text("main")
    assert "本月项目筹款合计" in view.inner_text("#fig-projects")
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
    assert "捐赠去向" in view.inner_text("h1") and "定向项目" in view.inner_text("main")
    assert fits(view)
    shot(view, "disclosure-trace")


def test_the_manager_sees_the_trace_code_panel(live_server, view):
    from supermarket.disclosure.models import TraceToken
    from supermarket.extensions import db
    from supermarket.intake.models import Donation

    with live_server["app"].app_context():
        donation_id = (db.session.query(Donation.id).join(TraceToken, TraceToken.donation_id == Donation.id)
                       .filter(Donation.serial.like("%YL01%")).first()[0])
    url = live_server["url"]
    login(view, url, "manager-yl01")
    view.goto(f"{url}/intake/donations/{donation_id}")
    panel = view.inner_text("#trace-token")
    assert "重新生成去向码" in panel and "作废去向码" in panel
    assert fits(view)
    shot(view, "intake-trace-panel")


def test_english_is_switchable(live_server, view):
    view.goto(f"{live_server['url']}/public/")
    view.click("text=English")
    view.wait_for_selector("text=Sunshine Charity")
    assert fits(view)
    shot(view, "disclosure-city-en")
