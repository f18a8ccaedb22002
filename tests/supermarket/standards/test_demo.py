"""The demo city for the central check: six stores in three districts with 90 days of history, at different
stars for reasons the board shows (issue 10, item 9)."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from supermarket.auth.permissions import system_actor
from supermarket.clock import local_today
from tests.demo_cache import demo_world
from supermarket.models import utcnow
from supermarket.sales.models import Shift
from supermarket.standards import service


def test_six_stores_three_districts_ninety_days_and_different_stars(app, session):
    demo_world()
    board = service.board(session, system_actor())
    cards = {s.store_code: s for s in board.stores}
    assert sorted(cards) == ["FR01", "TX01", "TX02", "TX03", "YL01", "YL02"]
    assert [code for code, _name in board.districts] == ["FR", "TX", "YL"]
    first = session.scalar(select(func.min(Shift.opened_at)))
    assert local_today(first) <= local_today(utcnow()) - timedelta(days=89)
    rules = {code: {r.id: r for r in card.rules} for code, card in cards.items()}
    # TX01: hand-outs without a signature — red line RL-5, no star.
    assert [h.id for h in cards["TX01"].red_lines] == ["RL-5"] and cards["TX01"].stars == 0
    # TX02: no stocktake, its overdue pledge never followed up, short at the till.
    assert rules["TX02"]["D-04"].grade == "D" and rules["TX02"]["F-06"].grade != "A"
    assert rules["TX02"]["F-02"].grade == "D" and cards["TX02"].stars == 0
    assert "D-04 需达到 C" in cards["TX02"].next_star.missing
    # YL01: everything but signatures (above the red line, below grade C): one step from its first star.
    assert not cards["YL01"].red_lines and cards["YL01"].next_star.missing == ["A-02 需达到 C"]
    # YL02: complete records, a star.
    assert cards["YL02"].stars >= 1 and not cards["YL02"].red_lines
    assert len({c.stars for c in cards.values()}) >= 2
    assert len({round(c.total) for c in cards.values()}) >= 3
