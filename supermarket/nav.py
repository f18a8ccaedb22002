"""The navigation bar: each domain adds its entries here (endpoint, label, roles)."""
from __future__ import annotations

from dataclasses import dataclass

from flask import url_for


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object  # a lazy gettext string
    roles: frozenset


NAV_ITEMS: list[NavItem] = []


def add_nav(endpoint: str, label, *roles) -> None:
    if not any(item.endpoint == endpoint for item in NAV_ITEMS):
        NAV_ITEMS.append(NavItem(endpoint, label, frozenset(roles)))


def nav_items(actor) -> list[dict]:
    return [{"url": url_for(i.endpoint), "label": str(i.label)} for i in NAV_ITEMS if actor.role in i.roles]
