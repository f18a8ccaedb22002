"""The stores' ESC/POS network printers, and printing receipts and shift reports to them from the server.

A print is one short TCP connection (3 s timeout) carrying the bytes that printing.escpos made (with
python-escpos) from the same data as the PDF. A printer that does not answer is a PrinterUnreachable with
a Chinese message naming it, never a 500. A receipt printed here counts as a print like the PDF: the first is the
original, every later one 副本.

The server opens the connection, so the address a manager types is where it connects: only a private (shop LAN)
IP address and the raw-printing ports 9100–9109 are taken, so a printer entry can't be aimed at the app's own
database, cache or a cloud metadata address.
"""
from __future__ import annotations

import ipaddress
import socket
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import printing

from .. import audit
from ..auth.permissions import Actor, require
from ..catalog import service as catalog_service
from ..catalog.codes import printable
from ..errors import InvalidInput
from ..stores import service as stores_service
from ..uow import unit_of_work
from ..wiring import items_in_store
from .errors import PrinterNotFound, PrinterUnreachable, ShiftStillOpen
from .models import PRINTER_KINDS, ROLL_WIDTHS, Sale, TillPrinter
from .queries import get_sale
from .receipts import points_balance_after, receipt_data, z_report_data
from .settings import can_configure_till
from .shifts import get_current_shift, get_shift

TIMEOUT_S = 3.0
PORTS = range(9100, 9110)
MAX_LABEL_COPIES = 50


def list_printers(session: Session, actor: Actor, store_id, kind: str | None = None) -> list[TillPrinter]:
    """The store's printers by name (of one kind when given)."""
    stores_service.get_store(session, actor, store_id)
    stmt = select(TillPrinter).where(TillPrinter.store_id == store_id)
    if kind is not None:
        stmt = stmt.where(TillPrinter.kind == kind)
    return list(session.scalars(stmt.order_by(TillPrinter.name)))


def _check_address(host: str, port) -> str:
    try:
        address = ipaddress.ip_address(host.strip())
    except ValueError:
        raise InvalidInput(_("请填写打印机的 IP 地址，例如 192.168.1.200"),
                           fields={"host": [_("请填写打印机的 IP 地址，例如 192.168.1.200")]}) from None
    if address.version == 6 and address.ipv4_mapped:  # ::ffff:8.8.8.8 is 8.8.8.8 (and counts as private)
        address = address.ipv4_mapped
    if not address.is_private or address.is_link_local or address.is_unspecified or address.is_multicast:
        raise InvalidInput(_("打印机须在店内局域网（如 192.168.x.x、10.x.x.x）"),
                           fields={"host": [_("打印机须在店内局域网（如 192.168.x.x、10.x.x.x）")]})
    if isinstance(port, bool) or not isinstance(port, int) or port not in PORTS:
        raise InvalidInput(_("端口须在 9100 到 9109 之间（小票机一般是 9100）"),
                           fields={"port": [_("端口须在 9100 到 9109 之间（小票机一般是 9100）")]})
    return str(address)


def add_printer(session: Session, actor: Actor, store_id, *, name: str, host: str, port: int, paper_mm: int,
                kind: str) -> TillPrinter:
    """A store manager adds a receipt or label printer: a name unique in the store, a LAN IP and port, the
    paper width."""
    stores_service.get_store(session, actor, store_id)
    require(can_configure_till(actor, store_id))
    name = (name or "").strip()
    if not 1 <= len(name) <= 40:
        raise InvalidInput(_("请填写打印机名称（最多 40 字）"), fields={"name": [_("请填写打印机名称（最多 40 字）")]})
    host = _check_address(host or "", port)
    if paper_mm not in ROLL_WIDTHS:
        raise InvalidInput(_("纸宽只能是 58 或 80 毫米"), fields={"paper_mm": [_("请选择 58 或 80 毫米")]})
    if kind not in PRINTER_KINDS:
        raise InvalidInput(_("请选择打印机用途"), fields={"kind": [_("请选择打印机用途")]})
    taken = session.scalar(select(TillPrinter.id).where(TillPrinter.store_id == store_id,
                                                         TillPrinter.name == name))
    if taken is not None:
        raise InvalidInput(_("本店已有名为“%(name)s”的打印机", name=name),
                           fields={"name": [_("本店已有名为“%(name)s”的打印机", name=name)]})
    try:
        with unit_of_work(session):
            row = TillPrinter(store_id=store_id, name=name, host=host, port=port, paper_mm=paper_mm, kind=kind)
            session.add(row)
            session.flush()
            audit.record(session, actor, "sales.printer_added", row, {
                "name": name, "address": f"{host}:{port}", "paper_mm": paper_mm, "kind": kind}, store_id=store_id)
    except IntegrityError:  # the same name added from another tablet in between
        raise InvalidInput(_("本店已有名为“%(name)s”的打印机", name=name),
                           fields={"name": [_("本店已有名为“%(name)s”的打印机", name=name)]}) from None
    return row


def get_printer(session: Session, actor: Actor, store_id, printer_id, kind: str | None = None) -> TillPrinter:
    """One printer of the store (of `kind` when given); PrinterNotFound for any other id."""
    row = session.get(TillPrinter, printer_id) if printer_id else None
    if row is None or row.store_id != store_id or (kind is not None and row.kind != kind):
        raise PrinterNotFound(_("找不到该打印机，请重新选择"), fields={"printer_id": [_("请重新选择打印机")]})
    stores_service.get_store(session, actor, store_id)
    return row


def remove_printer(session: Session, actor: Actor, store_id, printer_id) -> TillPrinter:
    """A store manager removes a printer (the prints already made stay in the audit log)."""
    require(can_configure_till(actor, store_id))
    row = get_printer(session, actor, store_id, printer_id)
    with unit_of_work(session):
        audit.record(session, actor, "sales.printer_removed", row, {
            "name": row.name, "address": f"{row.host}:{row.port}"}, store_id=store_id)
        session.delete(row)
    return row


def send(printer: TillPrinter, payload: bytes, *, timeout: float = TIMEOUT_S) -> None:
    """Open a TCP connection to the printer, send the job, close; PrinterUnreachable if it does not answer.

    A plain socket rather than python-escpos' Network printer: when the connection is refused, Network drops its
    socket without closing it (a file descriptor leaked per failed print in a long-running server).
    """
    try:
        with socket.create_connection((printer.host, printer.port), timeout=timeout) as conn:
            conn.sendall(payload)
            conn.shutdown(socket.SHUT_WR)  # the printer sees the end of the job before the close
    except OSError:
        raise PrinterUnreachable(_(
            "打印机“%(name)s”（%(address)s）没有响应：请检查打印机电源、纸张和网线，或改用 PDF 打印",
            name=printer.name, address=f"{printer.host}:{printer.port}"),
            fields={"printer_id": [_("打印机没有响应")]}) from None


def print_receipt_to(session: Session, actor: Actor, sale_id, printer_id, *, now: datetime) -> tuple[Sale, bool]:
    """Print a sale's receipt on a receipt printer of its store. Returns (sale, whether it was a 副本).

    The copy number is claimed first (the same guarded counter as the PDF, so two tablets never both print an
    original); if the printer does not answer, the claim is given back when nobody printed since, and the
    failure is recorded next to the claim.
    """
    sale = get_sale(session, actor, sale_id)
    printer = get_printer(session, actor, sale.store_id, printer_id, kind="receipt")
    table = Sale.__table__
    with unit_of_work(session):
        count = session.execute(update(table).where(table.c.id == sale.id)
                                .values(print_count=table.c.print_count + 1).returning(table.c.print_count)).scalar_one()
        audit.record(session, actor, "sales.receipt_printed", sale, {
            "number": sale.number, "copy": count > 1, "width_mm": printer.paper_mm, "printer": printer.name},
            store_id=sale.store_id, now=now)
    session.expire(sale, ["print_count"])
    reprint = count > 1
    data = receipt_data(sale, reprint=reprint, reprinted_at=now if reprint else None,
                        points_balance=points_balance_after(session, sale))
    try:
        send(printer, printing.receipt_escpos(data, width_mm=printer.paper_mm))
    except PrinterUnreachable:
        with unit_of_work(session):
            session.execute(update(table).where(table.c.id == sale.id, table.c.print_count == count)
                            .values(print_count=table.c.print_count - 1))
            audit.record(session, actor, "sales.receipt_print_failed", sale, {
                "number": sale.number, "printer": printer.name, "address": f"{printer.host}:{printer.port}"},
                store_id=sale.store_id, now=now)
        raise
    return sale, reprint


def print_shift_report_to(session: Session, actor: Actor, shift_id, printer_id, *, now: datetime):
    """Print a shift's report on a receipt printer: the Z report of a closed shift, or (`shift_id` None) the X
    report of the actor's open one. Recorded once the printer has taken it; returns the shift."""
    if shift_id is None:
        shift = get_current_shift(session, actor)
    else:
        shift = get_shift(session, actor, shift_id)
        if shift.status != "closed":
            raise ShiftStillOpen(_("班次尚未结班，还没有 Z 报表"))
    printer = get_printer(session, actor, shift.store_id, printer_id, kind="receipt")
    send(printer, printing.z_report_escpos(z_report_data(session, shift), width_mm=printer.paper_mm))
    with unit_of_work(session):
        audit.record(session, actor, "sales.shift_report_printed", shift, {
            "number": shift.number, "report": "X" if shift.status == "open" else "Z", "printer": printer.name},
            store_id=shift.store_id, now=now)
    return shift


def print_labels_to(session: Session, actor: Actor, item_id, printer_id, *, copies: int, now: datetime):
    """`copies` price labels of an item, at the actor's store's price, on one of the store's label printers.
    Recorded once the printer has taken them; returns (item, printer, copies)."""
    if isinstance(copies, bool) or not isinstance(copies, int) or not 1 <= copies <= MAX_LABEL_COPIES:
        raise InvalidInput(_("张数须在 1 到 %(n)d 之间", n=MAX_LABEL_COPIES),
                           fields={"copies": [_("张数须在 1 到 %(n)d 之间", n=MAX_LABEL_COPIES)]})
    store = stores_service.get_store(session, actor, actor.store_id)
    item = catalog_service.get_item(session, item_id)
    printer = get_printer(session, actor, store.id, printer_id, kind="label")
    here = items_in_store(session, [item], store.id)[0]
    code, symbology = printable(item.barcode, item.barcode_kind)
    label = printing.LabelData(code, item.name, here.price_fen, store.code, symbology)
    send(printer, printing.labels_escpos([label] * copies, width_mm=printer.paper_mm))
    with unit_of_work(session):
        audit.record(session, actor, "sales.labels_printed", item, {
            "item": item.name, "copies": copies, "printer": printer.name}, store_id=store.id, now=now)
    return item, printer, copies
