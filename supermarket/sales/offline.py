"""The offline till's server half: numbers reserved while online, and queued sales landing exactly once.

While online, a tablet reserves a block of provisional receipt numbers (YL01-L0007-0001 … -0300) for itself and
its cashier. Offline, it numbers each sale from the block and keeps it, with its idempotency key, in the
browser. Back online it uploads them in order; each upload is the ordinary sale (same idempotency kind and
fingerprint as the online checkout, so a sale whose answer was lost before the till went offline replays rather
than lands twice), priced by the server, with the sale's original time.

What the server cannot do normally never drops the sale; it lands with its problem attached for the manager:
- stock sold meanwhile at another tablet: the units the books still hold leave by ordinary sale movements and the
  rest is an OfflineShortfall ("sold while offline"), because the ledger is append-only and never below zero;
- its shift was closed meanwhile: the sale is booked to the shift it was made in (where its cash went);
- made longer ago than the offline limit: landed and flagged.
Refused (the till keeps the sale and shows why): a block of another store, tablet or cashier; a number already
used by another sale; a total other than the server's own pricing (a tampered queue); a time in the future.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from .. import audit
from ..auth.permissions import Actor, is_manager_of, require, scope
from ..clock import SHANGHAI, local_today
from ..errors import InvalidInput
from ..i18n import yuan
from ..idempotency import NO_CLAIM, run_once
from ..inventory import service as stock
from ..models import utcnow
from ..sequences import next_number
from ..settings import setting
from ..stores.models import Store
from ..uow import unit_of_work
from ..writes import insert_loaded, insert_rows
from .checkout import _KEYS, CheckoutResult, _audit, _lines, _payments, load_sale, price_lines
from .errors import OfflineBlockForeign, OfflineBlockUnknown, OfflineNumberUsed, OfflinePriceMismatch
from .inputs import Cart
from .models import OfflineBlock, OfflineSale, OfflineShortfall, Payment, Sale, SaleLine, Shift, TillSettings
from .numbers import claim_receipt_number
from .payments import settle
from .settings import config_of
from .shifts import can_sell, lock_till_for_sale

DEFAULT_MAX_HOURS = 8
DEFAULT_MAX_SALES = 300
FUTURE_TOLERANCE = timedelta(minutes=5)  # a tablet's clock a little ahead is not a forged time
PROBLEM_LABELS = {"stock_short": _l("离线期间已售出（库存不足）"), "shift_closed": _l("班次已结班"),
                  "stale": _l("超过离线时限")}


def limits() -> tuple[int, int]:
    """(hours, sales) a tablet may sell offline: OFFLINE_MAX_HOURS, OFFLINE_MAX_SALES (8 h, 300 by default)."""
    return int(setting("OFFLINE_MAX_HOURS", DEFAULT_MAX_HOURS)), int(setting("OFFLINE_MAX_SALES", DEFAULT_MAX_SALES))


def problem_label(code: str) -> str:
    return str(PROBLEM_LABELS.get(code, code))


@dataclass(frozen=True)
class OfflineUpload:
    """A queued sale as the till uploads it."""

    cart: Cart
    block_id: uuid.UUID
    seq: int
    device_id: uuid.UUID
    sold_at: datetime
    total_fen: int
    shift_id: uuid.UUID | None = None


def reserve_block(session: Session, actor: Actor, *, device_id: uuid.UUID, now: datetime | None = None) -> OfflineBlock:
    """A new block of provisional numbers for this tablet and cashier (as many as a tablet may sell offline)."""
    require(can_sell(actor), _("只有门店收银员或店长可以收银"))
    now = now or utcnow()
    _hours, size = limits()
    store = session.get(Store, actor.store_id)
    with unit_of_work(session):
        block_no = next_number(session, f"offline_block:{store.id}")
        block = OfflineBlock(store_id=store.id, block_no=block_no, prefix=f"{store.code}-L{block_no:04d}", size=size,
                             device_id=device_id, cashier_id=actor.user_id, issued_at=now)
        session.add(block)
        session.flush()
        audit.record(session, actor, "sales.offline_block_reserved", block,
                     {"prefix": block.prefix, "size": size}, store_id=store.id, now=now)
    return block


def provisional_number(block: OfflineBlock, seq: int) -> str:
    return f"{block.prefix}-{seq:04d}"


def land(session: Session, actor: Actor, upload: OfflineUpload, *, now: datetime | None = None) -> CheckoutResult:
    """Land one queued sale (once per idempotency key). Raises OfflineBlockUnknown, OfflineBlockForeign,
    OfflineNumberUsed, OfflinePriceMismatch, ShiftClosed (no shift to book it to), InvalidInput, and what
    the checkout raises for an item that no longer exists or is inactive."""
    require(can_sell(actor), _("只有门店收银员或店长可以收银"))
    now = now or utcnow()
    if upload.sold_at > now + FUTURE_TOLERANCE:
        msg = _("离线销售的时间晚于现在，请检查平板的时钟")
        raise InvalidInput(msg, fields={"sold_at": [msg]})
    # The same kind and payload as the online checkout: one key, one sale, whichever way it arrived.
    sale, replayed = run_once(session, actor, kind="sales.checkout", key=upload.cart.idempotency_key,
                              payload=upload.cart, write=lambda claim: _land(session, actor, upload, claim, now),
                              load=lambda sale_id: load_sale(session, sale_id))
    return CheckoutResult(sale, replayed)


def _block_for(session: Session, actor: Actor, upload: OfflineUpload) -> OfflineBlock:
    block = session.get(OfflineBlock, upload.block_id)
    if block is None or block.store_id != actor.store_id:
        raise OfflineBlockUnknown(_("离线单号不属于本店，不能上传"))
    if block.device_id != upload.device_id or block.cashier_id != actor.user_id:
        raise OfflineBlockForeign(_("离线单号属于另一台平板或另一位收银员，不能从这里上传"))
    if not 1 <= upload.seq <= block.size:
        msg = _("离线单号超出号段")
        raise InvalidInput(msg, fields={"seq": [msg]})
    used = session.scalar(select(OfflineSale.sale_id).where(OfflineSale.block_id == block.id,
                                                            OfflineSale.seq == upload.seq))
    if used is not None:
        raise OfflineNumberUsed(_("离线单号 %(number)s 已用于另一笔销售", number=provisional_number(block, upload.seq)))
    return block


_SHIFTS, _STORES, _TILLS = Shift.__table__, Store.__table__, TillSettings.__table__
# The sale's own shift, open or closed, locked like the checkout locks the open one (its first write).
_LOCK_OWN_SHIFT = (
    update(_SHIFTS).where(_SHIFTS.c.id == bindparam("shift"), _SHIFTS.c.cashier_id == bindparam("cashier"),
                          _SHIFTS.c.store_id == bindparam("store")).values(status=_SHIFTS.c.status)
    .returning(_SHIFTS.c.id, _SHIFTS.c.status,
               select(_STORES.c.code).where(_STORES.c.id == bindparam("store")).scalar_subquery(),
               select(_TILLS.c.accepted_tenders).where(_TILLS.c.store_id == bindparam("store")).scalar_subquery(),
               select(_TILLS.c.receipt_width_mm).where(_TILLS.c.store_id == bindparam("store")).scalar_subquery(),
               stock.closed_through_of(bindparam("store"))))


def _lock_shift(session: Session, actor: Actor, shift_id) -> tuple:
    """(shift id, store code, accepted tenders, closed) of the shift the sale was made in, else of the
    cashier's open shift. Raises ShiftClosed when there is neither."""
    if shift_id is not None:
        row = session.connection().execute(_LOCK_OWN_SHIFT, {"shift": shift_id, "cashier": actor.user_id,
                                                             "store": actor.store_id}).first()
        if row is not None:
            sid, status, code, accepted, width, closed = row
            stock.remember_closed_through(session, actor.store_id, closed)
            return sid, code, config_of(accepted, width).accepted, status == "closed"
    till = lock_till_for_sale(session, actor, actor.store_id)
    return till.shift_id, till.store_code, till.config.accepted, False


def _land(session: Session, actor: Actor, upload: OfflineUpload, claim, now: datetime) -> Sale:
    store_id, cart = actor.store_id, upload.cart
    block = _block_for(session, actor, upload)
    priced = price_lines(session, store_id, cart.lines)
    money_total = sum(p.line_total_fen for p in priced)
    if money_total != upload.total_fen:
        raise OfflinePriceMismatch(_("离线小票金额 %(claimed)s 与本店价格 %(priced)s 不符，未入账",
                                     claimed=yuan(upload.total_fen), priced=yuan(money_total)))
    hours, _sales = limits()
    problems = ["stale"] if upload.sold_at < now - timedelta(hours=hours) else []
    sale_id = uuid.uuid4()
    with unit_of_work(session, expire=False):
        shift_id, store_code, accepted, closed = _lock_shift(session, actor, upload.shift_id)
        if closed:
            problems.append("shift_closed")
        settlement = settle(money_total, 0, cart.payments, accepted)
        wants: dict = {}
        for p in priced:
            wants.setdefault(p.item.id, [p.item, 0])[1] += p.qty
        stock.lock_stock(session, store_id, list(wants))
        have = stock.sellable_qty(session, store_id, list(wants), local_today(upload.sold_at))
        takes = [(item, min(qty, have.get(item.id, 0))) for item, qty in wants.values()]
        short = [(item, qty - min(qty, have.get(item.id, 0))) for item, qty in wants.values()
                 if qty > have.get(item.id, 0)]
        if short:
            problems.append("stock_short")
        if any(q > 0 for _i, q in takes):  # every unit short: nothing left on the books to move
            stock.take_many(session, actor, store_id=store_id, wants=[(i, q) for i, q in takes if q > 0],
                            kind="sale", doc_type="sale", doc_id=sale_id, now=upload.sold_at)
        number, day, seq = claim_receipt_number(session, store_id, store_code, upload.sold_at)
        sale = insert_loaded(session, Sale, [{
            "id": sale_id, "store_id": store_id, "kind": "sale", "number": number, "business_date": day,
            "seq": seq, "shift_id": shift_id, "cashier_id": actor.user_id, "sold_at": upload.sold_at,
            "total_fen": money_total, "points_total": 0, "change_fen": settlement.change_fen,
            "idempotency_key": claim.document_key, "reverses_id": None, "status": "completed",
            "approver_id": None, "reason": "", "print_count": 0, "created_at": now}])[0]
        set_committed_value(sale, "lines", insert_loaded(session, SaleLine, _lines(sale_id, priced)))
        set_committed_value(sale, "payments", insert_loaded(session, Payment, _payments(sale_id, settlement)))
        if claim is not NO_CLAIM:
            insert_rows(session, _KEYS, [claim.row(sale_id, now)])
        _audit(session, actor, sale, priced, settlement, now)
        number_text = provisional_number(block, upload.seq)
        session.add(OfflineSale(sale_id=sale_id, store_id=store_id, block_id=block.id, seq=upload.seq,
                                provisional_number=number_text, landed_at=now, problems=",".join(problems),
                                needs_review=bool(problems)))
        session.flush()
        session.add_all(OfflineShortfall(sale_id=sale_id, store_id=store_id, item_id=item.id, name=item.name, qty=qty)
                        for item, qty in short)
        audit.record(session, actor, "sales.offline_sale_landed", sale, {
            "number": number, "provisional": number_text, "sold_at": upload.sold_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M"),
            "problems": "、".join(problem_label(p) for p in problems) or _("无"),
            "short": "、".join(f"{item.name} {qty}" for item, qty in short)}, store_id=store_id, now=now)
    return sale


# --- reading and settling ---------------------------------------------------------------------------------------

def offline_of(session: Session, sale_ids) -> dict:
    """{sale id: OfflineSale} for the given sales, in one query."""
    ids = list(sale_ids)
    if not ids:
        return {}
    return {o.sale_id: o for o in session.scalars(select(OfflineSale).where(OfflineSale.sale_id.in_(ids)))}


def current_shift_sales(session: Session, actor: Actor) -> list[tuple[Sale, OfflineSale | None]]:
    """The sales of the caller's open shift, oldest first, each with its offline record (None: sold online)."""
    from .shifts import get_current_shift

    shift = get_current_shift(session, actor)
    sales = list(session.scalars(select(Sale).where(Sale.shift_id == shift.id)
                                 .options(selectinload(Sale.lines), selectinload(Sale.payments),
                                          selectinload(Sale.cashier)).order_by(Sale.sold_at, Sale.seq)))
    offline = offline_of(session, [s.id for s in sales])
    return [(s, offline.get(s.id)) for s in sales]


def offline_sales(session: Session, actor: Actor, store_id, *, open_only: bool = False, limit: int = 200) -> list:
    """The store's sales recorded offline, those needing the manager first, newest first."""
    stmt = scope(select(OfflineSale), actor, OfflineSale).where(OfflineSale.store_id == store_id) \
        .options(selectinload(OfflineSale.sale).selectinload(Sale.cashier), selectinload(OfflineSale.shortfalls))
    if open_only:
        stmt = stmt.where(OfflineSale.needs_review.is_(True), OfflineSale.resolved_at.is_(None))
    stmt = stmt.order_by(OfflineSale.resolved_at.is_(None).desc(), OfflineSale.needs_review.desc(),
                         OfflineSale.created_at.desc())
    return list(session.scalars(stmt.limit(limit)))


def open_problem_count(session: Session, store_id) -> int:
    from sqlalchemy import func

    return session.scalar(select(func.count()).select_from(OfflineSale).where(
        OfflineSale.store_id == store_id, OfflineSale.needs_review.is_(True), OfflineSale.resolved_at.is_(None)))


def resolve(session: Session, actor: Actor, sale_id, *, note: str, now: datetime | None = None) -> OfflineSale:
    """The store's manager settles an offline sale's problem with what was found (a recount, the shift's
    cash). Recorded, never edited afterwards. Raises Forbidden, NotFound, InvalidInput."""
    from ..errors import NotFound

    now = now or utcnow()
    row = session.get(OfflineSale, sale_id)
    if row is None or not actor.can_see_store(row.store_id):
        raise NotFound(_("离线销售不存在"))
    require(is_manager_of(actor, row.store_id), _("只有本店店长可以处理离线销售的问题"))
    note = (note or "").strip()
    if len(note) < 2 or len(note) > 200:
        msg = _("请填写处理说明（2 到 200 字）")
        raise InvalidInput(msg, fields={"note": [msg]})
    table = OfflineSale.__table__
    with unit_of_work(session):
        done = session.execute(update(table).where(table.c.sale_id == row.sale_id, table.c.needs_review.is_(True),
                                                   table.c.resolved_at.is_(None))
                               .values(resolved_at=now, resolved_by_id=actor.user_id, resolution=note)).rowcount
        if done != 1:
            raise InvalidInput(_("这笔离线销售已经处理过，或没有需要处理的问题"))
        audit.record(session, actor, "sales.offline_problem_resolved", row.sale,
                     {"provisional": row.provisional_number, "number": row.sale.number, "note": note},
                     store_id=row.store_id, now=now)
    session.expire(row)
    return row
