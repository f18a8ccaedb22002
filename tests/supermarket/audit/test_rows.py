"""Every ledger row under the audit chain: each event carries digests of the rows its action wrote, and the
verification names the table and row that was changed, added or deleted."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from supermarket.audit.rows import LEDGER_TABLES, verify_rows, vouched_rows
from supermarket.audit.service import verify_chain
from supermarket.inventory.models import StockMovement
from supermarket.inventory.verify import verify_balances
from supermarket.models import utcnow
from supermarket.sales import reversals
from tests.factories import sql_id
from tests.supermarket.sales.factories import manager_ok, open_shift, sell, stocked_item


@pytest.fixture
def two_sales(session, world):
    open_shift(session, world)
    item = stocked_item(session, world, qty=10, price_fen=300)
    first, second = sell(session, world, (item, 2)).sale, sell(session, world, (item, 3)).sale
    moves = {m.doc_id: m for m in session.scalars(select(StockMovement).where(StockMovement.kind == "sale"))}
    a, b = moves[str(first.id)], moves[str(second.id)]
    return item, Row(a.id), Row(b.id)


class Row:
    def __init__(self, row_id):
        self.id = row_id


def sql(session, statement, **params):
    session.execute(text(statement), params)
    session.commit()


def test_a_sale_vouches_for_its_movements_lines_and_payments(session, world, two_sales):
    vouched = {table for table, _id in vouched_rows(session)}
    assert {"stock_movements", "sale_lines", "sale_payments"} <= vouched
    assert verify_rows(session) == [] and verify_chain(session).ok


def test_moving_one_unit_between_two_sale_movements_is_caught_and_named(runner, session, world, two_sales):
    """The issue's reproduction: both verifications used to pass, since sums and the chain did not change."""
    _item, a, b = two_sales
    sql(session, "UPDATE stock_movements SET qty = qty + 1 WHERE id = :id", id=sql_id(a.id))
    sql(session, "UPDATE stock_movements SET qty = qty - 1 WHERE id = :id", id=sql_id(b.id))
    assert verify_chain(session).ok and verify_balances(session) == []  # what used to be all we checked
    problems = verify_rows(session)
    assert {(p.table, p.row_id, p.problem) for p in problems} == {
        ("stock_movements", str(a.id), "changed"), ("stock_movements", str(b.id), "changed")}
    out = runner.invoke(args=["audit", "verify"])
    assert out.exit_code == 1 and f"stock_movements 行 {a.id}" in out.output and str(b.id) in out.output


def test_an_added_and_a_deleted_row_are_named(session, world, two_sales):
    item, a, _b = two_sales
    sql(session, "DELETE FROM stock_movements WHERE id = :id", id=sql_id(a.id))
    forged = uuid.uuid4()
    sql(session, "INSERT INTO stock_movements (id, created_at, store_id, item_id, lot_id, qty, kind, doc_type, "
                 "doc_id, actor_name, occurred_at, note) SELECT :new, created_at, store_id, item_id, lot_id, qty, "
                 "kind, doc_type, doc_id, actor_name, occurred_at, note FROM stock_movements WHERE kind = 'sale'",
        new=sql_id(forged))
    found = {(p.table, p.row_id, p.problem) for p in verify_rows(session)}
    assert found == {("stock_movements", str(a.id), "deleted"), ("stock_movements", str(forged), "added")}


def test_inventory_verify_names_the_movement_row(runner, session, world, two_sales):
    _item, a, _b = two_sales
    sql(session, "UPDATE stock_movements SET qty = qty - 1 WHERE id = :id", id=sql_id(a.id))
    out = runner.invoke(args=["inventory", "verify"])
    assert out.exit_code == 1 and f"stock_movements 行 {a.id}" in out.output and "已被改动" in out.output


def test_every_ledger_table_is_vouched_for_and_a_changed_row_of_each_is_named(session, world):
    from tests.supermarket.aid.factories import aid_item, hand_out, make_household, policy
    from tests.supermarket.intake.factories import cash, line, take_in
    from tests.supermarket.points.factories import make_resident, make_table
    from supermarket.points import service as points

    open_shift(session, world)
    item = stocked_item(session, world, qty=10, price_fen=300)
    sold = sell(session, world, (item, 2)).sale
    reversals.void_sale(session, world.actor(session, "cashier-yl01"), sold.id, approval=manager_ok(),
                        reason="顾客不要了", now=sold.sold_at + timedelta(minutes=5))
    # Change for charity: a sale whose change goes to a project writes a till_donations row.
    from supermarket.sales import checkout
    from supermarket.sales.inputs import Cart, CartLine, DonationOffer, Tendered
    from tests.supermarket.projects.factories import open_project
    from tests.supermarket.sales.factories import NOW

    project = open_project(session, world, now=NOW - timedelta(days=1))
    checkout.checkout(session, world.actor(session, "cashier-yl01"), Cart(
        idempotency_key=uuid.uuid4(), lines=(CartLine(qty=1, barcode=item.barcode),),
        payments=(Tendered("cash", 500),), donation=DonationOffer(project.id, 200, "change")), now=NOW)
    policy(session, value_cap_fen=100000)
    rice = aid_item(session, [world.stores["YL01"]], name="大米", price_fen=3000)
    hand_out(session, world, "YL01", make_household(session, world.stores["YL01"]), [(rice, 1)])
    take_in(session, world, [line(item, qty=2)], money=[cash(5000)], now=utcnow())
    make_table(session)
    resident, manager = make_resident(session), world.actor(session, "manager-yl01")
    points.adjust_points(session, manager, resident_id=resident.id, points=30, reason="补登",
                         idempotency_key=uuid.uuid4(), now=utcnow())
    points.adjust_points(session, manager, resident_id=resident.id, points=-10, reason="扣回",
                         idempotency_key=uuid.uuid4(), now=utcnow())
    assert verify_rows(session) == [] and verify_chain(session).ok
    vouched = vouched_rows(session)
    assert {table for table, _id in vouched} == set(LEDGER_TABLES)
    for table in LEDGER_TABLES:
        row_id = next(i for t, i in vouched if t == table)
        column = {"stock_movements": "note", "sale_lines": "name", "sale_payments": "reference",
                  "points_entries": "reason", "points_lot_uses": "seq", "distribution_lines": "position",
                  "donation_lines": "unit", "donation_fund_entries": "actor_name",
                  "till_donations": "project_title"}[table]
        change = f"{column} + 7" if column in ("seq", "position") else f"{column} || 'x'"
        sql(session, f"UPDATE {table} SET {column} = {change} WHERE id = :id", id=sql_id(uuid.UUID(row_id)))
        assert [(p.table, p.row_id, p.problem) for p in verify_rows(session, tables=[table])] == [
            (table, row_id, "changed")], table
