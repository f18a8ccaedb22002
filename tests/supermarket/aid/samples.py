"""Route-matrix samples for aid URL parameters: objects owned by the target store, marked with its name."""
from supermarket.aid.models import Entitlement

from . import factories as f


def _household(session, world, store):
    return f.make_household(session, store, community=f"门店标记{store.code}")


def _distribution(session, world, store):
    f.policy(session, "tekun") if not session.query(Entitlement).filter_by(category_code="tekun").count() else None
    household = f.make_household(session, store, category="tekun", community=f"门店标记{store.code}")
    item = f.aid_item(session, [store], name=f"物品门店标记{store.code}", price_fen=100)
    return f.hand_out(session, world, store.code, household, [(item, 1)]).distribution


def _campaign(session, world, store):
    item = f.aid_item(session, [store], name=f"活动物品门店标记{store.code}", price_fen=100)
    return f.make_campaign(session, world, store.code, [(item, 1)], name=f"活动门店标记{store.code}")


def _entitlement(session, world, store):
    existing = session.query(Entitlement).filter_by(category_code="temporary").first()
    return (existing or f.policy(session, "temporary", period="quarter")).id


SAMPLES = {
    "household_id": lambda s, w, store: _household(s, w, store).id,
    "distribution_id": lambda s, w, store: _distribution(s, w, store).id,
    "file_id": lambda s, w, store: _distribution(s, w, store).signature_id,
    "campaign_id": lambda s, w, store: _campaign(s, w, store).id,
    "entitlement_id": _entitlement,
}
