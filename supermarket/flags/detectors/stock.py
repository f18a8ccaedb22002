"""Stock detectors: a week's write-offs far above the store's usual, and a counter correcting, within days, the
stock they counted themselves."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from ...clock import local_date
from ...inventory.models import StockMovement, Stocktake, StocktakeCount, StocktakeLine, WriteOff
from ..candidates import Candidate, group
from ..sql import MONDAY_EPOCH_S, WEEK_S, epoch_s, in_scope, week_index


def writeoff_spike(session: Session, p: dict, *, now, since) -> list[Candidate]:
    """A store's write-off value in a calendar week (Asia/Shanghai, Monday–Sunday) from `since` on ≥ factor ×
    its average over the baseline_weeks before (weeks without write-offs count as zero) and ≥ min_fen."""
    weeks = p["baseline_weeks"]
    wk = week_index(session, WriteOff.occurred_at)
    earliest = since - timedelta(weeks=weeks + 1)
    weekly = (select(WriteOff.store_id, wk.label("week"), func.sum(WriteOff.value_fen).label("value"))
              .where(WriteOff.occurred_at >= earliest, WriteOff.occurred_at <= now, in_scope(p, WriteOff.store_id))
              .group_by(WriteOff.store_id, wk).cte("weekly"))
    base = weekly.alias("base")
    first_week = int((since.timestamp() - MONDAY_EPOCH_S) // WEEK_S)
    spikes = (select(weekly.c.store_id, weekly.c.week, weekly.c.value,
                     func.coalesce(func.sum(base.c.value), 0).label("baseline"))
              .outerjoin(base, and_(base.c.store_id == weekly.c.store_id, base.c.week < weekly.c.week,
                                    base.c.week >= weekly.c.week - weeks))
              .where(weekly.c.week >= first_week, weekly.c.value >= p["min_fen"])
              .group_by(weekly.c.store_id, weekly.c.week, weekly.c.value)
              .having(weekly.c.value * weeks >= p["factor"] * func.coalesce(func.sum(base.c.value), 0))
              .cte("spikes"))
    rows = session.execute(
        select(WriteOff.id, WriteOff.number, WriteOff.value_fen, WriteOff.written_by_id, spikes.c.store_id,
               spikes.c.week, spikes.c.value, spikes.c.baseline)
        .join(spikes, and_(spikes.c.store_id == WriteOff.store_id, spikes.c.week == wk))
        .order_by(spikes.c.store_id, spikes.c.week, WriteOff.number)).all()
    out = []
    for (store_id, week), offs in group(rows, lambda r: (r.store_id, int(r.week))).items():
        monday = local_date(_week_start(week))
        c = Candidate("stock.writeoff_spike", store_id, f"store:{store_id}:week:{week}", monday,
                      monday + timedelta(days=6),
                      detail={"value_fen": int(offs[0].value), "baseline_avg_fen": int(offs[0].baseline) // weeks})
        for r in offs:
            c.add_person("user", r.written_by_id)
            c.add_evidence("write_offs", r.id, f"{r.number} ¥{r.value_fen / 100:.2f}", "inventory.write_off_detail",
                           write_off_id=r.id)
        out.append(c)
    return out


def _week_start(week: int):
    from datetime import datetime, timezone

    return datetime.fromtimestamp(MONDAY_EPOCH_S + week * WEEK_S, tz=timezone.utc)


def adjust_after_count(session: Session, p: dict, *, now, since) -> list[Candidate]:
    """A correction of an item's stock made, within within_days after a stocktake closed, by someone who
    counted that item in that stocktake."""
    within_s = p["within_days"] * 86400
    rows = session.execute(
        select(StockMovement.id, StockMovement.kind, StockMovement.qty, StockMovement.actor_id, StockMovement.item_id,
               StockMovement.store_id, Stocktake.id.label("take_id"), Stocktake.number, Stocktake.closed_at)
        .distinct()
        .join(Stocktake, and_(Stocktake.store_id == StockMovement.store_id, Stocktake.closed_at.is_not(None),
                              Stocktake.status == "posted"))
        .join(StocktakeLine, and_(StocktakeLine.stocktake_id == Stocktake.id,
                                  StocktakeLine.item_id == StockMovement.item_id))
        .join(StocktakeCount, and_(StocktakeCount.line_id == StocktakeLine.id,
                                   StocktakeCount.actor_id == StockMovement.actor_id))
        .where(StockMovement.kind == "correction", StockMovement.occurred_at >= since, in_scope(p, StockMovement.store_id),
               StockMovement.occurred_at <= now, StockMovement.occurred_at >= Stocktake.closed_at,
               epoch_s(session, StockMovement.occurred_at) - epoch_s(session, Stocktake.closed_at) <= within_s)
        .order_by(Stocktake.number, StockMovement.id)).all()
    out = []
    for (take_id, actor_id), moves in group(rows, lambda r: (r.take_id, r.actor_id)).items():
        first = moves[0]
        day = local_date(first.closed_at)
        c = Candidate("stock.adjust_after_count", first.store_id, f"stocktake:{take_id}:user:{actor_id}", day,
                      day + timedelta(days=p["within_days"]), detail={"count": len(moves)})
        c.add_person("user", actor_id)
        c.add_evidence("stocktakes", take_id, first.number, "inventory.stocktake", stocktake_id=take_id)
        for r in moves:
            c.add_evidence("stock_movements", r.id, f"{r.kind} {r.qty:+d}", "inventory.item_history",
                           store_id=r.store_id, item_id=r.item_id)
        out.append(c)
    return out


def sold_offline(session: Session, p: dict, *, now, since) -> list[Candidate]:
    """Sales that landed from an offline till with units the books no longer held ("sold while offline"), while
    the store's manager has not settled them: one flag per sale, naming its cashier."""
    from ...sales.models import OfflineSale, OfflineShortfall, Sale

    rows = session.execute(
        select(OfflineShortfall.id, OfflineShortfall.name, OfflineShortfall.qty, OfflineSale.sale_id,
               OfflineSale.store_id, OfflineSale.provisional_number, OfflineSale.landed_at, Sale.cashier_id)
        .join(OfflineSale, OfflineSale.sale_id == OfflineShortfall.sale_id)
        .join(Sale, Sale.id == OfflineSale.sale_id)
        .where(OfflineSale.resolved_at.is_(None), OfflineSale.landed_at >= since, OfflineSale.landed_at <= now,
               in_scope(p, OfflineSale.store_id))
        .order_by(OfflineSale.provisional_number, OfflineShortfall.id)).all()
    out = []
    for sale_id, lines in group(rows, lambda r: r.sale_id).items():
        first = lines[0]
        day = local_date(first.landed_at)
        c = Candidate("stock.sold_offline", first.store_id, f"offline_sale:{sale_id}", day, day,
                      detail={"units": sum(r.qty for r in lines)})
        c.add_person("user", first.cashier_id)
        c.add_evidence("sales", sale_id, first.provisional_number, "sales.sale_detail", sale_id=sale_id)
        for r in lines:
            c.add_evidence("offline_shortfalls", r.id, f"{r.name} -{r.qty}", "sales.offline_list")
        out.append(c)
    return out
