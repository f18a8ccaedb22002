"""The standard's reads: a store goes from inactive to active by the record that counts, and O-02 / O-03 agree."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from supermarket.projects import metrics, service

from .factories import NOW, cashier, manager, open_project, order_csv, register

START = NOW - timedelta(days=90)
END = NOW + timedelta(days=40)


def test_project_display_becomes_active_by_a_progress_update(session, world):
    store = world.stores["YL01"].id
    project = open_project(session, world)
    assert store not in metrics.active_projects(session, START, END)
    before = metrics.o02_project_display(session, None, START, END)[store]
    service.post_update(session, cashier(session, world), project.id, text="已发放冬衣", now=NOW)
    assert metrics.active_projects(session, START, END) == {store}
    after = metrics.o02_project_display(session, [store], START, END)[store]
    assert after[1] == before[1] + 1 and after[0] > before[0]
    assert world.stores["YL02"].id not in metrics.o02_project_display(session, None, START, END)


def test_livestream_becomes_active_by_a_registered_session_and_o03_counts_timely_publication(session, world):
    store = world.stores["YL01"].id
    project = open_project(session, world)
    assert metrics.active_livestream(session, START, END) == set()
    live = register(session, world, project)
    assert metrics.active_livestream(session, START, END) == {store}
    assert metrics.o03_livestream(session, None, START, END) == {store: (0.0, 0, 1)}
    service.import_orders(session, cashier(session, world), live.id,
                          order_csv([("D1", "9.00", "2026-11-20 18:30:00", "")]), now=NOW)
    service.record_totals(session, cashier(session, world), live.id, platform_total_fen=900, received_fen=900,
                          now=NOW)
    closed_at = live.ends_at + timedelta(hours=2)
    service.close_session(session, manager(session, world), live.id, explanation="", now=closed_at)
    service.record_publication(session, manager(session, world), live.id, where="公告栏",
                               now=closed_at + timedelta(days=16))
    assert metrics.o03_livestream(session, [store], START, END) == {store: (0.0, 0, 1)}  # published too late
    assert metrics.o03_livestream(session, [store], START, datetime(2026, 11, 21, tzinfo=timezone.utc)) == {}


def test_a_session_reconciled_and_published_within_15_days_scores_o03_in_full(session, world):
    store = world.stores["YL01"].id
    live = register(session, world, open_project(session, world))
    service.record_totals(session, cashier(session, world), live.id, platform_total_fen=0, received_fen=0, now=NOW)
    closed_at = live.ends_at + timedelta(days=1)
    service.close_session(session, manager(session, world), live.id, explanation="", now=closed_at)
    service.record_publication(session, manager(session, world), live.id, where="公众号",
                               now=closed_at + timedelta(days=14))
    assert metrics.o03_livestream(session, None, START, END) == {store: (1.0, 1, 1)}
