"""Recording donations: one transaction, two people, food and prohibited rules, valuation, serials, replays."""
from datetime import date, datetime, timedelta, timezone

import uuid

import pytest
from sqlalchemy import func, select

from supermarket.audit.models import AuditEvent
from supermarket.catalog.models import Item
from supermarket.errors import Forbidden, InvalidInput
from supermarket.intake import service
from supermarket.idempotency import IdempotencyMismatch
from supermarket.intake.errors import (CheckerFailed, ExpiredFood, ProhibitedCategory,
                                       SameChecker, UnknownDonor, UnknownItem)
from supermarket.intake.models import Donation, DonationFundEntry, DonationLine, Donor, MoneyLine
from supermarket.inventory import ledger
from supermarket.inventory.models import Lot, StockMovement
from supermarket.sequences import peek
from tests.supermarket.catalog.factories import food_category, make_category, make_item

from .factories import NOW, cash, donation_input, line, make_donor, new_item, take_in


def count(session, model):
    return session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def goods(session, world):
    return {"towel": make_item(session, "纯棉毛巾", kind="donated_new", price_fen=600),
            "rice": make_item(session, "东北大米", category=food_category(session), price_fen=2500),
            "cloth": make_category(session, "CLOTH", "服装"),
            "med": make_category(session, "MED", "药品", prohibited=True, prohibited_reason="药品须由有资质的机构接收")}


def test_a_donation_writes_lines_stock_lots_serial_and_audit_together(session, world, goods):
    donor = make_donor(session, world)
    result = take_in(session, world, [
        line(goods["towel"], qty=3, value=1000),
        line(goods["rice"], qty=2, value=5000, expiry=date(2026, 12, 31)),
        line(new=new_item(goods["cloth"]), qty=1, value=8000, basis="declared"),
    ], donor=donor)
    d = result.donation
    store = world.stores["YL01"]
    assert d.serial == "YL01-2026-000001" and d.serial_no == 1
    assert (d.goods_value_fen, d.money_fen, d.total_value_fen, d.unit_count) == (21000, 0, 21000, 6)
    assert (d.receiver_name, d.checker_name) == ("用户cashier-yl01", "用户manager-yl01")
    assert [x.line_no for x in d.lines] == [1, 2, 3]
    moves = session.scalars(select(StockMovement).where(StockMovement.doc_id == str(d.id))).all()
    assert sorted((m.kind, m.doc_type, m.qty) for m in moves) == [("intake", "donation", 1), ("intake", "donation", 2),
                                                                   ("intake", "donation", 3)]
    assert ledger.on_hand(session, store.id, goods["towel"].id) == 3
    rice_lot = session.get(Lot, d.lines[1].movement.lot_id)
    assert rice_lot.expiry_date == date(2026, 12, 31) and rice_lot.unit_cost_fen == 5000
    created = d.lines[2].item
    assert d.lines[2].item_created and created.barcode == "YL01-000001" and created.condition_grade == "B"
    assert created.default_price_fen == 4000  # half the valued worth when no price is given
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "intake.donation_recorded")).subject_id \
        == str(d.id)
    assert result.warnings == [] and not result.replayed


def test_serials_count_per_store_and_restart_each_year(session, world, goods):
    a = take_in(session, world, [line(goods["towel"])]).donation
    b = take_in(session, world, [line(goods["towel"])]).donation
    other = take_in(session, world, [line(goods["towel"])], code="YL02").donation
    next_year = take_in(session, world, [line(goods["towel"])],
                        now=datetime(2026, 12, 31, 16, 30, tzinfo=timezone.utc)).donation  # 1 Jan 00:30 local
    assert [a.serial, b.serial, other.serial, next_year.serial] == [
        "YL01-2026-000001", "YL01-2026-000002", "YL02-2026-000001", "YL01-2027-000001"]


def test_a_replay_with_the_same_key_returns_the_first_donation_and_writes_nothing(session, world, goods):
    key = uuid.uuid4()
    first = take_in(session, world, [line(goods["towel"], qty=2)], key=key)
    before = (count(session, Donation), count(session, StockMovement), count(session, AuditEvent))
    again = take_in(session, world, [line(goods["towel"], qty=2)], key=key)
    assert again.replayed and again.donation.id == first.donation.id
    assert (count(session, Donation), count(session, StockMovement), count(session, AuditEvent)) == before
    # The same key with another payload (it used to answer the first donation) is refused.
    with pytest.raises(IdempotencyMismatch) as e:
        take_in(session, world, [line(goods["towel"], qty=5)], key=key)
    assert e.value.code == "idempotency.mismatch"
    assert (count(session, Donation), count(session, StockMovement), count(session, AuditEvent)) == before
    assert ledger.on_hand(session, world.stores["YL01"].id, goods["towel"].id) == 2
    # Another store's key space is its own: the same key there is a new donation.
    theirs = take_in(session, world, [line(goods["towel"])], code="YL02", key=key)
    assert not theirs.replayed and theirs.donation.id != first.donation.id


def _nothing_written(session, world, before):
    assert count(session, Donation) == before["donations"]
    assert count(session, DonationLine) == 0 or count(session, DonationLine) == before["lines"]
    assert count(session, StockMovement) == before["movements"]
    assert count(session, Item) == before["items"]
    assert count(session, Donor) == before["donors"]
    assert count(session, AuditEvent) == before["audit"]
    assert peek(session, f"donation:{world.stores['YL01'].id}:2026") == before["serial"]


def _snapshot(session, world):
    return {"donations": count(session, Donation), "lines": count(session, DonationLine),
            "movements": count(session, StockMovement), "items": count(session, Item),
            "donors": count(session, Donor), "audit": count(session, AuditEvent),
            "serial": peek(session, f"donation:{world.stores['YL01'].id}:2026")}


def test_a_prohibited_item_on_line_three_leaves_nothing_written(session, world, goods):
    take_in(session, world, [line(goods["towel"])])  # serial 1 is used
    before = _snapshot(session, world)
    with pytest.raises(ProhibitedCategory) as e:
        take_in(session, world, [line(goods["towel"]), line(new=new_item(goods["cloth"])),
                                 line(new=new_item(goods["med"], "感冒药", kind="donated_new", grade=None))])
    assert "第 3 行" in e.value.message and "药品须由有资质的机构接收" in e.value.message
    _nothing_written(session, world, before)
    assert take_in(session, world, [line(goods["towel"])]).donation.serial == "YL01-2026-000002"


def test_a_failure_inside_the_transaction_on_line_three_rolls_everything_back(session, world, goods, monkeypatch):
    """The rules pass, then the third stock movement fails: the donation, new items, donor and serial go too."""
    from supermarket.intake.donors import DonorInput

    before = _snapshot(session, world)
    calls = []

    def fail_on_third(session_, store_id, occurred_at):
        calls.append(store_id)
        if len(calls) == 3:
            raise RuntimeError("disk full")

    # The ledger checks the closed period before each movement: failing there fails the third movement.
    monkeypatch.setattr(ledger, "check_period_open", fail_on_third)
    data = donation_input([line(goods["towel"]), line(new=new_item(goods["cloth"])),
                           line(new=new_item(goods["cloth"], "书包", kind="donated_new", grade=None))],
                          new_donor=DonorInput("person", "李四", "13900000000"))
    with pytest.raises(RuntimeError):
        service.record_donation(session, world.actor(session, "cashier-yl01"), data, pii_key="k", now=NOW)
    assert len(calls) == 3
    _nothing_written(session, world, before)


def test_expired_food_is_refused_and_food_needs_an_expiry_date(session, world, goods):
    with pytest.raises(ExpiredFood):
        take_in(session, world, [line(goods["rice"], expiry=date(2026, 5, 11))])
    with pytest.raises(InvalidInput) as e:
        take_in(session, world, [line(goods["towel"]), line(goods["rice"])])
    assert e.value.extra["fields"] == {"lines": {1: {"expiry_date": ["食品“东北大米”须填写保质期"]}}}
    assert count(session, Donation) == 0


def test_near_expiry_food_is_accepted_with_a_warning_and_flagged(session, world, goods):
    result = take_in(session, world, [line(goods["rice"], expiry=date(2026, 5, 19)),  # 7 days: in the band
                                      line(goods["rice"], expiry=date(2026, 5, 20))])
    assert [x.near_expiry for x in result.donation.lines] == [True, False]
    assert result.donation.has_near_expiry
    assert result.warnings == ["第 1 行：食品“东北大米”将于 2026-05-19 到期，已标为临期"]


def test_expiry_dates_on_non_food_are_ignored(session, world, goods):
    d = take_in(session, world, [line(goods["towel"], expiry=date(2020, 1, 1))]).donation
    assert d.lines[0].expiry_date is None


def test_goods_that_cannot_be_valued_are_recorded_at_zero_and_marked(session, world, goods):
    d = take_in(session, world, [line(goods["towel"], qty=5, value=0, basis="unvalued"),
                                 line(goods["towel"], qty=1, value=300)]).donation
    assert [x.value_unknown for x in d.lines] == [True, False]
    assert d.has_unvalued and d.goods_value_fen == 300
    for bad in (line(goods["towel"], value=0, basis="market"), line(goods["towel"], value=100, basis="unvalued"),
                line(goods["towel"], value=-1), line(goods["towel"], qty=0), line(goods["towel"], qty=-3)):
        with pytest.raises(InvalidInput):
            take_in(session, world, [bad])
    assert count(session, Donation) == 1


def test_receiver_and_checker_must_be_two_people_of_the_store(session, world, goods):
    with pytest.raises(SameChecker):
        take_in(session, world, [line(goods["towel"])], checker="cashier-yl01")
    with pytest.raises(CheckerFailed, match="密码"):
        take_in(session, world, [line(goods["towel"])], secret="wrong-password")
    with pytest.raises(CheckerFailed, match="权限"):
        take_in(session, world, [line(goods["towel"])], checker="manager-yl02")
    with pytest.raises(CheckerFailed):
        take_in(session, world, [line(goods["towel"])], checker="auditor-yl")
    assert count(session, Donation) == 0
    assert take_in(session, world, [line(goods["towel"])], secret="2468").donation.checker_name == "用户manager-yl01"
    manager = world.actor(session, "manager-yl01")
    assert take_in(session, world, [line(goods["towel"])], actor=manager,
                   checker="cashier-yl01").donation.receiver_name == "用户manager-yl01"


def test_the_donor_must_be_chosen_or_marked_anonymous_and_belong_to_the_store(session, world, goods):
    with pytest.raises(InvalidInput, match="匿名"):
        take_in(session, world, [line(goods["towel"])], anonymous=False)
    other = make_donor(session, world, "YL02", name="王五", phone="13700000000")
    with pytest.raises(UnknownDonor):
        take_in(session, world, [line(goods["towel"])], donor=other)
    d = take_in(session, world, [line(goods["towel"])]).donation
    assert d.anonymous and d.donor_id is None


def test_unknown_items_and_other_stores_own_codes_are_refused(session, world, goods):
    theirs = make_item(session, "观沙岭自制标签物品", store=world.stores["YL02"], kind="donated_new")
    with pytest.raises(UnknownItem):
        take_in(session, world, [line(theirs)])
    with pytest.raises(UnknownItem):
        take_in(session, world, [line(barcode=theirs.barcode)])
    with pytest.raises(UnknownItem):
        take_in(session, world, [line(barcode="6900000000000")])
    assert take_in(session, world, [line(barcode=goods["towel"].barcode)]).donation.lines[0].item_id \
        == goods["towel"].id


def test_a_new_item_keeps_a_scanned_manufacturer_code(session, world, goods):
    d = take_in(session, world, [line(new=new_item(goods["cloth"], "保温杯", kind="donated_new", grade=None,
                                                   barcode="6901234567892", price=1500))]).donation
    item = d.lines[0].item
    assert (item.barcode, item.barcode_kind, item.default_price_fen, item.condition_grade) == \
        ("6901234567892", "ean13", 1500, None)


def test_money_goes_to_the_donation_fund_not_to_stock(session, world, goods):
    d = take_in(session, world, money=[cash(5000), cash(12000, "wechat", "4200001234")]).donation
    assert (d.goods_value_fen, d.money_fen, d.total_value_fen, d.unit_count) == (0, 17000, 17000, 0)
    entries = session.scalars(select(DonationFundEntry).order_by(DonationFundEntry.amount_fen)).all()
    assert [(e.method, e.amount_fen, e.kind) for e in entries] == [("cash", 5000, "money_donation"),
                                                                  ("wechat", 12000, "money_donation")]
    assert count(session, StockMovement) == 0
    with pytest.raises(InvalidInput, match="交易单号"):
        take_in(session, world, money=[cash(100, "alipay")])
    with pytest.raises(InvalidInput):
        take_in(session, world, money=[cash(0)])
    with pytest.raises(InvalidInput, match="至少"):
        take_in(session, world)
    assert count(session, MoneyLine) == 2


def test_only_store_staff_take_in_donations(session, world, goods):
    for username in ("auditor-yl", "admin"):
        with pytest.raises(Forbidden):
            take_in(session, world, [line(goods["towel"])], actor=world.actor(session, username))


def test_receipt_copies_are_counted_and_reprints_audited(session, world, goods):
    d = take_in(session, world, [line(goods["towel"])]).donation
    actor = world.actor(session, "cashier-yl01")
    assert service.record_receipt_print(session, actor, d.id, now=NOW)[1] == 1
    assert service.record_receipt_print(session, actor, d.id, now=NOW)[1] == 2
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("intake.receipt%"))
                              .order_by(AuditEvent.seq)).all()
    assert actions == ["intake.receipt_printed", "intake.receipt_reprinted"]


def test_lists_are_scoped_and_newest_first(session, world, goods):
    a = take_in(session, world, [line(goods["towel"])]).donation
    b = take_in(session, world, [line(goods["towel"])], now=NOW + timedelta(hours=1)).donation
    c = take_in(session, world, [line(goods["towel"])], code="FR01").donation
    ids = lambda who: [d.id for d in service.list_donations(session, world.actor(session, who))]  # noqa: E731
    assert ids("cashier-yl01") == [b.id, a.id]
    assert ids("auditor-fr") == [c.id]
    assert set(ids("admin")) == {a.id, b.id, c.id}
    from supermarket.errors import NotFound

    with pytest.raises(NotFound):
        service.get_donation(session, world.actor(session, "cashier-yl01"), c.id)
