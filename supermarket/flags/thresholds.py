"""Thresholds as data: the defaults in kinds.py overlaid with what the federation saved; edits are validated."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..auth.permissions import Actor, Role, require
from ..uow import unit_of_work
from .errors import BadThreshold, UnknownKind
from .kinds import KINDS
from .models import FlagThreshold


def effective(session: Session) -> dict[str, dict]:
    """kind -> its thresholds (defaults overlaid with saved values), for enabled kinds only. One query."""
    saved = {t.kind: t for t in session.scalars(select(FlagThreshold))}
    out = {}
    for code, kind in KINDS.items():
        row = saved.get(code)
        if row is not None and not row.enabled:
            continue
        out[code] = {**kind.defaults, **({k: v for k, v in (row.params or {}).items() if k in kind.defaults}
                                         if row else {})}
    return out


def effective_all(session: Session) -> dict[str, dict]:
    """kind -> {"params": effective thresholds, "enabled": bool, "updated_by": str} for the thresholds page."""
    saved = {t.kind: t for t in session.scalars(select(FlagThreshold))}
    out = {}
    for code, kind in KINDS.items():
        row = saved.get(code)
        params = {**kind.defaults, **({k: v for k, v in (row.params or {}).items() if k in kind.defaults}
                                      if row else {})}
        out[code] = {"params": params, "enabled": row.enabled if row else True,
                     "updated_by": row.updated_by if row else ""}
    return out


def validate(code: str, params: dict) -> dict:
    """Each known key a whole number ≥ 1; unknown keys refused. Raises BadThreshold with per-field messages."""
    kind = KINDS.get(code)
    if kind is None:
        raise UnknownKind(_("未知的预警类型：%(kind)s", kind=code))
    clean, fields = {}, {}
    for key, value in params.items():
        if key not in kind.defaults:
            fields[key] = [_("未知的阈值")]
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            fields[key] = [_("请输入整数")]
            continue
        if isinstance(value, float) and value != number or isinstance(value, bool):
            fields[key] = [_("请输入整数")]
        elif number < 1:
            fields[key] = [_("必须大于 0（窗口和次数不能为零或负数）")]
        else:
            clean[key] = number
    if fields:
        raise BadThreshold(_("阈值不合理"), fields=fields)
    return clean


def save(session: Session, actor: Actor, code: str, params: dict, *, enabled: bool = True,
         now: datetime) -> FlagThreshold:
    """The federation sets one kind's thresholds (a full or partial set; missing keys keep their defaults)."""
    require(actor.role is Role.FEDERATION_ADMIN, _("只有市慈善总会可以修改预警阈值"))
    clean = validate(code, params)
    with unit_of_work(session):
        row = session.get(FlagThreshold, code) or FlagThreshold(kind=code)
        row.params, row.enabled, row.updated_at, row.updated_by = clean, enabled, now, actor.username
        session.add(row)
        audit.record(session, actor, "flags.thresholds_saved", subject_type="flag_threshold", subject_id=code,
                     summary={"params": clean, "enabled": enabled}, now=now)
    return row
