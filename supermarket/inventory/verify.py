"""Recompute every cached balance from the ledger and report drift (`flask inventory verify`)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .models import LotBalance, StockBalance, StockMovement


@dataclass(frozen=True)
class Drift:
    level: str          # "item" or "lot"
    store_id: str
    key: str            # item id or lot id
    cached: int
    ledger: int


def verify_balances(session: Session) -> list[Drift]:
    """Every balance must equal the sum of its movements. Two grouped scans, linear in the ledger."""
    drifts: list[Drift] = []
    ledger_items = {(r.store_id, r.item_id): r.total for r in session.execute(
        select(StockMovement.store_id, StockMovement.item_id, func.sum(StockMovement.qty).label("total"))
        .group_by(StockMovement.store_id, StockMovement.item_id))}
    cached_items = {(r.store_id, r.item_id): r.qty for r in session.execute(
        select(StockBalance.store_id, StockBalance.item_id, StockBalance.qty))}
    for key in ledger_items.keys() | cached_items.keys():
        cached, ledger = cached_items.get(key, 0), ledger_items.get(key, 0)
        if cached != ledger:
            drifts.append(Drift("item", str(key[0]), str(key[1]), cached, ledger))
    ledger_lots = {r.lot_id: r.total for r in session.execute(
        select(StockMovement.lot_id, func.sum(StockMovement.qty).label("total")).group_by(StockMovement.lot_id))}
    cached_lots = {r.lot_id: (r.store_id, r.qty) for r in session.execute(
        select(LotBalance.lot_id, LotBalance.store_id, LotBalance.qty))}
    for lot_id in ledger_lots.keys() | cached_lots.keys():
        store_id, cached = cached_lots.get(lot_id, (None, 0))
        ledger = ledger_lots.get(lot_id, 0)
        if cached != ledger:
            drifts.append(Drift("lot", str(store_id), str(lot_id), cached, ledger))
    return drifts
