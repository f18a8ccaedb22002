"""Corrections: a mistaken write-off or stocktake adjustment is undone by a new movement dated today that
points at the one it corrects (kind "correction", reverses_id). The original stays; a closed month stays
closed, because the correction belongs to the day it is made."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from .. import audit
from ..auth.permissions import Actor, get_scoped
from ..errors import InvalidInput
from ..uow import unit_of_work
from . import ledger
from .common import require_manager
from .errors import NotCorrectable
from .models import StockMovement

# Other documents correct themselves (a sale is voided, a donation reversed by its own domain).
CORRECTABLE_KINDS = ("write_off", "stocktake_adjustment")


def get_movement(session: Session, actor: Actor, movement_id) -> StockMovement:
    return get_scoped(session, actor, StockMovement, movement_id)


def correct_movement(session: Session, actor: Actor, movement_id, *, reason: str, now: datetime,
                     qty: int | None = None) -> StockMovement:
    """Reverse `qty` (default: all that is left) of a write-off or stocktake movement, today, with a reason.

    Raises Forbidden (not the store's manager), NotCorrectable, ReversalExceeds, InsufficientStock.
    """
    movement = get_movement(session, actor, movement_id)
    require_manager(actor, movement.store_id)
    if movement.kind not in CORRECTABLE_KINDS or movement.reverses_id is not None:
        raise NotCorrectable(_("只有报损和盘点调整可以在这里更正；销售、入库等请在原单据中冲销"))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("请填写更正原因"), fields={"reason": [_("请填写更正原因")]})
    with unit_of_work(session):
        # Two managers correcting the same movement at once: the second waits here, then sees less left.
        ledger.lock_stock(session, movement.store_id, [movement.item_id])
        ledger.lock_item_balance(session, movement.store_id, movement.item_id)
        correction = ledger.reverse(session, actor, movement=movement, kind="correction", doc_type="correction",
                                    doc_id=movement.id, now=now, qty=qty,
                                    note=f"{reason[:150]}（更正 {movement.note or movement.doc_id}）")
        session.flush()
        audit.record(session, actor, "inventory.movement_corrected", correction,
                     {"corrects": str(movement.id), "kind": movement.kind, "qty": correction.qty,
                      "reason": reason[:150]}, store_id=movement.store_id, now=now)
    return correction
