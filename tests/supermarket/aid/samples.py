"""Route-matrix samples for aid URL parameters: objects owned by the target store, marked with its name."""
# Catalog items are city-wide, so their names never carry a store marker (every role may see them).
from supermarket.aid.models import Entitlement

from . import factories as f

# One object per kind and store within a test (store ids are new in every test's database).
_made: dict = {}


def _once(kind, make):
    def sample(session, world, store):
        key = (kind, store.id)
        if key not in _made:
            _made[key] = make(session, world, store).id
        return _made[key]
    return sample


def _household(session, world, store):
    return f.make_household(session, store, community=f"门店标记{store.code}")


def _distribution(session, world, store):
    f.policy(session, "tekun") if not session.query(Entitlement).filter_by(category_code="tekun").count() else None
    household = f.make_household(session, store, category="tekun", community=f"门店标记{store.code}")
    item = f.aid_item(session, [store], name=f"发放物品{store.code}", price_fen=100)
    return f.hand_out(session, world, store.code, household, [(item, 1)]).distribution


def _campaign(session, world, store):
    item = f.aid_item(session, [store], name=f"活动物品{store.code}", price_fen=100)
    return f.make_campaign(session, world, store.code, [(item, 1)], name=f"活动门店标记{store.code}")


def _entitlement(session, world, store):
    existing = session.query(Entitlement).filter_by(category_code="temporary").first()
    return (existing or f.policy(session, "temporary", period="quarter")).id


def _signature(session, world, store):
    from supermarket.aid.models import AidFile, Distribution

    dist = session.get(Distribution, _once("distribution", _distribution)(session, world, store))
    return session.get(AidFile, dist.signature_id)


SAMPLES = {
    "household_id": _once("household", _household),
    "distribution_id": _once("distribution", _distribution),
    "file_id": _once("file", _signature),
    "campaign_id": _once("campaign", _campaign),
    "entitlement_id": _entitlement,
}
