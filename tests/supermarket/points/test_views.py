"""Staff pages for points: registration, look-up, the account page, shifts and approvals, adjustments, the table."""
import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from supermarket.models import utcnow
from supermarket.points.models import PointsCredit, PointsTable, Resident
from supermarket.clock import local_date

from .factories import give_points, make_resident, make_table

VALID_ID = "11010519491231002X"  # the GB 11643 example number


@pytest.fixture
def table(session, world):
    return make_table(session)


def register(client, **over):
    data = {"name": "刘德明", "phone": "13711112222", "community": "望月湖社区", "pin": "246810",
            "pin_confirm": "246810", "id_number": VALID_ID}
    data.update(over)
    return client.post("/points/residents/new", data=data)


def test_a_cashier_registers_a_resident_with_a_random_code_and_only_a_hash_of_the_id(login, session, table):
    client = login("cashier-yl01")
    r = register(client)
    assert r.status_code == 302
    resident = session.scalar(select(Resident))
    assert len(resident.member_code) == 12 and resident.member_code.isalnum()
    assert resident.id_last4 == "002X" and VALID_ID not in (resident.id_hmac or "")
    page = client.get(r.location).get_data(as_text=True)
    assert "刘德明" in page and "137****2222" in page and "13711112222" not in page and "****002X" in page
    again = register(client, name="别人")
    assert again.status_code == 409 and "该手机号已登记" in again.get_data(as_text=True)
    dup_id = register(client, phone="13711113333")
    assert dup_id.status_code == 409 and "该身份证号已登记" in dup_id.get_data(as_text=True)


@pytest.mark.parametrize("over, message", [
    ({"id_number": "110105194912310021"}, "身份证号码无效"),
    ({"pin_confirm": "111111"}, "两次输入的 PIN 不一致"),
    ({"pin": "12ab56", "pin_confirm": "12ab56"}, "PIN 须为 6 位数字"),
    ({"phone": "1234"}, "请输入 11 位手机号"),
])
def test_registration_errors_are_shown_in_chinese(login, session, table, over, message):
    r = register(login("manager-yl01"), **over)
    assert r.status_code == 422 and message in r.get_data(as_text=True)
    assert session.scalar(select(Resident)) is None


def test_lookup_by_member_code(login, session, table):
    resident = make_resident(session)
    client = login("cashier-fr01")
    r = client.get(f"/points/lookup?code={resident.member_code.lower()}")
    assert r.status_code == 302 and str(resident.id) in r.location
    missing = client.get("/points/lookup?code=NOSUCHCODE")
    assert missing.status_code == 404 and "找不到该会员码对应的居民" in missing.get_data(as_text=True)


def test_the_directory_is_for_managers_and_the_federation(login, session, table):
    make_resident(session, name="孙红梅", phone="13700000009")
    page = login("manager-fr01").get("/points/residents?q=孙").get_data(as_text=True)
    assert "孙红梅" in page and "137****0009" in page
    assert login("cashier-yl01").get("/points/residents").status_code == 403


def test_an_auditor_sees_a_masked_name(login, session, table):
    resident = make_resident(session, name="孙红梅")
    page = login("auditor-yl").get(f"/points/residents/{resident.id}").get_data(as_text=True)
    assert "孙*梅" in page and "孙红梅" not in page


def test_the_member_card_is_a_pdf(login, session, table):
    resident = make_resident(session)
    r = login("cashier-yl01").get(f"/points/residents/{resident.id}/card.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf" and r.data.startswith(b"%PDF-")


def test_a_shift_entered_on_the_form_is_approved_from_the_queue(login, session, table, world):
    resident = make_resident(session)
    start = (utcnow() + timedelta(hours=8) - timedelta(hours=6)).replace(tzinfo=None)  # Changsha wall clock
    cashier = login("cashier-yl01")
    r = cashier.post("/points/shifts/new", data={
        "member_code": resident.member_code, "activity": "community-service",
        "started_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ended_at": (start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"), "idempotency_key": str(uuid.uuid4())})
    assert r.status_code == 302, r.get_data(as_text=True)
    credit = session.scalar(select(PointsCredit))
    assert credit.points == 3 and credit.status == "pending"
    assert cashier.post(f"/points/credits/{credit.id}/approve").status_code == 403
    manager = login("manager-yl01")
    assert "待审核" in manager.get("/points/credits?status=pending").get_data(as_text=True)
    assert manager.post(f"/points/credits/{credit.id}/approve").status_code == 302
    session.expire_all()
    assert credit.status == "credited"


def test_a_back_dated_shift_is_refused_on_the_form(login, session, table):
    resident = make_resident(session)
    start = (utcnow() + timedelta(hours=8) - timedelta(days=12)).replace(tzinfo=None)
    r = login("cashier-yl01").post("/points/shifts/new", data={
        "member_code": resident.member_code, "activity": "community-service",
        "started_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ended_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"), "idempotency_key": str(uuid.uuid4())})
    assert r.status_code == 422 and "只能补录 7 天内的服务" in r.get_data(as_text=True)


def test_adjustments_above_the_threshold_ask_for_a_second_person(login, session, table):
    resident = make_resident(session)
    manager = login("manager-yl01")
    data = {"points": "80", "reason": "表彰", "idempotency_key": str(uuid.uuid4())}
    r = manager.post(f"/points/residents/{resident.id}/adjust", data=data)
    assert r.status_code == 403 and "需要第二人确认" in r.get_data(as_text=True)
    r = manager.post(f"/points/residents/{resident.id}/adjust",
                     data={**data, "approver_username": "admin", "approver_secret": "changsha2023"})
    assert r.status_code == 302
    session.expire_all()
    assert resident.balance == 80


def test_a_manager_reverses_an_entry_of_their_store_only(login, session, table, world):
    resident = make_resident(session)
    entry = give_points(session, resident, 10)
    # a store-less entry (the system's) is the federation's to reverse
    assert login("manager-yl01").post(f"/points/entries/{entry.id}/reverse", data={"reason": "x"}).status_code == 404
    r = login("admin").post(f"/points/entries/{entry.id}/reverse", data={"reason": "重复发放"})
    assert r.status_code == 302
    session.expire_all()
    assert resident.balance == 0


def test_the_federation_publishes_a_new_table_version_from_the_form(login, session, table):
    client = login("admin")
    form = client.get("/points/table/new").get_data(as_text=True)
    assert 'value="community-service"' in form
    tomorrow = local_date(utcnow()) + timedelta(days=1)
    data = {"effective_from": tomorrow.isoformat(), "point_value_fen": "100", "expiry_policy": "months",
            "expiry_months": "18", "max_hours_per_day": "6", "backdate_days": "5", "publication_days": "3",
            "adjust_approval_threshold": "40",
            "code_0": "community-service", "name_0": "社区服务", "kind_0": "hourly", "points_0": "1",
            "per_hours_0": "1", "max_hours_per_shift_0": "3",
            "code_1": "", "name_1": "", "kind_1": "hourly", "points_1": "", "per_hours_1": ""}
    r = client.post("/points/table/new", data=data)
    assert r.status_code == 302, r.get_data(as_text=True)
    new = session.scalar(select(PointsTable).where(PointsTable.version == 2))
    assert new.effective_from == tomorrow and new.publication_days == 3 and len(new.activities) == 1
    past = client.post("/points/table/new", data={**data, "effective_from": date(2024, 1, 1).isoformat()})
    assert past.status_code == 422 and "生效日期不能早于今天" in past.get_data(as_text=True)
    assert login("manager-yl01").get("/points/table/new").status_code == 403
    page = login("cashier-yl01").get("/points/table").get_data(as_text=True)
    assert "社区服务" in page and "不能兑换现金" in page


def test_the_public_notice_masks_names(client, session, world):
    from supermarket.auth.permissions import system_actor
    from supermarket.points import credits

    make_table(session, publication_days=3)
    resident = make_resident(session, name="钱多多")
    credits.post_credit(session, system_actor("p"), credits.Claim(resident.member_code, "recruit",
                                                                  utcnow() - timedelta(hours=1), points=2),
                        idempotency_key="n1", now=utcnow())
    page = client.get("/points/notice").get_data(as_text=True)
    assert "钱*多" in page and "钱多多" not in page


def test_the_overview_shows_figures_and_liability(login, session, table, world):
    resident = make_resident(session)
    give_points(session, resident, 30)
    page = login("admin").get("/points/overview").get_data(as_text=True)
    assert "¥30.00" in page and "积分负债" in page
    assert login("cashier-yl01").get("/points/overview").status_code == 403
    other = login("manager-yl01").get(f"/points/overview?store_id={world.stores['FR01'].id}")
    assert other.status_code == 404
