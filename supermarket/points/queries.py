"""Read-side helpers for points pages and the API: history, points expiring soon, store labels."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import NotFound
from ..auth.permissions import Actor, Role
from ..privacy import mask_name
from ..stores.models import Store
from .models import PointsEntry, PointsLot, Resident

EXPIRING_SOON = timedelta(days=60)

KIND_LABELS = {"earn": "志愿服务", "redeem": "兑换", "expire": "到期清零", "adjust": "调整", "reverse": "冲销/退还"}


@dataclass(frozen=True)
class Expiring:
    expires_at: datetime
    points: int


def expiring_soon(session: Session, resident_id, now: datetime, within: timedelta = EXPIRING_SOON) -> list[Expiring]:
    """Points that will expire within `within`, grouped by expiry instant, soonest first."""
    rows = session.execute(
        select(PointsLot.expires_at, func.sum(PointsLot.remaining))
        .where(PointsLot.resident_id == resident_id, PointsLot.remaining > 0,
               PointsLot.expires_at.is_not(None), PointsLot.expires_at > now,
               PointsLot.expires_at <= now + within)
        .group_by(PointsLot.expires_at).order_by(PointsLot.expires_at)).all()
    return [Expiring(at, int(n)) for at, n in rows]


def _history_stmt(resident_id):
    return (select(PointsEntry).where(PointsEntry.resident_id == resident_id)
            .order_by(PointsEntry.created_at.desc(), PointsEntry.balance_after, PointsEntry.id))


def history(session: Session, resident_id, *, limit: int = 50, offset: int = 0) -> list[PointsEntry]:
    return list(session.scalars(_history_stmt(resident_id).limit(limit).offset(offset)))


def iter_history(session: Session, resident_id):
    """Every entry of the history, in its order, read in batches (the account's download)."""
    yield from session.scalars(_history_stmt(resident_id).execution_options(yield_per=1000))


def kind_label(kind: str) -> str:
    return _(KIND_LABELS.get(kind, kind))


def store_labeller(session: Session, actor: Actor | None):
    """A function store_id -> label: the store's name where the viewer may see it, else a neutral word.

    A resident's history spans the city; a store sees its own part of it by name and the rest as 其他门店.
    """
    names = dict(session.execute(select(Store.id, Store.name)).all())

    def label(store_id, kind: str = "earn") -> str:
        if store_id is None:  # no store: the city platform's credits, the expiry job, the federation's own acts
            return {"earn": _("市志愿服务平台"), "expire": _("系统")}.get(kind, _("市慈善总会"))
        if actor is None or actor.can_see_store(store_id):
            return names.get(store_id, "")
        return _("其他门店")
    return label


def visible(actor: Actor, store_id) -> bool:
    """Whether the actor may see a points row (credit, entry) made at `store_id`; store-less rows (the city
    platform's, the expiry job's) are the federation's."""
    return actor.all_stores or (store_id is not None and actor.can_see_store(store_id))


def get_visible(session, actor: Actor, model, row_id):
    """A points row (credit, entry) the actor may see (see visible()); NotFound otherwise."""
    row = session.get(model, row_id) if row_id else None
    if row is None or not visible(actor, row.store_id):
        raise NotFound()
    return row


def display_name(actor: Actor, resident: Resident) -> str:
    """Full name for store staff and the federation (who serve and register residents), masked otherwise."""
    if actor.role in (Role.CASHIER, Role.STORE_MANAGER, Role.FEDERATION_ADMIN):
        return resident.name
    return mask_name(resident.name)
