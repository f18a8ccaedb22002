"""Per-store till settings: the tenders the store accepts and its receipt roll width (58 or 80 mm)."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from .. import audit
from ..auth.permissions import Actor, Role, require
from ..errors import InvalidInput
from ..stores import service as stores_service
from ..stores.models import Store
from ..uow import unit_of_work
from ..inventory import periods
from .errors import ShiftClosed
from .models import ROLL_WIDTHS, Shift, TillSettings
from .tenders import DEFAULT_ACCEPTED, TENDERS


@dataclass(frozen=True)
class TillConfig:
    accepted: tuple[str, ...]
    receipt_width_mm: int


DEFAULT = TillConfig(DEFAULT_ACCEPTED, 58)


def _config(accepted: str | None, width: int | None) -> TillConfig:
    if accepted is None:
        return DEFAULT
    return TillConfig(tuple(m for m in accepted.split(",") if m in TENDERS), width)


def till_config(session: Session, store_id) -> TillConfig:
    """The store's settings, or the defaults when it has none."""
    row = session.get(TillSettings, store_id)
    return DEFAULT if row is None else _config(row.accepted_tenders, row.receipt_width_mm)


# What a sale needs to know of its store, read in the statement that locks the cashier's open shift (the sale's
# first write): one round trip instead of four. The shift lock is a no-op UPDATE (it locks the row on
# PostgreSQL and takes the write lock on SQLite alike); the rest are scalar subqueries in its RETURNING.
# They name the store by the bound parameter, never by the updated row's column: SQLite renders RETURNING
# columns unqualified, and `WHERE store_id = store_id` would then match every store's row.
_SHIFTS, _STORES, _TILLS = Shift.__table__, Store.__table__, TillSettings.__table__
_STORE = bindparam("s")
_OPEN_TILL = (update(_SHIFTS)
              .where(_SHIFTS.c.open_cashier_id == bindparam("u"), _SHIFTS.c.store_id == _STORE,
                     _SHIFTS.c.status == "open")
              .values(status="open")
              .returning(_SHIFTS.c.id,
                         select(_STORES.c.code).where(_STORES.c.id == _STORE).scalar_subquery(),
                         select(_TILLS.c.accepted_tenders).where(_TILLS.c.store_id == _STORE).scalar_subquery(),
                         select(_TILLS.c.receipt_width_mm).where(_TILLS.c.store_id == _STORE).scalar_subquery(),
                         periods.closed_through_of(_STORE)))


@dataclass(frozen=True)
class OpenTill:
    shift_id: object
    store_code: str
    config: TillConfig


def lock_till_for_sale(session: Session, actor: Actor, store_id) -> OpenTill:
    """Lock the actor's open shift for this transaction; with it the store's code and till settings. The
    store's closed month is handed to the period guard. Raises ShiftClosed."""
    row = session.connection().execute(_OPEN_TILL, {"u": actor.user_id, "s": store_id}).first()
    if row is None:
        raise ShiftClosed(_("请先开班再收银"))
    shift_id, code, accepted, width, closed = row
    periods.remember_closed_through(session, store_id, closed)
    return OpenTill(shift_id, code, _config(accepted, width))


def can_configure_till(actor: Actor, store_id) -> bool:
    return actor.role is Role.FEDERATION_ADMIN or (actor.role is Role.STORE_MANAGER and store_id in actor.store_ids)


def update_till_config(session: Session, actor: Actor, store_id, *, accepted: list[str],
                       receipt_width_mm: int) -> TillConfig:
    """A store manager chooses the accepted tenders (at least one) and the roll width."""
    stores_service.get_store(session, actor, store_id)
    require(can_configure_till(actor, store_id))
    accepted = [m for m in TENDERS if m in set(accepted)]
    if not accepted:
        raise InvalidInput(_("至少要接受一种支付方式"), fields={"accepted": [_("至少要接受一种支付方式")]})
    if receipt_width_mm not in ROLL_WIDTHS:
        raise InvalidInput(_("小票宽度只能是 58 或 80 毫米"), fields={"receipt_width_mm": [_("请选择 58 或 80 毫米")]})
    before = till_config(session, store_id)
    with unit_of_work(session):
        row = session.get(TillSettings, store_id)
        if row is None:
            row = TillSettings(store_id=store_id)
            session.add(row)
        row.accepted_tenders = ",".join(accepted)
        row.receipt_width_mm = receipt_width_mm
        audit.record(session, actor, "sales.till_settings_changed", row, {
            "accepted": [list(before.accepted), accepted],
            "receipt_width_mm": [before.receipt_width_mm, receipt_width_mm]},
            store_id=store_id, subject_type="till_settings", subject_id=store_id)
    return TillConfig(tuple(accepted), receipt_width_mm)
