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


def _round(session, world, store):
    return session.get(Assessment, _assessment(session, world, store)).round_id


def _finding(session, world, store):
    from supermarket.rating import findings
    from supermarket.rating.models import Finding

    found = session.scalar(select(Finding.id).where(Finding.store_id == store.id))
    if found is not None:
        return found
    return findings.record(session, system_actor_as_auditor(session, store), store=store.code, rule="F-01",
                           severity="minor", description="样例问题", due_on=date(2099, 1, 1)).id


def system_actor_as_auditor(session, store):
    from supermarket.auth.permissions import Actor, Role
    from supermarket.stores.models import Store

    ids = frozenset(session.scalars(select(Store.id).where(Store.district_id == store.district_id)))
    return Actor(None, "sample-auditor", Role.DISTRICT_AUDITOR, store_ids=ids,
                 district_ids=frozenset({store.district_id}))


SAMPLES = {
    "assessment_id": _assessment,
    "round_id": _round,
    "finding_id": _finding,
    # Ids of records the matrix does not build (an evidence file, a proposal, a certificate): they answer 404.
    "evidence_id": lambda s, w, store: "00000000-0000-4000-8000-000000000001",
    "proposal_id": lambda s, w, store: "00000000-0000-4000-8000-000000000002",
    "cert_token": lambda s, w, store: "no-such-certificate",
    "reference": lambda s, w, store: "YY261205-ABCDEF",
}
CITY_WIDE = {"reference", "evidence_id", "proposal_id", "cert_token"}
