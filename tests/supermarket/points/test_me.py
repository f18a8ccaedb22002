"""The residents' own phone pages: phone + PIN login (rate-limited), balance, expiring points, QR, history."""
from datetime import timedelta

import pytest

from supermarket.models import utcnow
from supermarket.auth.service import Approval
from supermarket.points import pin_reset, residents

from .factories import PII_KEY, give_points, make_resident, make_table


@pytest.fixture
def resident(session, world):
    make_table(session)
    person = make_resident(session, name="吴晓燕", phone="13800000001")
    give_points(session, person, 25, expires_at=utcnow() + timedelta(days=10))
    give_points(session, person, 5)
    return person


def log_in(client, phone="13800000001", pin="123456"):
    return client.post("/me/login", data={"phone": phone, "pin": pin})


def test_a_resident_logs_in_and_sees_balance_expiring_points_qr_and_history(client, resident):
    r = log_in(client)
    assert r.status_code == 302 and r.location.endswith("/me")
    page = client.get("/me").get_data(as_text=True)
    assert 'id="me-balance">30<' in page and "25 积分将于" in page
    assert "<svg" in page and resident.member_code in page and "吴晓燕" in page
    assert client.post("/me/logout").status_code == 302
    assert client.get("/me").status_code == 302


def test_staff_are_not_residents(login, resident):
    client = login("cashier-yl01")
    r = client.get("/me")
    assert r.status_code == 302 and r.location.endswith("/me/login")


def test_wrong_pins_lock_the_phone_login(client, session, resident):
    for _ in range(4):
        r = log_in(client, pin="000000")
        assert r.status_code == 401 and "手机号或 PIN 错误" in r.get_data(as_text=True)
    r = log_in(client, pin="000000")
    assert "PIN 错误次数过多" in r.get_data(as_text=True)
    r = log_in(client)  # the right PIN while locked
    assert r.status_code == 401 and "PIN 错误次数过多" in r.get_data(as_text=True)


def test_unknown_phones_are_rate_limited_and_reveal_nothing(client, resident):
    for _ in range(5):
        r = log_in(client, phone="13999999999")
        assert r.status_code == 401
    assert "PIN 错误次数过多" in log_in(client, phone="13999999999").get_data(as_text=True)
    assert log_in(client).status_code == 302  # another phone is not affected


def test_a_pin_reset_or_suspension_ends_the_phone_session(client, session, resident, world):
    log_in(client)
    assert client.get("/me").status_code == 200
    pin_reset.reset_pin(session, world.actor(session, "cashier-yl01"), resident.id, "654321", id_proof="",
                        approval=Approval("manager-yl01", "2468"), pii_key=PII_KEY, now=utcnow())
    assert client.get("/me").status_code == 302
    log_in(client, pin="654321")
    assert client.get("/me").status_code == 200
    residents.set_status(session, world.actor(session, "manager-yl01"), resident.id, "suspended",
                         reason="本人申请", now=utcnow())
    assert client.get("/me").status_code == 302
    r = log_in(client, pin="654321")
    assert r.status_code == 401 and "已停用" in r.get_data(as_text=True)


def test_a_forged_session_value_is_ignored(client, resident):
    with client.session_transaction() as s:
        s["resident"] = f"{resident.id}:999"
    assert client.get("/me").status_code == 302
    with client.session_transaction() as s:
        s["resident"] = "garbage"
    assert client.get("/me").status_code == 302
