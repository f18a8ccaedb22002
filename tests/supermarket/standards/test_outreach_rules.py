"""The outreach and projects records in the central check, through the services: each rule goes from "无记录"
(D) to graded by the record that counts, each of the four functions from inactive to active, and the exception
rows point at the records. The store is YL02 (no other records); the window is 2026-08-30 … 2026-11-27."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from flask import current_app, url_for

from supermarket.outreach import service as outreach
from supermarket.outreach.files import Upload
from supermarket.projects import service as projects
from supermarket.standards import service
from tests.supermarket.outreach.helpers import add_shift, png
from tests.supermarket.projects.factories import open_project, register

AS_OF = date(2026, 11, 27)
NOW = datetime(2026, 11, 20, 4, 0, tzinfo=timezone.utc)  # 12:00 in Changsha, inside the window


def card(session, world):
    scored = service.check(session, world.actor(session, "admin"), store_code="YL02", as_of=AS_OF)[0]
    return {r.id: (r.grade, r.value) for r in scored.rules}, scored.functions


def exceptions(session, world, rule):
    rows = service.rule_exceptions(session, world.actor(session, "auditor-yl"), "YL02", rule, as_of=AS_OF)
    with current_app.test_request_context():
        for r in rows:  # every row links to a page that exists
            assert url_for(r.endpoint, **r.url_kwargs)
    return rows


def event(session, world, day, *, photo=True):
    outreach.record_event(session, world.actor(session, "cashier-yl02"), outreach.EventInput(
        held_on=day, kind="community", title="慈善宣传", photos=(Upload("p.png", png()),) if photo else ()),
        now=NOW)


def test_publicity_active_by_an_event_and_o01_graded_by_months_with_photos(session, world):
    rules, functions = card(session, world)
    assert rules["O-01"] == ("D", None) and functions["publicity"] is False
    event(session, world, date(2026, 11, 2), photo=False)
    rules, functions = card(session, world)
    assert functions["publicity"] is True          # §7.2: any event
    assert rules["O-01"] == ("D", None)            # O-01 needs the photo
    event(session, world, date(2026, 11, 3))
    assert card(session, world)[0]["O-01"] == ("C", 1.0)
    event(session, world, date(2026, 9, 12))
    event(session, world, date(2026, 10, 12))
    assert card(session, world)[0]["O-01"] == ("A", 3.0)
    rows = exceptions(session, world, "O-01")
    assert [(r.detail, r.endpoint) for r in rows] == [("2026-08 无带照片的宣传活动", "outreach.events")]


def test_convenience_active_by_a_logged_service_and_o04_graded_by_types(session, world):
    manager, cashier = world.actor(session, "manager-yl02"), world.actor(session, "cashier-yl02")
    rules, functions = card(session, world)
    assert rules["O-04"] == ("D", None) and functions["convenience"] is False
    repair = outreach.add_service_type(session, manager, "小家电维修", now=NOW)
    advice = outreach.add_service_type(session, manager, "政策咨询", now=NOW)
    outreach.log_service(session, cashier, repair.id, now=NOW)
    rules, functions = card(session, world)
    assert rules["O-04"] == ("B", 1.0) and functions["convenience"] is True
    outreach.log_service(session, cashier, advice.id, now=NOW)
    assert card(session, world)[0]["O-04"] == ("A", 2.0)


def test_o05_an_overdue_complaint_is_d_and_points_at_the_complaint(session, world):
    cashier, manager = world.actor(session, "cashier-yl02"), world.actor(session, "manager-yl02")
    assert card(session, world)[0]["O-05"] == ("A", 1.0)  # nothing due: nothing wrong
    late = outreach.record_complaint(session, cashier, channel="phone", category="goods", text="找零有误",
                                     now=NOW - timedelta(days=30))
    assert card(session, world)[0]["O-05"] == ("D", 0.0)
    rows = exceptions(session, world, "O-05")
    assert [(r.endpoint, r.url_kwargs, r.detail) for r in rows] == [
        ("outreach.complaints.complaint", {"complaint_id": late.id}, "超过15日未答复")]
    quick = outreach.record_complaint(session, cashier, channel="phone", category="goods", text="b",
                                      now=NOW - timedelta(days=20))
    outreach.answer_complaint(session, manager, quick.id, "已处理", now=NOW - timedelta(days=19))
    assert card(session, world)[0]["O-05"] == ("D", 0.5)    # 1 of 2 in time: < C 0.8
    outreach.answer_complaint(session, manager, late.id, "已退款", now=NOW - timedelta(days=29))
    assert card(session, world)[0]["O-05"] == ("A", 1.0)
    assert exceptions(session, world, "O-05") == []


def test_projects_active_by_an_update_and_o02_graded_by_monthly_updates(session, world):
    rules, functions = card(session, world)
    assert rules["O-02"] == ("D", None) and functions["projects"] is False
    project = open_project(session, world, "YL02", now=NOW - timedelta(days=85))  # runs from 2026-09-01
    rules, functions = card(session, world)
    assert rules["O-02"] == ("D", 0.0) and functions["projects"] is False  # Sep and Oct without an update
    rows = exceptions(session, world, "O-02")
    assert [(r.detail, r.endpoint, r.url_kwargs) for r in rows] == [
        ("2026-09 无月度进展", "projects.project", {"project_id": project.id}),
        ("2026-10 无月度进展", "projects.project", {"project_id": project.id})]
    cashier = world.actor(session, "cashier-yl02")
    for day in (datetime(2026, 9, 20, 4, tzinfo=timezone.utc), datetime(2026, 10, 20, 4, tzinfo=timezone.utc)):
        projects.post_update(session, cashier, project.id, text="本月进展", now=day)
    rules, functions = card(session, world)
    assert rules["O-02"] == ("A", 1.0) and functions["projects"] is True
    assert exceptions(session, world, "O-02") == []


def test_livestream_active_by_a_session_and_o03_graded_by_timely_publication(session, world):
    rules, functions = card(session, world)
    assert rules["O-03"] == ("D", None) and functions["livestream"] is False
    booked = NOW - timedelta(days=50)
    project = open_project(session, world, "YL02", now=booked)
    live = register(session, world, project, code="YL02", now=booked)  # ends 2026-10-01, due by 10-16
    rules, functions = card(session, world)
    assert functions["livestream"] is True and rules["O-03"] == ("D", 0.0)
    rows = exceptions(session, world, "O-03")
    assert [(r.endpoint, r.url_kwargs, r.detail) for r in rows] == [
        ("projects.livestream", {"session_id": live.id}, "未对账；未结束；未公布结果")]
    cashier, manager = world.actor(session, "cashier-yl02"), world.actor(session, "manager-yl02")
    projects.record_totals(session, cashier, live.id, platform_total_fen=0, received_fen=0, now=live.ends_at)
    projects.close_session(session, manager, live.id, explanation="", now=live.ends_at + timedelta(hours=2))
    projects.record_publication(session, manager, live.id, where="公告栏", now=live.ends_at + timedelta(days=3))
    assert card(session, world)[0]["O-03"] == ("A", 1.0)
    assert exceptions(session, world, "O-03") == []


def test_c03_and_c04_from_the_shifts_the_manager_and_a_training(session, world):
    store = world.stores["YL02"]
    rules, _functions = card(session, world)
    assert rules["C-03"] == ("D", None) and rules["C-04"] == ("D", None)
    # 12 weeks: Monday to Friday, 9:00–15:00 local (6 h a day, 30 h a week); a second person every day.
    monday = datetime(2026, 8, 31, 1, tzinfo=timezone.utc)
    for week in range(12):
        for d in range(5):
            at = monday + timedelta(weeks=week, days=d)
            add_shift(session, store, world.users["cashier-yl02"], at, hours=6)
            add_shift(session, store, world.users["manager-yl02"], at + timedelta(hours=1), hours=2)
    rules, _functions = card(session, world)
    # 60 days × 6 h over 90/7 weeks = 28 h/week (B: ≥ 15 h), 60 / (90/7) = 4.67 days a week (B: ≥ 3)
    assert rules["C-03"] == ("B", 28.0)
    assert rules["C-04"] == ("D", 0.0)  # two people every day, but no training on record
    outreach.record_training(session, world.actor(session, "manager-yl02"), outreach.TrainingInput(
        held_on=date(2026, 6, 1), topic="岗前培训", trainer="区慈善会", user_ids=(world.users["cashier-yl02"].id,)),
        now=NOW)
    assert card(session, world)[0]["C-04"] == ("A", 1.0)


class Counter:
    n = 0

    def hit(self, *args, **kw):
        self.n += 1


def test_the_outreach_rules_cost_the_same_statements_for_one_store_and_for_all(session, world):
    from sqlalchemy import event as sa_event

    from supermarket.standards import standard

    event(session, world, date(2026, 11, 3))
    for code in ("YL01", "YL02"):
        open_project(session, world, code, now=NOW - timedelta(days=85))
    doc = standard.in_force(session, AS_OF)
    admin = world.actor(session, "admin")
    counts = []
    for store_id in (world.stores["YL02"].id, None):
        scope = service._scope(admin, store_id=store_id)
        stores = service._stores(session, scope)
        statements = Counter()
        bind = session.get_bind()
        sa_event.listen(bind, "before_cursor_execute", statements.hit)
        try:
            service._compute(session, doc, scope, stores, AS_OF)
        finally:
            sa_event.remove(bind, "before_cursor_execute", statements.hit)
        counts.append((len(stores), statements.n))
    assert counts[0][0] == 1 and counts[1][0] == 3
    assert counts[0][1] == counts[1][1] > 0, counts
