"""The points ledger's building blocks: entries, lots, and the guarded balance.

Every change takes the resident's row first with a guarded UPDATE (`balance = balance - :n WHERE balance >= :n`),
which also serialises all changes of one resident on PostgreSQL and SQLite alike; lots are read and changed only
after that. Nothing here commits: the outermost use case owns the transaction.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..auth.permissions import Actor
from .errors import InsufficientBalance
from .models import PointsEntry, PointsLot, PointsLotUse, Resident


@dataclass(frozen=True)
class Context:
    """Where and by whom a ledger change happens."""

    actor: Actor
    now: datetime
    store_id: object = None
    ref_type: str = ""
    ref_id: str = ""
    reason: str = ""


def change_balance(session: Session, resident_id, delta: int) -> int:
    """Add `delta` to the cached balance, never below zero; returns the new balance.

    Raises InsufficientBalance when a debit is larger than the balance (nothing changed then).
    """
    stmt = update(Resident).where(Resident.id == resident_id)
    if delta < 0:
        stmt = stmt.where(Resident.balance >= -delta)
    row = session.execute(stmt.values(balance=Resident.balance + delta).returning(Resident.balance)
                          .execution_options(synchronize_session=False)).first()
    if row is None:
        raise InsufficientBalance()
    cached = session.identity_map.get(session.identity_key(Resident, resident_id))
    if cached is not None:
        session.expire(cached, ["balance"])
    return row[0]


def add_entry(session: Session, ctx: Context, resident_id, kind: str, points: int, balance_after: int,
              key: str, *, reverses_id=None) -> PointsEntry:
    entry = PointsEntry(resident_id=resident_id, kind=kind, points=points, balance_after=balance_after,
                        idempotency_key=key, store_id=ctx.store_id, actor_id=ctx.actor.user_id,
                        actor_name=ctx.actor.username[:64], ref_type=ctx.ref_type, ref_id=str(ctx.ref_id),
                        reverses_id=reverses_id, reason=ctx.reason[:200], created_at=ctx.now)
    session.add(entry)
    session.flush()
    return entry


def add_lot(session: Session, resident_id, entry: PointsEntry, points: int, expires_at: datetime | None, *,
            origin_lot_id=None, now: datetime) -> PointsLot:
    lot = PointsLot(resident_id=resident_id, entry_id=entry.id, points=points, remaining=points,
                    expires_at=expires_at, origin_lot_id=origin_lot_id, created_at=now)
    session.add(lot)
    session.flush()
    return lot


def credit(session: Session, ctx: Context, resident_id, kind: str, points: int, key: str,
           expires_at: datetime | None) -> PointsEntry:
    """Add earned (or adjusted-up) points as one new lot with its expiry."""
    balance = change_balance(session, resident_id, points)
    entry = add_entry(session, ctx, resident_id, kind, points, balance, key)
    add_lot(session, resident_id, entry, points, expires_at, now=ctx.now)
    return entry


def live_lots(session: Session, resident_id, now: datetime, *, first_lot_ids=()) -> list[tuple]:
    """(id, remaining) of the lots that can still be spent, in the order they are spent: the lots named in
    `first_lot_ids`, then the soonest-expiring (never-expiring last), oldest first."""
    rows = session.execute(
        select(PointsLot.id, PointsLot.remaining).where(
            PointsLot.resident_id == resident_id, PointsLot.remaining > 0,
            (PointsLot.expires_at.is_(None)) | (PointsLot.expires_at > now))
        .order_by(PointsLot.expires_at.asc().nulls_last(), PointsLot.created_at, PointsLot.id)).all()
    first = [r for r in rows if r[0] in first_lot_ids]
    return first + [r for r in rows if r[0] not in first_lot_ids]


def take_from_lots(session: Session, entry: PointsEntry, points: int, lots: list[tuple]) -> None:
    """Take `points` from `lots` in order, recording each use; InsufficientBalance if they hold too few.

    The balance was already decremented (under its row lock), so a shortfall here means some points are past
    their expiry but not yet expired by the job: they cannot be spent.
    """
    left = points
    for seq, (lot_id, remaining) in enumerate(lots):
        if left == 0:
            break
        n = min(left, remaining)
        done = session.execute(update(PointsLot).where(PointsLot.id == lot_id, PointsLot.remaining >= n)
                               .values(remaining=PointsLot.remaining - n)
                               .execution_options(synchronize_session=False))
        if done.rowcount != 1:  # cannot happen under the resident's row lock; refuse rather than overspend
            raise InsufficientBalance()
        session.add(PointsLotUse(entry_id=entry.id, lot_id=lot_id, points=n, seq=seq))
        left -= n
    if left:
        raise InsufficientBalance(_("积分余额不足（有 %(n)d 积分已过期，待清零）", n=left))
    session.flush()


def debit(session: Session, ctx: Context, resident_id, kind: str, points: int, key: str, *,
          reverses_id=None, first_lot_ids=()) -> PointsEntry:
    """Take `points` (> 0) from the balance and from the live lots, soonest-expiring first."""
    balance = change_balance(session, resident_id, -points)
    entry = add_entry(session, ctx, resident_id, kind, -points, balance, key, reverses_id=reverses_id)
    take_from_lots(session, entry, points, live_lots(session, resident_id, ctx.now, first_lot_ids=first_lot_ids))
    return entry


def restorable(session: Session, debit_entry: PointsEntry) -> list[tuple]:
    """What of a debit can still be given back: (origin lot id, its expiry, points) per lot it used, most
    recently used first, less what earlier give-backs already returned to that lot."""
    uses = session.execute(
        select(PointsLotUse.lot_id, PointsLot.expires_at, PointsLotUse.points)
        .join(PointsLot, PointsLot.id == PointsLotUse.lot_id)
        .where(PointsLotUse.entry_id == debit_entry.id).order_by(PointsLotUse.seq.desc())).all()
    given_back = dict(session.execute(
        select(PointsLot.origin_lot_id, func.sum(PointsLot.points))
        .join(PointsEntry, PointsEntry.id == PointsLot.entry_id)
        .where(PointsEntry.reverses_id == debit_entry.id).group_by(PointsLot.origin_lot_id)).all())
    out = []
    for lot_id, expires_at, used in uses:
        left = used - (given_back.get(lot_id) or 0)
        if left > 0:
            out.append((lot_id, expires_at, left))
    return out


def give_back(session: Session, ctx: Context, debit_entry: PointsEntry, points: int, key: str) -> PointsEntry:
    """Return `points` of a debit into new lots that keep the expiry of the lots they came from.

    Points whose original expiry has already passed are returned and expired in the same transaction (a
    reverse entry, then an expire entry), so the history shows both and the balance never holds dead points.
    Raises ValueError when more is asked than can be given back (callers check first).
    """
    parts, left = [], points
    for lot_id, expires_at, available in restorable(session, debit_entry):
        if left == 0:
            break
        n = min(left, available)
        parts.append((lot_id, expires_at, n))
        left -= n
    if left:
        raise ValueError("give_back beyond what the debit used")
    resident_id = debit_entry.resident_id
    balance = change_balance(session, resident_id, points)
    entry = add_entry(session, ctx, resident_id, "reverse", points, balance, key, reverses_id=debit_entry.id)
    dead = []
    for lot_id, expires_at, n in parts:
        lot = add_lot(session, resident_id, entry, n, expires_at, origin_lot_id=lot_id, now=ctx.now)
        if expires_at is not None and expires_at <= ctx.now:
            dead.append(lot)
    for lot in dead:
        expire_lot(session, ctx, resident_id, lot.id, lot.remaining)
    return entry


def expire_lot(session: Session, ctx: Context, resident_id, lot_id, remaining: int) -> PointsEntry | None:
    """Expire what is left of one lot (caller holds the resident's row lock). Safe to repeat: the entry key is
    the lot's, and a lot whose remaining changed meanwhile is left alone."""
    done = session.execute(update(PointsLot).where(PointsLot.id == lot_id, PointsLot.remaining == remaining)
                           .values(remaining=0).execution_options(synchronize_session=False))
    if done.rowcount != 1 or remaining <= 0:
        return None
    cached = session.identity_map.get(session.identity_key(PointsLot, lot_id))
    if cached is not None:
        session.expire(cached, ["remaining"])
    balance = change_balance(session, resident_id, -remaining)
    entry = add_entry(session, ctx, resident_id, "expire", -remaining, balance, f"expire:{lot_id}")
    session.add(PointsLotUse(entry_id=entry.id, lot_id=lot_id, points=remaining, seq=0))
    session.flush()
    return entry


def entry_by_key(session: Session, key: str) -> PointsEntry | None:
    return session.scalar(select(PointsEntry).where(PointsEntry.idempotency_key == key))
