"""Entitlements at their edges, as the federation or an auditor would notice them: the quarter of a month's
first day, rules that only touch at the exclusive end date, changing a rule, inactive categories, the labels a
household's status shows, and what the audit trail records."""
import json
import uuid
from datetime import date

import pytest
from sqlalchemy import select

from supermarket.aid import entitlements
from supermarket.aid.entitlements import (EntitlementStatus, entitlement_in_force, entitlement_status,
                                          period_key, period_label)
from supermarket.aid.errors import OverlappingEntitlement
from supermarket.aid.models import AidCategory, AidUsage
from supermarket.audit.models import AuditEvent
from supermarket.errors import Forbidden, InvalidInput, NotFound
from tests.factories import SYSTEM
from tests.supermarket.catalog.factories import make_category

from .factories import make_household, policy


def events(session, action):
    return [json.loads(e.summary) for e in session.scalars(
        select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq))]


@pytest.mark.parametrize("month, quarter", [(1, 1), (2, 1), (3, 1), (4, 2), (5, 2), (6, 2), (7, 3), (8, 3),
                                            (9, 3), (10, 4), (11, 4), (12, 4)])
def test_every_month_falls_in_its_quarter(app, month, quarter):
    day = date(2026, month, 1)
    assert period_key("quarter", day) == f"Q2026-{quarter}"
    assert period_label("quarter", day) == f"2026年第{quarter}季度"


def test_period_keys_and_labels_name_the_month_and_year(app):
    assert period_key("month", date(2026, 3, 31)) == "M2026-03"
    assert period_label("month", date(2026, 3, 31)) == "2026年3月"
    assert period_key("year", date(2026, 12, 31)) == "Y2026"
    assert period_label("year", date(2026, 12, 31)) == "2026年"
    assert [str(entitlements.PERIOD_LABELS[p]) for p in ("month", "quarter", "year")] == ["每月", "每季度", "每年"]


def test_rules_that_only_touch_at_the_end_date_do_not_overlap(session, world):
    first = policy(session, effective_from=date(2026, 1, 1), effective_to=date(2026, 4, 1))
    later = policy(session, effective_from=date(2026, 4, 1), effective_to=date(2026, 7, 1))
    earlier = policy(session, effective_from=date(2025, 10, 1), effective_to=date(2026, 1, 1))
    assert entitlement_in_force(session, "dibao", date(2025, 12, 31)).id == earlier.id
    assert entitlement_in_force(session, "dibao", date(2026, 1, 1)).id == first.id
    assert entitlement_in_force(session, "dibao", date(2026, 3, 31)).id == first.id
    assert entitlement_in_force(session, "dibao", date(2026, 4, 1)).id == later.id
    assert entitlement_in_force(session, "dibao", date(2026, 7, 1)) is None
    assert entitlement_in_force(session, "dibao", date(2025, 9, 30)) is None
    # One day more on either side overlaps.
    with pytest.raises(OverlappingEntitlement) as e:
        policy(session, effective_from=date(2026, 6, 30))
    assert e.value.message == "该类别在 2026-04-01 起已有发放标准，日期不能重叠"
    with pytest.raises(OverlappingEntitlement):
        policy(session, effective_from=date(2025, 6, 1), effective_to=date(2025, 10, 2))
    open_ended = policy(session, effective_from=date(2026, 7, 1))
    assert entitlement_in_force(session, "dibao", date(2040, 1, 1)).id == open_ended.id
    with pytest.raises(OverlappingEntitlement):
        policy(session, effective_from=date(2050, 1, 1))
    # Another category's dates are its own.
    policy(session, "tekun", effective_from=date(2026, 1, 1))


def test_a_rule_needs_a_cap_a_known_period_and_dates_in_order_each_beside_its_field(session, world):
    entitlements.ensure_default_categories(session)
    base = dict(category_code="dibao", period="month", value_cap_fen=100, item_cap=None,
                effective_from=date(2026, 1, 1), effective_to=None)
    cases = [({"value_cap_fen": None}, "请至少设置金额上限或件数上限之一", {"value_cap_fen": ["请设置上限"]}),
             ({"period": "week"}, "输入有误", {"period": ["周期无效"]}),
             ({"category_code": "nope"}, "救助类别不存在", {"category_code": ["救助类别不存在"]}),
             ({"category_code": ""}, "救助类别不存在", {"category_code": ["救助类别不存在"]}),
             ({"effective_to": date(2026, 1, 1)}, "结束日期必须晚于开始日期",
              {"effective_to": ["结束日期必须晚于开始日期"]}),
             ({"goods_category_ids": [uuid.UUID(int=1)]}, "物品类别不存在", {"goods_category_ids": ["物品类别不存在"]})]
    for change, message, fields in cases:
        with pytest.raises(InvalidInput) as e:
            entitlements.create_entitlement(session, SYSTEM, **(base | change))
        assert (e.value.message, e.value.extra) == (message, {"fields": fields}), change
    # Either cap alone is enough; an end one day after the start is in order.
    entitlements.create_entitlement(session, SYSTEM, **(base | {"value_cap_fen": None, "item_cap": 3,
                                                                 "effective_to": date(2026, 1, 2)}))
    entitlements.create_entitlement(session, SYSTEM, **(base | {"category_code": "tekun"}))


def test_creating_a_rule_is_audited_with_its_values(session, world):
    goods = make_category(session, "RICE", "粮油")
    row = policy(session, value_cap_fen=8000, item_cap=5, period="quarter", goods=[goods],
                 effective_from=date(2026, 1, 1), effective_to=date(2027, 1, 1))
    assert [c.code for c in row.goods_categories] == ["RICE"] and row.note == ""
    [summary] = events(session, "aid.entitlement_created")
    assert summary == {"category_code": "dibao", "period": "quarter", "value_cap_fen": 8000, "item_cap": 5,
                       "effective_from": "2026-01-01", "effective_to": "2027-01-01", "note": "", "goods": ["RICE"]}


def test_a_rule_is_changed_by_the_federation_and_the_audit_shows_before_and_after(session, world):
    goods = make_category(session, "RICE", "粮油")
    row = policy(session, value_cap_fen=8000, effective_from=date(2026, 1, 1))
    changed = entitlements.update_entitlement(
        session, SYSTEM, row.id, category_code="dibao", period="year", value_cap_fen=None, item_cap=12,
        goods_category_ids=[goods.id], effective_from=date(2026, 1, 1), effective_to=date(2026, 7, 1),
        note="年中调整")
    assert changed.id == row.id
    assert (changed.period, changed.value_cap_fen, changed.item_cap, changed.effective_to, changed.note) == (
        "year", None, 12, date(2026, 7, 1), "年中调整")
    assert [c.code for c in changed.goods_categories] == ["RICE"]
    [summary] = events(session, "aid.entitlement_updated")
    assert summary["before"] == {"category_code": "dibao", "period": "month", "value_cap_fen": 8000,
                                 "item_cap": None, "effective_from": "2026-01-01", "effective_to": None,
                                 "note": "", "goods": []}
    assert summary["after"] == {"category_code": "dibao", "period": "year", "value_cap_fen": None, "item_cap": 12,
                                "effective_from": "2026-01-01", "effective_to": "2026-07-01", "note": "年中调整",
                                "goods": ["RICE"]}
    # Its own old dates do not count as an overlap; another rule's do.
    successor = policy(session, value_cap_fen=9000, effective_from=date(2026, 7, 1))
    again = entitlements.update_entitlement(
        session, SYSTEM, row.id, category_code="dibao", period="year", value_cap_fen=None, item_cap=12,
        effective_from=date(2026, 2, 1), effective_to=date(2026, 7, 1), note=None)
    assert again.note == "" and again.goods_categories == []
    with pytest.raises(OverlappingEntitlement):
        entitlements.update_entitlement(session, SYSTEM, row.id, category_code="dibao", period="year",
                                        value_cap_fen=None, item_cap=12, effective_from=date(2026, 2, 1))
    assert entitlements.get_entitlement(session, successor.id).value_cap_fen == 9000


def test_only_the_federation_changes_a_rule_and_an_unknown_rule_is_not_found(session, world):
    row = policy(session, effective_from=date(2026, 1, 1))
    with pytest.raises(Forbidden) as e:
        entitlements.update_entitlement(session, world.actor(session, "manager-yl01"), row.id,
                                        category_code="dibao", period="month", value_cap_fen=1,
                                        effective_from=date(2026, 1, 1))
    assert e.value.message == "只有市慈善总会可以设置发放标准"
    assert entitlements.get_entitlement(session, row.id).value_cap_fen == 10000
    for missing in (None, "", uuid.UUID(int=0)):
        with pytest.raises(NotFound):
            entitlements.get_entitlement(session, missing)
    with pytest.raises(NotFound):
        entitlements.update_entitlement(session, SYSTEM, uuid.UUID(int=0), category_code="dibao",
                                        period="month", value_cap_fen=1, effective_from=date(2026, 1, 1))


def test_rules_are_listed_by_category_order_then_start(session, world):
    b = policy(session, "tekun", effective_from=date(2026, 1, 1))
    a2 = policy(session, effective_from=date(2026, 6, 1))
    a1 = policy(session, effective_from=date(2026, 1, 1), effective_to=date(2026, 6, 1))
    assert [r.id for r in entitlements.list_entitlements(session)] == [a1.id, a2.id, b.id]


def test_inactive_categories_are_left_out_when_asked_and_kept_in_order(session, world):
    entitlements.ensure_default_categories(session)
    entitlements.save_category(session, SYSTEM, code="tekun", name="特困", review_months=12, active=False)
    active = [c.code for c in entitlements.list_categories(session, include_inactive=False)]
    assert active == ["dibao", "dibao_edge", "disabled", "elderly_alone", "children", "temporary"]
    assert [c.code for c in entitlements.list_categories(session)][:3] == ["dibao", "tekun", "dibao_edge"]
    new = entitlements.save_category(session, SYSTEM, code="veteran", name="困难退役军人", review_months=6)
    assert (new.position, new.active) == (7, True)
    assert [json.loads(e.summary) for e in session.scalars(
        select(AuditEvent).where(AuditEvent.action == "aid.category_saved").order_by(AuditEvent.seq))] == [
        {"before": {"name": "特困", "review_months": 12, "active": True}, "name": "特困", "review_months": 12,
         "active": False},
        {"before": None, "name": "困难退役军人", "review_months": 6, "active": True}]
    with pytest.raises(Forbidden) as e:
        entitlements.save_category(session, world.actor(session, "manager-yl01"), code="x", name="x",
                                   review_months=1)
    assert e.value.message == "只有市慈善总会可以设置救助类别"
    assert entitlements.get_category(session, "veteran").name == "困难退役军人"


def test_default_categories_are_added_once(session, world):
    entitlements.ensure_default_categories(session)
    entitlements.ensure_default_categories(session)
    rows = session.scalars(select(AidCategory).order_by(AidCategory.position)).all()
    assert [(c.code, c.review_months, c.position) for c in rows] == [
        ("dibao", 12, 0), ("tekun", 12, 1), ("dibao_edge", 12, 2), ("disabled", 12, 3), ("elderly_alone", 12, 4),
        ("children", 12, 5), ("temporary", 3, 6)]
    assert entitlements.can_edit_policy(SYSTEM) and not entitlements.can_edit_policy(
        world.actor(session, "manager-yl01"))


def test_a_households_status_counts_its_period_and_never_goes_below_zero(session, world):
    goods = make_category(session, "RICE", "粮油")
    policy(session, value_cap_fen=5000, item_cap=4, period="quarter", goods=[goods],
           effective_from=date(2026, 1, 1))
    household = make_household(session, world.stores["YL01"])
    status = entitlement_status(session, household, date(2026, 4, 1))
    assert (status.period_key, status.period_label, status.used_value_fen, status.used_items) == (
        "Q2026-2", "2026年第2季度", 0, 0)
    assert (status.remaining_value_fen, status.remaining_items, status.goods_names) == (5000, 4, ["粮油"])
    session.add(AidUsage(household_id=household.id, period_key="Q2026-2", value_fen=5000, items=5))
    session.commit()
    status = entitlement_status(session, household, date(2026, 6, 30))
    assert (status.used_value_fen, status.used_items, status.remaining_value_fen, status.remaining_items) == (
        5000, 5, 0, 0)
    assert entitlement_status(session, household, date(2026, 7, 1)).used_value_fen == 0
    session.add(AidUsage(household_id=household.id, period_key="Q2026-3", value_fen=4999, items=3))
    session.commit()
    status = entitlement_status(session, household, date(2026, 7, 1))
    assert (status.remaining_value_fen, status.remaining_items) == (1, 1)


def test_without_a_rule_the_status_has_no_caps_and_counts_by_month(session, world):
    household = make_household(session, world.stores["YL01"], category="tekun")
    status = entitlement_status(session, household, date(2026, 4, 1))
    assert (status.entitlement, status.period_key, status.period_label) == (None, "M2026-04", "2026年4月")
    assert (status.value_cap_fen, status.item_cap, status.remaining_value_fen, status.remaining_items,
            status.goods_names) == (None, None, None, None, [])
    only_items = EntitlementStatus(type("R", (), {"value_cap_fen": None, "item_cap": 2, "goods_categories": []})(),
                                   "M2026-04", "", 0, 3)
    assert (only_items.remaining_value_fen, only_items.remaining_items) == (None, 0)


def test_a_rules_note_is_kept_and_a_category_change_names_the_category(session, world):
    entitlements.ensure_default_categories(session)
    row = entitlements.create_entitlement(session, SYSTEM, category_code="dibao", period="month", value_cap_fen=100,
                                          item_cap=None, effective_from=date(2026, 1, 1), effective_to=None,
                                          note="春节加发一次")
    assert row.note == "春节加发一次"
    entitlements.save_category(session, SYSTEM, code="tekun", name="特困人员", review_months=12)
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "aid.category_saved")).one()
    assert (event.subject_type, event.subject_id) == ("aid_categories", "tekun")
