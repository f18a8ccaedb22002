"""Several tablets at once (PostgreSQL, real threads): a project never spends beyond its balance; an order file
sent four times at once is imported once."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from supermarket.projects import service
from supermarket.projects.models import Expenditure, LiveOrder, OrderImport
from tests.concurrency import run_at_once
from tests.supermarket.intake.factories import cash, take_in

from .factories import NOW, cashier, open_project, order_csv, register, spend

pytestmark = pytest.mark.pg


def test_two_spends_racing_for_one_balance_leave_it_whole(app, session, world):
    project = open_project(session, world)
    donation = take_in(session, world, money=[cash(10000)]).donation
    service.designate(session, cashier(session, world), project.id, donation.money_lines[0].id, now=NOW)
    pid = project.id

    def work(s, i):
        return spend(s, world, s.get(type(project), pid), 6000).amount_fen

    results = run_at_once(app, 4, work)
    assert sorted(map(str, results)) == ["6000", "projects.insufficient_balance",
                                         "projects.insufficient_balance", "projects.insufficient_balance"]
    assert session.scalar(select(func.sum(Expenditure.amount_fen))) == 6000


def test_the_same_order_file_sent_four_times_at_once_is_imported_once(app, session, world):
    live = register(session, world, open_project(session, world))
    data = order_csv([(f"DY{n}", "5.00", "2026-11-20 18:30:00", "") for n in range(50)])
    sid = live.id

    def work(s, i):
        return service.import_orders(s, cashier(s, world), sid, data, now=NOW).added

    results = run_at_once(app, 4, work)
    assert sorted(results) == [0, 0, 0, 50]
    assert session.scalar(select(func.count()).select_from(LiveOrder)) == 50
    assert session.scalar(select(func.count()).select_from(OrderImport)) == 1
