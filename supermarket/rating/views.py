"""Rating pages: the public verification page (from the certificate's QR code) here; the staff pages in
views_staff. One blueprint (endpoints `rating.<function>`)."""
from flask import Blueprint

bp = Blueprint("rating", __name__, template_folder="templates")

from . import views_public  # noqa: E402,F401

__all__ = ["bp"]
