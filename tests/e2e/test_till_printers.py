"""Thermal printers on a tablet (issue 17, item 12): the manager's printer list with a refused address beside its
field; at the till, 打印到小票机 to a printer that answers (a local listener) and to the demo's, which does not."""
import socketserver
import threading

import pytest

from tests.printing.test_escpos import text_of
from tests.supermarket.sales.test_printers import _Printer

from .conftest import login, shot, till_ready, wait_js
from .test_till import demo_code, scan


@pytest.fixture(scope="module")
def listener(live_server):
    """A printer on 127.0.0.1 entered in YL02's list (directly: the form takes only ports 9100–9109)."""
    from supermarket.extensions import db
    from supermarket.sales.models import TillPrinter
    from supermarket.stores.models import Store

    server = socketserver.TCPServer(("127.0.0.1", 0), _Printer)
    server.jobs, server.done = [], threading.Semaphore(0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with live_server["app"].app_context():
        store = db.session.scalar(db.select(Store).where(Store.code == "YL02"))
        row = TillPrinter(store_id=store.id, name="2号收银台", host="127.0.0.1", port=server.server_address[1],
                          paper_mm=58, kind="receipt")
        db.session.add(row)
        db.session.commit()
        server.printer_id = str(row.id)
    yield server
    server.shutdown()
    server.server_close()


def test_the_printer_list_refuses_an_address_outside_the_shop(live_server, page):
    base = live_server["url"]
    login(page, base, "manager-yl02")
    page.goto(f"{base}/sales/settings")
    page.wait_for_selector("#printers")
    assert "1号收银台" in page.inner_text("#printers") and "192.0.2.200:9100" in page.inner_text("#printers")
    page.fill("#printer-form input[name=name]", "后台")
    page.fill("#printer-form input[name=host]", "8.8.8.8")
    page.click("#printer-form button[type=submit]")
    page.wait_for_selector("#printer-form input[name=host][aria-invalid=true]")
    assert "局域网" in page.inner_text("#printer-form")
    assert page.input_value("#printer-form input[name=name]") == "后台"  # what was typed is kept
    shot(page, "printers-settings-refused")


def test_printing_from_the_till_to_a_printer_that_answers_and_one_that_does_not(live_server, listener, page):
    base = live_server["url"]
    login(page, base, "cashier-yl02")
    page.goto(f"{base}/sales/till")
    if page.query_selector("#open-shift"):
        page.fill("#float_yuan", "100")
        page.click("#open-shift-button")
    till_ready(page)
    scan(page, demo_code(2))
    page.wait_for_selector("#cart tbody tr")
    page.click("button.tender[data-method=cash]")
    page.fill(".payment[data-method=cash] .pay-amount", "50")
    page.click("#finish")
    page.wait_for_selector("#receipt-screen:not([hidden])")
    number = page.inner_text(".receipt-no")
    page.select_option("#escpos-printer", listener.printer_id)
    page.click("#print-escpos")
    wait_js(page, "document.getElementById('escpos-message').className === 'muted' && "
                  "document.getElementById('escpos-message').textContent.indexOf('已发送') >= 0")
    assert listener.done.acquire(timeout=5)
    printed = "\n".join(text_of(listener.jobs[-1]))
    assert number in printed and "毛巾" in printed and "副本" not in printed
    shot(page, "till-receipt-escpos-sent")
    page.select_option("#escpos-printer", label="1号收银台")
    page.click("#print-escpos")
    # the server gives up on the printer after 3 s
    wait_js(page, "document.getElementById('escpos-message').className === 'error-text'", timeout_s=10)
    message = page.inner_text("#escpos-message")
    assert "1号收银台" in message and "没有响应" in message
    assert page.is_enabled("#print-escpos") and page.is_visible("#print-receipt")
    shot(page, "till-receipt-escpos")
    page.click("#next-customer")
    assert page.is_hidden("#escpos-message")
