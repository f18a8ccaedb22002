"""The till's pages: the till, opening and closing a shift, a sale with its void and return forms, settings,
and the store home's figures."""
import re

import pytest
from sqlalchemy import func, select

from supermarket.auth.models import LoginAttempt
from supermarket.sales import settings

from .factories import open_shift, sell, stocked_item


def test_the_till_asks_to_open_a_shift_first(world, login):
    page = login("cashier-yl01").get("/sales/till").get_data(as_text=True)
    assert 'id="open-shift"' in page and "备用金" in page


def test_opening_a_shift_from_the_till(world, login):
    client = login("cashier-yl01")
    resp = client.post("/sales/shift/open", data={"float_yuan": "200.50"})
    assert resp.status_code == 302
    page = client.get("/sales/till").get_data(as_text=True)
    assert "YL01-" in page and 'id="scan"' in page and "till-config" in page
    bad = client.post("/sales/shift/open", data={"float_yuan": "-3"}, follow_redirects=True)
    assert "您已经开班" in bad.get_data(as_text=True) or "金额" in bad.get_data(as_text=True)


@pytest.mark.parametrize("value", ["abc", "-1", "1.234", "99999999"])
def test_bad_float_amounts_are_refused_beside_the_field_in_an_error_banner(world, login, value):
    resp = login("cashier-yl01").post("/sales/shift/open", data={"float_yuan": value})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and 'id="open-shift"' in page
    assert '<div class="alert" role="alert">输入有误' in page and 'class="flash"' not in page
    assert f'value="{value}"' in page and 'aria-invalid="true"' in page and "有 1 处需要修改" in page


def test_the_close_shows_expected_vs_counted_then_needs_a_manager(session, world, login):
    open_shift(session, world, float_fen=10000)
    item = stocked_item(session, world, price_fen=550)
    sell(session, world, (item, 2))
    client = login("cashier-yl01")
    page = client.get("/sales/shift").get_data(as_text=True)
    assert 'name="counted_cash"' in page
    preview = client.post("/sales/shift", data={"counted_cash": "110", "action": "preview"}).get_data(as_text=True)
    assert "¥111.00" in preview and "¥110.00" in preview and "-¥1.00" in preview and "确认结班" in preview
    refused = client.post("/sales/shift", data={"counted_cash": "110.00", "action": "confirm",
                                                "approver_username": "manager-yl01", "approver_secret": "0000"})
    assert refused.status_code == 403 and "确认人" in refused.get_data(as_text=True)
    # The failed approval counts towards the manager's throttle, though the page handled the error itself.
    assert session.scalar(select(func.count()).select_from(LoginAttempt)
                          .where(LoginAttempt.username == "manager-yl01", LoginAttempt.success.is_(False))) == 1
    done = client.post("/sales/shift", data={"counted_cash": "110.00", "action": "confirm",
                                             "approver_username": "manager-yl01", "approver_secret": "2468"})
    assert done.status_code == 302
    detail = client.get(done.location).get_data(as_text=True)
    assert "打印 Z 报表" in detail and "-¥1.00" in detail


def test_a_sale_page_voids_with_a_managers_pin(session, world, login):
    open_shift(session, world)
    item = stocked_item(session, world)
    sale = sell(session, world, (item, 1)).sale
    client = login("cashier-yl01")
    page = client.get(f"/sales/{sale.id}").get_data(as_text=True)
    assert 'id="void-form"' in page and 'id="return-form"' in page
    refused = client.post(f"/sales/{sale.id}/void", data={"reason": "收错了", "approver_username": "cashier-yl01",
                                                          "approver_secret": "changsha2023"})
    assert refused.status_code == 403
    done = client.post(f"/sales/{sale.id}/void", data={"reason": "收错了", "approver_username": "manager-yl01",
                                                       "approver_secret": "2468"}, follow_redirects=True)
    text = done.get_data(as_text=True)
    assert "已作废，作废单号 YL01-" in text and 'id="void-form"' not in text


def test_a_sale_page_takes_a_return(session, world, login):
    open_shift(session, world)
    item = stocked_item(session, world, price_fen=550)
    sale = sell(session, world, (item, 3)).sale
    client = login("cashier-yl01")
    line = sale.lines[0].id
    too_many = client.post(f"/sales/{sale.id}/return", data={f"qty_{line}": "4", "reason": "坏了",
                                                              "approver_username": "manager-yl01",
                                                              "approver_secret": "2468"})
    assert too_many.status_code == 409 and "最多还能退" in too_many.get_data(as_text=True)
    nothing = client.post(f"/sales/{sale.id}/return", data={f"qty_{line}": "0", "reason": "坏了"})
    assert nothing.status_code == 422
    done = client.post(f"/sales/{sale.id}/return", data={f"qty_{line}": "2", "reason": "坏了", "refund_method": "cash",
                                                         "approver_username": "manager-yl01",
                                                         "approver_secret": "2468"}, follow_redirects=True)
    assert "已办理退货" in done.get_data(as_text=True) and "部分退货" in done.get_data(as_text=True)


def test_sales_list_and_store_home_show_the_days_figures(session, world, login):
    open_shift(session, world)
    item = stocked_item(session, world, price_fen=550)
    donated = stocked_item(session, world, price_fen=1000, name="旧书", kind="donated_used")
    from supermarket.models import utcnow
    sell(session, world, (item, 2), (donated, 1), now=utcnow())
    client = login("cashier-yl01")
    listing = client.get("/sales/").get_data(as_text=True)
    assert "¥21.00" in listing and "YL01-" in listing
    home = client.get(f"/stores/{world.stores['YL01'].id}").get_data(as_text=True)
    assert "今日销售额（净额）" in home and "¥21.00" in home and "义卖（捐赠物品）" in home and "¥10.00" in home


def test_a_manager_sets_tenders_and_roll_width(session, world, login):
    client = login("manager-yl01")
    assert client.post("/sales/settings", data={"receipt_width_mm": "80"}).status_code == 422
    resp = client.post("/sales/settings", data={"accepted": ["cash", "alipay"], "receipt_width_mm": "80"})
    assert resp.status_code == 302
    config = settings.till_config(session, world.stores["YL01"].id)
    assert config == settings.TillConfig(("cash", "alipay"), 80)
    assert client.post("/sales/settings", data={"accepted": ["cash"], "receipt_width_mm": "58",
                                                "variance_limit": "abc"}).status_code == 422
    assert client.post("/sales/settings", data={"accepted": ["cash"], "receipt_width_mm": "58",
                                                "variance_limit": "5"}).status_code == 302
    assert settings.till_config(session, world.stores["YL01"].id).variance_limit_fen == 500
    assert login("cashier-yl01").get("/sales/settings").status_code == 403


def test_the_till_offers_only_accepted_and_available_tenders(session, world, login):
    settings.update_till_config(session, world.actor(session, "manager-yl01"), world.stores["YL01"].id,
                                accepted=["cash", "alipay", "points"], receipt_width_mm=58)
    open_shift(session, world)
    page = login("cashier-yl01").get("/sales/till").get_data(as_text=True)
    assert set(re.findall(r'data-method="(\w+)"', page)) == {"cash", "alipay", "points"}


def _form_html(page: str, form_id: str) -> str:
    start = page.index(f'id="{form_id}"')
    return page[start:page.index("</form>", start)]


def test_a_refused_return_shows_its_reason_in_the_return_form_and_keeps_the_void_form_clean(session, world, login):
    open_shift(session, world)
    item = stocked_item(session, world, price_fen=550)
    sale = sell(session, world, (item, 3)).sale
    client = login("cashier-yl01")
    line = sale.lines[0].id
    resp = client.post(f"/sales/{sale.id}/return", data={f"qty_{line}": "999999", "reason": "顾客不要了",
                                                          "approver_username": "manager-yl01"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422
    returned, void = _form_html(page, "return-form"), _form_html(page, "void-form")
    assert 'role="alert"' in returned and 'aria-invalid="true"' in returned and 'value="999999"' in returned
    assert "顾客不要了" in returned
    assert 'role="alert"' not in void and "顾客不要了" not in void and "aria-invalid" not in void
