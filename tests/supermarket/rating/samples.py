"""URL samples for the role matrix: an assessment of the given store (a round opened for its district), an
objection reference, a certificate's verification token and a finding."""
from datetime import date

from sqlalchemy import select

from supermarket.auth.permissions import system_actor
from supermarket.rating import service
from supermarket.rating.models import Assessment
from supermarket.stores.models import District


def _assessment(session, world, store):
    found = session.scalar(select(Assessment.id).where(Assessment.store_id == store.id))
    if found is not None:
        return found
    code = session.get(District, store.district_id).code
    service.open_round(session, system_actor("test"), name=f"样例评定{code}", deadline=date(2099, 1, 1),
                       district_code=code)
    return session.scalar(select(Assessment.id).where(Assessment.store_id == store.id))


SAMPLES = {
    "assessment_id": _assessment,
    "reference": lambda s, w, store: "YY261205-ABCDEF",
}
CITY_WIDE = {"reference"}
