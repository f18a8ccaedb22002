"""Entitlements: edited by the federation, one rule per category and day, period keys."""
from datetime import date

import pytest

from supermarket.aid import entitlements
from supermarket.aid.entitlements import entitlement_in_force, period_key
from supermarket.aid.errors import OverlappingEntitlement
from supermarket.errors import Forbidden, InvalidInput
from tests.factories import SYSTEM

from .factories import policy


def test_only_the_federation_edits_entitlements(session, world):
    entitlements.ensure_default_categories(session)
    with pytest.raises(Forbidden):
        entitlements.create_entitlement(session, world.actor(session, "manager-yl01"), category_code="dibao",
                                        period="month", value_cap_fen=100, item_cap=None,
                                        effective_from=date(2026, 1, 1))


def test_rules_of_a_category_may_not_overlap(session, world):
    first = policy(session, effective_from=date(2026, 1, 1), effective_to=date(2026, 7, 1))
    with pytest.raises(OverlappingEntitlement):
        policy(session, effective_from=date(2026, 6, 1))
    second = policy(session, value_cap_fen=12000, effective_from=date(2026, 7, 1))
    assert entitlement_in_force(session, "dibao", date(2026, 6, 30)).id == first.id
    assert entitlement_in_force(session, "dibao", date(2026, 7, 1)).id == second.id
    assert entitlement_in_force(session, "tekun", date(2026, 7, 1)) is None


@pytest.mark.parametrize("values", [{"value_cap_fen": None, "item_cap": None}, {"period": "week"},
                                    {"category_code": "nope"},
                                    {"effective_from": date(2026, 2, 1), "effective_to": date(2026, 1, 1)}])
def test_bad_rules_are_refused(session, world, values):
    entitlements.ensure_default_categories(session)
    data = dict(category_code="dibao", period="month", value_cap_fen=100, item_cap=None,
                effective_from=date(2026, 1, 1), effective_to=None) | values
    with pytest.raises(InvalidInput):
        entitlements.create_entitlement(session, SYSTEM, **data)


def test_period_keys():
    assert period_key("month", date(2026, 11, 30)) == "M2026-11"
    assert period_key("quarter", date(2026, 11, 30)) == "Q2026-4"
    assert period_key("year", date(2026, 1, 1)) == "Y2026"


def test_categories_are_data(session, world):
    entitlements.ensure_default_categories(session)
    names = [c.name for c in entitlements.list_categories(session)]
    assert names == ["低保", "特困", "低保边缘", "残疾", "孤寡老人", "困境儿童", "临时救助"]
    entitlements.save_category(session, SYSTEM, code="veteran", name="困难退役军人", review_months=6)
    entitlements.save_category(session, SYSTEM, code="children", name="困境儿童", review_months=6, active=False)
    assert [c.code for c in entitlements.list_categories(session, include_inactive=False)][-1] == "veteran"
