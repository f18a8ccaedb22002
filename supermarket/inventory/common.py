"""Helpers the inventory documents share: whose store it is, serial numbers, lots, idempotent replays."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..auth.permissions import Actor, get_scoped, is_manager_of, is_store_staff, require
from ..errors import NotFound
from ..sequences import next_number
from ..stores.models import Store
from ..clock import local_today
from .models import Lot


def store_for(session: Session, actor: Actor, store_id) -> Store:
    """The store, if the actor may see it (NotFound otherwise, so other stores' ids leak nothing)."""
    return get_scoped(session, actor, Store, store_id, column_name="id")


def require_staff(actor: Actor, store_id) -> None:
    require(is_store_staff(actor, store_id), _("只有本店员工可以执行此操作"))


def require_manager(actor: Actor, store_id) -> None:
    require(is_manager_of(actor, store_id), _("只有本店店长可以执行此操作"))


def serial(session: Session, store: Store, prefix: str, now: datetime) -> str:
    """A readable document number, gapless per store, kind and year: YL01-PD-2026-0001."""
    year = local_today(now).year
    n = next_number(session, f"{prefix}:{store.id}:{year}")
    return f"{store.code}-{prefix}-{year}-{n:04d}"


def item_by_ref(session: Session, *, item_id=None, barcode: str | None = None):
    """The item a form or tablet named by scanned barcode (UnknownBarcode) or by id (UnknownItem)."""
    from ..catalog import service as catalog

    return catalog.find_by_barcode(session, barcode) if barcode else catalog.get_item(session, item_id)


def lot_in_store(session: Session, store_id, item_id, lot_id) -> Lot:
    """A lot of this item in this store; another store's (or item's) lot id is simply not found."""
    lot = session.get(Lot, lot_id) if lot_id else None
    if lot is None or lot.store_id != store_id or lot.item_id != item_id:
        raise NotFound(_("该门店没有这个批次"))
    return lot


def replay(session: Session, model, key: str | None):
    """The document an idempotency key already created, or None."""
    if not key:
        return None
    return session.scalar(select(model).where(model.idempotency_key == key))
