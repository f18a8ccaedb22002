"""URL samples for the role matrix: intake objects owned by a given store, carrying its 门店标记 marker."""
from tests.supermarket.catalog.factories import make_item

from .factories import line, make_donor, make_pledge, take_in


def _donor(session, world, store):
    return make_donor(session, world, store.code, name=f"门店标记{store.code}捐赠人", phone="")


def _pledge(session, world, store):
    return make_pledge(session, world, _donor(session, world, store), code=store.code,
                       description=f"门店标记{store.code}").id


def _donation(session, world, store):
    item = make_item(session, "毛巾", kind="donated_new")
    return take_in(session, world, [line(item)], code=store.code, note=f"门店标记{store.code}").donation.id


SAMPLES = {
    "donor_id": lambda s, w, store: _donor(s, w, store).id,
    "pledge_id": _pledge,
    "donation_id": _donation,
}
