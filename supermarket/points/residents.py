"""Residents: registration, look-up, status, and the PIN that guards their points (rate-limited).

Residents are city-wide: any store may look one up by member code at the till. Listing and searching
residents (personal data) is for store managers and the federation. A member code is random (12 characters
from an alphabet without look-alikes, about 2^59 possibilities), so it cannot be guessed; the PIN is the
resident's consent to spend.
"""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash

from ..settings import setting
from .. import audit
from ..auth.models import User
from ..auth.permissions import STORE_ROLES, Actor, Role, is_store_staff, require
from ..auth.service import hash_secret
from ..errors import InvalidInput, NotFound
from ..privacy import id_hmac, normalise_id, valid_mainland_id
from ..uow import unit_of_work
from .errors import DuplicateResident, PinLocked, ResidentInactive, UnknownMember, WrongPin
from .models import RESIDENT_STATUSES, PinAttempt, Resident

MEMBER_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
MEMBER_CODE_LENGTH = 12
STAFF_ROLES = (Role.CASHIER, Role.STORE_MANAGER, Role.FEDERATION_ADMIN)
# The roles that may list and search residents (their personal data).
DIRECTORY_ROLES = (Role.STORE_MANAGER, Role.FEDERATION_ADMIN)


def new_member_code() -> str:
    return "".join(secrets.choice(MEMBER_ALPHABET) for _ in range(MEMBER_CODE_LENGTH))


def normalize_code(code: str | None) -> str:
    return (code or "").strip().upper()


def _valid_pin(pin: str | None) -> bool:
    return bool(pin) and pin.isdigit() and len(pin) == 6


def _check_pin_format(pin: str | None) -> None:
    if not _valid_pin(pin):
        raise InvalidInput(_("PIN 须为 6 位数字"), fields={"pin": [_("PIN 须为 6 位数字")]})


def can_register(actor: Actor, store_id) -> bool:
    return actor.role is Role.FEDERATION_ADMIN or is_store_staff(actor, store_id)


def register_resident(session: Session, actor: Actor, *, name: str, phone: str, pin: str, pii_key: str,
                      community: str = "", id_number: str | None = None, staff_username: str | None = None,
                      store_id=None, member_code: str | None = None, now: datetime) -> Resident:
    """Register a resident and give them a random member code.

    The ID-card number is optional; when given it must pass the GB 11643 check and is kept only as a keyed hash
    plus its last four characters. Phone and ID number are unique. `staff_username` links a staff account of
    the same person, so they can never approve their own hours. Raises InvalidInput, DuplicateResident.
    """
    if actor.role in STORE_ROLES:
        store_id = actor.store_id
    require(can_register(actor, store_id), _("您无权登记居民"))
    _check_pin_format(pin)
    id_hash = last4 = None
    if id_number:
        if not valid_mainland_id(id_number):
            raise InvalidInput(_("身份证号码无效"), fields={"id_number": [_("身份证号码无效")]})
        id_hash, last4 = id_hmac(pii_key, id_number), normalise_id(id_number)[-4:]
    if session.scalar(select(Resident.id).where(Resident.phone == phone)):
        raise DuplicateResident(_("该手机号已登记"))
    if id_hash and session.scalar(select(Resident.id).where(Resident.id_hmac == id_hash)):
        raise DuplicateResident(_("该身份证号已登记"))
    user_id = None
    if staff_username:
        user_id = session.scalar(select(User.id).where(User.username == staff_username.strip()))
        if user_id is None:
            raise InvalidInput(fields={"staff_username": [_("没有该员工账号")]})
    with unit_of_work(session):
        resident = Resident(member_code=member_code or new_member_code(), name=name.strip(), phone=phone,
                            id_hmac=id_hash, id_last4=last4, community=community.strip(), status="active",
                            pin_hash=hash_secret(pin), user_id=user_id, registered_store_id=store_id,
                            created_at=now)
        session.add(resident)
        session.flush()
        audit.record(session, actor, "points.resident_registered", resident,
                     {"member_code": resident.member_code}, store_id=store_id, now=now)
    return resident


def find_by_code(session: Session, member_code: str) -> Resident:
    resident = session.scalar(select(Resident).where(Resident.member_code == normalize_code(member_code)))
    if resident is None:
        raise UnknownMember()
    return resident


def lookup(session: Session, actor: Actor, member_code: str) -> Resident:
    """A resident by member code, for staff at any store (the till, the shift form)."""
    require(actor.role in STAFF_ROLES)
    return find_by_code(session, member_code)


def get_resident(session: Session, actor: Actor, resident_id) -> Resident:
    require(actor.role in STAFF_ROLES or actor.role is Role.DISTRICT_AUDITOR)
    resident = session.get(Resident, resident_id) if resident_id else None
    if resident is None:
        raise NotFound()
    return resident


def search_residents(session: Session, actor: Actor, q: str = "", *, limit: int = 50,
                     offset: int = 0) -> list[Resident]:
    """Residents matching a member code, phone or name (managers and the federation only)."""
    require(actor.role in DIRECTORY_ROLES, _("只有店长和市慈善总会可以查询居民名录"))
    stmt = select(Resident).order_by(Resident.created_at.desc())
    q = (q or "").strip()
    if q:
        like = f"%{q.replace('%', '').replace('_', '')}%"
        stmt = stmt.where(or_(Resident.member_code == normalize_code(q), Resident.phone.like(like),
                              Resident.name.like(like), Resident.community.like(like)))
    return list(session.scalars(stmt.limit(limit).offset(offset)))


def set_status(session: Session, actor: Actor, resident_id, status: str, *, reason: str,
               now: datetime) -> Resident:
    """Suspend, close or reactivate a resident's account (managers and the federation); ends phone sessions."""
    require(actor.role in DIRECTORY_ROLES)
    if status not in RESIDENT_STATUSES:
        raise InvalidInput(fields={"status": [_("状态无效")]})
    if not (reason or "").strip():
        raise InvalidInput(_("请填写原因"), fields={"reason": [_("请填写原因")]})
    resident = get_resident(session, actor, resident_id)
    with unit_of_work(session):
        old = resident.status
        resident.status = status
        resident.session_version += 1
        audit.record(session, actor, "points.resident_status", resident,
                     {"from": old, "to": status, "reason": reason}, store_id=actor.store_id, now=now)
    return resident


# --- PINs -------------------------------------------------------------------------------------------------

def _failures(session: Session, key: str, now: datetime) -> int:
    """Failed tries for `key` within the window and since its last success."""
    since = now - timedelta(seconds=setting("PIN_FAILURE_WINDOW_S", 900))
    last_ok = session.scalar(select(func.max(PinAttempt.at)).where(PinAttempt.key == key,
                                                                   PinAttempt.success.is_(True)))
    stmt = select(func.count()).select_from(PinAttempt).where(
        PinAttempt.key == key, PinAttempt.success.is_(False), PinAttempt.at >= since)
    if last_ok is not None:
        stmt = stmt.where(PinAttempt.at > last_ok)
    return session.scalar(stmt) or 0


def _locked(failures: int) -> None:
    if failures >= setting("PIN_MAX_FAILURES", 5):
        minutes = max(1, setting("PIN_FAILURE_WINDOW_S", 900) // 60)
        raise PinLocked(_("PIN 错误次数过多，请 %(minutes)d 分钟后再试", minutes=minutes))


def _record_failure(session: Session, key: str, channel: str, now: datetime) -> None:
    """Commit a failed try on its own, whatever transaction the caller had open.

    The caller's transaction is rolled back first: the action it was building fails anyway (WrongPin follows),
    and a failure recorded inside it would vanish with it, leaving the PIN open to guessing.
    """
    session.rollback()
    with unit_of_work(session):
        session.add(PinAttempt(key=key, at=now, success=False, channel=channel))


def verify_pin(session: Session, resident: Resident, pin: str | None, *, channel: str, now: datetime,
               key: str | None = None) -> None:
    """Check a resident's PIN; 5 failures within 15 minutes lock it for the rest of the window.

    A wrong PIN ends the caller's transaction (see _record_failure) and raises WrongPin; a locked key raises
    PinLocked without checking the PIN at all.
    """
    key = key or f"resident:{resident.id}"
    failures = _failures(session, key, now)
    _locked(failures)
    if not check_password_hash(resident.pin_hash, pin or ""):
        _record_failure(session, key, channel, now)
        left = setting("PIN_MAX_FAILURES", 5) - failures - 1
        if left <= 0:
            _locked(failures + 1)
        raise WrongPin(_("PIN 错误，还可以再试 %(n)d 次", n=left))
    if failures:  # a success clears earlier failures (only written when there were some)
        session.add(PinAttempt(key=key, at=now, success=True, channel=channel))


def authenticate_resident(session: Session, phone: str, pin: str, *, now: datetime) -> Resident:
    """The resident's own login on their phone: phone number and PIN. Same lock as at the till.

    Unknown phones fail like wrong PINs (rate-limited per phone), so the login does not reveal who is registered.
    """
    phone = (phone or "").strip()[:20]
    resident = session.scalar(select(Resident).where(Resident.phone == phone)) if phone else None
    if resident is None:
        key = f"phone:{phone}"
        _locked(_failures(session, key, now))
        _record_failure(session, key, "phone", now)
        raise WrongPin(_("手机号或 PIN 错误"))
    try:
        verify_pin(session, resident, pin, channel="phone", now=now)
    except WrongPin:
        raise WrongPin(_("手机号或 PIN 错误")) from None
    if resident.status != "active":
        raise ResidentInactive()
    session.commit()  # the success row, if one was added
    return resident


def lock_resident(session: Session, resident_id) -> None:
    """Take the resident's row lock (a no-op write) before reading anything the next writes depend on."""
    session.execute(update(Resident).where(Resident.id == resident_id).values(balance=Resident.balance)
                    .execution_options(synchronize_session=False))
