"""Route declarations: every endpoint says who may use it.

`@allow(Role.CASHIER, ...)` lets the named roles in (after login); `@public` marks an endpoint open to
anyone. `tests/test_routes_declared.py` fails on any endpoint that has neither.
"""
from __future__ import annotations

from functools import wraps

from flask import redirect, request, url_for
from flask_babel import gettext as _

from ..errors import Forbidden, Unauthorized, wants_json
from .permissions import Role

PUBLIC = "public"


def allow(*roles: Role):
    if not roles:
        raise ValueError("allow() needs at least one role")
    allowed = frozenset(roles)

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            from ..web import current_actor

            actor = current_actor()
            if not actor.is_authenticated:
                if wants_json():
                    raise Unauthorized()
                return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
            if actor.role not in allowed:
                raise Forbidden(_("您的角色无权访问此页面"))
            return view(*args, **kwargs)

        wrapped.access = allowed
        return wrapped

    return decorator


def public(view):
    view.access = PUBLIC
    return view


def declared_access(view):
    """What a view function declares: a frozenset of roles, PUBLIC, or None when undeclared."""
    return getattr(view, "access", None)
