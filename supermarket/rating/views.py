"""Rating pages: the public pages (verification from the certificate's QR code, the publicity with its
objection form) in views_public; the staff pages in views_staff; their forms in views_actions. One blueprint
(endpoints `rating.<function>`)."""
from flask import Blueprint

bp = Blueprint("rating", __name__, template_folder="templates")

from . import views_actions, views_public, views_staff  # noqa: E402,F401

__all__ = ["bp"]
