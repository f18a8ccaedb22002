"""JSON API of the till: sales, voids, returns, receipts, shifts, and the item lookups the till page uses."""
from __future__ import annotations

from flask import Blueprint, request, url_for

from . import lookup, offline, service
from ..api import doc, listing
from ..auth.decorators import allow
from ..auth.permissions import ALL_STAFF, STORE_ROLES
from ..extensions import db
from ..models import utcnow
from ..web import created, current_actor, load, send_pdf
from .offline_schemas import (CatalogItemSchema, CatalogListSchema, CatalogQuerySchema, OfflineBlockInSchema,
                              OfflineBlockSchema, OfflineSaleSchema, ShiftSalesQuerySchema, ShiftSaleSchema)
from .cash_schemas import CashMoveOutSchema, CashMoveSchema, NoSaleSchema
from .printer_schemas import PrintedSchema, PrintToSchema
from .schemas import (CheckoutSchema, ItemQuerySchema, ReceiptQuerySchema, ReturnSchema, SaleSchema,
                      ShiftCloseSchema, ShiftOpenSchema, ShiftSchema, TillItemSchema, VoidSchema)

bp = Blueprint("sales", __name__)


# The till's two schemas are built once: building one (and its nested schemas) costs more than using it.
_SALE_OUT, _CHECKOUT_IN = SaleSchema(), CheckoutSchema()


def sale_body(sale, *, replayed: bool = False) -> dict:
    return {**_SALE_OUT.dump(sale), "replayed": replayed,
            "receipt_url": url_for("api.sales.receipt_pdf", sale_id=sale.id)}


@bp.post("/sales")
@allow(*STORE_ROLES)
@doc(summary="Sell a cart at the caller's till (one transaction; idempotent on idempotency_key). A sale the till "
             "queued offline is uploaded here with `offline: true`, `sold_at`, `block_id`, `seq`, `device_id`, "
             "`total_fen` and `shift_id` (OfflineSaleSchema); it replays an online attempt with the same key",
     body=CheckoutSchema, responses={201: SaleSchema, 200: SaleSchema})
def create_sale():
    payload = request.get_json(silent=True)
    if isinstance(payload, dict) and payload.get("offline") is True:
        # A sale the till made offline, landing now: its own time, number block and server-side pricing.
        upload = load(OfflineSaleSchema(), payload)
        result = offline.land(db.session, current_actor(), upload, now=utcnow())
        return created(sale_body(result.sale, replayed=result.replayed), result.replayed)
    cart = load(_CHECKOUT_IN, payload)
    result = service.checkout(db.session, current_actor(), cart, now=utcnow())
    return created(sale_body(result.sale, replayed=result.replayed), result.replayed)


@bp.get("/sales")
@allow(*STORE_ROLES)
@doc(summary="The caller's current shift's sales, oldest first, each with `offline` and its original time "
             "(sold_at)", query=ShiftSalesQuerySchema, responses={200: listing("sales", ShiftSaleSchema)})
def shift_sales():
    load(ShiftSalesQuerySchema(), request.args.to_dict())
    rows = offline.current_shift_sales(db.session, current_actor())
    out = []
    for sale, off in rows:
        body = sale_body(sale)
        body.update(offline=off is not None, provisional_number=off.provisional_number if off else None,
                    problems=[p for p in (off.problems if off else "").split(",") if p],
                    landed_at=off.landed_at.isoformat() if off else None)
        out.append(body)
    return {"sales": out}


@bp.post("/sales/offline-blocks")
@allow(*STORE_ROLES)
@doc(summary="Reserve a block of provisional receipt numbers for this tablet's offline sales",
     body=OfflineBlockInSchema, responses={201: OfflineBlockSchema})
def offline_block():
    data = load(OfflineBlockInSchema(), request.get_json(silent=True))
    block = offline.reserve_block(db.session, current_actor(), device_id=data["device_id"], now=utcnow())
    hours, sales = offline.limits()
    return {**OfflineBlockSchema().dump(block), "max_hours": hours, "max_sales": sales}, 201


@bp.get("/sales/catalog")
@allow(*STORE_ROLES)
@doc(summary="The till's local catalog: items with stock here (or, with `since`, only those changed since)",
     query=CatalogQuerySchema, responses={200: CatalogListSchema})
def catalog():
    args = load(CatalogQuerySchema(), request.args.to_dict())
    items, as_of = lookup.till_catalog(db.session, current_actor(), since=args["since"], now=utcnow())
    return {"items": CatalogItemSchema(many=True).dump(items), "as_of": as_of.isoformat(),
            "full": args["since"] is None}


@bp.get("/sales/<uuid:sale_id>")
@allow(*ALL_STAFF)
@doc(summary="One sale, void or return", responses={200: SaleSchema})
def get_sale(sale_id):
    return sale_body(service.get_sale_scoped(db.session, current_actor(), sale_id))


@bp.post("/sales/<uuid:sale_id>/void")
@allow(*STORE_ROLES)
@doc(summary="Void a sale of an open shift (store manager's approval)", body=VoidSchema,
     responses={201: SaleSchema, 200: SaleSchema})
def void_sale(sale_id):
    data = load(VoidSchema(), request.get_json(silent=True))
    result = service.void(db.session, current_actor(), sale_id, approval=data["approval"],
                          reason=data["reason"], idempotency_key=data["idempotency_key"], now=utcnow())
    return created(sale_body(result.sale, replayed=result.replayed), result.replayed)


@bp.post("/sales/<uuid:sale_id>/returns")
@allow(*STORE_ROLES)
@doc(summary="Return some lines of an earlier sale (store manager's approval)", body=ReturnSchema,
     responses={201: SaleSchema, 200: SaleSchema})
def return_items(sale_id):
    data = load(ReturnSchema(), request.get_json(silent=True))
    result = service.take_back(db.session, current_actor(), sale_id, data["lines"], refund=data["refund"],
                               approval=data["approval"], reason=data["reason"],
                               idempotency_key=data["idempotency_key"], now=utcnow())
    return created(sale_body(result.sale, replayed=result.replayed), result.replayed)


@bp.get("/sales/<uuid:sale_id>/receipt.pdf")
@allow(*STORE_ROLES)
@doc(summary="The receipt PDF (58 or 80 mm; default: the store's roll). Reprints are marked 副本",
     query=ReceiptQuerySchema)
def receipt_pdf(sale_id):
    width = load(ReceiptQuerySchema(), request.args.to_dict())["width"]
    sale, pdf = service.print_receipt(db.session, current_actor(), sale_id, width_mm=width, now=utcnow())
    return send_pdf(pdf, f"{sale.number}.pdf")


@bp.post("/sales/<uuid:sale_id>/escpos")
@allow(*STORE_ROLES)
@doc(summary="Print the receipt on one of the store's ESC/POS network printers (a reprint is marked 副本); "
             "502 sales.printer_unreachable when the printer does not answer within 3 s",
     body=PrintToSchema, responses={200: PrintedSchema})
def receipt_escpos(sale_id):
    from flask_babel import gettext as _

    data = load(PrintToSchema(), request.get_json(silent=True))
    sale, copy = service.print_receipt_to(db.session, current_actor(), sale_id, data["printer_id"], now=utcnow())
    return {"printed": True, "copy": copy,
            "message": _("小票 %(number)s 已发送到打印机", number=sale.number)}


@bp.get("/sales/items")
@allow(*STORE_ROLES)
@doc(summary="Till lookup: by barcode, quick-key category, or name / pinyin initials", query=ItemQuerySchema,
     responses={200: listing("items", TillItemSchema)})
def items():
    args = load(ItemQuerySchema(), request.args.to_dict())
    found = service.till_items(db.session, current_actor(), q=args["q"], barcode=args["barcode"],
                              category_id=args["category_id"], now=utcnow())
    return {"items": TillItemSchema(many=True).dump(found)}


def shift_body(shift) -> dict:
    body = ShiftSchema().dump(shift)
    if shift.status == "closed":
        body["z_report_url"] = url_for("api.sales.z_report_pdf", shift_id=shift.id)
    return body


@bp.post("/shifts")
@allow(*STORE_ROLES)
@doc(summary="Open the caller's shift with a cash float", body=ShiftOpenSchema, responses={201: ShiftSchema})
def open_shift():
    data = load(ShiftOpenSchema(), request.get_json(silent=True))
    return shift_body(service.open_shift(db.session, current_actor(), float_fen=data["float_fen"], now=utcnow())), 201


@bp.get("/shifts/current")
@allow(*STORE_ROLES)
@doc(summary="The caller's open shift (404 sales.no_open_shift when none)", responses={200: ShiftSchema})
def current_shift():
    return shift_body(service.get_current_shift(db.session, current_actor()))


@bp.post("/shifts/current/close")
@allow(*STORE_ROLES)
@doc(summary="Close the caller's shift: counted takings by tender, a store manager countersigns",
     body=ShiftCloseSchema, responses={200: ShiftSchema})
def close_shift():
    close = load(ShiftCloseSchema(), request.get_json(silent=True))
    return shift_body(service.close_shift(db.session, current_actor(), close, now=utcnow()))


@bp.get("/shifts/<uuid:shift_id>/z-report.pdf")
@allow(*ALL_STAFF)
@doc(summary="The Z report of a closed shift", query=ReceiptQuerySchema)
def z_report_pdf(shift_id):
    width = load(ReceiptQuerySchema(), request.args.to_dict())["width"]
    shift, pdf = service.z_report_pdf(db.session, current_actor(), shift_id, width_mm=width)
    return send_pdf(pdf, f"Z-{shift.number}.pdf")


@bp.post("/sales/cash-moves")
@allow(*STORE_ROLES)
@doc(summary="Cash paid in or out of the caller's open shift (a manager approves above the store's limit; "
             "idempotent on idempotency_key)", body=CashMoveSchema, responses={201: CashMoveOutSchema,
                                                                              200: CashMoveOutSchema})
def cash_move():
    data = load(CashMoveSchema(), request.get_json(silent=True))
    move, replayed = service.move_cash(db.session, current_actor(), kind=data["kind"], amount_fen=data["amount_fen"],
                                       reason=data["reason"], approval=data["approval"],
                                       idempotency_key=data["idempotency_key"], now=utcnow())
    return created(CashMoveOutSchema().dump(move), replayed)


@bp.post("/sales/no-sale")
@allow(*STORE_ROLES)
@doc(summary="Open the drawer without a sale (logged with its reason; idempotent on idempotency_key)",
     body=NoSaleSchema, responses={201: CashMoveOutSchema, 200: CashMoveOutSchema})
def no_sale():
    data = load(NoSaleSchema(), request.get_json(silent=True))
    move, replayed = service.no_sale(db.session, current_actor(), reason=data["reason"],
                                     idempotency_key=data["idempotency_key"], now=utcnow())
    return created(CashMoveOutSchema().dump(move), replayed)


@bp.get("/sales/cash-moves")
@allow(*STORE_ROLES)
@doc(summary="The cash movements of the caller's open shift", responses={200: listing("moves", CashMoveOutSchema)})
def cash_moves():
    shift = service.get_current_shift(db.session, current_actor())
    return {"moves": CashMoveOutSchema(many=True).dump(service.cash_movements(db.session, shift))}


@bp.get("/sales/x-report.pdf")
@allow(*STORE_ROLES)
@doc(summary="The X report of the caller's open shift (the Z report's figures so far, without closing)",
     query=ReceiptQuerySchema)
def x_report_pdf():
    width = load(ReceiptQuerySchema(), request.args.to_dict())["width"]
    shift, pdf = service.x_report_pdf(db.session, current_actor(), width_mm=width)
    return send_pdf(pdf, f"X-{shift.number}.pdf")


from . import discount_api  # noqa: E402,F401  (its routes live on this blueprint)
from . import api_till  # noqa: E402,F401  (held sales and returns without receipt, on this blueprint)
