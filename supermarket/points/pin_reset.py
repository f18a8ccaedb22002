"""Resetting a resident's PIN at a store: only with the resident present and a store manager's approval.

A PIN guards the resident's points; whoever can set it can spend them. So a reset needs
- the resident at the counter: the last four characters of their ID number when one is on file, or the full
  number (checked against the keyed hash, never stored);
- a store manager of this store approving on the same tablet (not the staff member doing the reset);
- and it is rate-limited per resident and per staff member (failed proofs count too: they are guesses).
Every reset is an audit event `points.pin_reset` on the store's chain (store_id = the store, subject = the
resident), which the resident sees on their own page and the anomaly board reads to flag a reset followed
within 48 h by a redemption at the same store (`points.pin_reset_then_redeem`).
"""
from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import audit
from ..audit.models import AuditEvent
from ..auth.permissions import STORE_ROLES, Actor, require
from ..auth.service import Approval, hash_secret, verify_approver
from ..errors import InvalidInput
from ..privacy import id_hmac, normalise_id
from ..settings import setting
from ..stores.models import Store
from ..uow import unit_of_work
from .errors import IdentityNotConfirmed, PinResetLimited
from .models import PinAttempt, Resident
from .residents import _check_pin_format, get_resident

ACTION = "points.pin_reset"
_CHANNEL = "pin_reset"


@dataclass(frozen=True)
class PinReset:
    """One reset as the resident sees it on their own page."""
    at: datetime
    store_name: str


def _tries(session: Session, key: str, since: datetime) -> int:
    return session.scalar(select(func.count()).select_from(PinAttempt)
                          .where(PinAttempt.key == key, PinAttempt.at >= since)) or 0


def _check_limits(session: Session, actor: Actor, resident: Resident, now: datetime) -> tuple[str, str]:
    since = now - timedelta(seconds=setting("PIN_RESET_WINDOW_S", 86400))
    by_resident, by_staff = f"pinreset:resident:{resident.id}", f"pinreset:staff:{actor.user_id}"
    if (_tries(session, by_resident, since) >= setting("PIN_RESET_MAX_PER_RESIDENT", 3)
            or _tries(session, by_staff, since) >= setting("PIN_RESET_MAX_PER_STAFF", 10)):
        raise PinResetLimited(_("PIN 重置次数过多，请明天再试或联系市慈善总会"))
    return by_resident, by_staff


def _note_try(session: Session, keys: tuple[str, str], ok: bool, now: datetime) -> None:
    for key in keys:
        session.add(PinAttempt(key=key, at=now, success=ok, channel=_CHANNEL))


def _proof_matches(resident: Resident, proof: str, pii_key: str) -> bool:
    given = normalise_id(proof)
    if len(given) == 4:
        return hmac.compare_digest(given, (resident.id_last4 or "").upper())
    return bool(given) and hmac.compare_digest(id_hmac(pii_key, given), resident.id_hmac or "")


def reset_pin(session: Session, actor: Actor, resident_id, new_pin: str, *, id_proof: str,
              approval: Approval | None, pii_key: str, now: datetime) -> Resident:
    """The resident sets a new PIN at the actor's store; their phone sessions end.

    Raises IdentityNotConfirmed (no or wrong ID proof when an ID is on file), ApprovalRequired-like
    InvalidInput (no manager's approval), ApprovalFailed, PinResetLimited, InvalidInput (PIN format).
    """
    require(actor.role in STORE_ROLES and actor.store_id is not None, _("只有门店员工可以在门店为居民重置 PIN"))
    _check_pin_format(new_pin)
    resident = get_resident(session, actor, resident_id)
    keys = _check_limits(session, actor, resident, now)
    if resident.id_hmac and not _proof_matches(resident, id_proof or "", pii_key):
        # Counted outside the failing transaction: a wrong proof is a guess at the resident's ID number.
        session.rollback()
        with unit_of_work(session):
            _note_try(session, keys, False, now)
        msg = _("身份证号后四位（或完整号码）与登记的不符，请居民本人出示证件")
        raise IdentityNotConfirmed(msg, fields={"id_proof": [msg]})
    if approval is None or not approval.username:
        msg = _("重置 PIN 需要店长确认")
        raise InvalidInput(msg, fields={"approver_username": [msg]})
    approver = verify_approver(session, actor.store_id, approval.username, approval.secret,
                               not_user_id=actor.user_id)
    if resident.user_id is not None and approver.id == resident.user_id:
        raise IdentityNotConfirmed(_("确认人不能是该居民本人"))
    with unit_of_work(session):
        resident.pin_hash = hash_secret(new_pin)
        resident.session_version += 1
        _note_try(session, keys, True, now)
        audit.record(session, actor, ACTION, resident,
                     {"member_code": resident.member_code, "approver": approver.username,
                      "proof": "id" if resident.id_hmac else "none"}, store_id=actor.store_id, now=now)
    return resident


def recent_resets(session: Session, resident_id, *, now: datetime, days: int = 90) -> list[PinReset]:
    """The resident's PIN resets in the last `days` days, newest first, with the store where each was done."""
    rows = session.execute(
        select(AuditEvent.at, Store.name).outerjoin(Store, Store.id == AuditEvent.store_id)
        .where(AuditEvent.action == ACTION, AuditEvent.subject_type == Resident.__tablename__,
               AuditEvent.subject_id == str(resident_id), AuditEvent.at >= now - timedelta(days=days))
        .order_by(AuditEvent.at.desc()).limit(5)).all()
    return [PinReset(at, name or "") for at, name in rows]
