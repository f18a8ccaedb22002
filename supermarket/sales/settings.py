"""Per-store till settings: the tenders the store accepts and its receipt roll width (58 or 80 mm)."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from .. import audit
from ..auth.permissions import Actor, Role, require
from ..errors import InvalidInput
from ..stores import service as stores_service
from ..uow import unit_of_work
from .models import ROLL_WIDTHS, TillSettings
from .tenders import DEFAULT_ACCEPTED, TENDERS


@dataclass(frozen=True)
class TillConfig:
    accepted: tuple[str, ...]
    receipt_width_mm: int
    variance_limit_fen: int = 1000  # ¥10: a shift closing further off needs a reason
    cash_approval_limit_fen: int = 20000  # ¥200: cash paid in or out above it needs a manager on the spot


DEFAULT = TillConfig(DEFAULT_ACCEPTED, 58)
MAX_VARIANCE_LIMIT_FEN = 100_000
MAX_CASH_LIMIT_FEN = 1_000_000


def config_of(accepted: str | None, width: int | None) -> TillConfig:
    """The settings from a till_settings row's two columns (None: the store has none, the defaults apply)."""
    if accepted is None:
        return DEFAULT
    return TillConfig(tuple(m for m in accepted.split(",") if m in TENDERS), width)


def till_config(session: Session, store_id) -> TillConfig:
    """The store's settings, or the defaults when it has none."""
    row = session.get(TillSettings, store_id)
    if row is None:
        return DEFAULT
    return TillConfig(config_of(row.accepted_tenders, row.receipt_width_mm).accepted, row.receipt_width_mm,
                      row.variance_limit_fen, row.cash_approval_limit_fen)


def can_configure_till(actor: Actor, store_id) -> bool:
    return actor.role is Role.FEDERATION_ADMIN or (actor.role is Role.STORE_MANAGER and store_id in actor.store_ids)


def update_till_config(session: Session, actor: Actor, store_id, *, accepted: list[str],
                       receipt_width_mm: int, variance_limit_fen: int | None = None,
                       cash_approval_limit_fen: int | None = None) -> TillConfig:
    """A store manager chooses the accepted tenders (at least one), the roll width and the shift-close
    variance above which a reason is asked (unchanged when None)."""
    stores_service.get_store(session, actor, store_id)
    require(can_configure_till(actor, store_id))
    accepted = [m for m in TENDERS if m in set(accepted)]
    if not accepted:
        raise InvalidInput(_("至少要接受一种支付方式"), fields={"accepted": [_("至少要接受一种支付方式")]})
    if receipt_width_mm not in ROLL_WIDTHS:
        raise InvalidInput(_("小票宽度只能是 58 或 80 毫米"), fields={"receipt_width_mm": [_("请选择 58 或 80 毫米")]})
    before = till_config(session, store_id)
    limit = before.variance_limit_fen if variance_limit_fen is None else variance_limit_fen
    if isinstance(limit, bool) or not isinstance(limit, int) or not 0 <= limit <= MAX_VARIANCE_LIMIT_FEN:
        raise InvalidInput(_("差异上限须在 0 到 1000 元之间"),
                           fields={"variance_limit": [_("差异上限须在 0 到 1000 元之间")]})
    cash_limit = before.cash_approval_limit_fen if cash_approval_limit_fen is None else cash_approval_limit_fen
    if isinstance(cash_limit, bool) or not isinstance(cash_limit, int) or not 0 <= cash_limit <= MAX_CASH_LIMIT_FEN:
        raise InvalidInput(_("钱箱审批金额须在 0 到 10000 元之间"),
                           fields={"cash_approval_limit": [_("钱箱审批金额须在 0 到 10000 元之间")]})
    with unit_of_work(session):
        row = session.get(TillSettings, store_id)
        if row is None:
            row = TillSettings(store_id=store_id)
            session.add(row)
        row.accepted_tenders = ",".join(accepted)
        row.receipt_width_mm = receipt_width_mm
        row.variance_limit_fen = limit
        row.cash_approval_limit_fen = cash_limit
        audit.record(session, actor, "sales.till_settings_changed", row, {
            "accepted": [list(before.accepted), accepted],
            "receipt_width_mm": [before.receipt_width_mm, receipt_width_mm],
            "variance_limit_fen": [before.variance_limit_fen, limit],
            "cash_approval_limit_fen": [before.cash_approval_limit_fen, cash_limit]},
            store_id=store_id, subject_type="till_settings", subject_id=store_id)
    return TillConfig(tuple(accepted), receipt_width_mm, limit, cash_limit)
