"""Transfers between stores: the sending store's manager ships (transfer_out, expiring-first, one line per lot),
the receiving store confirms what arrived (transfer_in into new lots that keep the expiry date).

A difference is recorded, not absorbed: a line that arrived short keeps its shipped and received quantities,
the transfer keeps the total short quantity (discrepancy_qty) and shows it on both stores' lists. The missing
units are not put back into the sender's stock; finding them is a human job, and the record says so.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload

from .. import audit
from ..auth.permissions import Actor
from ..errors import InvalidInput, NotFound
from ..stores.models import Store
from ..uow import unit_of_work
from . import ledger
from .common import item_by_ref, replay, require_manager, require_staff, serial, store_for
from .errors import AlreadyReceived
from .models import Lot, Transfer, TransferLine

MAX_LINES = 100


def get_transfer(session: Session, actor: Actor, transfer_id) -> Transfer:
    """A transfer is visible to the staff of both stores (and to whoever oversees either)."""
    # Both stores load with the transfer: the page names them, and a lazy load of a store not yet in the session
    # was one more statement on a city with many transfers.
    transfer = session.get(Transfer, transfer_id, options=[
        selectinload(Transfer.lines).joinedload(TransferLine.item),
        joinedload(Transfer.from_store), joinedload(Transfer.to_store)]) if transfer_id else None
    if transfer is None or not (actor.can_see_store(transfer.store_id) or actor.can_see_store(transfer.to_store_id)):
        raise NotFound()
    return transfer


def list_transfers(session: Session, actor: Actor, store_id, *, limit: int = 100) -> list[Transfer]:
    """Transfers the store sent or is to receive, newest first."""
    store_for(session, actor, store_id)
    # both stores with each transfer (the list names the other one): not one statement per other store
    stmt = (select(Transfer).where(or_(Transfer.store_id == store_id, Transfer.to_store_id == store_id))
            .options(joinedload(Transfer.from_store), joinedload(Transfer.to_store))
            .order_by(Transfer.shipped_at.desc()).limit(limit))
    return list(session.scalars(stmt))


def destinations(session: Session, from_store_id) -> list[Store]:
    """Every other store of the city that is not closed, with its district (the form names it on each line)."""
    return list(session.scalars(select(Store).where(Store.id != from_store_id, Store.status != "closed")
                                .options(selectinload(Store.district)).order_by(Store.code)))


def ship_transfer(session: Session, actor: Actor, *, from_store_id, to_store_id, lines: list[tuple], now: datetime,
                  note: str = "", idempotency_key: str | None = None) -> Transfer:
    """Ship goods: `lines` is [{"barcode" or "item_id", "qty"}]. Expired lots are never shipped.

    Raises Forbidden (not the sending store's manager), InvalidInput (no lines, same or unknown store),
    InsufficientStock, ExpiredLot, ProhibitedGoods, PeriodClosed.
    """
    store = store_for(session, actor, from_store_id)
    require_manager(actor, from_store_id)
    if (done := replay(session, Transfer, idempotency_key)) is not None:
        return done
    target = session.get(Store, to_store_id) if to_store_id else None
    if target is None or target.id == store.id or target.status == "closed":
        raise InvalidInput(_("请选择另一家营业中的门店"), fields={"to_store_id": [_("请选择另一家营业中的门店")]})
    if not lines or len(lines) > MAX_LINES:
        raise InvalidInput(_("请添加 1–%(max)d 种物品", max=MAX_LINES), fields={"lines": [_("请添加物品")]})
    wanted: dict = {}
    for line in lines:
        ledger.check_qty(line["qty"])
        item = item_by_ref(session, item_id=line.get("item_id"), barcode=line.get("barcode"))
        wanted[item] = wanted.get(item, 0) + line["qty"]  # the same item twice is one line
    items = list(wanted.items())
    try:
        with unit_of_work(session):
            transfer = Transfer(store_id=store.id, to_store_id=target.id, number=serial(session, store, "DB", now),
                                status="shipped", note=(note or "")[:200], idempotency_key=idempotency_key,
                                shipped_by_id=actor.user_id, shipped_by_name=actor.username, shipped_at=now)
            session.add(transfer)
            session.flush()
            position = 0
            ledger.lock_stock(session, store.id, [item.id for item, _qty in items])
            for item, qty in items:
                for move in ledger.take(session, actor, store_id=store.id, item=item, qty=qty, kind="transfer_out",
                                        doc_type="transfer", doc_id=transfer.id, now=now, note=transfer.number):
                    position += 1
                    session.add(TransferLine(transfer_id=transfer.id, position=position, item_id=item.id,
                                             from_lot_id=move.lot_id, qty_shipped=-move.qty,
                                             expiry_date=session.get(Lot, move.lot_id).expiry_date))
            audit.record(session, actor, "inventory.transfer_shipped", transfer,
                         {"number": transfer.number, "to": target.code,
                          "lines": [[i.name, q] for i, q in items]}, store_id=store.id, now=now)
    except IntegrityError:  # the same form submitted twice at once: the first one stands
        if (done := replay(session, Transfer, idempotency_key)) is not None:
            return done
        raise
    return transfer


def receive_transfer(session: Session, actor: Actor, transfer_id, *, received: dict, now: datetime,
                     note: str = "") -> Transfer:
    """Confirm what arrived: `received` maps every line id to the quantity that arrived (0 … shipped).

    Raises Forbidden (not staff of the receiving store), AlreadyReceived, InvalidInput (a line missing or
    more than shipped), PeriodClosed.
    """
    transfer = get_transfer(session, actor, transfer_id)
    require_staff(actor, transfer.to_store_id)
    counts = {str(k): v for k, v in (received or {}).items()}
    errors = {}
    for line in transfer.lines:
        qty = counts.get(str(line.id))
        if isinstance(qty, bool) or not isinstance(qty, int) or not 0 <= qty <= line.qty_shipped:
            errors[str(line.id)] = [_("到货数量须在 0 到 %(max)d 之间", max=line.qty_shipped)]
    if errors or set(counts) - {str(line.id) for line in transfer.lines}:
        raise InvalidInput(_("请为每一行填写实际到货数量（不能多于发货数量）"), fields=errors)
    with unit_of_work(session):
        claimed = session.execute(update(Transfer).where(Transfer.id == transfer.id, Transfer.status == "shipped")
                                  .values(status="received"))
        if claimed.rowcount != 1:
            raise AlreadyReceived(_("调拨单 %(number)s 已确认收货", number=transfer.number))
        short = 0
        ledger.lock_stock(session, transfer.to_store_id, [line.item_id for line in transfer.lines if counts[str(line.id)]])
        for line in transfer.lines:
            line.qty_received = counts[str(line.id)]
            short += line.qty_shipped - line.qty_received
            if line.qty_received:
                move = ledger.receive(session, actor, store_id=transfer.to_store_id, item=line.item,
                                      qty=line.qty_received, kind="transfer_in", doc_type="transfer",
                                      doc_id=transfer.id, now=now, expiry_date=line.expiry_date,
                                      note=transfer.number)
                line.to_lot_id = move.lot_id
        transfer.status, transfer.discrepancy_qty = "received", short
        transfer.received_by_id, transfer.received_by_name, transfer.received_at = actor.user_id, actor.username, now
        transfer.receive_note = (note or "")[:200]
        audit.record(session, actor, "inventory.transfer_received", transfer,
                     {"number": transfer.number, "short_qty": short,
                      "lines": [[line.item.name, line.qty_shipped, line.qty_received] for line in transfer.lines]},
                     store_id=transfer.to_store_id, now=now)
        if short:  # the sender sees the difference on its own audit chain too
            audit.record(session, actor, "inventory.transfer_discrepancy", transfer,
                         {"number": transfer.number, "short_qty": short}, store_id=transfer.store_id, now=now)
    return transfer
