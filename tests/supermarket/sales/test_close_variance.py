"""Shift close (issue 17, item 6): a difference above the store's limit (default ¥10) needs a reason before the
manager countersigns; the manager sees the difference on the page before the PIN field."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from supermarket.auth.models import User
from supermarket.errors import InvalidInput
from supermarket.sales import settings, shifts
from supermarket.sales.inputs import ShiftClose

from .factories import NOW, manager_ok, open_shift, sell, stocked_item

LATER = NOW + timedelta(hours=8)


@pytest.fixture
def shift(session, world):
    shift = open_shift(session, world, float_fen=20000)
    sell(session, world, (stocked_item(session, world, qty=5, price_fen=550), 2))        # cash 1100
    return shift


def failed_logins(session, username="manager-yl01"):
    return session.scalar(select(User.failed_logins).where(User.username == username))


def test_a_difference_within_the_limit_needs_no_reason(session, world, shift):
    closed = shifts.close_shift(session, world.actor(session, "cashier-yl01"),
                                ShiftClose({"cash": 21100 + 1000}, manager_ok()), now=LATER)   # exactly ¥10 over
    assert closed.status == "closed"


def test_above_the_limit_a_reason_is_asked_before_the_approval(session, world, shift):
    actor = world.actor(session, "cashier-yl01")
    over = {"cash": 21100 + 4670}                                                       # ¥46.70 over
    with pytest.raises(InvalidInput) as e:
        shifts.close_shift(session, actor, ShiftClose(over, manager_ok()), now=LATER)
    assert e.value.message == "差异超过 ¥10.00，请填写差异原因" and "note" in e.value.extra["fields"]
    short = {"cash": 21100 - 1001}                                                       # ¥10.01 short
    with pytest.raises(InvalidInput):
        shifts.close_shift(session, actor, ShiftClose(short, manager_ok(), note=" "), now=LATER)
    closed = shifts.close_shift(session, actor, ShiftClose(over, manager_ok(), note="顾客多付未找零"), now=LATER)
    assert closed.status == "closed" and closed.note == "顾客多付未找零"


def test_the_store_sets_its_own_limit(session, world, shift):
    manager = world.actor(session, "manager-yl01")
    store_id = world.stores["YL01"].id
    settings.update_till_config(session, manager, store_id, accepted=["cash"], receipt_width_mm=58,
                                variance_limit_fen=100)
    assert settings.till_config(session, store_id).variance_limit_fen == 100
    with pytest.raises(InvalidInput) as e:
        settings.update_till_config(session, manager, store_id, accepted=["cash"], receipt_width_mm=58,
                                    variance_limit_fen=-1)
    assert "variance_limit" in e.value.extra["fields"]
    with pytest.raises(InvalidInput) as e:
        shifts.close_shift(session, world.actor(session, "cashier-yl01"),
                           ShiftClose({"cash": 21100 + 200}, manager_ok()), now=LATER)
    assert "¥1.00" in e.value.message


def test_the_page_shows_the_difference_and_the_reason_field_before_the_pin(session, world, shift, client, login):
    login("cashier-yl01")
    page = client.post("/sales/shift", data={"counted_cash": "257.70", "action": "preview"}).get_data(as_text=True)
    assert "¥46.70" in page and 'id="variance-reason"' in page
    assert page.index("¥46.70") < page.index('id="variance-reason"') < page.index("approver_secret")
    refused = client.post("/sales/shift", data={"counted_cash": "257.70", "note": "", "action": "confirm",
                                                "approver_username": "manager-yl01", "approver_secret": "2468"})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "请填写差异原因" in body
    assert re.search(r'id="variance-reason"[^>]*aria-invalid="true"', body)
    assert session.scalar(select(func.count()).select_from(shifts.Shift).where(shifts.Shift.status == "closed")) == 0
    done = client.post("/sales/shift", data={"counted_cash": "257.70", "note": "顾客多付未找零", "action": "confirm",
                                             "approver_username": "manager-yl01", "approver_secret": "2468"})
    assert done.status_code == 302
