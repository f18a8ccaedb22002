"""Voids and returns: manager approval, reversal documents, stock back into the same lots, never twice."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from supermarket.audit.models import AuditEvent
from supermarket.auth.errors import ApprovalFailed
from supermarket.errors import InvalidInput, NotFound
from supermarket.inventory import ledger
from supermarket.inventory.models import StockMovement
from supermarket.inventory.verify import verify_balances
from supermarket.sales import reversals, shifts
from supermarket.sales.errors import (AlreadyVoided, ApprovalRequired, HasReturns, NotReversible, ReturnExceeds,
                                      ShiftClosed)
from supermarket.sales.inputs import Approval, Refund, ReturnLine, ShiftClose
from supermarket.sales.models import Sale

from .factories import NOW, manager_ok, open_shift, sell, stocked_item

LATER = NOW + timedelta(minutes=10)


@pytest.fixture
def sold(session, world):
    open_shift(session, world)
    a = stocked_item(session, world, qty=10, price_fen=550)
    b = stocked_item(session, world, qty=5, price_fen=1200, name="旧毛衣", kind="donated_used")
    sale = sell(session, world, (a, 3), (b, 1), given=3000).sale
    return {"a": a, "b": b, "sale": sale, "actor": world.actor(session, "cashier-yl01")}


def on_hand(session, world, item):
    return ledger.on_hand(session, world.stores["YL01"].id, item.id)


def n_sales(session):
    return session.scalar(select(func.count()).select_from(Sale))


def void(session, sold, approval=None, **kw):
    return reversals.void_sale(session, sold["actor"], sold["sale"].id, approval=approval or manager_ok(),
                               reason=kw.pop("reason", "顾客不要了"), now=LATER, **kw)


def give_back(session, sold, *lines, actor=None, approval=None, refund=Refund(), **kw):
    return reversals.return_items(session, actor or sold["actor"], sold["sale"].id,
                                  [ReturnLine(line.id, n) for line, n in lines], refund=refund,
                                  approval=approval or manager_ok(), reason=kw.pop("reason", "尺码不合适"),
                                  now=LATER, **kw)


def test_a_void_reverses_everything_in_a_document_of_its_own(session, world, sold):
    v = void(session, sold)
    sale = sold["sale"]
    assert (v.kind, v.reverses_id, v.total_fen, v.number) == ("void", sale.id, -2850, "YL01-20261127-0002")
    assert [(x.qty, x.line_total_fen) for x in v.lines] == [(-3, -1650), (-1, -1200)]
    assert [(p.method, p.amount_fen) for p in v.payments] == [("cash", -2850)]
    assert v.shift_id == sale.shift_id and v.approver_id == world.users["manager-yl01"].id
    session.refresh(sale)
    assert sale.status == "voided"
    assert (on_hand(session, world, sold["a"]), on_hand(session, world, sold["b"])) == (10, 5)
    moves = session.scalars(select(StockMovement).where(StockMovement.doc_id == str(v.id))).all()
    assert {m.kind for m in moves} == {"sale_reversal"} and all(m.reverses_id for m in moves)
    assert verify_balances(session) == []
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "sales.sale_voided")) is not None


def test_a_void_cannot_be_voided_and_a_sale_not_twice(session, world, sold):
    v = void(session, sold)
    with pytest.raises(AlreadyVoided):
        void(session, sold)
    with pytest.raises(NotReversible):
        reversals.void_sale(session, sold["actor"], v.id, approval=manager_ok(), reason="x", now=LATER)
    with pytest.raises(AlreadyVoided):
        give_back(session, sold, (sold["sale"].lines[0], 1))
    assert on_hand(session, world, sold["a"]) == 10


def test_a_void_with_the_same_key_returns_the_first_void(session, world, sold):
    import uuid

    key = uuid.uuid4()
    first = void(session, sold, idempotency_key=key)
    assert void(session, sold, idempotency_key=key).id == first.id


def test_a_void_key_used_again_with_another_reason_is_refused(session, world, sold):
    import uuid

    from supermarket.idempotency import IdempotencyMismatch

    key = uuid.uuid4()
    void(session, sold, idempotency_key=key)
    with pytest.raises(IdempotencyMismatch):
        void(session, sold, idempotency_key=key, reason="另一个原因")


@pytest.mark.parametrize("approval, error", [
    (Approval("cashier-yl01", "changsha2023"), ApprovalFailed),   # the cashier herself
    (Approval("manager-yl01", "0000"), ApprovalFailed),            # wrong PIN
    (Approval("manager-fr01", "2468"), ApprovalFailed),            # another store's manager
])
def test_a_void_needs_this_stores_manager(session, world, sold, approval, error):
    before = n_sales(session)
    with pytest.raises(error):
        void(session, sold, approval=approval)
    assert n_sales(session) == before and on_hand(session, world, sold["a"]) == 7


def test_void_without_approval_or_reason_writes_nothing(session, world, sold):
    with pytest.raises(ApprovalRequired):
        reversals.void_sale(session, sold["actor"], sold["sale"].id, approval=None, reason="x", now=LATER)
    with pytest.raises(InvalidInput):
        void(session, sold, reason="  ")
    assert n_sales(session) == 1


def test_another_stores_sale_is_not_found(session, world, sold):
    open_shift(session, world, "cashier-fr01")
    with pytest.raises(NotFound):
        reversals.void_sale(session, world.actor(session, "cashier-fr01"), sold["sale"].id,
                            approval=manager_ok("fr01"), reason="x", now=LATER)


def test_only_sales_of_an_open_shift_can_be_voided(session, world, sold):
    shifts.close_shift(session, sold["actor"], ShiftClose({"cash": 22850}, manager_ok()), now=LATER)
    with pytest.raises(ShiftClosed):
        void(session, sold)


def test_returns_take_back_some_lines_up_to_what_was_sold(session, world, sold):
    a_line, b_line = sold["sale"].lines
    r = give_back(session, sold, (a_line, 2))
    assert (r.kind, r.total_fen, [(x.qty, x.line_total_fen, x.reverses_line_id) for x in r.lines]) == (
        "return", -1100, [(-2, -1100, a_line.id)])
    assert [(p.method, p.amount_fen) for p in r.payments] == [("cash", -1100)]
    assert on_hand(session, world, sold["a"]) == 9
    with pytest.raises(ReturnExceeds):
        give_back(session, sold, (a_line, 2))
    session.refresh(sold["sale"])
    assert sold["sale"].status == "partly_returned"
    with pytest.raises(HasReturns):
        void(session, sold)
    give_back(session, sold, (a_line, 1), (b_line, 1))
    session.refresh(sold["sale"])
    assert sold["sale"].status == "returned"
    assert (on_hand(session, world, sold["a"]), on_hand(session, world, sold["b"])) == (10, 5)
    with pytest.raises(ReturnExceeds):
        give_back(session, sold, (b_line, 1))
    assert verify_balances(session) == []


def test_a_return_is_paid_from_the_current_shift_of_whoever_takes_it(session, world, sold):
    shifts.close_shift(session, sold["actor"], ShiftClose({"cash": 22850}, manager_ok()), now=LATER)
    with pytest.raises(ShiftClosed):
        give_back(session, sold, (sold["sale"].lines[0], 1))
    new_shift = open_shift(session, world, now=LATER)
    r = give_back(session, sold, (sold["sale"].lines[0], 1))
    assert r.shift_id == new_shift.id != sold["sale"].shift_id


def test_a_return_by_wechat_needs_its_reference(session, world, sold):
    with pytest.raises(InvalidInput):
        give_back(session, sold, (sold["sale"].lines[0], 1), refund=Refund("wechat", ""))
    r = give_back(session, sold, (sold["sale"].lines[0], 1), refund=Refund("wechat", "4200009999"))
    assert [(p.method, p.amount_fen, p.reference) for p in r.payments] == [("wechat", -550, "4200009999")]


def test_a_return_cannot_be_returned_or_voided(session, world, sold):
    r = give_back(session, sold, (sold["sale"].lines[0], 1))
    with pytest.raises(NotReversible):
        reversals.void_sale(session, sold["actor"], r.id, approval=manager_ok(), reason="x", now=LATER)
    with pytest.raises(NotReversible):
        reversals.return_items(session, sold["actor"], r.id, [ReturnLine(r.lines[0].id, 1)], refund=Refund(),
                               approval=manager_ok(), reason="x", now=LATER)


def test_a_return_of_a_line_from_another_sale_is_not_found(session, world, sold):
    other = sell(session, world, (sold["a"], 1)).sale
    with pytest.raises(NotFound):
        give_back(session, sold, (other.lines[0], 1))


def test_returned_units_go_back_into_the_lots_they_came_from(session, world):
    from datetime import date

    from tests.supermarket.catalog.factories import food_category, make_item
    from tests.supermarket.inventory.factories import stock

    open_shift(session, world)
    milk = make_item(session, "牛奶", category=food_category(session), price_fen=300)
    first = stock(session, world.stores["YL01"], milk, 1, expiry_date=date(2026, 12, 1))
    second = stock(session, world.stores["YL01"], milk, 5, expiry_date=date(2026, 12, 9))
    sale = sell(session, world, (milk, 3)).sale
    sold = {"sale": sale, "actor": world.actor(session, "cashier-yl01")}
    r = give_back(session, sold, (sale.lines[0], 3))
    lots = sorted((m.lot_id, m.qty) for m in session.scalars(
        select(StockMovement).where(StockMovement.doc_id == str(r.id))))
    assert lots == sorted([(first.lot_id, 1), (second.lot_id, 2)])
