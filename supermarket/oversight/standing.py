"""How the stores stand (not what happened in a period): open and overdue pledges, households due for review,
the points liability and the stock that can be redeemed against it, the stock's value and age, food about to
expire.

Valuing the stock reads every lot balance of the scope (950,000 in the 1,000-store city, 360 ms): too much for
each view of a dashboard. A periodic job (`snapshot_job`, wiring.JOBS `oversight.standing`, hourly) takes the
figures of every store into `oversight_standing`; a dashboard reads them when today's snapshot holds every store
it shows and computes them itself otherwise (the first hour of a day before the job has run, a store opened since,
a machine that runs no jobs), so a figure is never missing, only as old as the page says."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy import delete, func, insert, select

from ..clock import local_midnight_utc, local_today, utcnow
from ..standards.facts import advisory_lock
from ..stores.models import Store
from ..uow import unit_of_work
from .models import STANDING_KEYS, StandingSnapshot
from .queries import Filter, _into, _uid, run

_LOCK_KEY = 804_110_004  # pg_advisory_xact_lock: two snapshots at once (see standards/facts.py for the others)


def compute(session, scope: Filter, today: date) -> dict:
    """How things stand today: open and overdue pledges, households due for review, the points liability and
    the stock that can be redeemed against it, the stock's value and age, food about to expire."""
    p = {"today": today, "soon7": today + timedelta(days=7), "soon30": today + timedelta(days=30),
         "a30": local_midnight_utc(today - timedelta(days=30)), "a90": local_midnight_utc(today - timedelta(days=90)),
         "a180": local_midnight_utc(today - timedelta(days=180))}
    out: dict = defaultdict(dict)
    f = scope.sql
    _into(out, run(session, f"""SELECT store_id, COUNT(*), SUM(amount_fen - fulfilled_fen),
               SUM(CASE WHEN due_date < :today THEN 1 ELSE 0 END),
               SUM(CASE WHEN due_date < :today THEN amount_fen - fulfilled_fen ELSE 0 END)
        FROM pledges WHERE status = 'open' AND {f('store_id')} GROUP BY store_id""", p, scope),
          ("pledges_open", "pledges_open_fen", "pledges_overdue", "pledges_overdue_fen"))
    _into(out, run(session, f"""SELECT store_id, COUNT(*) FROM households
        WHERE status = 'active' AND review_due <= :today AND {f('store_id')} GROUP BY store_id""", p, scope),
          ("review_due",))
    _into(out, run(session, f"""SELECT registered_store_id, SUM(balance) FROM residents
        WHERE registered_store_id IS NOT NULL AND {f('registered_store_id')} GROUP BY registered_store_id""",
                   p, scope), ("points_liability",))
    _into(out, run(session, f"""SELECT b.store_id, SUM(b.qty * i.points_price) FROM stock_balances b
        JOIN items i ON i.id = b.item_id WHERE b.qty > 0 AND i.points_price IS NOT NULL AND {f('b.store_id')}
        GROUP BY b.store_id""", p, scope), ("points_stock",))
    price = "COALESCE(sp.price_fen, i.default_price_fen)"
    food_soon = "i.is_food = TRUE AND t.expiry_date IS NOT NULL AND t.expiry_date >= :today AND t.expiry_date <= "
    _into(out, run(session, f"""SELECT b.store_id, SUM(b.qty * {price}),
               SUM(CASE WHEN t.received_at >= :a30 THEN b.qty * {price} ELSE 0 END),
               SUM(CASE WHEN t.received_at < :a30 AND t.received_at >= :a90 THEN b.qty * {price} ELSE 0 END),
               SUM(CASE WHEN t.received_at < :a90 AND t.received_at >= :a180 THEN b.qty * {price} ELSE 0 END),
               SUM(CASE WHEN t.received_at < :a180 THEN b.qty * {price} ELSE 0 END),
               SUM(CASE WHEN {food_soon}:soon7 THEN b.qty ELSE 0 END),
               SUM(CASE WHEN {food_soon}:soon7 THEN b.qty * {price} ELSE 0 END),
               SUM(CASE WHEN {food_soon}:soon30 THEN b.qty ELSE 0 END),
               SUM(CASE WHEN {food_soon}:soon30 THEN b.qty * {price} ELSE 0 END)
        FROM lot_balances b JOIN lots t ON t.id = b.lot_id JOIN items i ON i.id = b.item_id
             LEFT JOIN store_prices sp ON sp.store_id = b.store_id AND sp.item_id = b.item_id
        WHERE b.qty > 0 AND {f('b.store_id')} GROUP BY b.store_id""", p, scope),
          ("stock_fen", "age30_fen", "age90_fen", "age180_fen", "age_over_fen", "expiring7", "expiring7_fen",
           "expiring30", "expiring30_fen"))
    return out


def take(session, *, now: datetime | None = None) -> int:
    """Replace the snapshot with every store's figures as of now. Returns the number of stores."""
    now = now or utcnow()
    today = local_today(now)
    with unit_of_work(session):
        advisory_lock(session, _LOCK_KEY)
        figures = compute(session, Filter(None), today)
        store_ids = session.scalars(select(Store.id)).all()
        table = StandingSnapshot.__table__
        session.execute(delete(table))
        rows = [{"store_id": sid, "as_of": today, "taken_at": now,
                 **{k: figures.get(sid, {}).get(k, 0) for k in STANDING_KEYS}} for sid in store_ids]
        if rows:
            session.execute(insert(table), rows)
    return len(rows)


def current(session, scope: Filter, store_ids, today: date, *, now: datetime) -> tuple[dict, datetime]:
    """({store_id: figures}, when they were taken) for the stores `store_ids` of the scope: today's snapshot when
    it holds every one of them, else computed now."""
    table = StandingSnapshot.__table__
    where = [table.c.as_of == today]
    if scope.district_id is not None:
        where.append(table.c.store_id.in_(select(Store.id).where(Store.district_id == scope.district_id)))
    # taken_at once for the scope: one take writes every row at the same instant.
    rows = session.execute(select(table.c.store_id, *(table.c[k] for k in STANDING_KEYS)).where(*where)).all()
    held = {_uid(r[0]): r for r in rows}
    if rows and set(store_ids) <= set(held):
        taken_at = session.execute(select(func.min(table.c.taken_at)).where(*where)).scalar()
        out = {sid: {k: int(v) for k, v in zip(STANDING_KEYS, r[1:]) if v} for sid, r in held.items()}
        return out, taken_at
    return compute(session, scope, today), now


def snapshot_job(session, now: datetime) -> dict:
    """The periodic job (wiring.JOBS `oversight.standing`)."""
    return {"stores": take(session, now=now)}
