"""`flask inventory verify` that scales: the daily run from the last checkpoint, `--full` over the whole ledger.

A checkpoint says: at `verified_at` every balance equalled its ledger, and the movements created before
`watermark` were `movements` rows summing to `qty_sum`. Checkpoints form a hash chain like the audit trail's.

What the daily run promises: the checkpoints' chain is intact, and every balance (item and lot) that a movement
created since the last checkpoint touched equals the sum of ALL its movements, old and new. It reads only the
new movements and the ledger rows of the keys they touch, so its cost follows the day's trade, not the ledger's
age. It does not look at balances nobody moved since, nor at old movements of untouched keys: an edit there is
`--full`'s to find. `--full` recomputes every balance from every movement, and checks that the ledger before the
last checkpoint still has the number of rows and the qty sum the checkpoint recorded, so even an old movement
edited together with its balance (which leaves the sums agreeing) is found; `movement_rows_off_the_chain` then
names the row by its audit digest.

The watermark lags the run by `SETTLE`: a movement whose transaction began before the run but committed after
it carries an earlier created_at, and must still fall after the watermark to be read by the next daily run.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from ..audit.service import GENESIS
from .models import InventoryCheckpoint, LotBalance, StockBalance, StockMovement
from .verify import Drift, _collector_paused, _compare, _raw, verify_balances

SETTLE = timedelta(minutes=10)


@dataclass
class Outcome:
    full: bool
    drifts: list[Drift] = field(default_factory=list)
    broken: str | None = None          # the checkpoints' chain, or the ledger before a checkpoint, changed
    since: datetime | None = None      # the daily run: the watermark it started from
    movements: int = 0                 # the daily run: new movements read
    balances: int = 0                  # the daily run: balances checked (items and lots)

    @property
    def ok(self) -> bool:
        return not self.drifts and self.broken is None


def _hash(prev: str, watermark: datetime, movements: int, qty_sum: int, verified_at: datetime, full: bool) -> str:
    stamp = "%Y-%m-%dT%H:%M:%S.%fZ"
    body = json.dumps([watermark.strftime(stamp), movements, qty_sum, verified_at.strftime(stamp), full],
                      separators=(",", ":"))
    return hashlib.sha256(prev.encode() + body.encode()).hexdigest()


def last_checkpoint(session: Session) -> tuple[InventoryCheckpoint | None, str | None]:
    """The latest checkpoint after checking the chain of all of them; (None, reason) when one was altered."""
    prev, last = GENESIS, None
    for cp in session.scalars(select(InventoryCheckpoint).order_by(InventoryCheckpoint.id)):
        if cp.prev_hash != prev or _hash(prev, cp.watermark, cp.movements, cp.qty_sum, cp.verified_at,
                                         cp.full) != cp.hash:
            return None, f"核验点 {cp.id} 的记录被改动"
        prev, last = cp.hash, cp
    return last, None


def _totals(session: Session, *, after: datetime | None = None, before: datetime) -> tuple[int, int]:
    stmt = select(func.count(), func.coalesce(func.sum(StockMovement.qty), 0)).where(
        StockMovement.created_at < before)
    if after is not None:
        stmt = stmt.where(StockMovement.created_at >= after)
    count, total = session.execute(stmt).one()
    return int(count), int(total)


def _record(session: Session, last: InventoryCheckpoint | None, *, now: datetime, full: bool,
            watermark: datetime, movements: int, qty_sum: int) -> None:
    prev = last.hash if last else GENESIS
    session.add(InventoryCheckpoint(watermark=watermark, movements=movements, qty_sum=qty_sum, verified_at=now,
                                    full=full, prev_hash=prev,
                                    hash=_hash(prev, watermark, movements, qty_sum, now, full)))
    session.commit()


def verify_full(session: Session, *, now: datetime, settle: timedelta = SETTLE) -> Outcome:
    """Every balance against every movement, and the ledger before the last checkpoint against what it
    recorded; a new checkpoint when all is whole."""
    last, broken = last_checkpoint(session)
    if broken:
        return Outcome(full=True, broken=broken)
    drifts = verify_balances(session)
    if last is not None and _totals(session, before=last.watermark) != (last.movements, last.qty_sum):
        count, total = _totals(session, before=last.watermark)
        broken = (f"核验点 {last.id} 之前的流水已变：当时 {last.movements} 条、数量合计 {last.qty_sum}，"
                  f"现在 {count} 条、合计 {total}")
    outcome = Outcome(full=True, drifts=drifts, broken=broken)
    if outcome.ok:
        watermark = now - settle
        _record(session, last, now=now, full=True, watermark=watermark,
                **dict(zip(("movements", "qty_sum"), _totals(session, before=watermark))))
    return outcome


def verify_daily(session: Session, *, now: datetime, settle: timedelta = SETTLE) -> Outcome:
    """The balances touched since the last checkpoint against their whole ledger (with no checkpoint yet: the
    full run); a new checkpoint when all is whole."""
    last, broken = last_checkpoint(session)
    if broken:
        return Outcome(full=False, broken=broken)
    if last is None:
        return verify_full(session, now=now, settle=settle)
    with _collector_paused():
        outcome = _daily(session, last)
    watermark = now - settle
    if outcome.ok and watermark > last.watermark:
        count, total = _totals(session, after=last.watermark, before=watermark)
        _record(session, last, now=now, full=False, watermark=watermark, movements=last.movements + count,
                qty_sum=last.qty_sum + total)
    return outcome


def _daily(session: Session, last: InventoryCheckpoint) -> Outcome:
    conn, m = session.connection(), StockMovement
    new = m.created_at >= last.watermark
    items = select(m.store_id, m.item_id).where(new).distinct().subquery()
    lots = select(m.lot_id).where(new).distinct().subquery()
    ledger_items = {(s, i): total for s, i, total in conn.execute(
        select(_raw(m.store_id), _raw(m.item_id), func.sum(m.qty))
        .join(items, and_(items.c.store_id == m.store_id, items.c.item_id == m.item_id))
        .group_by(m.store_id, m.item_id))}
    cached_items = {(s, i): qty for s, i, qty in conn.execute(
        select(_raw(StockBalance.store_id), _raw(StockBalance.item_id), StockBalance.qty)
        .join(items, and_(items.c.store_id == StockBalance.store_id, items.c.item_id == StockBalance.item_id)))}
    ledger_lots = dict(conn.execute(select(_raw(m.lot_id), func.sum(m.qty))
                                    .join(lots, lots.c.lot_id == m.lot_id).group_by(m.lot_id)).all())
    lot_rows = conn.execute(select(_raw(LotBalance.lot_id), _raw(LotBalance.store_id), LotBalance.qty)
                            .join(lots, lots.c.lot_id == LotBalance.lot_id)).all()
    lot_store = {lot: store for lot, store, _qty in lot_rows}
    # a touched lot without a balance row: its store is the movement's
    lot_store.update({lot: store for lot, store in conn.execute(
        select(_raw(m.lot_id), _raw(m.store_id)).where(new).distinct()) if lot not in lot_store})
    drifts = (_compare("item", ledger_items, cached_items, lambda key: key[0])
              + _compare("lot", ledger_lots, {lot: qty for lot, _s, qty in lot_rows}, lambda key: lot_store.get(key)))
    read = session.scalar(select(func.count()).select_from(m).where(new)) or 0
    return Outcome(full=False, drifts=drifts, since=last.watermark, movements=read,
                   balances=len(ledger_items) + len(ledger_lots))
