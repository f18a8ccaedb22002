"""Roles, the per-request Actor, store scoping and permission predicates.

Predicates are plain functions of (actor, object) so services and templates share them.
"""
from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import Forbidden, NotFound


class Role(str, enum.Enum):
    CASHIER = "cashier"
    STORE_MANAGER = "store_manager"
    DISTRICT_AUDITOR = "district_auditor"
    FEDERATION_ADMIN = "federation_admin"
    # A machine account (the city's volunteer platform): its tokens may only credit points.
    INTEGRATION = "integration"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.CASHIER: _l("收银员"),
    Role.STORE_MANAGER: _l("店长"),
    Role.DISTRICT_AUDITOR: _l("区县慈善会审核员"),
    Role.FEDERATION_ADMIN: _l("市慈善总会管理员"),
    Role.INTEGRATION: _l("系统对接账号"),
}

STORE_ROLES = (Role.CASHIER, Role.STORE_MANAGER)
ALL_STAFF = (Role.CASHIER, Role.STORE_MANAGER, Role.DISTRICT_AUDITOR, Role.FEDERATION_ADMIN)
OVERSIGHT = (Role.DISTRICT_AUDITOR, Role.FEDERATION_ADMIN)


@dataclass(frozen=True)
class Actor:
    """Who is acting, and which stores they may see. Built once per request, or directly in CLI and tests."""

    user_id: uuid.UUID | None
    username: str
    role: Role | None
    store_ids: frozenset[uuid.UUID] = field(default_factory=frozenset)
    district_ids: frozenset[uuid.UUID] = field(default_factory=frozenset)
    all_stores: bool = False

    @property
    def is_authenticated(self) -> bool:
        return self.role is not None

    @property
    def store_id(self) -> uuid.UUID | None:
        """The one store of a cashier or manager."""
        if self.role in STORE_ROLES and len(self.store_ids) == 1:
            return next(iter(self.store_ids))
        return None

    def can_see_store(self, store_id) -> bool:
        return self.all_stores or store_id in self.store_ids

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles


ANONYMOUS = Actor(user_id=None, username="anonymous", role=None)


def system_actor(username: str = "system") -> Actor:
    """The actor for CLI commands and scheduled jobs: sees everything, acts as the federation."""
    return Actor(user_id=None, username=username, role=Role.FEDERATION_ADMIN, all_stores=True)


def build_actor(session: Session, user, token=None) -> Actor:
    from ..stores.models import Store

    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    role = Role(user.role)
    if role is Role.FEDERATION_ADMIN:
        return Actor(user.id, user.username, role, all_stores=True)
    if role is Role.DISTRICT_AUDITOR:
        ids = frozenset(session.scalars(select(Store.id).where(Store.district_id == user.district_id)))
        return Actor(user.id, user.username, role, store_ids=ids, district_ids=frozenset({user.district_id}))
    store_ids = frozenset({user.store_id}) if user.store_id else frozenset()
    return Actor(user.id, user.username, role, store_ids=store_ids)


def require(condition: bool, message: str | None = None) -> None:
    if not condition:
        raise Forbidden(message)


def scope(stmt, actor: Actor, model, column=None):
    """Limit a select to the stores the actor may see (`model.store_id` unless `column` is given)."""
    if actor.all_stores:
        return stmt
    col = column if column is not None else model.store_id
    return stmt.where(col.in_(actor.store_ids))


def get_scoped(session: Session, actor: Actor, model, obj_id, *, column_name: str = "store_id", options=()):
    """Load one store-owned row the actor may see; NotFound otherwise, so ids of other stores leak nothing.
    `options`: loader options for what the caller will read of it (eager loads)."""
    obj = session.get(model, obj_id, options=list(options)) if obj_id is not None else None
    if obj is None or not actor.can_see_store(getattr(obj, column_name)):
        raise NotFound()
    return obj


# --- predicates -------------------------------------------------------------------------------------------

def can_manage_stores(actor: Actor) -> bool:
    return actor.role is Role.FEDERATION_ADMIN


def can_manage_user(actor: Actor, user) -> bool:
    """The federation manages everyone; a store manager manages the cashiers of their own store."""
    if actor.role is Role.FEDERATION_ADMIN:
        return True
    return (actor.role is Role.STORE_MANAGER and user.role == Role.CASHIER.value
            and user.store_id == actor.store_id)


def roles_assignable_by(actor: Actor) -> tuple[Role, ...]:
    if actor.role is Role.FEDERATION_ADMIN:
        return tuple(Role)
    if actor.role is Role.STORE_MANAGER:
        return (Role.CASHIER,)
    return ()


def can_view_audit(actor: Actor) -> bool:
    return actor.role in (Role.DISTRICT_AUDITOR, Role.FEDERATION_ADMIN, Role.STORE_MANAGER)


def is_store_staff(actor: Actor, store_id) -> bool:
    return actor.role in STORE_ROLES and store_id in actor.store_ids


def is_manager_of(actor: Actor, store_id) -> bool:
    return actor.role is Role.STORE_MANAGER and store_id in actor.store_ids


TEMPLATE_PREDICATES = {
    "can_manage_stores": can_manage_stores,
    "can_manage_user": can_manage_user,
    "can_view_audit": can_view_audit,
    "is_store_staff": is_store_staff,
    "is_manager_of": is_manager_of,
}
