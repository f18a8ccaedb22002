"""Volunteer points in Chromium: staff pages at tablet size, and the resident's own page at phone size."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from .conftest import login, shot, till_ready
from .test_oversight_pages import check_fits_the_tablet

PHONE = {"width": 390, "height": 844}
DEMO_PHONE, DEMO_PIN, DEMO_CODE = "13800000001", "123456", "DEMO-RESIDENT-1"

PAGES = [
    ("cashier-yl01", "/points", "志愿服务积分", "points-home"),
    ("cashier-yl01", "/points/residents/new", "登记居民", "points-register"),
    ("cashier-yl01", "/points/shifts/new", "登记服务时长", "points-shift"),
    ("manager-yl01", "/points/credits", "服务记录", "points-credits"),
    ("manager-yl01", "/points/residents", "居民名录", "points-directory"),
    ("admin", "/points/table", "积分标准", "points-table"),
    ("admin", "/points/table/new", "发布积分标准新版本", "points-table-new"),
    ("admin", "/points/overview", "积分监管", "points-overview"),
    ("auditor-yl", "/points/overview", "积分监管", "points-overview-district"),
]


@pytest.mark.parametrize("username, path, heading, name", PAGES, ids=[p[3] for p in PAGES])
def test_points_page_fits_the_tablet(live_server, page, username, path, heading, name):
    check_fits_the_tablet(live_server, page, username, path, heading, name)


def resident_balance(page, base_url) -> int:
    """Log in as the demo resident on a phone-sized page and read the balance."""
    page.goto(f"{base_url}/me/login")
    page.fill("#phone", DEMO_PHONE)
    page.fill("#pin", DEMO_PIN)
    page.click("button[type=submit]")
    page.wait_for_selector("#me-balance")
    return int(page.inner_text("#me-balance"))


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", has_touch=True, is_mobile=True)
    page = context.new_page()
    page.orientation = "phone"
    page.set_default_timeout(10000)
    yield page
    context.close()


def test_the_resident_sees_balance_expiring_points_and_qr_on_a_phone(live_server, phone):
    balance = resident_balance(phone, live_server["url"])
    assert balance > 0
    assert "到期" in phone.inner_text("#me-expiring")
    assert phone.inner_text("#me-code") == DEMO_CODE
    assert phone.locator("#me-qr svg").count() == 1
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(phone, "points-me")


def test_wrong_pin_on_the_phone_gives_a_chinese_error(live_server, browser):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True)
    page = context.new_page()
    page.goto(f"{live_server['url']}/me/login")
    page.fill("#phone", "13800000008")
    page.fill("#pin", "999999")
    page.click("button[type=submit]")
    assert "手机号或 PIN 错误" in page.inner_text("#me-error")
    context.close()


def test_a_shift_entered_and_approved_at_the_tablet_shows_on_the_residents_phone(live_server, page, browser):
    base = live_server["url"]
    phone_ctx = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True)
    phone = phone_ctx.new_page()
    phone.orientation = "phone"
    before = resident_balance(phone, base)

    login(page, base, "cashier-yl02")
    page.wait_for_selector("button:has-text('退出')")
    page.goto(f"{base}/points")
    page.fill("#member-code", DEMO_CODE)
    page.click("button:has-text('查找')")
    page.wait_for_selector("#balance")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "points-resident")
    page.click("a:has-text('登记服务时长')")
    # 3 hours on the Changsha wall clock, in the last 8 hours (which the demo data leaves free); each
    # orientation takes its own slot, as shifts of one resident may not overlap
    offset = {"landscape": 30, "portrait": 240}[page.orientation]
    end = datetime.now(ZoneInfo("Asia/Shanghai")).replace(second=0, microsecond=0) - timedelta(minutes=offset)
    page.select_option("select[name=activity]", "community-service")
    page.fill("input[name=started_at]", (end - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=ended_at]", end.strftime("%Y-%m-%dT%H:%M"))
    shot(page, "points-shift-filled")
    page.click("button:has-text('提交审核')")
    page.wait_for_selector("text=等待店长审核")
    page.click("button:has-text('退出')")

    login(page, base, "manager-yl02")
    page.wait_for_selector("button:has-text('退出')")
    page.goto(f"{base}/points/credits?status=pending")
    row = page.locator("#credits tbody tr", has_text=DEMO_CODE).first
    row.locator("button:has-text('审核通过')").click()
    page.wait_for_selector("text=已入账")
    shot(page, "points-approved")

    phone.reload()
    assert int(phone.inner_text("#me-balance")) == before + 3
    assert "志愿服务" in phone.inner_text("#me-history")
    shot(phone, "points-me-after-shift")
    phone_ctx.close()


def cheapest_points_item(app, store_code: str):
    """A demo item with a points price that the store has on hand (the cheapest in points)."""
    from sqlalchemy import select

    from supermarket.catalog.models import Item
    from supermarket.extensions import db
    from supermarket.inventory.models import StockBalance
    from supermarket.stores.models import Store

    with app.app_context():
        row = db.session.execute(
            select(Item.barcode, Item.name, Item.points_price).join(StockBalance, StockBalance.item_id == Item.id)
            .join(Store, Store.id == StockBalance.store_id)
            .where(Store.code == store_code, StockBalance.qty > 2, Item.points_price.is_not(None),
                   Item.barcode.is_not(None))
            .order_by(Item.points_price, Item.barcode).limit(1)).one()
        db.session.remove()
    return row


def test_the_cashier_sells_an_item_paid_with_points_and_the_resident_sees_the_new_balance(live_server, page,
                                                                                            browser):
    base = live_server["url"]
    barcode, name, points_price = cheapest_points_item(live_server["app"], "FR01")
    phone_ctx = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    phone = phone_ctx.new_page()
    phone.orientation = "phone"
    before = resident_balance(phone, base)

    login(page, base, "cashier-fr01")
    page.goto(f"{base}/sales/till")
    if page.query_selector("#open-shift"):
        page.fill("#float_yuan", "100")
        page.click("#open-shift-button")
    till_ready(page)
    page.keyboard.type(barcode)                   # the scanner types the code and Enter
    page.keyboard.press("Enter")
    page.wait_for_selector("#cart tbody tr .points-toggle input")
    page.check("#cart tbody tr:first-child .points-toggle input")
    assert page.inner_text("#total") == f"{points_price} 积分"     # not ¥0.00, which reads as free
    page.click("button.tender[data-method=points]")
    page.keyboard.type(DEMO_CODE)                 # the member card scanned into the focused member-code field
    page.wait_for_selector("#member-info.ok")
    assert "李秀英" in page.inner_text("#member-info")
    assert page.is_disabled("#finish")            # no PIN yet
    page.fill(".payment[data-method=points] .pay-pin", DEMO_PIN)   # the resident types their PIN
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "till-points")
    page.click("#finish")
    page.wait_for_selector("#receipt-screen:not([hidden])")
    paper = page.inner_text("#receipt-paper")
    assert f"{points_price} 积分" in paper and name in paper
    shot(page, "till-points-receipt")

    phone.reload()
    assert int(phone.inner_text("#me-balance")) == before - points_price
    assert "兑换" in phone.inner_text("#me-history")
    shot(phone, f"points-me-after-sale-{page.orientation}")
    phone_ctx.close()
