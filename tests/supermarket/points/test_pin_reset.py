"""A resident's PIN is reset only with the resident present (their ID number) and a store manager's approval,
rate-limited per resident and per staff member, shown on the resident's own page and recorded for the anomaly
board (audit `points.pin_reset` with the store and the resident)."""
from datetime import timedelta

import pytest
from sqlalchemy import select
from werkzeug.security import check_password_hash

from supermarket.audit.models import AuditEvent
from supermarket.auth.errors import ApprovalFailed
from supermarket.auth.service import Approval
from supermarket.errors import Forbidden, InvalidInput
from supermarket.models import utcnow
from supermarket.points import pin_reset
from supermarket.points.errors import IdentityNotConfirmed, PinResetLimited
from tests.supermarket.aid.factories import valid_id

from .factories import PII_KEY, PIN, make_resident, make_table

MANAGER_OK = Approval("manager-yl01", "2468")


@pytest.fixture
def person(session, world):
    make_table(session)
    number = valid_id()
    resident = make_resident(session, name="吴晓燕", phone="13800000009", id_number=number)
    return resident, number


def reset(session, world, resident, *, who="cashier-yl01", proof=None, approval=MANAGER_OK, pin="654321",
          now=None):
    return pin_reset.reset_pin(session, world.actor(session, who), resident.id, pin, id_proof=proof or "",
                               approval=approval, pii_key=PII_KEY, now=now or utcnow())


def pin_is(session, resident, pin) -> bool:
    session.refresh(resident)
    return check_password_hash(resident.pin_hash, pin)


def test_the_cashier_alone_cannot_reset_a_pin_over_the_web(login, session, person):
    """The issue's reproduction: any cashier could POST a new PIN for any resident and then spend the points."""
    resident, _number = person
    client = login("cashier-fr01")
    r = client.post(f"/points/residents/{resident.id}/pin", data={"pin": "654321", "pin_confirm": "654321"})
    assert r.status_code in (403, 422) and pin_is(session, resident, PIN) and not pin_is(session, resident, "654321")
    page = r.get_data(as_text=True)
    assert 'aria-invalid="true"' in page


def test_a_reset_needs_the_id_proof_and_a_managers_approval(session, world, person):
    resident, number = person
    with pytest.raises(IdentityNotConfirmed) as e:
        reset(session, world, resident, proof="")
    assert "id_proof" in e.value.extra["fields"]
    with pytest.raises(IdentityNotConfirmed):
        reset(session, world, resident, proof="0000")
    with pytest.raises(InvalidInput):
        reset(session, world, resident, proof=number[-4:], approval=None)
    with pytest.raises(ApprovalFailed):  # a cashier is not a manager
        reset(session, world, resident, proof=number[-4:], approval=Approval("cashier-yl02", "changsha2023"))
    with pytest.raises(ApprovalFailed):  # another store's manager
        reset(session, world, resident, proof=number[-4:], approval=Approval("manager-fr01", "2468"))
    assert pin_is(session, resident, PIN)
    reset(session, world, resident, proof=number[-4:])
    assert pin_is(session, resident, "654321")


def test_the_full_id_number_is_checked_against_the_keyed_hash(session, world, person):
    resident, number = person
    with pytest.raises(IdentityNotConfirmed):
        reset(session, world, resident, proof=valid_id())
    reset(session, world, resident, proof=number.lower())
    assert pin_is(session, resident, "654321")


def test_staff_outside_a_store_cannot_reset(session, world, person):
    resident, number = person
    with pytest.raises(Forbidden):
        reset(session, world, resident, who="admin", proof=number[-4:])


def test_resets_are_rate_limited_per_resident(session, world, person):
    resident, number = person
    now = utcnow()
    for _ in range(3):  # wrong proofs count: they are guesses at the ID number
        with pytest.raises(IdentityNotConfirmed):
            reset(session, world, resident, proof="1111", now=now)
    with pytest.raises(PinResetLimited):
        reset(session, world, resident, proof=number[-4:], now=now)
    assert pin_is(session, resident, PIN)
    reset(session, world, resident, proof=number[-4:], now=now + timedelta(days=1, minutes=1))
    assert pin_is(session, resident, "654321")


def test_resets_are_rate_limited_per_staff_member(app, session, world):
    make_table(session)
    app.config["PIN_RESET_MAX_PER_STAFF"] = 2
    try:
        now = utcnow()
        people = [make_resident(session, id_number=valid_id()) for _ in range(3)]
        for p in people[:2]:
            reset(session, world, p, proof=p.id_last4, now=now)
        with pytest.raises(PinResetLimited):
            reset(session, world, people[2], proof=people[2].id_last4, now=now)
        reset(session, world, people[2], who="cashier-yl02", approval=Approval("manager-yl02", "2468"),
              proof=people[2].id_last4, now=now)
    finally:
        app.config.pop("PIN_RESET_MAX_PER_STAFF")


def test_a_reset_is_an_audit_event_of_the_store_and_shows_on_the_residents_page(client, session, world, person):
    resident, number = person
    reset(session, world, resident, proof=number[-4:])
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "points.pin_reset"))
    assert event.store_id == world.stores["YL01"].id and event.subject_id == str(resident.id)
    assert client.post("/me/login", data={"phone": "13800000009", "pin": "654321"}).status_code == 302
    page = client.get("/me").get_data(as_text=True)
    store = world.stores["YL01"].name
    assert "PIN 于 " in page and f"在 {store} 门店重置" in page


def test_the_web_form_resets_with_proof_and_approval(login, session, world, person):
    resident, number = person
    client = login("cashier-yl01")
    form = {"pin": "654321", "pin_confirm": "654321", "id_proof": number[-4:],
            "approver_username": "manager-yl01", "approver_secret": "2468"}
    bad = client.post(f"/points/residents/{resident.id}/pin", data={**form, "id_proof": "9999"})
    assert bad.status_code == 403 and "与登记的不符" in bad.get_data(as_text=True)
    assert "9999" not in bad.get_data(as_text=True) and pin_is(session, resident, PIN)
    ok = client.post(f"/points/residents/{resident.id}/pin", data=form)
    assert ok.status_code == 302 and pin_is(session, resident, "654321")
