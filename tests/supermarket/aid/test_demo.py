"""The demo city's aid data, relative to the day `flask demo` runs."""

import pytest

from supermarket.flags import service as flags
from supermarket.aid.demo import HOUSEHOLDS, demo_id_numbers
from supermarket.aid.entitlements import entitlement_status
from supermarket.aid.models import Campaign, Distribution, Household
from tests.demo_cache import demo_world
from supermarket.inventory.verify import verify_balances
from supermarket.models import utcnow
from supermarket.privacy import valid_mainland_id
from supermarket.clock import SHANGHAI
from tests.factories import actor_for


@pytest.fixture
def demo(app, session):
    return demo_world()


def test_demo_household_one_has_exactly_thirty_yuan_left_this_month(session, demo):
    h = session.query(Household).filter_by(code="DEMO-HH-1").one()
    status = entitlement_status(session, h, utcnow().astimezone(SHANGHAI).date())
    assert status.value_cap_fen == 10000 and status.remaining_value_fen == 3000
    assert h.store.code == "YL01" and h.validity(utcnow().date()) == "active"


def test_every_category_at_the_demo_stores_a_month_of_hand_outs_and_a_campaign(session, demo):
    rows = session.query(Household).all()
    assert {h.category_code for h in rows} == {"dibao", "tekun", "dibao_edge", "disabled", "elderly_alone",
                                               "children", "temporary"}
    stores = {"YL01", "YL02", "FR01", "TX01", "TX02", "TX03"}  # 天心区 joined for the central check (issue 10)
    assert {h.store.code for h in rows} == stores and len(rows) == len(HOUSEHOLDS)
    days = {d.handed_out_on for d in session.query(Distribution)}
    assert (max(days) - min(days)).days >= 25
    assert {d.store.code for d in session.query(Distribution)} == stores
    campaign = session.query(Campaign).one()
    assert campaign.pack and session.query(Distribution).filter_by(campaign_id=campaign.id).count() == 2
    assert verify_balances(session) == []
    assert all(valid_mainland_id(n) for n in demo_id_numbers())


def _kinds(session, user) -> set[str]:
    """The aid kinds on the anomaly board (`flask demo` runs the detectors last)."""
    actor = actor_for(session, user)
    return {f.kind.partition(".")[2] for f in flags.list_flags(session, actor, flags.Filters(kind="aid", status=None))}


def test_the_demo_gives_the_auditor_something_to_look_at(session, demo):
    assert {"two_stores", "proxy", "address", "unsigned"} <= _kinds(session, demo.users["auditor-yl"])
    assert "override" in _kinds(session, demo.users["auditor-fr"])
