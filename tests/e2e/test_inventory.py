"""Stock on the tablet: find an item by pinyin initials, and run a stocktake with a scanner (typed codes + Enter)."""
from __future__ import annotations

from sqlalchemy import select

from .conftest import has_focus, login, shot, till_ready, wait_js


def _drinks_in_stock(app, store_code: str, n: int = 3) -> list[tuple[str, str, int]]:
    """(barcode, name, on hand) of drinks the store holds."""
    from supermarket.catalog.models import Category, Item
    from supermarket.extensions import db
    from supermarket.inventory.models import StockBalance
    from supermarket.stores.models import Store

    with app.app_context():
        rows = db.session.execute(
            select(Item.barcode, Item.name, StockBalance.qty).join(Category, Category.id == Item.category_id)
            .join(StockBalance, StockBalance.item_id == Item.id).join(Store, Store.id == StockBalance.store_id)
            .where(Category.code == "DRINK", Store.code == store_code, StockBalance.qty > 5)
            .order_by(Item.barcode).limit(n)).all()
        db.session.remove()
    return [tuple(r) for r in rows]


def test_cashier_finds_mineral_water_by_pinyin_initials(live_server, page):
    base = live_server["url"]
    login(page, base, "cashier-yl01")
    page.wait_for_selector("#today-figures")
    page.click("nav.nav a:has-text('商品目录')")
    page.wait_for_load_state("load")
    has_focus(page, "item-search")
    page.fill("#item-search", "kqs")
    page.press("#item-search", "Enter")
    page.wait_for_selector("#item-results tbody tr")
    names = page.locator("#item-results tbody td:first-child a").all_inner_texts()
    assert names[0].startswith("矿泉水") and any("康师傅矿泉水" in n for n in names)
    assert all("矿泉水" in n for n in names)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "items-search-kqs")
    page.click("#item-results tbody td:first-child a >> nth=0")
    page.wait_for_selector("#barcode-bars svg")
    shot(page, "item-detail")


def test_a_stocktake_with_scanned_counts(live_server, page):
    base, app = live_server["url"], live_server["app"]
    (code_a, name_a, book_a), (code_b, name_b, book_b), (code_c, name_c, book_c) = _drinks_in_stock(app, "FR01")

    login(page, base, "manager-fr01")
    page.wait_for_selector("#today-figures")
    page.goto(f"{base}/inventory")
    page.click(".tabs a:has-text('盘点')")
    page.check("input[name=scope][value=categories]")
    page.check("label:has-text('饮料') input[name=category_ids]")
    page.click("#stocktake-start button[type=submit]")
    page.wait_for_selector("#count-form")
    count_url = page.url
    page.click("button:has-text('退出')")

    # A cashier counts with the scanner: each code + Enter adds one; a typed number counts a whole case.
    login(page, base, "cashier-fr01")
    page.wait_for_selector("#today-figures")
    page.goto(count_url)
    till_ready(page)
    has_focus(page, "scan")
    for code in (code_a, code_a, code_a):
        page.keyboard.type(code)
        page.keyboard.press("Enter")
    wait_js(page, "document.querySelector('#scan-result').textContent.endsWith('：3')")
    page.fill("#count-qty", str(book_b + 2))
    page.focus("#scan")
    page.keyboard.type(code_b)
    page.keyboard.press("Enter")
    wait_js(page, f"document.querySelector('#scan-result').textContent.endsWith('：{book_b + 2}')")
    page.keyboard.type("6900000000000")  # not in the catalog
    page.keyboard.press("Enter")
    wait_js(page, "document.querySelector('#scan-result').classList.contains('bad')")
    assert "未找到条码" in page.inner_text("#scan-result")
    has_focus(page, "scan")  # focus stays for the next scan
    page.keyboard.type(code_c)
    page.keyboard.press("Enter")
    wait_js(page, "document.querySelectorAll('#count-lines tr[data-line]').length === 3")
    shot(page, "stocktake-count")
    page.click("button:has-text('退出')")

    # The manager, who did not count, reviews the variance and approves with the PIN.
    login(page, base, "manager-fr01")
    page.wait_for_selector("#today-figures")
    page.goto(count_url.rstrip("/") + "/review")
    rows = page.locator("#variance-table tbody tr")
    assert rows.count() == 3
    assert "盘点人：cashier-fr01" in page.inner_text(".page-head")
    shot(page, "stocktake-review")
    page.fill("input[name=approver_username]", "manager-fr01")
    page.fill("input[name=approver_secret]", "2468")
    page.click("#approve-form button[type=submit]")
    page.wait_for_selector(".flash")
    assert "已审批并过账" in page.inner_text(".flash")
    assert page.inner_text("#variance-ratio").endswith("%")
    shot(page, "stocktake-posted")
    expected = {code_a: 3, code_b: book_b + 2, code_c: 1}
    with app.app_context():
        from supermarket.catalog.models import Item
        from supermarket.extensions import db
        from supermarket.inventory.ledger import on_hand
        from supermarket.stores.models import Store

        store = db.session.scalar(select(Store).where(Store.code == "FR01"))
        for code, qty in expected.items():
            item = db.session.scalar(select(Item).where(Item.barcode == code))
            assert on_hand(db.session, store.id, item.id) == qty
        db.session.remove()


def test_manager_sees_stock_and_the_near_expiry_list(live_server, page):
    base = live_server["url"]
    login(page, base, "manager-yl01")
    page.wait_for_selector("#today-figures")
    assert "临期批次" in page.inner_text("#today-figures")
    page.click("nav.nav a:has-text('库存')")
    page.wait_for_selector("#stock-table tbody tr")
    page.select_option("select[name=status]", "low")
    page.click("form.filters button[type=submit]")
    page.wait_for_selector("#stock-table")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "stock-low")
    page.click("#stock-table tbody tr:first-child td:first-child a")  # an item's movements, with their downloads
    page.wait_for_selector("#history-table tbody tr")
    assert page.locator(".export-links a").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "item-history")
    page.go_back()
    page.click(".tabs a:has-text('临期/过期')")
    page.wait_for_selector("#near-expiry-table tbody tr")
    assert "已过期" in page.inner_text("#near-expiry-table")  # the demo's expired bread
    shot(page, "near-expiry")
