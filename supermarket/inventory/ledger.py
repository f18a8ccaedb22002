"""The stock ledger's three moves: receive into a lot, take out (expiring first), reverse a movement.

Every function runs inside the caller's transaction and never commits, so a sale, a donation or a hand-out
writes its stock movements together with everything else or not at all. Balances are caches moved in the same
transaction with guarded statements, so stock can never go negative, even with several tablets at once.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..auth.permissions import Actor
from ..catalog.models import Item
from ..clock import local_today
from .closed_periods import check_period_open
from .errors import BadQuantity, ExpiredLot, InsufficientStock, ProhibitedGoods, ReversalExceeds
from ..models import utcnow
from ..writes import insert_rows
from .models import MOVEMENT_KINDS, LotBalance, Lot, StockBalance, StockMovement

MAX_QTY = 1_000_000

# The hot statements, built once as Core statements with bound parameters: a checkout runs them for every line,
# and skipping the ORM's bulk-DML path and the SQL construction per call is most of its cost. Bind names differ
# from column names on purpose: SQLAlchemy would take a parameter named like a column as a value to SET.
_STOCK_BALANCES, _LOT_BALANCES, _LOTS = StockBalance.__table__, LotBalance.__table__, Lot.__table__
_STOCK_MOVEMENTS = StockMovement.__table__
# Guarded decrements: no row changes (rowcount 0) when there is not enough, so stock never goes negative.
_DECREASE_ITEM_BALANCE_IF_ENOUGH = (
    update(_STOCK_BALANCES)
    .where(_STOCK_BALANCES.c.store_id == bindparam("store"), _STOCK_BALANCES.c.item_id == bindparam("item"),
           _STOCK_BALANCES.c.qty >= bindparam("amount"))
    .values(qty=_STOCK_BALANCES.c.qty - bindparam("amount")))
_DECREASE_LOT_BALANCE_IF_ENOUGH = (
    update(_LOT_BALANCES)
    .where(_LOT_BALANCES.c.lot_id == bindparam("lot"), _LOT_BALANCES.c.qty >= bindparam("amount"))
    .values(qty=_LOT_BALANCES.c.qty - bindparam("amount")))
_INCREASE_LOT_BALANCE = (update(_LOT_BALANCES).where(_LOT_BALANCES.c.lot_id == bindparam("lot"))
                         .values(qty=_LOT_BALANCES.c.qty + bindparam("amount")))
# Lots with stock, the one expiring first first (no expiry last), then the oldest.
_LOTS_WITH_STOCK = (select(_LOT_BALANCES.c.lot_id, _LOT_BALANCES.c.qty, _LOTS.c.expiry_date)
                    .join(_LOTS, _LOTS.c.id == _LOT_BALANCES.c.lot_id)
                    .where(_LOT_BALANCES.c.store_id == bindparam("store"),
                           _LOT_BALANCES.c.item_id == bindparam("item"), _LOT_BALANCES.c.qty > 0)
                    .order_by(_LOTS.c.expiry_date.is_(None), _LOTS.c.expiry_date, _LOTS.c.received_at, _LOTS.c.id))
_ONE_LOT_WITH_STOCK = _LOTS_WITH_STOCK.where(_LOT_BALANCES.c.lot_id == bindparam("lot"))
# The same for several items at once (a sale), item by item.
_LOTS_OF_ITEMS_WITH_STOCK = (
    select(_LOT_BALANCES.c.item_id, _LOT_BALANCES.c.lot_id, _LOT_BALANCES.c.qty, _LOTS.c.expiry_date)
    .join(_LOTS, _LOTS.c.id == _LOT_BALANCES.c.lot_id)
    .where(_LOT_BALANCES.c.store_id == bindparam("store"),
           _LOT_BALANCES.c.item_id.in_(bindparam("items", expanding=True)), _LOT_BALANCES.c.qty > 0)
    .order_by(_LOT_BALANCES.c.item_id, _LOTS.c.expiry_date.is_(None), _LOTS.c.expiry_date, _LOTS.c.received_at,
              _LOTS.c.id))

def check_qty(qty: int) -> None:
    if not isinstance(qty, int) or isinstance(qty, bool) or qty <= 0 or qty > MAX_QTY:
        raise BadQuantity(_("数量必须是 1 到 %(max)d 之间的整数", max=MAX_QTY))


def _post(session: Session, actor: Actor, *, store_id, item_id, lot_id, qty: int, kind: str, doc_type: str,
          doc_id, now: datetime, reverses_id=None, note: str = "") -> StockMovement:
    assert kind in MOVEMENT_KINDS, kind
    check_period_open(session, store_id, now)
    movement = StockMovement(store_id=store_id, item_id=item_id, lot_id=lot_id, qty=qty, kind=kind,
                             doc_type=doc_type, doc_id=str(doc_id), reverses_id=reverses_id,
                             actor_id=actor.user_id, actor_name=actor.username, occurred_at=now, note=note[:200])
    session.add(movement)
    return movement


def _add_to_balances(session: Session, store_id, item_id, lot_id, qty: int) -> None:
    """Add `qty` (> 0) to the item's and the lot's balance, creating the item row if needed."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = StockBalance.__table__
    session.execute(insert(table).values(store_id=store_id, item_id=item_id, qty=qty)
                    .on_conflict_do_update(index_elements=[table.c.store_id, table.c.item_id],
                                           set_={"qty": table.c.qty + qty}))
    session.execute(_INCREASE_LOT_BALANCE, {"lot": lot_id, "amount": qty})


def _take_from_balances(session: Session, store_id, item_id, lot_id, qty: int) -> bool:
    """Guarded decrement of the item's and the lot's balance; False when either would go negative."""
    taken = session.execute(_DECREASE_ITEM_BALANCE_IF_ENOUGH, {"store": store_id, "item": item_id, "amount": qty})
    if taken.rowcount != 1:
        return False
    return session.execute(_DECREASE_LOT_BALANCE_IF_ENOUGH, {"lot": lot_id, "amount": qty}).rowcount == 1


# --- The one lock order -----------------------------------------------------------------------------------
# Every writer of stock and lot balances (sales, voids, returns, aid hand-outs, intake, transfers, stocktakes,
# write-offs, corrections) takes the row locks of the store's item balances, for all the items of its document,
# in ascending item id (lock_order), BEFORE it touches any lot balance; lot balances are then only ever changed
# under their item's lock (so (item id, then any lot of it) is the whole order). A lot belongs to one item, so
# two documents sharing items queue on their first common item instead of waiting on each other in a cycle. Around
# the stock locks, the order is the document's own head (the shift, the household's usage, the sequence) first
# and the store's audit chain head last (audit.record). The till's take_many() takes the same locks in the same
# order with its guarded decrements (lock_order() below), which spares it a round trip.

def lock_order(item_ids) -> list:
    """The item ids of a document, each once, in the order their balance rows are locked."""
    return sorted(set(item_ids), key=str)


def lock_stock(session: Session, store_id, item_ids) -> None:
    """Lock the store's balance rows of `item_ids` in the one lock order, creating missing rows (at 0).

    Called at the start of a document's stock writes, before any take, receive or reverse. On SQLite the
    first write takes the database's one write lock, so there is no row order to keep.
    """
    ordered = lock_order(item_ids)
    if not ordered or session.get_bind().dialect.name != "postgresql":
        return
    table = StockBalance.__table__
    for item_id in ordered:  # one row per statement: each lock is held before the next is asked for
        session.execute(postgresql.insert(table).values(store_id=store_id, item_id=item_id, qty=0)
                        .on_conflict_do_update(index_elements=[table.c.store_id, table.c.item_id],
                                               set_={"qty": table.c.qty}))


def lock_item_balance(session: Session, store_id, item_id) -> None:
    """Take the item's balance row lock (a no-op UPDATE) before reading what a decision depends on, e.g. how
    much of a movement is left to reverse: concurrent writers of the item's stock then queue here."""
    session.execute(update(StockBalance).where(StockBalance.store_id == store_id, StockBalance.item_id == item_id)
                    .values(qty=StockBalance.qty))


def on_hand(session: Session, store_id, item_id) -> int:
    return session.scalar(select(StockBalance.qty).where(StockBalance.store_id == store_id,
                                                         StockBalance.item_id == item_id)) or 0


def check_not_prohibited(item: Item) -> None:
    if item.category.prohibited:
        raise ProhibitedGoods(_("“%(cat)s”类物品禁止入库或销售：%(reason)s", cat=item.category.name,
                                reason=item.category.prohibited_reason or _("属于禁止类别")))


def receive(session: Session, actor: Actor, *, store_id, item: Item, qty: int, kind: str, doc_type: str, doc_id,
            now: datetime, expiry_date: date | None = None, unit_cost_fen: int | None = None,
            note: str = "") -> StockMovement:
    """Put `qty` units of `item` into a new lot of the store. Food needs an expiry date."""
    check_qty(qty)
    check_not_prohibited(item)
    if item.is_food and expiry_date is None:
        raise BadQuantity(_("食品“%(name)s”必须填写保质期", name=item.name))
    lot = Lot(store_id=store_id, item_id=item.id, expiry_date=expiry_date if item.is_food else None,
              received_at=now, source_type=doc_type, source_id=str(doc_id), unit_cost_fen=unit_cost_fen)
    session.add(lot)
    session.flush()
    session.add(LotBalance(lot_id=lot.id, store_id=store_id, item_id=item.id, qty=0))
    session.flush()
    _add_to_balances(session, store_id, item.id, lot.id, qty)
    return _post(session, actor, store_id=store_id, item_id=item.id, lot_id=lot.id, qty=qty, kind=kind,
                 doc_type=doc_type, doc_id=doc_id, now=now, note=note)


def take(session: Session, actor: Actor, *, store_id, item: Item, qty: int, kind: str, doc_type: str, doc_id,
         now: datetime, lot_id=None, note: str = "", allow_expired: bool = False) -> list[StockMovement]:
    """Take `qty` units of `item` out of the store, from the lot that expires first (or from `lot_id`).

    Expired lots are never taken (unless `allow_expired`, for writing them off); when only expired stock would
    make up the quantity the error names the lot. Raises InsufficientStock, ExpiredLot, ProhibitedGoods.
    """
    check_qty(qty)
    if not allow_expired:
        check_not_prohibited(item)
    # The guarded UPDATE first: it locks the item's balance row, so concurrent takes queue here.
    taken = session.execute(_DECREASE_ITEM_BALANCE_IF_ENOUGH, {"store": store_id, "item": item.id, "amount": qty})
    if taken.rowcount != 1:
        raise InsufficientStock(_("“%(name)s”库存不足：需要 %(need)d，现有 %(have)d", name=item.name, need=qty,
                                  have=on_hand(session, store_id, item.id)), item_id=str(item.id))
    params = {"store": store_id, "item": item.id}
    if lot_id is not None:
        params["lot"] = lot_id
    lots = session.execute(_LOTS_WITH_STOCK if lot_id is None else _ONE_LOT_WITH_STOCK, params)
    plan = _plan(session, item, qty, lots, local_today(now), allow_expired)
    movements = []
    for lot_ref, n in plan:
        if session.execute(_DECREASE_LOT_BALANCE_IF_ENOUGH, {"lot": lot_ref, "amount": n}).rowcount != 1:
            raise InsufficientStock(_("“%(name)s”库存刚被其他操作占用，请重试", name=item.name), item_id=str(item.id))
        movements.append(_post(session, actor, store_id=store_id, item_id=item.id, lot_id=lot_ref, qty=-n,
                               kind=kind, doc_type=doc_type, doc_id=doc_id, now=now, note=note))
    return movements


def _plan(session: Session, item: Item, qty: int, lots, today: date, allow_expired: bool,
          refused: str = "") -> list[tuple]:
    """Which lots (rows of _LOTS_WITH_STOCK, in order) give `qty`: [(lot_id, n), ...]. Expired lots are skipped
    unless `allow_expired`; when only they could make up the quantity the error names the item, how many of it
    expired and when (a lot id means nothing at the counter)."""
    remaining, plan, expired_qty, expired_on = qty, [], 0, None
    for row in lots:
        if row.expiry_date is not None and row.expiry_date < today and not allow_expired:
            expired_qty += row.qty
            expired_on = max(expired_on or row.expiry_date, row.expiry_date)
            continue
        n = min(remaining, row.qty)
        plan.append((row.lot_id, n))
        remaining -= n
        if remaining == 0:
            return plan
    if expired_qty:
        raise ExpiredLot(expired_message(item.name, expired_qty, item.unit, expired_on, refused or _("不能出库")),
                         item_id=str(item.id))
    raise InsufficientStock(_("“%(name)s”该批次库存不足", name=item.name), item_id=str(item.id))


def expired_message(name: str, qty: int, unit: str, expired_on: date, refused: str) -> str:
    """面包 有 3 包已于 12月2日过期，不能销售 — shared by the till's lookup and the refusal."""
    return _("%(name)s 有 %(qty)d %(unit)s已于 %(day)s过期，%(refused)s", name=name, qty=qty, unit=unit,
             day=_("%(month)d月%(day)d日", month=expired_on.month, day=expired_on.day), refused=refused)


def take_many(session: Session, actor: Actor, *, store_id, wants: list[tuple[Item, int]], kind: str,
              doc_type: str, doc_id, now: datetime) -> list[dict]:
    """take() for the several items of one document (a sale), in a handful of statements instead of a few per
    line: the guarded balance UPDATEs in item order (the lock order every writer uses), one read of the lots of
    all the items, the guarded lot UPDATEs, one INSERT of all the movements. Returns the movement rows.

    The same rules as take(): expiring lots first, expired lots refused by name, never below zero. An item
    that appears on several lines is taken once with the summed quantity.
    """
    qty_by_item: dict = {}
    items = {}
    for item, qty in wants:
        check_qty(qty)
        check_not_prohibited(item)
        items[item.id] = item
        qty_by_item[item.id] = qty_by_item.get(item.id, 0) + qty
    ordered = lock_order(qty_by_item)
    conn = session.connection()
    # One executemany, rows in item order: the balance row locks are still taken in that order. Its rowcount
    # is the sum, so a short count means some item lacked stock; which one is read before raising.
    taken = conn.execute(_DECREASE_ITEM_BALANCE_IF_ENOUGH,
                         [{"store": store_id, "item": i, "amount": qty_by_item[i]} for i in ordered]).rowcount
    if taken != len(ordered):
        _raise_short(session, store_id, items, qty_by_item)
    lots_by_item: dict = {item_id: [] for item_id in ordered}  # read in (item, expiry) order, so lots too
    for row in conn.execute(_LOTS_OF_ITEMS_WITH_STOCK, {"store": store_id, "items": ordered}):
        lots_by_item[row.item_id].append(row)
    today = local_today(now)
    check_period_open(session, store_id, now)
    rows, created = [], utcnow()
    for item_id in ordered:
        for lot_ref, n in _plan(session, items[item_id], qty_by_item[item_id], lots_by_item[item_id], today, False,
                                _("不能销售") if kind == "sale" else ""):
            rows.append({"id": uuid.uuid4(), "created_at": created, "store_id": store_id, "item_id": item_id,
                         "lot_id": lot_ref, "qty": -n, "kind": kind, "doc_type": doc_type, "doc_id": str(doc_id),
                         "reverses_id": None, "actor_id": actor.user_id, "actor_name": actor.username,
                         "occurred_at": now, "note": ""})
    lots_taken = conn.execute(_DECREASE_LOT_BALANCE_IF_ENOUGH, [{"lot": r["lot_id"], "amount": -r["qty"]} for r in rows])
    if lots_taken.rowcount != len(rows):
        raise InsufficientStock(_("库存刚被其他操作占用，请重试"))
    assert kind in MOVEMENT_KINDS, kind
    insert_rows(session, _STOCK_MOVEMENTS, rows)
    return rows


def _raise_short(session: Session, store_id, items: dict, qty_by_item: dict):
    """Raise InsufficientStock naming the first item (in item order) whose stock cannot give its quantity.

    The balances cannot say it: the same executemany has already taken the items that had enough, so an item
    with exactly enough would read 0 and be named instead of the one that is short. Before this document the
    balance equals the sum of the item's movements (the ledger's invariant; this one's are not written yet), so
    the stock as it was is read from them: one index-only SUM, on the refusal path only."""
    have = dict(session.connection().execute(
        select(_STOCK_MOVEMENTS.c.item_id, func.coalesce(func.sum(_STOCK_MOVEMENTS.c.qty), 0))
        .where(_STOCK_MOVEMENTS.c.store_id == store_id, _STOCK_MOVEMENTS.c.item_id.in_(list(items)))
        .group_by(_STOCK_MOVEMENTS.c.item_id)).all())
    for item_id in sorted(qty_by_item):
        if have.get(item_id, 0) < qty_by_item[item_id]:
            item = items[item_id]
            raise InsufficientStock(_("“%(name)s”库存不足：需要 %(need)d，现有 %(have)d", name=item.name,
                                      need=qty_by_item[item_id], have=have.get(item_id, 0)), item_id=str(item_id))
    raise InsufficientStock(_("库存刚被其他操作占用，请重试"))


def reversed_qty(session: Session, movement_id) -> int:
    """How much of a movement has been reversed already (as a positive number)."""
    return abs(session.scalar(select(func.coalesce(func.sum(StockMovement.qty), 0))
                              .where(StockMovement.reverses_id == movement_id)))


def reverse(session: Session, actor: Actor, *, movement: StockMovement, kind: str, doc_type: str, doc_id,
            now: datetime, qty: int | None = None, note: str = "") -> StockMovement:
    """Reverse `qty` (default: all that is left) of a movement, into or out of the same lot.

    Callers guard the document (a sale can be voided once) so two reversals of one movement cannot race.
    Raises ReversalExceeds, InsufficientStock (reversing an intake whose goods are gone).
    """
    left = abs(movement.qty) - reversed_qty(session, movement.id)
    qty = left if qty is None else qty
    if not isinstance(qty, int) or isinstance(qty, bool) or qty <= 0 or qty > left:
        raise ReversalExceeds(_("冲销数量超过可冲销的数量（剩余 %(left)d）", left=left))
    if movement.qty < 0:
        _add_to_balances(session, movement.store_id, movement.item_id, movement.lot_id, qty)
        signed = qty
    else:
        if not _take_from_balances(session, movement.store_id, movement.item_id, movement.lot_id, qty):
            raise InsufficientStock(_("该批次库存已不足，无法冲销"), item_id=str(movement.item_id))
        signed = -qty
    return _post(session, actor, store_id=movement.store_id, item_id=movement.item_id, lot_id=movement.lot_id,
                 qty=signed, kind=kind, doc_type=doc_type, doc_id=doc_id, now=now, reverses_id=movement.id,
                 note=note)


def sellable_qty(session: Session, store_id, item_ids, today: date) -> dict:
    """{item id: units take_many() could give today} (lots not expired, never more than the item's balance).
    Read after lock_stock(), it stays true until the caller's transaction ends."""
    ordered = lock_order(item_ids)
    have: dict = {i: 0 for i in ordered}
    if not ordered:
        return have
    conn = session.connection()
    for row in conn.execute(_LOTS_OF_ITEMS_WITH_STOCK, {"store": store_id, "items": ordered}):
        if row.expiry_date is None or row.expiry_date >= today:
            have[row.item_id] = have.get(row.item_id, 0) + row.qty
    balances = dict(conn.execute(select(_STOCK_BALANCES.c.item_id, _STOCK_BALANCES.c.qty).where(
        _STOCK_BALANCES.c.store_id == store_id, _STOCK_BALANCES.c.item_id.in_(ordered))).all())
    return {i: min(q, balances.get(i, 0)) for i, q in have.items()}
