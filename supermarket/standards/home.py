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
    for gap in gaps:
        # "A-02 每笔发放…：失 4 分": the rule as the label, the points lost as the figure (a tile holds a short value).
        rule, sep, lost = gap.rpartition("：")
        figures.append(Figure(rule, lost) if sep else Figure(_("差距"), gap))
    return figures
