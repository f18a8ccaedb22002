"""Printing to the stores' ESC/POS network printers: a local TCP listener stands in for the printer."""
from __future__ import annotations

import json
import socket
import socketserver
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from supermarket.audit.models import AuditEvent
from supermarket.sales import printers, shifts
from supermarket.sales.inputs import ShiftClose, Tendered
from supermarket.sales.models import Sale, TillPrinter

from tests.printing.test_escpos import text_of
from .factories import NOW, manager_ok, open_shift, sell, stocked_item


class _Printer(socketserver.BaseRequestHandler):
    def handle(self):
        chunks = []
        while True:
            data = self.request.recv(65536)
            if not data:
                break
            chunks.append(data)
        self.server.jobs.append(b"".join(chunks))
        self.server.done.release()


@pytest.fixture
def listener():
    """A printer on 127.0.0.1 at a port the system picks; `jobs` holds what each connection sent."""
    server = socketserver.TCPServer(("127.0.0.1", 0), _Printer)
    server.jobs, server.done = [], threading.Semaphore(0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def next_job(server) -> bytes:
    assert server.done.acquire(timeout=5), "the printer got nothing"
    return server.jobs[-1]


def free_port() -> int:
    """A port nobody listens on (bound, then closed): connecting there is refused."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def add_printer_row(session, store, port, *, name="1号收银台", paper_mm=58, kind="receipt"):
    # Written directly: the service only takes ports 9100–9109, and the test's listener gets whatever port the
    # system gives (the address rules have their own test below).
    row = TillPrinter(store_id=store.id, name=name, host="127.0.0.1", port=port, paper_mm=paper_mm, kind=kind)
    session.add(row)
    session.commit()
    return row


def events(session, action):
    return [json.loads(e.summary) for e in session.scalars(select(AuditEvent).where(AuditEvent.action == action))]


@pytest.fixture
def sale(session, world):
    open_shift(session, world)
    a = stocked_item(session, world, price_fen=550, name="搪瓷脸盆")
    b = stocked_item(session, world, price_fen=1200, name="旧毛衣", kind="donated_used")
    return sell(session, world, (a, 2), (b, 1), payments=[Tendered("wechat", 300, "42000001"),
                                                           Tendered("cash", 5000)]).sale


def test_a_sales_receipt_reaches_the_printer_as_its_text(session, world, client, api_token, listener, sale):
    printer = add_printer_row(session, world.stores["YL01"], listener.server_address[1])
    headers = api_token("cashier-yl01")
    resp = client.post(f"/api/v1/sales/{sale.id}/escpos", json={"printer_id": str(printer.id)}, headers=headers)
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["copy"] is False and sale.number in resp.get_json()["message"]
    printed = text_of(next_job(listener))
    flat = "".join(line.strip() for line in printed)
    assert "门店标记YL01" in flat  # the store name (double size, so maybe on two lines)
    joined = "\n".join(printed)
    for text in ("搪瓷脸盆", "旧毛衣", "¥23.00", sale.number, "42000001", "¥30.00"):
        assert text in joined
    assert "副本" not in joined
    assert events(session, "sales.receipt_printed")[-1] == {
        "number": sale.number, "copy": False, "width_mm": 58, "printer": "1号收银台"}

    # the second print, here or as the PDF, is a copy
    resp = client.post(f"/api/v1/sales/{sale.id}/escpos", json={"printer_id": str(printer.id)}, headers=headers)
    assert resp.get_json()["copy"] is True
    assert "副本" in "\n".join(text_of(next_job(listener)))
    assert session.scalar(select(Sale.print_count).where(Sale.id == sale.id)) == 2


def test_an_80mm_printer_gets_48_columns(session, world, listener, sale):
    from printing.layout import text_width

    printer = add_printer_row(session, world.stores["YL01"], listener.server_address[1], paper_mm=80)
    printers.print_receipt_to(session, world.actor(session, "cashier-yl01"), sale.id, printer.id, now=NOW)
    lines = text_of(next_job(listener))
    assert max(text_width(line) for line in lines) == 48


def test_a_silent_printer_is_a_clear_message_and_the_original_is_kept(session, world, client, api_token,
                                                                        listener, sale):
    dead = add_printer_row(session, world.stores["YL01"], free_port(), name="后台小票机")
    headers = api_token("cashier-yl01")
    resp = client.post(f"/api/v1/sales/{sale.id}/escpos", json={"printer_id": str(dead.id)}, headers=headers)
    assert resp.status_code == 502
    error = resp.get_json()["error"]
    assert error["code"] == "sales.printer_unreachable"
    assert "后台小票机" in error["message"] and "没有响应" in error["message"]
    assert session.scalar(select(Sale.print_count).where(Sale.id == sale.id)) == 0
    assert events(session, "sales.receipt_print_failed")[-1]["printer"] == "后台小票机"
    # nothing came out, so the next print, on a working printer, is still the original
    live = add_printer_row(session, world.stores["YL01"], listener.server_address[1])
    resp = client.post(f"/api/v1/sales/{sale.id}/escpos", json={"printer_id": str(live.id)}, headers=headers)
    assert resp.status_code == 200 and resp.get_json()["copy"] is False
    assert "副本" not in "\n".join(text_of(next_job(listener)))


def test_another_stores_printer_or_a_label_printer_is_refused(session, world, client, api_token, listener, sale):
    other = add_printer_row(session, world.stores["YL02"], listener.server_address[1])
    labels = add_printer_row(session, world.stores["YL01"], listener.server_address[1], name="标签机", kind="label")
    headers = api_token("cashier-yl01")
    for printer_id in (other.id, labels.id, "not-a-uuid"):
        resp = client.post(f"/api/v1/sales/{sale.id}/escpos", json={"printer_id": str(printer_id)}, headers=headers)
        assert resp.status_code in (404, 422) and "error" in resp.get_json()
    assert listener.jobs == []
    # a cashier of another store can't print this store's sale at all
    resp = client.post(f"/api/v1/sales/{sale.id}/escpos", json={"printer_id": str(other.id)},
                       headers=api_token("cashier-yl02"))
    assert resp.status_code == 404 and listener.jobs == []


def test_the_z_report_page_prints_to_the_printer(session, world, login, listener, sale):
    actor = world.actor(session, "cashier-yl01")
    counted = shifts.expected_takings(session, shifts.get_current_shift(session, actor))
    shift = shifts.close_shift(session, actor, ShiftClose(dict(counted), manager_ok()), now=NOW + timedelta(hours=8))
    printer = add_printer_row(session, world.stores["YL01"], listener.server_address[1], paper_mm=80)
    client = login("cashier-yl01")
    page = client.get(f"/sales/shifts/{shift.id}").get_data(as_text=True)
    assert "打印到小票机" in page
    resp = client.post(f"/sales/shifts/{shift.id}/escpos", data={"printer_id": str(printer.id)})
    assert resp.status_code == 302
    joined = "\n".join(text_of(next_job(listener)))
    assert "班结报表 (Z)" in joined and shift.number in joined and "¥200.00" in joined
    assert events(session, "sales.shift_report_printed")[-1]["report"] == "Z"

    printer.port = free_port()
    session.commit()
    resp = client.post(f"/sales/shifts/{shift.id}/escpos", data={"printer_id": str(printer.id)})
    assert resp.status_code == 502 and "没有响应" in resp.get_data(as_text=True)
    # an auditor sees the page without the printer form
    assert "打印到小票机" not in login("auditor-yl").get(f"/sales/shifts/{shift.id}").get_data(as_text=True)


def test_the_till_offers_the_printer_only_when_there_is_one(session, world, login, listener):
    open_shift(session, world)
    client = login("cashier-yl01")
    assert "打印到小票机" not in client.get("/sales/till").get_data(as_text=True)
    add_printer_row(session, world.stores["YL01"], listener.server_address[1])
    page = client.get("/sales/till").get_data(as_text=True)
    assert "打印到小票机" in page and 'id="escpos-printer"' in page


@pytest.mark.parametrize("form, field", [
    ({"name": "前台", "host": "printer.local"}, "host"),  # a name would be resolved at each print
    ({"name": "前台", "host": "8.8.8.8"}, "host"),  # not the shop's network
    ({"name": "前台", "host": "169.254.169.254"}, "host"),  # link-local: a cloud's metadata service
    ({"name": "前台", "host": "::ffff:8.8.8.8"}, "host"),  # a public IPv4 address written as IPv6
    ({"name": "前台", "host": "192.168.1.200", "port": "6379"}, "port"),  # not a raw printing port
    ({"name": "前台", "host": "192.168.1.200", "port": "abc"}, "port"),
    ({"name": "", "host": "192.168.1.200"}, "name"),
    ({"name": "前台", "host": "192.168.1.200", "paper_mm": "76"}, "paper_mm"),
])
def test_a_bad_printer_is_refused_beside_its_field(session, world, login, form, field):
    resp = login("manager-yl01").post("/sales/settings/printers", data=form)
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert f'name="{field}"' in page.split('aria-invalid="true"')[0].rsplit("<", 1)[-1]
    assert session.scalar(select(TillPrinter.id)) is None


def test_a_manager_adds_and_removes_printers(session, world, login):
    client = login("manager-yl01")
    resp = client.post("/sales/settings/printers", data={"name": "1号收银台", "host": "192.168.1.200",
                                                         "port": "9100", "paper_mm": "80", "kind": "receipt"})
    assert resp.status_code == 302
    row = session.scalar(select(TillPrinter))
    assert (row.host, row.port, row.paper_mm, row.kind, row.store_id) == (
        "192.168.1.200", 9100, 80, "receipt", world.stores["YL01"].id)
    assert events(session, "sales.printer_added")[-1]["address"] == "192.168.1.200:9100"
    page = client.get("/sales/settings").get_data(as_text=True)
    assert "1号收银台" in page and "192.168.1.200:9100" in page
    again = client.post("/sales/settings/printers", data={"name": "1号收银台", "host": "192.168.1.201"})
    assert again.status_code == 422 and "已有名为" in again.get_data(as_text=True)
    # another store's manager can neither see nor remove it; a cashier can't manage printers
    assert login("manager-yl02").post(f"/sales/settings/printers/{row.id}/remove").status_code == 404
    assert login("cashier-yl01").post("/sales/settings/printers",
                                      data={"name": "x", "host": "192.168.1.9"}).status_code == 403
    client = login("manager-yl01")
    assert client.post(f"/sales/settings/printers/{row.id}/remove").status_code == 302
    assert session.scalar(select(TillPrinter.id)) is None
    assert events(session, "sales.printer_removed")[-1]["name"] == "1号收银台"


def test_an_items_price_labels_reach_the_label_printer(session, world, login, listener):
    from supermarket.catalog.codes import printable

    item = stocked_item(session, world, price_fen=550, name="搪瓷脸盆")
    labels = add_printer_row(session, world.stores["YL01"], listener.server_address[1], name="价签机", kind="label")
    receipts_only = add_printer_row(session, world.stores["YL01"], free_port(), name="1号收银台")
    client = login("cashier-yl01")
    page = client.get(f"/sales/items/{item.id}/labels").get_data(as_text=True)
    assert "价签机" in page and "1号收银台" not in page
    assert f"/sales/items/{item.id}/labels" in client.get(f"/items/{item.id}").get_data(as_text=True)
    resp = client.post(f"/sales/items/{item.id}/labels", data={"printer_id": str(labels.id), "copies": "2"})
    assert resp.status_code == 302
    job = next_job(listener)
    assert job.count(b"\x1dV\x00") == 2  # a cut after each label
    assert printable(item.barcode, item.barcode_kind)[0].encode() in job  # the printer draws the barcode
    printed = text_of(job)
    assert printed.count("搪瓷脸盆") == 2 and sum(line.strip() == "¥5.50" for line in printed) == 2
    assert events(session, "sales.labels_printed")[-1] == {"item": "搪瓷脸盆", "copies": 2, "printer": "价签机"}
    for data in ({"printer_id": str(labels.id), "copies": "0"}, {"printer_id": str(labels.id), "copies": "x"},
                 {"printer_id": str(receipts_only.id), "copies": "1"}, {"copies": "1"}):
        resp = client.post(f"/sales/items/{item.id}/labels", data=data)
        assert resp.status_code in (404, 422) and 'aria-invalid="true"' in resp.get_data(as_text=True)
    assert len(listener.jobs) == 1
    # no label printer in the store: the page says so instead of offering a form
    other = login("cashier-yl02").get(f"/sales/items/{item.id}/labels").get_data(as_text=True)
    assert 'id="no-label-printers"' in other and 'id="label-form"' not in other
