"""Disclosure pages. Staff pages (close, correct, review, the district's calendar) are in views_staff; the public
pages (no login, under /public/) in views_public; all on this one blueprint (endpoints `disclosure.<function>`)."""
from flask import Blueprint

bp = Blueprint("disclosure", __name__, template_folder="templates")

from . import views_public, views_public_api, views_staff  # noqa: E402,F401

__all__ = ["bp"]
