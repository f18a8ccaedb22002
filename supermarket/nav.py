"""The navigation bar, from the entries declared in `supermarket.wiring.NAV`."""
from __future__ import annotations

from dataclasses import dataclass

from flask import url_for


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object  # a lazy gettext string
    roles: frozenset


def nav_items(actor) -> list[dict]:
    from .wiring import NAV

    return [{"url": url_for(i.endpoint), "label": str(i.label)} for i in NAV if actor.role in i.roles]
