"""Livestream sessions: register, tag till sales, import the platform's orders, reconcile, close, publish."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from supermarket.errors import InvalidInput, NotFound
from supermarket.projects import service
from supermarket.projects.errors import (BadOrderFile, ExplanationRequired, NotReconciled, OrdersElsewhere,
                                         SessionClosed, SessionStarted)
from supermarket.projects.importer import Columns
from supermarket.projects.models import LiveOrder, OrderImport
from supermarket.sales.reversals import void_sale
from supermarket.validation import flatten
from tests.supermarket.sales.factories import manager_ok, open_shift, sell, stocked_item

from .factories import NOW, cashier, manager, open_project, order_csv, register

# The session of register(): 18:00–20:00 in Changsha on 20 November 2026.
ROWS = [("DY1001", "25.00", "2026-11-20 18:05:00", "已完成"),
        ("DY1002", "40.50", "2026-11-20 18:30:10", "已完成"),
        ("DY1003", "10.00", "2026-11-20 19:02:00", "已退款")]


def orders(session):
    return session.scalar(select(func.count()).select_from(LiveOrder))


@pytest.fixture
def live(session, world):
    project = open_project(session, world)
    return register(session, world, project)


def test_import_reconcile_with_a_difference_close_with_an_explanation_and_the_same_file_adds_nothing(
        session, world, live):
    actor = cashier(session, world)
    data = order_csv(ROWS)
    first = service.import_orders(session, actor, live.id, data, filename="douyin.csv", now=NOW)
    assert (first.rows, first.added, first.total_fen, first.replayed) == (3, 3, 6550, False)
    again = service.import_orders(session, actor, live.id, data, filename="douyin.csv", now=NOW)
    assert (again.added, again.replayed) == (0, True)
    # A different file holding some of the same orders adds only the new ones.
    more = service.import_orders(session, actor, live.id, order_csv(ROWS[:1] + [
        ("DY1004", "5.00", "2026-11-20 19:59:00", "已完成")]), now=NOW)
    assert (more.added, more.already) == (1, 1)
    assert orders(session) == 4 and session.scalar(select(func.count()).select_from(OrderImport)) == 2

    rec = service.record_totals(session, actor, live.id, platform_total_fen=7550, received_fen=7000, now=NOW)
    assert (rec.orders_fen, rec.platform_difference_fen, rec.received_difference_fen) == (7050, 500, -50)
    after = live.ends_at + timedelta(hours=1)
    with pytest.raises(ExplanationRequired):
        service.close_session(session, manager(session, world), live.id, explanation="", now=after)
    closed = service.close_session(session, manager(session, world), live.id,
                                   explanation="平台扣除技术服务费5元；一笔0.5元退款尚未到账", now=after)
    assert closed.session.status == "closed" and closed.publish_by == after + timedelta(days=15)
    with pytest.raises(SessionClosed):
        service.import_orders(session, actor, live.id, order_csv([("DY2001", "1.00", "2026-11-20 18:10:00", "")]),
                              now=after)
    published = service.record_publication(session, manager(session, world), live.id,
                                            where="门店公告栏及公众号 2026-11-25", now=after + timedelta(days=3))
    assert published.published_at is not None
    assert service.figures(session, [live.project_id])[live.project_id].raised_fen == 7050


@pytest.mark.parametrize("rows,header,problem", [
    (ROWS + [("DY1009", "abc", "2026-11-20 18:10:00", "")], None, "rows.5"),
    (ROWS + [("DY1001", "1.00", "2026-11-20 18:10:00", "")], None, "rows.5"),
    (ROWS + [("DY1010", "1.00", "2026-11-23 18:10:00", "")], None, "rows.5"),
    (ROWS, ("order", "money", "when", "state"), "file"),
])
def test_a_bad_row_or_the_wrong_columns_import_nothing(session, world, live, rows, header, problem):
    data = order_csv(rows, header) if header else order_csv(rows)
    with pytest.raises(BadOrderFile) as e:
        service.import_orders(session, cashier(session, world), live.id, data, now=NOW)
    assert problem in flatten(e.value.extra["fields"])
    assert orders(session) == 0


def test_an_order_already_counted_for_another_session_refuses_the_file(session, world, live):
    service.import_orders(session, cashier(session, world), live.id, order_csv(ROWS), now=NOW)
    other = register(session, world, service.get_project(session, cashier(session, world), live.project_id),
                     starts_at=live.starts_at)
    with pytest.raises(OrdersElsewhere):
        service.import_orders(session, cashier(session, world), other.id, order_csv(ROWS[:2] + [
            ("DY3000", "1.00", "2026-11-20 18:10:00", "")]), now=NOW)
    assert orders(session) == 3


def test_the_columns_are_mapped_once_per_platform(session, world, live):
    service.map_columns(session, manager(session, world), "douyin", Columns("order", "money", "when", ""), now=NOW)
    data = order_csv([("A1", "3.00", "2026-11-20 18:10:00")], ("order", "money", "when"))
    assert service.import_orders(session, cashier(session, world), live.id, data, now=NOW).added == 1


def test_a_session_is_registered_before_it_starts_and_closed_only_by_a_manager(session, world, live):
    project = service.get_project(session, cashier(session, world), live.project_id)
    with pytest.raises(SessionStarted):
        register(session, world, project, starts_at=NOW - timedelta(minutes=1))
    with pytest.raises(InvalidInput):
        register(session, world, project, hours=0)
    with pytest.raises(NotReconciled):
        service.close_session(session, manager(session, world), live.id, explanation="", now=live.ends_at)
    with pytest.raises(NotFound):
        service.import_orders(session, cashier(session, world, "FR01"), live.id, order_csv(ROWS), now=NOW)
    assert orders(session) == 0


def test_sales_at_the_till_in_session_mode_are_the_sessions_and_their_voids_take_them_back(session, world, live):
    item = stocked_item(session, world, qty=50, price_fen=1200)
    actor = cashier(session, world)
    open_shift(session, world, now=live.starts_at)
    t = live.starts_at + timedelta(minutes=1)
    sell(session, world, (item, 1), now=t)                       # before the mode: not the session's
    service.start_till_mode(session, actor, live.id, now=t + timedelta(minutes=1))
    tagged = sell(session, world, (item, 2), now=t + timedelta(minutes=2)).sale
    sell(session, world, (item, 1), now=t + timedelta(minutes=3))
    service.stop_till_mode(session, actor, now=t + timedelta(minutes=4))
    sell(session, world, (item, 5), now=t + timedelta(minutes=5))  # after: not the session's
    rec = service.reconciliation(session, actor, live.id)
    assert rec.till_fen == 3600
    void_sale(session, actor, tagged.id, approval=manager_ok(), reason="顾客取消", now=t + timedelta(minutes=6))
    assert service.reconciliation(session, actor, live.id).till_fen == 1200
    assert service.figures(session, [live.project_id])[live.project_id].raised_fen == 1200
