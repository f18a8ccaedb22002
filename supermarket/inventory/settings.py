"""Each store's stock settings: the write-off approval threshold and the low-stock level."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from .. import audit
from ..auth.permissions import Actor
from ..errors import InvalidInput
from ..uow import unit_of_work
from .common import require_manager, store_for
from .models import StoreInventorySettings

DEFAULT_WRITE_OFF_APPROVAL_FEN = 5000
DEFAULT_LOW_STOCK_QTY = 3


def settings_of(session: Session, store_id) -> StoreInventorySettings:
    """The store's settings, or the defaults when it never set any (not added to the session)."""
    row = session.get(StoreInventorySettings, store_id)
    return row or StoreInventorySettings(store_id=store_id, write_off_approval_fen=DEFAULT_WRITE_OFF_APPROVAL_FEN,
                                         low_stock_qty=DEFAULT_LOW_STOCK_QTY)


def update_settings(session: Session, actor: Actor, store_id, *, write_off_approval_fen: int,
                    low_stock_qty: int, now: datetime) -> StoreInventorySettings:
    """A store manager sets the write-off approval threshold (fen) and the low-stock level."""
    store_for(session, actor, store_id)
    require_manager(actor, store_id)
    if not 0 <= write_off_approval_fen <= 100_000_000:
        raise InvalidInput(fields={"write_off_approval_fen": [_("金额超出范围")]})
    if not 0 <= low_stock_qty <= 100_000:
        raise InvalidInput(fields={"low_stock_qty": [_("数量超出范围")]})
    with unit_of_work(session):
        row = session.get(StoreInventorySettings, store_id)
        old = settings_of(session, store_id)
        changes = {"write_off_approval_fen": [old.write_off_approval_fen, write_off_approval_fen],
                   "low_stock_qty": [old.low_stock_qty, low_stock_qty]}
        if row is None:
            row = StoreInventorySettings(store_id=store_id)
            session.add(row)
        row.write_off_approval_fen, row.low_stock_qty, row.updated_at = write_off_approval_fen, low_stock_qty, now
        audit.record(session, actor, "inventory.settings_updated", subject_type="store_inventory_settings",
                     subject_id=str(store_id), summary=changes, store_id=store_id, now=now)
    return row
