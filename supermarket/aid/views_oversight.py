"""The aid flags moved onto the anomaly board: the old page sends the auditor there, filtered to aid."""
from __future__ import annotations

from flask import redirect, url_for

from ..auth.decorators import allow
from ..auth.permissions import OVERSIGHT
from .views import bp


@bp.get("/aid/flags")
@allow(*OVERSIGHT)
def flags():
    return redirect(url_for("flags.board", kind="aid"))
