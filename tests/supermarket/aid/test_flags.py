"""Auditor flags computed from the ledger, scoped to the auditor's district, with reviews."""
import io
from datetime import timedelta, timezone

import pytest
from PIL import Image

from supermarket.aid import campaigns, flags
from supermarket.aid.campaigns import CampaignHandout
from supermarket.aid.handout import Approval
from supermarket.errors import Forbidden, NotFound
from supermarket.models import utcnow
from supermarket.clock import SHANGHAI

from .factories import aid_item, hand_out, make_campaign, make_household, policy


def noon_before_now():
    """Local noon today (or yesterday before noon), so a test's hand-outs never straddle midnight."""
    local = utcnow().astimezone(SHANGHAI)
    noon = local.replace(hour=12, minute=0, second=0, microsecond=0)
    return (noon if noon < local else noon - timedelta(days=1)).astimezone(timezone.utc)


def kinds(session, world, username, month):
    return sorted(f.kind for f in flags.list_flags(session, world.actor(session, username), month))


def test_flags(session, world):
    policy(session, value_cap_fen=100000)
    stores = list(world.stores.values())
    towel = aid_item(session, stores, name="毛巾", price_fen=800)
    now = noon_before_now()
    month = now.astimezone(SHANGHAI).date()
    both = make_household(session, world.stores["YL01"])
    hand_out(session, world, "YL01", both, [(towel, 1)], now=now - timedelta(minutes=30))
    hand_out(session, world, "FR01", both, [(towel, 1)], now=now - timedelta(minutes=20))
    proxied = make_household(session, world.stores["YL02"])
    for k in range(3):
        hand_out(session, world, "YL02", proxied, [(towel, 1)], signature=None, proxy=("邻居甲", "邻居"),
                 now=now - timedelta(minutes=10 - k))
    make_household(session, world.stores["YL01"], address="望月湖 3 栋 201")
    make_household(session, world.stores["YL02"], address="望月湖3栋，201")
    yl = kinds(session, world, "auditor-yl", month)
    assert yl.count("two_stores") == 1 and yl.count("proxy") == 1 and yl.count("address") == 1
    assert yl.count("unsigned") == 3  # the three proxy pick-ups have no signature
    fr = kinds(session, world, "auditor-fr", month)
    assert fr == ["two_stores"]  # FR sees the flag that touches its store, nothing of YL's own
    with pytest.raises(Forbidden):
        flags.list_flags(session, world.actor(session, "manager-yl01"), month)

    key = next(f.key for f in flags.list_flags(session, world.actor(session, "auditor-yl"), month)
               if f.kind == "address")
    with pytest.raises(NotFound):
        flags.review_flag(session, world.actor(session, "auditor-fr"), key=key, month=month, note="x", now=now)
    flags.review_flag(session, world.actor(session, "auditor-yl"), key=key, month=month, note="已入户核实", now=now)
    reviewed = [f for f in flags.list_flags(session, world.actor(session, "auditor-yl"), month) if f.review]
    assert [f.key for f in reviewed] == [key] and reviewed[0].review.note == "已入户核实"
    make_household(session, world.stores["YL01"], address="望月湖 3栋201")  # one more: the flag opens again
    again = [f for f in flags.list_flags(session, world.actor(session, "auditor-yl"), month) if f.kind == "address"]
    assert again[0].review is None and "3 户" in again[0].detail


def test_overrides_and_campaign_hand_outs_until_the_sheet_is_photographed(session, world):
    policy(session, value_cap_fen=1000)
    store = world.stores["YL01"]
    towel = aid_item(session, [store], name="毛巾", price_fen=800)
    h = make_household(session, store)
    now = utcnow()
    hand_out(session, world, "YL01", h, [(towel, 2)], override=Approval("manager-yl01", "2468"), reason="火灾",
             now=now)
    c = make_campaign(session, world, "YL01", [(towel, 1)])
    campaigns.add_households(session, world.actor(session, "manager-yl01"), c.id, codes=[h.code])
    campaigns.record_handout(session, world.actor(session, "cashier-yl01"), c.id,
                             CampaignHandout(h.id, witness=Approval("manager-yl01", "2468")), now=now)
    assert kinds(session, world, "auditor-yl", now.astimezone(SHANGHAI).date()) == ["override", "unsigned"]
    buf = io.BytesIO()
    Image.new("RGB", (100, 100), "white").save(buf, "PNG")
    campaigns.attach_sheet_photo(session, world.actor(session, "cashier-yl01"), c.id, buf.getvalue())
    assert kinds(session, world, "auditor-yl", now.astimezone(SHANGHAI).date()) == ["override"]
