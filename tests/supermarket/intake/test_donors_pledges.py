"""Donors (masking, duplicates, city-wide history) and pledges (fulfilment, overdue list, follow-ups)."""
from datetime import date, timedelta

import pytest

from supermarket.errors import Forbidden, InvalidInput, NotFound
from supermarket.intake import donors, pledges
from supermarket.intake.donors import DonorInput
from supermarket.intake.errors import DuplicateDonor, PledgeClosed, UnknownDonor
from supermarket.intake.pledges import PledgeInput
from supermarket.privacy import id_hmac, mask_id_last4, mask_name, mask_phone, valid_mainland_id
from tests.supermarket.catalog.factories import make_item

from .factories import NOW, PII_KEY, cash, cashier, line, make_donor, make_pledge, take_in


def test_masking_helpers():
    assert [mask_name(n) for n in ("张三明", "张三", "欧阳小明", "张", "")] == ["张*明", "张*", "欧**明", "*", ""]
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("") == "" and mask_phone("12345") == "***45"
    assert mask_id_last4("1234") == "****1234" and mask_id_last4("") == ""
    assert id_hmac("k", "11010519491231002x") == id_hmac("k", " 11010519491231002X ")
    assert id_hmac("k", "11010519491231002X") != id_hmac("other", "11010519491231002X")


def test_mainland_id_check_digit():
    assert valid_mainland_id("11010519491231002X")
    assert valid_mainland_id("110105194912310029") is False  # wrong check character
    assert valid_mainland_id("11010519491331002X") is False  # month 13
    assert valid_mainland_id("1101051949123100") is False


def test_contact_details_are_shown_only_to_the_recording_stores_staff(session, world):
    donor = make_donor(session, world, name="张三明", phone="13812345678")
    for username in ("cashier-yl01", "manager-yl01"):
        view = donors.present(world.actor(session, username), donor)
        assert (view.name, view.phone, view.masked) == ("张三明", "13812345678", False)
    for username in ("auditor-yl", "admin"):
        view = donors.present(world.actor(session, username), donor)
        assert (view.name, view.phone, view.masked) == ("张*明", "138****5678", True)
    org = make_donor(session, world, kind="organisation", name="湖南惠民食品有限公司", phone="073188880001",
                     contact_person="刘德明")
    view = donors.present(world.actor(session, "auditor-yl"), org)
    assert (view.name, view.contact_person, view.phone) == ("湖南惠民食品有限公司", "刘*明", "073*****0001")


def test_id_numbers_are_kept_only_as_a_hash_and_last_four(session, world):
    donor = make_donor(session, world, id_number="11010519491231002x")
    assert donor.id_last4 == "002X" and donor.id_hmac == id_hmac(PII_KEY, "11010519491231002X")
    assert "11010519491231002X" not in repr(donor.__dict__)
    with pytest.raises(InvalidInput, match="身份证"):
        make_donor(session, world, name="李四", phone="", id_number="110105194912310029")


def test_the_same_donor_is_not_recorded_twice_in_a_store(session, world):
    make_donor(session, world, phone="138-1234-5678")
    with pytest.raises(DuplicateDonor):
        make_donor(session, world, name="张三", phone="13812345678")
    assert make_donor(session, world, "YL02", phone="13812345678").store_id == world.stores["YL02"].id
    with pytest.raises(InvalidInput):
        make_donor(session, world, name="  ", phone="")
    with pytest.raises(InvalidInput):
        make_donor(session, world, name="王五", phone="abc")
    with pytest.raises(Forbidden):
        donors.create_donor(session, world.actor(session, "auditor-yl"), DonorInput("person", "赵六"),
                            pii_key=PII_KEY)


def test_donors_are_scoped_and_searchable(session, world):
    mine = make_donor(session, world, name="张三明", phone="13812345678")
    theirs = make_donor(session, world, "FR01", name="张大山", phone="13900001111")
    actor = world.actor(session, "cashier-yl01")
    assert donors.list_donors(session, actor, q="张") == [mine]
    assert donors.list_donors(session, actor, q="5678") == [mine]
    assert donors.list_donors(session, world.actor(session, "admin"), q="张") == [theirs, mine]
    with pytest.raises(UnknownDonor):
        donors.get_donor(session, actor, theirs.id)


def test_a_donors_history_spans_the_city(session, world):
    item = make_item(session, "毛巾", kind="donated_new")
    here = make_donor(session, world, phone="13812345678")
    there = make_donor(session, world, "FR01", name="张三明", phone="13812345678")
    take_in(session, world, [line(item)], donor=here)
    take_in(session, world, [line(item, qty=4)], donor=there, code="FR01", now=NOW + timedelta(hours=1))
    rows = donors.donor_history(session, world.actor(session, "cashier-yl01"), here)
    assert [(r.store_code, r.visible, r.goods) for r in rows] == [("FR01", False, "毛巾×4"), ("YL01", True, "毛巾×2")]
    assert rows[0].store_name == "" and rows[1].store_name == "门店标记YL01"
    nameless = make_donor(session, world, name="无电话", phone="")
    take_in(session, world, [line(item)], donor=nameless)
    assert len(donors.donor_history(session, world.actor(session, "cashier-yl01"), nameless)) == 1


def test_a_pledge_is_fulfilled_partly_then_wholly_by_linked_donations(session, world):
    item = make_item(session, "毛巾", kind="donated_new")
    donor = make_donor(session, world)
    pledge = make_pledge(session, world, donor, amount_fen=10000)
    take_in(session, world, money=[cash(4000)], donor=donor, pledge=pledge)
    session.refresh(pledge)
    assert (pledge.fulfilled_fen, pledge.outstanding_fen, pledge.fulfilled) == (4000, 6000, False)
    take_in(session, world, [line(item, qty=3, value=2000)], donor=donor, pledge=pledge)
    session.refresh(pledge)
    assert (pledge.fulfilled_fen, pledge.fulfilled) == (10000, True)
    assert [d.total_value_fen for d in pledges.fulfilling_donations(session, pledge)] == [4000, 6000]
    assert pledges.list_pledges(session, cashier(session, world)) == []
    other = make_donor(session, world, name="李四", phone="13900000000")
    with pytest.raises(InvalidInput, match="认捐人"):
        take_in(session, world, money=[cash()], donor=other, pledge=pledge)


def test_overdue_pledges_are_listed_after_thirty_days_and_followed_up(session, world):
    donor = make_donor(session, world)
    old = make_pledge(session, world, donor, due=date(2026, 4, 1), now=NOW - timedelta(days=60))
    make_pledge(session, world, donor, due=date(2026, 4, 20), now=NOW - timedelta(days=60))  # 22 days late
    paid = make_pledge(session, world, donor, due=date(2026, 3, 1), amount_fen=100, now=NOW - timedelta(days=90))
    take_in(session, world, money=[cash(100)], donor=donor, pledge=paid)
    theirs = make_pledge(session, world, make_donor(session, world, "FR01"), code="FR01", due=date(2026, 1, 1),
                         now=NOW - timedelta(days=200))
    actor = cashier(session, world)
    assert pledges.overdue_pledges(session, actor, now=NOW) == [old]
    assert pledges.days_overdue(old, NOW) == 41
    assert pledges.overdue_pledges(session, world.actor(session, "admin"), now=NOW) == [theirs, old]
    pledges.add_follow_up(session, actor, old.id, note="电话联系，月底前转账", next_contact_on=date(2026, 5, 20),
                          now=NOW)
    session.refresh(old)
    assert [f.note for f in old.follow_ups] == ["电话联系，月底前转账"]
    with pytest.raises(InvalidInput):
        pledges.add_follow_up(session, actor, old.id, note=" ", next_contact_on=None, now=NOW)
    with pytest.raises(NotFound):
        pledges.add_follow_up(session, actor, theirs.id, note="x", next_contact_on=None, now=NOW)


def test_only_the_manager_cancels_a_pledge_and_only_once(session, world):
    pledge = make_pledge(session, world, make_donor(session, world))
    with pytest.raises(Forbidden):
        pledges.cancel_pledge(session, cashier(session, world), pledge.id, reason="不捐了", now=NOW)
    manager = world.actor(session, "manager-yl01")
    assert pledges.cancel_pledge(session, manager, pledge.id, reason="捐赠人撤回", now=NOW).status == "cancelled"
    with pytest.raises(PledgeClosed):
        pledges.cancel_pledge(session, manager, pledge.id, reason="again", now=NOW)
    with pytest.raises(PledgeClosed):
        take_in(session, world, money=[cash()], donor=pledge.donor, pledge=pledge)


def test_pledge_input_is_checked(session, world):
    donor = make_donor(session, world)
    actor = cashier(session, world)
    for bad in (PledgeInput(donor.id, "money", 0, NOW.date()), PledgeInput(donor.id, "money", 100, date(2026, 1, 1)),
                PledgeInput(donor.id, "goods", 100, NOW.date()), PledgeInput(donor.id, "land", 100, NOW.date())):
        with pytest.raises(InvalidInput):
            pledges.create_pledge(session, actor, bad, now=NOW)
    theirs = make_donor(session, world, "YL02")
    with pytest.raises(UnknownDonor):
        pledges.create_pledge(session, actor, PledgeInput(theirs.id, "money", 100, NOW.date()), now=NOW)


def test_the_overdue_list_is_paged_and_says_how_many(session, world):
    donor = make_donor(session, world)
    made = [make_pledge(session, world, donor, due=date(2026, 1, 1) + timedelta(days=i), amount_fen=100 + i,
                        now=NOW - timedelta(days=200)) for i in range(53)]
    actor = cashier(session, world)
    first = pledges.overdue_page(session, actor, now=NOW)
    second = pledges.overdue_page(session, actor, now=NOW, page="2")
    assert first.total == second.total == 53 and len(first.items) == 50 and len(second.items) == 3
    assert first.items + second.items == made  # oldest due first, every one of them reached
    assert pledges.overdue_page(session, actor, now=NOW, page="x").number == 1  # nonsense: the first page
    assert pledges.count_open(session, actor) == 53
