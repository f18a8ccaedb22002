"""The outreach metrics, for all stores at once: inactive → active by the record that counts, and each rule's
value moving with the record it reads."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from supermarket.outreach import metrics, service
from supermarket.outreach.files import Upload

from .helpers import NOW, add_shift, pdf, png

START, END = NOW - timedelta(days=90), NOW


def test_publicity_becomes_active_by_an_event_in_the_window(session, world):
    yl01, yl02 = world.stores["YL01"].id, world.stores["YL02"].id
    cashier = world.actor(session, "cashier-yl01")
    assert metrics.active_publicity(session, None, START, END) == set()
    # an event before the window does not count
    service.record_event(session, cashier, service.EventInput(held_on=date(2026, 8, 1), kind="day", title="旧"),
                         now=NOW)
    assert metrics.active_publicity(session, None, START, END) == set()
    service.record_event(session, cashier, service.EventInput(held_on=date(2026, 11, 2), kind="online",
                                                              title="线上宣传"), now=NOW)
    assert metrics.active_publicity(session, None, START, END) == {yl01}
    assert metrics.active_publicity(session, [yl02], START, END) == set()
    values = metrics.publicity(session, None, START, END)
    assert values[yl01] == (1.0, 1, None) and values[yl02] == (0.0, 0, None) and len(values) == 3


def test_convenience_becomes_active_by_one_logged_service(session, world):
    yl01 = world.stores["YL01"].id
    kind = service.add_service_type(session, world.actor(session, "manager-yl01"), "代缴费", now=NOW)
    assert metrics.active_convenience(session, None, START, END) == set()
    service.log_service(session, world.actor(session, "cashier-yl01"), kind.id, count=3, now=NOW - timedelta(days=1))
    assert metrics.active_convenience(session, None, START, END) == {yl01}
    assert metrics.convenience(session, None, START, END)[yl01] == (3.0, 1, None)
    assert metrics.ACTIVE["convenience"] is metrics.active_convenience


def test_o01_counts_months_with_a_photographed_event(session, world):
    yl01 = world.stores["YL01"].id
    cashier = world.actor(session, "cashier-yl01")
    start, end = datetime(2026, 8, 31, 16, tzinfo=timezone.utc), datetime(2026, 11, 30, 16, tzinfo=timezone.utc)
    service.record_event(session, cashier, service.EventInput(held_on=date(2026, 9, 5), kind="day", title="无照片"),
                         now=NOW)
    assert metrics.o01(session, [yl01], start, end)[yl01] == (0.0, 0, 3)
    for day in (date(2026, 9, 6), date(2026, 10, 1), date(2026, 10, 20)):
        service.record_event(session, cashier, service.EventInput(held_on=day, kind="community", title="有照片",
                                                                  photos=(Upload("p.png", png()),)), now=NOW)
    assert metrics.o01(session, [yl01], start, end)[yl01] == (2 / 3, 2, 3)


def test_o04_counts_distinct_types(session, world):
    yl01 = world.stores["YL01"].id
    manager, cashier = world.actor(session, "manager-yl01"), world.actor(session, "cashier-yl01")
    a = service.add_service_type(session, manager, "工具借用", now=NOW)
    b = service.add_service_type(session, manager, "政策咨询", now=NOW)
    service.log_service(session, cashier, a.id, now=NOW - timedelta(hours=1))
    service.log_service(session, cashier, a.id, now=NOW - timedelta(hours=2))
    assert metrics.o04(session, None, START, END)[yl01] == (1.0, 1, None)
    service.log_service(session, cashier, b.id, now=NOW - timedelta(hours=3))
    assert metrics.o04(session, None, START, END)[yl01] == (2.0, 2, None)


def test_o05_share_answered_within_15_days(session, world):
    yl01, fr01 = world.stores["YL01"].id, world.stores["FR01"].id
    cashier, manager = world.actor(session, "cashier-yl01"), world.actor(session, "manager-yl01")
    late = service.record_complaint(session, cashier, channel="phone", category="goods", text="a",
                                    now=NOW - timedelta(days=40))
    quick = service.record_complaint(session, cashier, channel="phone", category="goods", text="b",
                                     now=NOW - timedelta(days=30))
    service.record_complaint(session, cashier, channel="phone", category="goods", text="not yet due",
                             now=NOW - timedelta(days=3))
    service.answer_complaint(session, manager, late.id, "迟答", now=NOW - timedelta(days=20))
    service.answer_complaint(session, manager, quick.id, "及时", now=NOW - timedelta(days=29))
    values = metrics.o05(session, None, START, END)
    assert values[yl01] == (0.5, 1, 2)
    assert values[fr01] == (None, 0, 0)


def test_c01_c02_c05_read_the_profile(session, world):
    yl01 = world.stores["YL01"].id
    manager = world.actor(session, "manager-yl01")
    assert metrics.c01(session, [yl01], START, END)[yl01] == (None, 0, 6)
    service.update_basics(session, manager, floor_area_m2=65, legal_form="entrusted", operator_name="某社工机构",
                          zones={"intake", "sales", "distribution", "volunteer", "display", "storage"}, now=NOW)
    assert metrics.c01(session, [yl01], START, END)[yl01] == (65.0, 6, 6)
    service.attach_document(session, manager, "signage", "logo_plaque", Upload("a.png", png()), now=NOW)
    service.attach_document(session, manager, "signage", "purpose", Upload("b.png", png()), now=NOW)
    service.clear_item(session, manager, "signage", "purpose", now=NOW)
    assert metrics.c02(session, [yl01], START, END)[yl01] == (1 / 7, 1, 7)
    for code in ("intake", "stock", "distribution", "finance", "volunteers", "points", "complaints", "disclosure"):
        service.attach_document(session, manager, "rule", code, Upload(f"{code}.pdf", pdf()), now=NOW)
    assert metrics.c05(session, [yl01], START, END)[yl01] == (0.0, 8, 8)  # entrusted, agreement missing
    service.attach_document(session, manager, "agreement", "", Upload("协议.pdf", pdf()), now=NOW)
    assert metrics.c05(session, [yl01], START, END)[yl01] == (1.0, 8, 8)


def test_c03_hours_seen_and_adherence_to_the_declared_week(session, world):
    yl01 = world.stores["YL01"].id
    store, user = world.stores["YL01"], world.users["cashier-yl01"]
    start = datetime(2026, 11, 1, 16, tzinfo=timezone.utc)    # Mon 2026-11-02 00:00 local
    end = start + timedelta(days=7)
    monday_9am = datetime(2026, 11, 2, 1, tzinfo=timezone.utc)
    add_shift(session, store, user, monday_9am, hours=4)
    add_shift(session, store, world.users["manager-yl01"], monday_9am + timedelta(hours=2), hours=4)  # overlaps
    add_shift(session, store, user, monday_9am + timedelta(days=2), hours=3)  # Wednesday
    value, days, window = metrics.c03(session, [yl01], start, end)[yl01]
    assert (value, days, window) == (9.0, 2, 7)
    service.set_opening_hours(session, world.actor(session, "manager-yl01"),
                              {0: (time(9), time(17)), 1: (time(9), time(17)), 2: (time(9), time(17))}, now=NOW)
    assert metrics.c03_declared(session, [yl01], start, end)[yl01] == (2 / 3, 2, 3)


def test_c04_needs_two_people_a_manager_and_a_training(session, world):
    yl01 = world.stores["YL01"].id
    store = world.stores["YL01"]
    day1 = NOW - timedelta(days=5)
    add_shift(session, store, world.users["cashier-yl01"], day1)
    add_shift(session, store, world.users["manager-yl01"], day1 + timedelta(hours=1))
    add_shift(session, store, world.users["cashier-yl01"], day1 + timedelta(days=1))
    assert metrics.c04(session, [yl01], START, END)[yl01] == (0.0, 1, 2)  # no training yet
    service.record_training(session, world.actor(session, "manager-yl01"), service.TrainingInput(
        held_on=date(2026, 3, 1), topic="岗前培训", trainer="区慈善会",
        user_ids=(world.users["cashier-yl01"].id,)), now=NOW)
    assert metrics.c04(session, [yl01], START, END)[yl01] == (0.5, 1, 2)


def test_every_rule_answers_every_store(session, world):
    for rule, fn in metrics.RULE_METRICS.items():
        assert set(fn(session, None, START, END)) == {s.id for s in world.stores.values()}, rule
