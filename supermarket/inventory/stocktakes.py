"""Stocktakes, counting side: a manager starts a count (whole store or some categories), staff count on the
tablet by scanning (each scan adds one) or by typing a number, a manager may cancel.

Lines exist only for items that were counted, so only counted items can ever be adjusted: an item nobody
scanned keeps its book quantity. Each scan or typed number is kept (StocktakeCount) with who made it, because
the approving manager must be someone who did not count. Review and posting are in stocktake_review.py.
"""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from .. import audit
from ..auth.permissions import Actor, get_scoped, scope
from ..catalog import service as catalog
from ..catalog.models import Category, Item
from ..errors import InvalidInput, NotFound
from ..models import new_uuid
from ..uow import unit_of_work
from .common import replay, require_manager, require_staff, serial, store_for
from .errors import BadQuantity, OutOfScope, ProhibitedGoods, StocktakeNotOpen, StocktakeOpen
from .ledger import MAX_QTY
from .models import Stocktake, StocktakeCategory, StocktakeCount, StocktakeLine


def get_stocktake(session: Session, actor: Actor, stocktake_id) -> Stocktake:
    return get_scoped(session, actor, Stocktake, stocktake_id)


def list_stocktakes(session: Session, actor: Actor, store_id, *, limit: int = 50) -> list[Stocktake]:
    store_for(session, actor, store_id)
    # the counted categories of every listed stocktake in one more statement (the list names them)
    stmt = (scope(select(Stocktake), actor, Stocktake).where(Stocktake.store_id == store_id)
            .options(selectinload(Stocktake.categories)))
    return list(session.scalars(stmt.order_by(Stocktake.started_at.desc()).limit(limit)))


def open_stocktake(session: Session, store_id) -> Stocktake | None:
    return session.scalar(select(Stocktake).where(Stocktake.open_store_id == store_id))


def start_stocktake(session: Session, actor: Actor, *, store_id, category_ids=None, note: str = "",
                    now: datetime, idempotency_key: str | None = None) -> Stocktake:
    """Start counting the whole store (no categories) or only the given categories.

    One stocktake may be open per store at a time (a unique index holds this under concurrent starts).
    Raises Forbidden (not the store's manager), InvalidInput (unknown category), StocktakeOpen.
    """
    store = store_for(session, actor, store_id)
    require_manager(actor, store_id)
    if (done := replay(session, Stocktake, idempotency_key)) is not None:
        return done
    categories = []
    for cid in dict.fromkeys(category_ids or []):
        category = session.get(Category, cid)
        if category is None:
            raise InvalidInput(_("类别不存在"), fields={"category_ids": [_("类别不存在")]})
        categories.append(category)
    if (current := open_stocktake(session, store_id)) is not None:
        raise StocktakeOpen(_("盘点单 %(number)s 尚未完成，请先完成或取消", number=current.number))
    try:
        with unit_of_work(session):
            st = Stocktake(store_id=store_id, number=serial(session, store, "PD", now), status="counting",
                             whole_store=not categories, open_store_id=store_id, note=(note or "")[:200],
                             idempotency_key=idempotency_key, started_by_id=actor.user_id,
                             started_by_name=actor.username, started_at=now)
            session.add(st)
            session.flush()
            session.add_all(StocktakeCategory(stocktake_id=st.id, category_id=c.id) for c in categories)
            audit.record(session, actor, "inventory.stocktake_started", st,
                         {"number": st.number, "categories": [c.code for c in categories] or "all"},
                         store_id=store_id, now=now)
    except IntegrityError:  # a concurrent start won: the replay, or the one open stocktake of the store
        if (done := replay(session, Stocktake, idempotency_key)) is not None:
            return done
        raise StocktakeOpen(_("本店已有进行中的盘点单")) from None
    return st


def in_scope(take: Stocktake, item: Item) -> bool:
    return take.whole_store or item.category_id in {c.id for c in take.categories}


def claim_open(session: Session, take: Stocktake) -> None:
    """Lock the stocktake row while it is counting (first statement of the transaction): a count and the
    approval queue behind each other, so no count slips in after the figures were posted."""
    claimed = session.execute(update(Stocktake).where(Stocktake.id == take.id, Stocktake.status == "counting")
                              .values(status="counting"))
    if claimed.rowcount != 1:
        raise StocktakeNotOpen(_("盘点单 %(number)s 已结束，不能再修改", number=take.number))


def _line_for(session: Session, take: Stocktake, item: Item, now: datetime) -> StocktakeLine:
    """The item's line, created on its first count; two tablets scanning a new item at once share one."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    table = StocktakeLine.__table__
    session.execute(insert(table).values(id=new_uuid(), stocktake_id=take.id,
                                         item_id=item.id, counted_qty=0, created_at=now)
                    .on_conflict_do_nothing(index_elements=[table.c.stocktake_id, table.c.item_id]))
    return session.scalar(select(StocktakeLine).where(StocktakeLine.stocktake_id == take.id,
                                                      StocktakeLine.item_id == item.id))


def record_count(session: Session, actor: Actor, stocktake_id, *, barcode: str | None = None, item_id=None,
                 qty: int = 1, now: datetime) -> StocktakeLine:
    """Add `qty` counted units of an item (a scan adds 1; a typed number adds that many; a negative number
    corrects a miscount). The line's count never goes below zero.

    Raises UnknownBarcode, OutOfScope (item's category not in this count), ProhibitedGoods, BadQuantity,
    StocktakeNotOpen, Forbidden (not staff of the store).
    """
    take = get_stocktake(session, actor, stocktake_id)
    require_staff(actor, take.store_id)
    if isinstance(qty, bool) or not isinstance(qty, int) or qty == 0 or abs(qty) > MAX_QTY:
        raise BadQuantity(_("数量必须是非零整数，且不超过 %(max)d", max=MAX_QTY))
    item = catalog.find_by_barcode(session, barcode) if barcode else catalog.get_item(session, item_id)
    if item.category.prohibited:
        raise ProhibitedGoods(_("“%(name)s”属于禁止类别，不应在库，请按报损处理", name=item.name))
    if not in_scope(take, item):
        raise OutOfScope(_("“%(name)s”（%(cat)s）不在本次盘点范围内", name=item.name, cat=item.category.name))
    with unit_of_work(session):
        claim_open(session, take)
        line = _line_for(session, take, item, now)
        moved = session.execute(update(StocktakeLine)
                                .where(StocktakeLine.id == line.id, StocktakeLine.counted_qty + qty >= 0)
                                .values(counted_qty=StocktakeLine.counted_qty + qty))
        if moved.rowcount != 1:
            raise BadQuantity(_("“%(name)s”的盘点数不能小于 0", name=item.name))
        session.add(StocktakeCount(line_id=line.id, stocktake_id=take.id, qty=qty, actor_id=actor.user_id,
                                   actor_name=actor.username, at=now))
        audit.record(session, actor, "inventory.stocktake_counted", take,
                     {"number": take.number, "item": item.name, "qty": qty}, store_id=take.store_id, now=now)
    session.refresh(line)
    return line


def set_count(session: Session, actor: Actor, stocktake_id, line_id, *, counted_qty: int,
              now: datetime) -> StocktakeLine:
    """Type the total counted for a line (kept as the difference to what was counted so far)."""
    take = get_stocktake(session, actor, stocktake_id)
    line = session.get(StocktakeLine, line_id) if line_id else None
    if line is None or line.stocktake_id != take.id:
        raise NotFound()
    if isinstance(counted_qty, bool) or not isinstance(counted_qty, int) or not 0 <= counted_qty <= MAX_QTY:
        raise BadQuantity(_("数量必须是 0 到 %(max)d 之间的整数", max=MAX_QTY))
    if counted_qty == line.counted_qty:
        require_staff(actor, take.store_id)
        return line
    return record_count(session, actor, take.id, item_id=line.item_id, qty=counted_qty - line.counted_qty, now=now)


def set_line_expiry(session: Session, actor: Actor, stocktake_id, line_id, *, expiry_date: date,
                    now: datetime) -> StocktakeLine:
    """The expiry date for food found on the shelf that has no lot in the store to take one from."""
    take = get_stocktake(session, actor, stocktake_id)
    require_staff(actor, take.store_id)
    line = session.get(StocktakeLine, line_id) if line_id else None
    if line is None or line.stocktake_id != take.id:
        raise NotFound()
    with unit_of_work(session):
        claim_open(session, take)
        line.expiry_date = expiry_date
        audit.record(session, actor, "inventory.stocktake_expiry_set", take,
                     {"number": take.number, "item": line.item.name, "expiry_date": expiry_date.isoformat()},
                     store_id=take.store_id, now=now)
    return line


def cancel_stocktake(session: Session, actor: Actor, stocktake_id, *, now: datetime) -> Stocktake:
    """Abandon a count: nothing is adjusted; the counts stay on record."""
    take = get_stocktake(session, actor, stocktake_id)
    require_manager(actor, take.store_id)
    with unit_of_work(session):
        claim_open(session, take)
        take.status, take.open_store_id = "cancelled", None
        take.closed_by_id, take.closed_by_name, take.closed_at = actor.user_id, actor.username, now
        audit.record(session, actor, "inventory.stocktake_cancelled", take, {"number": take.number},
                     store_id=take.store_id, now=now)
    return take


def counted_lines(session: Session, actor: Actor, stocktake_id) -> list[StocktakeLine]:
    take = get_stocktake(session, actor, stocktake_id)
    return list(session.scalars(select(StocktakeLine).options(selectinload(StocktakeLine.item))
                                .where(StocktakeLine.stocktake_id == take.id)
                                .order_by(StocktakeLine.created_at.desc())))


def counter_ids(session: Session, stocktake_id) -> set:
    return set(session.scalars(select(StocktakeCount.actor_id).where(StocktakeCount.stocktake_id == stocktake_id)
                               .distinct()))


def counter_names(session: Session, stocktake_id) -> list[str]:
    return sorted(set(session.scalars(select(StocktakeCount.actor_name)
                                      .where(StocktakeCount.stocktake_id == stocktake_id).distinct())))
