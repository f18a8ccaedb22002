"""Demo for the central check: monthly stocktakes over the 90-day window, then the standard and the first scores.

The six demo stores differ on purpose, so the board shows different stars for reasons one can follow:
- YL02 (the best), FR01: complete records (a stocktake every month);
- YL01: complete but for signatures (91 %: no red line, but A-02 below C): one step from its first star;
- TX01: hand-outs mostly collected by neighbours without a signature (red line RL-5, see aid/demo.py);
- TX02: no stocktake in 90 days, its overdue pledge never followed up (intake/demo.py), open three days a week
  and often short at the till (sales/demo.py), no volunteer shifts (points/demo.py);
- TX03: complete but a little loose (stocktake variances of a few percent, fewer donations).
Everything goes through the inventory services (start, count, review, approve with the manager's PIN). Then the
default standard (default_standard.yaml) is published, effective 120 days back so the whole window is under it,
and every store is scored once (`flask standards check`), so the board opens on stored snapshots.
"""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from ..auth.demo import DEMO_PIN
from ..auth.permissions import Actor, Role
from ..clock import local_today
from ..inventory import stocktake_review, stocktakes
from ..inventory.ledger import on_hand
from ..models import utcnow
from ..auth.permissions import system_actor
from . import service, standard

DEFAULT_STANDARD = Path(__file__).with_name("default_standard.yaml")
STOCKTAKE_DAYS_AGO = (85, 55, 25)  # one a month; YL02's inventory demo adds one two days ago
NO_STOCKTAKE = ("TX02",)
# Per store: the count's difference from the book for the three drinks counted (units).
DIFFERENCES = {"TX03": (-2, -3, 1)}
COUNTED = ("矿泉水 550ml", "可口可乐 500ml", "雪碧 500ml")


def _actor(ctx, username: str) -> Actor:
    user = ctx.users[username]
    return Actor(user.id, user.username, Role(user.role), store_ids=frozenset({user.store_id}))


def _monthly_stocktakes(session, ctx, now) -> None:
    by_name = ctx.extra["item_by_name"]
    drinks = ctx.extra["categories"]["DRINK"]
    for code, store in ctx.stores.items():
        if code in NO_STOCKTAKE:
            continue
        manager, counter = _actor(ctx, f"manager-{code.lower()}"), _actor(ctx, f"cashier-{code.lower()}")
        for days in STOCKTAKE_DAYS_AGO:
            at = now - timedelta(days=days)
            take = stocktakes.start_stocktake(session, manager, store_id=store.id, category_ids=[drinks.id],
                                              note="饮料月度盘点", now=at)
            for name, difference in zip(COUNTED, DIFFERENCES.get(code, (0, 0, 0))):
                counted = max(0, on_hand(session, store.id, by_name[name].id) + difference)
                stocktakes.record_count(session, counter, take.id, item_id=by_name[name].id, qty=counted, now=at)
            review = stocktake_review.review_stocktake(session, manager, take.id, today=local_today(at))
            stocktake_review.approve_stocktake(session, manager, take.id, approver_username=manager.username,
                                               approver_secret=DEMO_PIN, digest=review.digest,
                                               now=at + timedelta(minutes=20))


def load(session, ctx):
    now = utcnow()
    _monthly_stocktakes(session, ctx, now)
    standard.load_file(session, DEFAULT_STANDARD, actor_name="demo",
                       effective_from=local_today(now) - timedelta(days=120), now=now)
    service.check(session, system_actor("demo"), now=now)
