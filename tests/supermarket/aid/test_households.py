"""Households: registration with the city-wide duplicate check, reviews, status, scoping, the read-access log."""
from datetime import date, timedelta

import pytest

from supermarket.aid import households
from supermarket.aid.errors import BadIdNumber, DuplicateHousehold, UnknownHousehold
from supermarket.aid.models import Household, HouseholdView
from supermarket.audit.models import AuditEvent
from supermarket.errors import Forbidden, NotFound
from supermarket.clock import local_today
from supermarket.models import utcnow
from supermarket.privacy import id_hmac

from .factories import PII_KEY, make_household, valid_id


def test_registration_keeps_only_the_hash_and_last_four(session, world):
    number = valid_id(7)
    h = make_household(session, world.stores["YL01"], id_number=number, phone="13812345678")
    assert h.id_hmac == id_hmac(PII_KEY, number) and h.id_last4 == number[-4:]
    assert h.code == "HYL01000001" and h.status == "active"
    row = session.query(Household).one()
    assert number not in {str(v) for v in row.__dict__.values()}
    events = session.query(AuditEvent).filter_by(action="aid.household_registered").all()
    assert events and all(number not in e.summary for e in events)


def test_review_due_follows_the_category(session, world):
    on = date(2026, 1, 31)
    h12 = make_household(session, world.stores["YL01"], verified_on=on)
    h3 = make_household(session, world.stores["YL01"], category="temporary", verified_on=on)
    assert h12.review_due == date(2027, 1, 31) and h3.review_due == date(2026, 4, 30)


def test_one_live_household_per_id_in_the_whole_city(session, world):
    number = valid_id(8)
    make_household(session, world.stores["YL01"], id_number=number)
    with pytest.raises(DuplicateHousehold) as e:
        make_household(session, world.stores["FR01"], id_number=number.lower() if number[-1] == "X" else number)
    assert "门店标记YL01" in e.value.message and e.value.code == "aid.duplicate_household"
    assert session.query(Household).count() == 1


def test_a_suspended_household_still_holds_its_number_but_a_closed_one_releases_it(session, world):
    number = valid_id(9)
    h = make_household(session, world.stores["YL01"], id_number=number)
    manager = world.actor(session, "manager-yl01")
    households.set_status(session, manager, h.id, status="suspended", reason="核查中")
    with pytest.raises(DuplicateHousehold):
        make_household(session, world.stores["YL02"], id_number=number)
    households.set_status(session, manager, h.id, status="expired", reason="迁出")
    again = make_household(session, world.stores["YL02"], id_number=number)
    with pytest.raises(DuplicateHousehold):  # reactivating the old record would make two live ones
        households.set_status(session, manager, h.id, status="active", reason="误操作")
    assert again.status == "active"


WRONG_CHECK = valid_id(3)[:-1] + ("0" if valid_id(3)[-1] != "0" else "1")


@pytest.mark.parametrize("number", [WRONG_CHECK, "43010419650312001", "4301041965031200XX", " ",
                                    "430104196513120019"])
def test_malformed_id_numbers_are_refused_without_being_echoed(session, world, number):
    with pytest.raises(BadIdNumber) as e:
        make_household(session, world.stores["YL01"], id_number=number)
    assert number.strip() not in e.value.message or not number.strip()
    assert session.query(Household).count() == 0


def test_only_managers_of_the_store_and_the_federation_register(session, world):
    with pytest.raises(Forbidden):
        households.register_household(session, world.actor(session, "cashier-yl01"), pii_key=PII_KEY,
                                      id_number=valid_id(), head_name="甲", category_code="dibao",
                                      verified_on=local_today(utcnow()))
    with pytest.raises(Forbidden):
        households.register_household(session, world.actor(session, "manager-yl01"), pii_key=PII_KEY,
                                      store_id=world.stores["FR01"].id, id_number=valid_id(), head_name="甲",
                                      category_code="dibao", verified_on=local_today(utcnow()))


def test_another_stores_household_record_is_not_found_and_views_are_logged(session, world):
    h = make_household(session, world.stores["YL01"])
    with pytest.raises(NotFound):
        households.open_record(session, world.actor(session, "cashier-fr01"), h.id)
    with pytest.raises(NotFound):
        households.update_household(session, world.actor(session, "manager-yl02"), h.id, phone="1")
    households.open_record(session, world.actor(session, "cashier-yl01"), h.id)
    households.open_record(session, world.actor(session, "auditor-yl"), h.id)
    views = session.query(HouseholdView).order_by(HouseholdView.at).all()
    assert [v.actor_name for v in views] == ["cashier-yl01", "auditor-yl"]
    assert all(v.household_id == h.id and v.store_id == h.store_id for v in views)
    seen = households.list_record_views(session, world.actor(session, "auditor-yl"))
    assert len(seen) == 2
    assert households.list_record_views(session, world.actor(session, "auditor-fr")) == []


def test_counter_lookup_is_city_wide(session, world):
    number = valid_id(12)
    h = make_household(session, world.stores["YL01"], name="李四", id_number=number)
    cashier_fr = world.actor(session, "cashier-fr01")
    assert households.find_by_code(session, cashier_fr, h.code.lower()).id == h.id
    assert [x.id for x in households.find_by_id_and_name(session, cashier_fr, last4=number[-4:], name="李四")] \
        == [h.id]
    assert households.find_by_id_and_name(session, cashier_fr, last4=number[-4:], name="李五") == []
    with pytest.raises(UnknownHousehold):
        households.find_by_code(session, cashier_fr, "NOPE")
    with pytest.raises(Forbidden):
        households.find_by_code(session, world.actor(session, "auditor-yl"), h.code)


def test_edits_log_personal_fields_without_their_values(session, world):
    h = make_household(session, world.stores["YL01"], phone="13800000000")
    households.update_household(session, world.actor(session, "manager-yl01"), h.id, phone="13912345678",
                                members=4, address="新地址 1 号")
    event = session.query(AuditEvent).filter_by(action="aid.household_updated").one()
    assert "13912345678" not in event.summary and "新地址" not in event.summary and '"members": 4' in event.summary
    assert h.address_key == "新地址1号"


def test_review_renews_validity(session, world):
    h = make_household(session, world.stores["YL01"], verified_on=local_today(utcnow()) - timedelta(days=400))
    assert h.validity(local_today(utcnow())) == "expired"
    households.review_household(session, world.actor(session, "manager-yl01"), h.id, verified_on=local_today(utcnow()),
                                verified_by="社区专干")
    assert h.validity(local_today(utcnow())) == "active" and h.review_due > local_today(utcnow())
