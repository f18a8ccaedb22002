"""The store home page's figures from the central check (wiring.HOME_FIGURES): the provisional star and the
three rules losing the most points, from the store's latest snapshot (nothing when it was never scored)."""
from __future__ import annotations

from flask_babel import gettext as _

from ..stores.service import Figure
from . import service


def home_figures(session, store_id, _day_start_utc, _day_end_utc) -> list[Figure]:
    summary = service.home_summary(session, store_id)
    if summary is None:
        return []
    stars, gaps = summary
    figures = [Figure(_("暂定星级"), "★" * stars if stars else _("未达标"))]
    figures += [Figure(_("差距 %(n)d", n=n), gap) for n, gap in enumerate(gaps, start=1)]
    return figures
