"""Campaigns: a pack for a list, one hand-out per household, the sign-off sheet and its photograph."""
import io
from datetime import date

import pytest
from PIL import Image

from supermarket.aid import campaigns
from supermarket.aid.campaigns import CampaignHandout
from supermarket.aid.errors import AlreadyReceived, BadImage, CampaignClosed, UnknownHousehold
from supermarket.aid.handout import Approval
from supermarket.aid.models import AidUsage, Distribution
from supermarket.errors import Forbidden, InvalidInput, NotFound
from supermarket.inventory import ledger
from supermarket.models import utcnow

from .factories import aid_item, make_campaign, make_household, policy


@pytest.fixture
def campaign(session, world):
    policy(session)
    store = world.stores["YL01"]
    rice = aid_item(session, [store], name="大米", price_fen=3500)
    oil = aid_item(session, [store], name="食用油", price_fen=4500)
    c = make_campaign(session, world, "YL01", [(rice, 1), (oil, 1)])
    return c, rice, oil


def _jpeg(size=(800, 600)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, "JPEG")
    return out.getvalue()


def test_a_campaign_hands_its_pack_once_per_listed_household(session, world, campaign):
    c, rice, _oil = campaign
    a, b = make_household(session, world.stores["YL01"]), make_household(session, world.stores["FR01"])
    manager, cashier = world.actor(session, "manager-yl01"), world.actor(session, "cashier-yl01")
    assert campaigns.add_households(session, manager, c.id, codes=[a.code, b.code.lower(), a.code]) == 2
    assert campaigns.add_households(session, manager, c.id, codes=[a.code]) == 0
    with pytest.raises(UnknownHousehold):
        campaigns.add_households(session, manager, c.id, codes=["NOPE"])
    d = campaigns.record_handout(session, cashier, c.id, CampaignHandout(a.id), now=utcnow())
    assert d.campaign_id == c.id and d.value_fen == 8000 and d.witness_id is None and d.signature_id is None
    assert not d.counts_toward_entitlement and session.query(AidUsage).count() == 0
    assert ledger.on_hand(session, world.stores["YL01"].id, rice.id) == 49
    with pytest.raises(AlreadyReceived):
        campaigns.record_handout(session, cashier, c.id, CampaignHandout(a.id), now=utcnow())
    stranger = make_household(session, world.stores["YL01"])
    with pytest.raises(UnknownHousehold):
        campaigns.record_handout(session, cashier, c.id, CampaignHandout(stranger.id), now=utcnow())
    with_witness = campaigns.record_handout(session, cashier, c.id, CampaignHandout(
        b.id, witness=Approval("manager-yl01", "2468")), now=utcnow())
    assert with_witness.witness_name == "manager-yl01"
    assert session.query(Distribution).count() == 2


def test_closed_campaigns_and_other_stores(session, world, campaign):
    c, _rice, _oil = campaign
    h = make_household(session, world.stores["YL01"])
    campaigns.add_households(session, world.actor(session, "manager-yl01"), c.id, codes=[h.code])
    with pytest.raises(NotFound):
        campaigns.record_handout(session, world.actor(session, "cashier-fr01"), c.id, CampaignHandout(h.id),
                                 now=utcnow())
    with pytest.raises(Forbidden):
        campaigns.add_households(session, world.actor(session, "cashier-yl01"), c.id, codes=[h.code])
    campaigns.close_campaign(session, world.actor(session, "manager-yl01"), c.id)
    with pytest.raises(CampaignClosed):
        campaigns.record_handout(session, world.actor(session, "cashier-yl01"), c.id, CampaignHandout(h.id),
                                 now=utcnow())
    assert session.query(Distribution).count() == 0


def test_the_signed_sheet_photo_is_checked(session, world, campaign):
    c, _rice, _oil = campaign
    cashier = world.actor(session, "cashier-yl01")
    row = campaigns.attach_sheet_photo(session, cashier, c.id, _jpeg())
    assert row.content_type == "image/jpeg" and row.width == 800
    for bad in (b"", b"%PDF-1.4 not an image", b"\xff\xd8\xff" + b"\0" * 50, b"\0" * (4 * 1024 * 1024 + 1)):
        with pytest.raises(BadImage):
            campaigns.attach_sheet_photo(session, cashier, c.id, bad)
    assert campaigns.sheet_photos(session, c) == [row]


def test_bad_campaign_input(session, world, campaign):
    with pytest.raises(InvalidInput):
        campaigns.create_campaign(session, world.actor(session, "manager-yl01"), name="x",
                                  starts_on=date(2026, 2, 1), ends_on=date(2026, 1, 1), pack=[])
    with pytest.raises(Forbidden):
        campaigns.create_campaign(
            session, world.actor(session, "cashier-yl01"), name="x", starts_on=date(2026, 1, 1),
            ends_on=date(2026, 1, 2), pack=[])
