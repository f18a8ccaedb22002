"""URL samples for the role matrix: a published disclosure of the given store, a month, a trace token."""
from datetime import date, datetime, timezone

from supermarket.disclosure import service, trace
from supermarket.disclosure.models import Disclosure
from supermarket.inventory import periods
from tests.supermarket.intake.samples import _donation

MONTH = date(2025, 12, 1)  # before every factory's dates: later samples still write stock movements
AFTER = datetime(2026, 1, 3, 3, 0, tzinfo=timezone.utc)


def _disclosure(session, world, store):
    row = session.query(Disclosure).filter_by(store_id=store.id, month=MONTH, status="published").first()
    if row is not None:
        return row.id
    manager = world.actor(session, f"manager-{store.code.lower()}")
    periods.close_month(session, manager, store.id, month=MONTH, now=AFTER)
    return service.close_month(session, manager, store.id, MONTH, now=AFTER).id


def _token(session, world, store):
    from supermarket.intake.models import Donation

    donation = session.get(Donation, _donation(session, world, store))
    return trace.ensure_token(session, world.actor(session, f"cashier-{store.code.lower()}"), donation,
                              now=AFTER).token


SAMPLES = {
    "disclosure_id": _disclosure,
    "month": lambda s, w, store: MONTH.strftime("%Y-%m"),
    "token": _token,
}
CITY_WIDE = {"month"}
