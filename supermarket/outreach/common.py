"""What the outreach services share: which store an action is for, and who may write there."""
from __future__ import annotations

from flask_babel import gettext as _

from ..auth.permissions import OVERSIGHT, STORE_ROLES, Actor, Role, require
from ..errors import InvalidInput, NotFound


def store_for(actor: Actor, store_id=None):
    """The store an action or a list is for: a store user's own store, or the store an overseer names (NotFound
    for a store they may not see, as if it did not exist)."""
    if store_id is None:
        if actor.store_id is not None:
            return actor.store_id
        raise InvalidInput(_("请选择门店"), fields={"store_id": [_("请选择门店")]})
    if not actor.can_see_store(store_id):
        raise NotFound()
    return store_id


def writable_store(actor: Actor, store_id=None):
    """The store a record is entered for: store staff enter for their own store; the federation may enter for
    any store (a correction on their behalf). District auditors review, they do not enter."""
    require(actor.role in STORE_ROLES or actor.role is Role.FEDERATION_ADMIN)
    return store_for(actor, store_id)


def managing_store(actor: Actor, store_id=None):
    """The store whose profile or service types the actor changes: its manager, or the federation."""
    require(actor.role in (Role.STORE_MANAGER, Role.FEDERATION_ADMIN), _("只有店长可以修改"))
    return store_for(actor, store_id)


def overseeing(actor: Actor) -> bool:
    return actor.role in OVERSIGHT
