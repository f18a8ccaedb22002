"""The hand-out at the counter: entitlement across every store, signature or proxy, witness, overrides, bad
input (nothing written), replays."""
from datetime import timedelta

import pytest

from supermarket.clock import local_today
from supermarket.aid import handout
from supermarket.aid.errors import (BadImage, HouseholdExpired, NotEligible, QuotaExceeded,
                                    SignatureRequired, UnknownHousehold)
from supermarket.aid.handout import Approval, LineInput
from supermarket.aid.models import AidFile, AidUsage, Distribution
from supermarket.audit.models import AuditEvent
from supermarket.auth.errors import ApprovalFailed
from supermarket.catalog.errors import UnknownBarcode
from supermarket.errors import Forbidden, InvalidInput
from supermarket.idempotency import IdempotencyMismatch
from supermarket.inventory import ledger
from supermarket.inventory.errors import ExpiredLot, InsufficientStock
from supermarket.inventory.models import StockMovement
from supermarket.models import utcnow
from tests.supermarket.catalog.factories import food_category, make_category, make_item
from tests.supermarket.inventory.factories import stock

from .factories import aid_item, hand_out, handout_input, make_household, policy, signature_png


@pytest.fixture
def setup(session, world):
    policy(session, value_cap_fen=10000)
    stores = list(world.stores.values())
    rice = aid_item(session, stores, name="大米", price_fen=3500)
    towel = aid_item(session, stores, name="毛巾", price_fen=800)
    household = make_household(session, world.stores["YL01"])
    return household, rice, towel


def nothing_written(session, before_movements=0):
    assert session.query(Distribution).count() == 0
    assert session.query(StockMovement).filter_by(kind="aid_distribution").count() == before_movements
    assert sum(u.value_fen for u in session.query(AidUsage)) == 0
    assert session.query(AidFile).count() == 0


def test_a_hand_out_writes_distribution_lines_movements_usage_and_audit(session, world, setup):
    household, rice, towel = setup
    result = hand_out(session, world, "YL01", household, [(rice, 1), (towel, 2), (rice, 1)])
    d = result.distribution
    assert d.serial.startswith("YL01-A-") and d.value_fen == 2 * 3500 + 2 * 800 and d.items == 4
    assert [(line.item_name, line.qty) for line in d.lines] == [("大米", 2), ("毛巾", 2)]
    assert d.witness_name == "manager-yl01" and d.signature_id is not None and not d.override
    assert ledger.on_hand(session, world.stores["YL01"].id, rice.id) == 48
    moves = session.query(StockMovement).filter_by(doc_type="distribution", doc_id=str(d.id)).all()
    assert sorted(m.qty for m in moves) == [-2, -2] and {m.kind for m in moves} == {"aid_distribution"}
    assert result.status.remaining_value_fen == 10000 - 8600
    assert session.query(AuditEvent).filter_by(action="aid.distributed", subject_id=str(d.id)).count() == 1


def test_the_entitlement_counts_every_store_served_at_yl01_refused_at_fr01(session, world, setup):
    household, rice, towel = setup
    hand_out(session, world, "YL01", household, [(rice, 2)])  # ¥70 of ¥100
    before = session.query(StockMovement).filter_by(kind="aid_distribution").count()
    with pytest.raises(QuotaExceeded) as e:
        hand_out(session, world, "FR01", household, [(rice, 1)])  # ¥35 more: over
    assert e.value.code == "aid.quota_exceeded" and "¥30.00" in e.value.message
    assert e.value.extra["remaining_value_fen"] == 3000
    assert session.query(Distribution).count() == 1
    assert session.query(StockMovement).filter_by(kind="aid_distribution").count() == before
    assert ledger.on_hand(session, world.stores["FR01"].id, rice.id) == 50
    ok = hand_out(session, world, "FR01", household, [(towel, 3)])  # ¥24 fits
    assert ok.status.remaining_value_fen == 600


def test_a_new_month_starts_afresh(session, world, setup):
    household, rice, _towel = setup
    last_month = utcnow() - timedelta(days=40)
    hand_out(session, world, "YL01", household, [(rice, 2)], now=last_month)
    assert hand_out(session, world, "YL01", household, [(rice, 2)]).status.remaining_value_fen == 3000


def test_item_caps_and_goods_categories(session, world):
    daily = make_category(session, "DAILY", "日用品")
    food = food_category(session)
    policy(session, "tekun", value_cap_fen=None, item_cap=3, goods=[daily])
    store = world.stores["YL01"]
    towel = aid_item(session, [store], name="毛巾", price_fen=800, category=daily)
    snack = make_item(session, "饼干", price_fen=500, category=food)
    stock(session, store, snack, 10, expiry_date=local_today(utcnow()) + timedelta(days=30))
    h = make_household(session, store, category="tekun")
    with pytest.raises(NotEligible) as e:
        hand_out(session, world, "YL01", h, [(snack, 1)])
    assert "饼干" in e.value.message
    hand_out(session, world, "YL01", h, [(towel, 3)])
    with pytest.raises(QuotaExceeded):
        hand_out(session, world, "YL01", h, [(towel, 1)])


def test_expired_review_suspension_and_missing_rule(session, world, setup):
    _household, rice, _towel = setup
    store = world.stores["YL01"]
    old = make_household(session, store, verified_on=local_today(utcnow()) - timedelta(days=400))
    with pytest.raises(HouseholdExpired):
        hand_out(session, world, "YL01", old, [(rice, 1)])
    suspended = make_household(session, store)
    suspended.status, suspended.status_reason = "suspended", "核查"
    session.commit()
    with pytest.raises(NotEligible):
        hand_out(session, world, "YL01", suspended, [(rice, 1)], override=Approval("manager-yl01", "2468"),
                 reason="试试")
    no_rule = make_household(session, store, category="children")
    with pytest.raises(NotEligible):
        hand_out(session, world, "YL01", no_rule, [(rice, 1)])
    nothing_written(session)


def test_a_store_manager_overrides_with_a_reason_and_it_is_flagged(session, world, setup):
    household, rice, _towel = setup
    hand_out(session, world, "YL01", household, [(rice, 2)])
    with pytest.raises(ApprovalFailed):  # a cashier cannot approve an override
        hand_out(session, world, "YL01", household, [(rice, 2)], witness=Approval("manager-yl01", "2468"),
                 override=Approval("cashier-yl01", "changsha2023"), reason="急需")
    with pytest.raises(InvalidInput):
        hand_out(session, world, "YL01", household, [(rice, 2)], override=Approval("manager-yl01", "2468"))
    d = hand_out(session, world, "YL01", household, [(rice, 2)], override=Approval("manager-yl01", "2468"),
                 reason="家中突发火灾").distribution
    assert d.override and d.override_by == "manager-yl01" and d.override_reason == "家中突发火灾"
    assert session.get(AidUsage, (household.id, d.period_key)).value_fen == 14000
    assert session.query(AuditEvent).filter_by(action="aid.override").count() == 1


@pytest.mark.parametrize("kwargs, error", [
    ({"signature": None}, SignatureRequired),
    ({"signature": signature_png(ink=False)}, SignatureRequired),
    ({"signature": b"GIF89a" + b"\0" * 100}, BadImage),
    ({"signature": b"\x89PNG\r\n\x1a\n" + b"\0" * 100}, BadImage),
    ({"signature": signature_png()[:-30]}, BadImage),
    ({"signature": signature_png((4000, 100))}, BadImage),
    ({"signature": b"\x89PNG\r\n\x1a\n" + b"\0" * (300 * 1024)}, BadImage),
    ({"witness": Approval("cashier-yl01", "changsha2023")}, ApprovalFailed),  # the operator
    ({"witness": Approval("manager-yl01", "wrong")}, ApprovalFailed),
    ({"witness": Approval("manager-fr01", "2468")}, ApprovalFailed),  # another store's staff
    ({"witness": Approval("", "")}, ApprovalFailed),
])
def test_bad_hand_outs_write_nothing(session, world, setup, kwargs, error):
    household, rice, _towel = setup
    with pytest.raises(error):
        hand_out(session, world, "YL01", household, [(rice, 1)], **kwargs)
    nothing_written(session)


def test_a_proxy_may_collect_without_a_signature(session, world, setup):
    household, rice, _towel = setup
    d = hand_out(session, world, "YL01", household, [(rice, 1)], signature=None, proxy=("张强", "儿子")).distribution
    assert d.proxy_name == "张强" and d.proxy_relation == "儿子" and d.signature_id is None


def test_unknown_household_barcode_stock_and_expired_food(session, world, setup):
    household, rice, _towel = setup
    cashier = world.actor(session, "cashier-yl01")
    now = utcnow()
    with pytest.raises(UnknownHousehold):
        handout.distribute(session, cashier, handout.HandoutInput(
            household_code="NOPE", lines=(LineInput(qty=1, item_id=rice.id),),
            witness=Approval("manager-yl01", "2468"), signature_png=signature_png()), now=now)
    with pytest.raises(UnknownBarcode):
        handout.distribute(session, cashier, handout.HandoutInput(
            household_code=household.code, lines=(LineInput(qty=1, barcode="6900000000000"),),
            witness=Approval("manager-yl01", "2468"), signature_png=signature_png()), now=now)
    with pytest.raises(InsufficientStock):
        hand_out(session, world, "YL01", household, [(rice, 51)], override=Approval("manager-yl01", "2468"),
                 reason="测试")
    milk = make_item(session, "牛奶", price_fen=300, category=food_category(session))
    stock(session, world.stores["YL01"], milk, 5, expiry_date=local_today(utcnow()) - timedelta(days=2))
    with pytest.raises(ExpiredLot):
        hand_out(session, world, "YL01", household, [(milk, 1)])
    nothing_written(session)


def test_only_counter_staff_hand_out(session, world, setup):
    household, rice, _towel = setup
    for username in ("auditor-yl", "admin"):
        with pytest.raises(Forbidden):
            handout.distribute(session, world.actor(session, username), handout_input(household, [(rice, 1)]),
                               now=utcnow())


def test_a_replayed_key_returns_the_first_hand_out(session, world, setup):
    household, rice, _towel = setup
    first = hand_out(session, world, "YL01", household, [(rice, 1)], key="key-00000001")
    again = hand_out(session, world, "YL01", household, [(rice, 1)], key="key-00000001")
    assert again.replayed and again.distribution.id == first.distribution.id
    assert session.query(Distribution).count() == 1
    other = make_household(session, world.stores["YL01"])
    with pytest.raises(IdempotencyMismatch) as e:  # the same key for another household
        hand_out(session, world, "YL01", other, [(rice, 1)], key="key-00000001")
    assert e.value.code == "idempotency.mismatch" and e.value.status == 409
    with pytest.raises(IdempotencyMismatch):  # the same key for another quantity
        hand_out(session, world, "YL01", household, [(rice, 2)], key="key-00000001")
    assert session.query(Distribution).count() == 1
    # Keys are the store's: another store using the same key neither reads nor blocks this hand-out.
    theirs = hand_out(session, world, "FR01", household, [(rice, 1)], key="key-00000001")
    assert not theirs.replayed and theirs.distribution.id != first.distribution.id


def test_quote_values_the_basket_and_names_what_would_be_refused(session, world, setup):
    household, rice, towel = setup
    q = handout.quote(session, world.actor(session, "cashier-fr01"), household.code,
                      [LineInput(qty=3, item_id=rice.id), LineInput(qty=1, item_id=towel.id)], now=utcnow())
    assert q.total_value_fen == 11300 and q.total_items == 4 and q.blocking == ()
    assert [e.code for e in q.needs_override] == ["aid.quota_exceeded"]
    assert session.query(Distribution).count() == 0
