"""Change for charity at the till (issue 17, item 11) on a tablet: the offer appears when cash leaves change, one
tap gives the round-up (or the whole change) to the district's project, the change shown drops, the receipt
says so, and the project's raised figure counts it once."""
from datetime import date, timedelta

from sqlalchemy import select

from .conftest import shot, wait_js
from .test_till import demo_code, scan
from .test_till_day import inside_viewport, open_till, small_targets

PROJECT = "天心区助学"


def _cashier_and_project(app, orientation: str) -> tuple[str, object]:
    """A cashier of TX03 of this test's own (no other browser test sells with it) and an open district project
    of 天心区 (the demo has none there)."""
    from supermarket.auth.models import User
    from supermarket.auth.permissions import Role, system_actor
    from supermarket.auth.service import create_user
    from supermarket.extensions import db
    from supermarket.models import utcnow
    from supermarket.projects import service as projects
    from supermarket.projects.models import Project
    from supermarket.projects.projects import ProjectInput
    from supermarket.stores.models import District, Store

    username = f"cashier-gift-{orientation}"
    with app.app_context():
        session, admin, now = db.session, system_actor(), utcnow()
        store = session.scalar(select(Store).where(Store.code == "TX03"))
        if session.scalar(select(User).where(User.username == username)) is None:
            create_user(session, admin, username=username, display_name="收银员 爱心", password="changsha2023",
                        role=Role.CASHIER, store_id=store.id)
        project = session.scalar(select(Project).where(Project.title == PROJECT))
        if project is None:
            district = session.get(District, store.district_id)
            project = projects.create_project(session, admin, ProjectInput(
                title=PROJECT, purpose="为天心区困难家庭的学生添置学习用品", beneficiaries="天心区困难家庭学生约50名",
                target_fen=300_000, starts_on=date.today() - timedelta(days=30), ends_on=date.today() + timedelta(days=300),
                level="district", district_id=district.id), now=now)
            projects.set_status(session, admin, project.id, "open", now=now)
        return username, project.id


def _scan_when_ready(page, code: str):
    """The scanner types into the scan field once the till has put the focus there (after a load or a sale)."""
    wait_js(page, "document.activeElement && document.activeElement.id === 'scan'")
    scan(page, code)
    page.wait_for_selector("#cart tbody tr")


def _raised(app, project_id) -> int:
    from supermarket.extensions import db
    from supermarket.projects import service as projects

    with app.app_context():
        return projects.figures(db.session, [project_id])[project_id].raised_fen


def test_the_customer_gives_the_round_up_and_then_the_change_with_one_tap(live_server, page):
    base, app = live_server["url"], live_server["app"]
    username, project_id = _cashier_and_project(app, page.orientation)
    before = _raised(app, project_id)
    open_till(page, base, username)

    _scan_when_ready(page, demo_code(7))                       # 棉袜（3 双） ¥9.90
    assert page.is_hidden("#donate-box")                      # nothing paid yet: no change to give
    page.click("button.tender[data-method=cash]")
    page.fill(".payment[data-method=cash] .pay-amount", "20")
    page.wait_for_selector("#donate-box:not([hidden])")
    offers = page.locator("#donate-offers .donate-offer").all_inner_texts()
    assert offers == [f"捐零钱 ¥10.10 给 {PROJECT}", f"凑整捐 ¥0.10 给 {PROJECT}"]
    assert page.inner_text("#change") == "¥10.10"
    for selector in ("#donate-box", "#total", "#finish", ".due-box"):
        inside_viewport(page, selector)
    assert small_targets(page, "#donate-box") == []
    shot(page, "till-donate-offer")

    page.click("#donate-offers .donate-offer[data-kind=round_up]")   # the customer's yes
    assert page.inner_text("#change") == "¥10.00"
    assert page.inner_text("#donate-chosen-text") == f"顾客捐 ¥0.10 → {PROJECT}"
    inside_viewport(page, "#finish")
    shot(page, "till-donate-chosen")
    page.click("#finish")
    page.wait_for_selector("#receipt-screen:not([hidden])")
    assert page.inner_text("#receipt-change") == "¥10.00"
    assert f"捐赠 ¥0.10 → {PROJECT}，谢谢您的爱心" in page.inner_text("#receipt-paper")
    shot(page, "till-donate-receipt")
    page.click("#next-customer")

    # The whole change; typing another cash amount drops the gift (the customer agreed to that amount only).
    _scan_when_ready(page, demo_code(7))
    page.click("button.tender[data-method=cash]")
    page.fill(".payment[data-method=cash] .pay-amount", "10")
    page.click("#donate-offers .donate-offer[data-kind=change]")
    assert page.inner_text("#change") == "¥0.00"
    page.fill(".payment[data-method=cash] .pay-amount", "11")
    wait_js(page, "document.getElementById('donate-chosen').hidden")
    assert page.inner_text("#change") == "¥1.10"
    page.fill(".payment[data-method=cash] .pay-amount", "10")
    page.click("#donate-offers .donate-offer[data-kind=change]")
    page.click("#finish")
    page.wait_for_selector("#receipt-screen:not([hidden])")
    assert page.inner_text("#receipt-change") == "¥0.00"
    assert f"捐赠 ¥0.10 → {PROJECT}" in page.inner_text("#receipt-paper")
    assert _raised(app, project_id) == before + 20
