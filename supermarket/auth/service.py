"""Accounts: authentication with throttling, users, PIN approvals, API tokens."""
from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session, joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from ..settings import setting
from .. import audit
from ..errors import Conflict, InvalidInput, NotFound, TooManyAttempts
from ..models import utcnow
from ..paging import PER_PAGE, Page, offset_page
from ..stores.models import District, Store
from ..uow import plain_session, unit_of_work
from .errors import ApprovalFailed, LoginFailed, UsernameTaken  # noqa: F401  (part of the service)
from .models import ApiToken, LoginAttempt, User
from .permissions import Actor, Role, can_manage_user, require, roles_assignable_by


@dataclass(frozen=True)
class Approval:
    """A second person's confirmation typed on the same tablet: their username and their password or approval
    PIN (the intake checker, the aid witness, a manager approving a void, a return, a price or a shift close)."""

    username: str
    secret: str


def hash_secret(secret: str) -> str:
    return generate_password_hash(secret, method=setting("PASSWORD_HASH_METHOD", "scrypt"))


# A real hash to compare against when the user does not exist, so timing does not reveal usernames.
_DUMMY_HASH = generate_password_hash("not-a-real-password", method="pbkdf2:sha256:1000")


def _check_throttle(session: Session, username: str, address: str | None, now: datetime, *,
                    approval: bool = False) -> None:
    """TooManyAttempts once the account (or the address, when known) has failed too often lately. Failed
    logins and failed approvals count together: both are guesses at the same password or PIN."""
    window = timedelta(seconds=setting("LOGIN_FAILURE_WINDOW_S", 900))
    since = now - window
    user_failures = session.scalar(
        select(func.count()).select_from(LoginAttempt).where(
            LoginAttempt.username == username, LoginAttempt.success.is_(False), LoginAttempt.at >= since))
    addr_failures = 0 if address is None else session.scalar(
        select(func.count()).select_from(LoginAttempt).where(
            LoginAttempt.address == address, LoginAttempt.success.is_(False), LoginAttempt.at >= since))
    if (user_failures >= setting("LOGIN_MAX_FAILURES_PER_USER", 5)
            or addr_failures >= setting("LOGIN_MAX_FAILURES_PER_ADDRESS", 20)):
        minutes = max(1, window.seconds // 60)
        if approval:
            raise TooManyAttempts(_("确认人 %(username)s 的密码/PIN 错误次数过多，请 %(minutes)d 分钟后再试",
                                    username=username, minutes=minutes))
        raise TooManyAttempts(_("登录失败次数过多，请 %(minutes)d 分钟后再试", minutes=minutes))


def authenticate(session: Session, username: str, password: str, *, address: str = "",
                 now: datetime | None = None) -> User:
    """Check a username and password. Repeated failures slow the account and the address down.

    Every attempt is recorded; raises LoginFailed or TooManyAttempts.
    """
    now = now or utcnow()
    username = (username or "").strip()[:64]
    address = (address or "")[:64]
    _check_throttle(session, username, address, now)
    user = session.scalar(select(User).where(User.username == username))
    ok = check_password_hash(user.password_hash if user else _DUMMY_HASH, password or "")
    ok = ok and user is not None and user.active
    with unit_of_work(session):
        session.add(LoginAttempt(username=username, address=address, at=now, success=ok))
        if ok:
            audit.record(session, _actor_of(user), "auth.login", user, {"address": address},
                         store_id=user.store_id, now=now)
    if not ok:
        raise LoginFailed(_("用户名或密码错误"))
    return user


FAILED_APPROVALS = "auth.failed_approvals"  # session.info key: usernames whose approval failed this request


def record_failed_approvals(session: Session, *, address: str = "", now: datetime | None = None) -> int:
    """Write the approvals that failed during this request as failed attempts of those accounts, in a
    transaction of their own (the request's own work has been committed or rolled back by now)."""
    failed = plain_session(session).info.pop(FAILED_APPROVALS, None)
    if not failed:
        return 0
    now = now or utcnow()
    session.rollback()
    with unit_of_work(session):
        session.add_all([LoginAttempt(username=username, address=(address or "")[:64], at=now, success=False)
                         for username in failed])
    return len(failed)


def _actor_of(user: User) -> Actor:
    return Actor(user.id, user.username, Role(user.role))


def verify_approver(session: Session, store_id, username: str, secret: str, *,
                    roles=(Role.STORE_MANAGER,), not_user_id=None) -> User:
    """A second person confirms on the same tablet with their password or PIN.

    The approver must hold one of `roles` in `store_id` (federation admins may always approve) and must not be
    `not_user_id` (receiver and checker differ). Raises ApprovalFailed.
    """
    username = (username or "").strip()[:64]
    _check_throttle(session, username, None, utcnow(), approval=True)
    user = session.scalar(select(User).where(User.username == username))
    secret = secret or ""
    ok = user is not None and user.active and (
        check_password_hash(user.password_hash, secret)
        or (user.pin_hash is not None and check_password_hash(user.pin_hash, secret)))
    if not ok:
        # The caller's transaction rolls back with this error, so the failure is only noted here; the web
        # layer writes it after the request (record_failed_approvals), where it counts towards the throttle.
        plain_session(session).info.setdefault(FAILED_APPROVALS, []).append(username)
        raise ApprovalFailed(_("确认人用户名或密码/PIN 错误"))
    if not_user_id is not None and user.id == not_user_id:
        raise ApprovalFailed(_("确认人不能是操作人本人"))
    role = Role(user.role)
    if role is not Role.FEDERATION_ADMIN and not (role in roles and user.store_id == store_id):
        raise ApprovalFailed(_("确认人没有本店的相应权限"))
    return user


# --- users ------------------------------------------------------------------------------------------------

def _validate_password(password: str) -> None:
    if not password or len(password) < 8:
        raise InvalidInput(_("密码至少 8 位"), fields={"password": [_("密码至少 8 位")]})


def create_user(session: Session, actor: Actor, *, username: str, display_name: str, password: str,
                role: Role, store_id=None, district_id=None, pin: str | None = None) -> User:
    """Create an account. Store roles need a store, the auditor a district; a manager may only add cashiers
    of their own store."""
    require(role in roles_assignable_by(actor), _("您无权创建该角色的账号"))
    if actor.role is Role.STORE_MANAGER:
        store_id = actor.store_id
    _validate_password(password)
    if role in (Role.CASHIER, Role.STORE_MANAGER):
        if not store_id or session.get(Store, store_id) is None:
            raise InvalidInput(_("请选择门店"), fields={"store_id": [_("请选择门店")]})
        district_id = None
    elif role is Role.DISTRICT_AUDITOR:
        if not district_id or session.get(District, district_id) is None:
            raise InvalidInput(_("请选择区县"), fields={"district_id": [_("请选择区县")]})
        store_id = None
    else:
        store_id = district_id = None
    if session.scalar(select(User.id).where(User.username == username)):
        raise UsernameTaken(_("用户名 %(name)s 已被使用", name=username))
    with unit_of_work(session):
        user = User(username=username, display_name=display_name, password_hash=hash_secret(password),
                    role=role.value, store_id=store_id, district_id=district_id,
                    pin_hash=hash_secret(pin) if pin else None)
        session.add(user)
        session.flush()
        audit.record(session, actor, "auth.user_created", user,
                     {"username": username, "role": role.value}, store_id=store_id)
    return user


def list_users(session: Session, actor: Actor, *, page=1, per_page: int = PER_PAGE) -> Page:
    """One page of the accounts the actor manages, with each one's store and district (shown beside it)."""
    stmt = select(User).options(joinedload(User.store), joinedload(User.district)) \
        .order_by(User.role, User.username, User.id)
    if actor.role is Role.STORE_MANAGER:
        stmt = stmt.where(User.store_id == actor.store_id)
    else:
        require(actor.role is Role.FEDERATION_ADMIN)
    return offset_page(session, stmt, page=page, per_page=per_page)


def get_user(session: Session, actor: Actor, user_id) -> User:
    user = session.get(User, user_id)
    if user is None or not (can_manage_user(actor, user) or user.id == actor.user_id):
        raise NotFound()
    return user


def update_user(session: Session, actor: Actor, user_id, *, display_name: str | None = None,
                active: bool | None = None, password: str | None = None, pin: str | None = None) -> User:
    user = get_user(session, actor, user_id)
    require(can_manage_user(actor, user), _("您无权修改该账号"))
    if active is False and user.id == actor.user_id:
        raise Conflict(_("不能停用自己的账号"))
    changes: dict = {}
    with unit_of_work(session):
        if display_name and display_name != user.display_name:
            changes["display_name"] = [user.display_name, display_name]
            user.display_name = display_name
        if active is not None and active != user.active:
            changes["active"] = [user.active, active]
            user.active = active
            if not active:
                user.session_version += 1
                _revoke_all(session, user.id)
        if password:
            _validate_password(password)
            user.password_hash = hash_secret(password)
            user.session_version += 1
            changes["password"] = "changed"
        if pin:
            if not (pin.isdigit() and 4 <= len(pin) <= 8):
                raise InvalidInput(_("PIN 须为 4–8 位数字"), fields={"pin": [_("PIN 须为 4–8 位数字")]})
            user.pin_hash = hash_secret(pin)
            changes["pin"] = "changed"
        audit.record(session, actor, "auth.user_updated", user, changes, store_id=user.store_id)
    return user


# --- API tokens -------------------------------------------------------------------------------------------

def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, username: str, password: str, *, address: str = "",
                label: str = "", now: datetime | None = None) -> tuple[str, ApiToken]:
    """Exchange a username and password for a bearer token; only its hash is stored."""
    now = now or utcnow()
    user = authenticate(session, username, password, address=address, now=now)
    token = secrets.token_urlsafe(32)
    with unit_of_work(session):
        row = ApiToken(user_id=user.id, token_hash=_token_digest(token), label=label[:64],
                       expires_at=now + timedelta(hours=setting("API_TOKEN_TTL_HOURS", 720)))
        session.add(row)
        session.flush()
        audit.record(session, _actor_of(user), "auth.token_issued", row, {"label": label},
                     store_id=user.store_id, now=now)
    return token, row


@dataclass(frozen=True)
class TokenRef:
    """The bearer token a request came with: its id (to revoke it) and when it expires."""
    id: uuid.UUID
    expires_at: datetime


# Built once: every API request runs it. The user as an entity, the token as plain columns (loading the token
# as an entity with its user joined in cost more than the query).
_TOKEN_USER = (select(User, ApiToken.id, ApiToken.revoked_at, ApiToken.expires_at)
               .join(ApiToken, ApiToken.user_id == User.id)
               .where(ApiToken.token_hash == bindparam("digest")))


def user_for_token(session: Session, token: str, *, now: datetime | None = None) -> tuple[User, TokenRef] | None:
    now = now or utcnow()
    found = session.execute(_TOKEN_USER, {"digest": _token_digest(token)}).first()
    if found is None:
        return None
    user, token_id, revoked_at, expires_at = found
    if revoked_at is not None or expires_at <= now or not user.active:
        return None
    return user, TokenRef(token_id, expires_at)


def revoke_token(session: Session, actor: Actor, token_id) -> None:
    row = session.get(ApiToken, token_id)
    if row is None or not (row.user_id == actor.user_id or can_manage_user(actor, row.user)):
        raise NotFound()
    with unit_of_work(session):
        if row.revoked_at is None:
            row.revoked_at = utcnow()
            audit.record(session, actor, "auth.token_revoked", row, {"user": row.user.username},
                         store_id=row.user.store_id)


def _revoke_all(session: Session, user_id) -> None:
    session.execute(update(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
                    .values(revoked_at=utcnow()))


def list_tokens(session: Session, actor: Actor, user_id) -> list[ApiToken]:
    get_user(session, actor, user_id)
    return list(session.scalars(select(ApiToken).where(ApiToken.user_id == user_id)
                                .order_by(ApiToken.created_at.desc())))


def load_user(session: Session, ident: str) -> User | None:
    """Flask-Login's loader: `<uuid>:<session_version>`; an old version means a stale session."""
    try:
        raw_id, version = ident.split(":")
        user = session.get(User, uuid.UUID(raw_id))
    except (ValueError, AttributeError):
        return None
    if user is None or str(user.session_version) != version or not user.active:
        return None
    return user
