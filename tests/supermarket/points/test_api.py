"""The points API: the volunteer platform's credit endpoint and the till's resident look-up."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from supermarket.models import utcnow
from supermarket.points.models import PointsCredit, PointsEntry

from .factories import give_points, make_resident, make_table


@pytest.fixture
def resident(session, world):
    make_table(session)
    return make_resident(session, name="周小芳", phone="13912345678")


@pytest.fixture
def platform(api_token):
    return api_token("volunteer-platform")


def credit(**over):
    body = {"idempotency_key": "vp-1001", "member_code": None, "activity": "community-service", "hours": 2,
            "occurred_at": (utcnow() - timedelta(hours=5)).isoformat()}
    body.update(over)
    return {k: v for k, v in body.items() if v is not None or k != "hours"}


def entries(session):
    return session.scalar(select(func.count()).select_from(PointsEntry))


def test_the_platform_credits_hours_and_a_replay_returns_the_first_result(client, session, resident, platform):
    body = credit(member_code=resident.member_code)
    first = client.post("/api/v1/points/credits", json=body, headers=platform)
    assert first.status_code == 201, first.get_json()
    data = first.get_json()
    assert data["points"] == 2 and data["status"] == "credited" and data["member_code"] == resident.member_code
    for _ in range(4):
        again = client.post("/api/v1/points/credits", json=body, headers=platform)
        assert again.status_code == 200 and again.get_json() == data
        assert again.headers["Idempotent-Replay"] == "true"
    other = client.post("/api/v1/points/credits", json={**body, "hours": 3}, headers=platform)
    assert other.status_code == 409 and other.get_json()["error"]["code"] == "idempotency.mismatch"
    assert entries(session) == 1
    assert session.scalar(select(func.count()).select_from(PointsCredit)) == 1


def test_points_for_an_occurrence_activity_and_naive_times_read_as_changsha(client, resident, platform):
    local = (utcnow() + timedelta(hours=8) - timedelta(days=1)).replace(tzinfo=None).isoformat(timespec="minutes")
    r = client.post("/api/v1/points/credits", headers=platform,
                    json={"idempotency_key": "vp-2", "member_code": resident.member_code, "activity": "recruit",
                          "points": 4, "occurred_at": local})
    assert r.status_code == 201 and r.get_json()["points"] == 4


@pytest.mark.parametrize("over, status, code", [
    ({"points": 2.5, "hours": None, "activity": "recruit"}, 422, "invalid_input"),
    ({"points": -2, "hours": None, "activity": "recruit"}, 422, "invalid_input"),
    ({"points": "2", "hours": None, "activity": "recruit"}, 422, "invalid_input"),
    ({"points": 2}, 422, "invalid_input"),                        # hours and points
    ({"hours": -1}, 422, "invalid_input"),
    ({"hours": 1.005}, 422, "invalid_input"),
    ({"hours": "NaN"}, 422, "invalid_input"),
    ({"hours": 5}, 409, "points.cap_exceeded"),                   # 4 hours a shift for community-service
    ({"member_code": "NOBODY"}, 404, "points.unknown_member"),
    ({"activity": "sky-diving"}, 422, "points.unknown_activity"),
    ({"occurred_at": (utcnow() - timedelta(days=10)).isoformat()}, 422, "points.backdated"),
    ({"occurred_at": (utcnow() + timedelta(days=1)).isoformat()}, 422, "invalid_input"),
    ({"occurred_at": "yesterday"}, 422, "invalid_input"),
    ({"idempotency_key": ""}, 422, "invalid_input"),
])
def test_bad_credits_get_a_clear_error_and_write_nothing(client, session, resident, platform, over, status, code):
    body = credit(member_code=resident.member_code)
    body.update(over)
    body = {k: v for k, v in body.items() if v is not None}
    r = client.post("/api/v1/points/credits", json=body, headers=platform)
    assert r.status_code == status, r.get_json()
    assert r.get_json()["error"]["code"] == code and r.get_json()["error"]["message"]
    assert entries(session) == 0


def test_not_json_is_refused(client, resident, platform):
    r = client.post("/api/v1/points/credits", data="x", headers={**platform, "Content-Type": "application/json"})
    assert r.status_code == 422
    r = client.post("/api/v1/points/credits", json=[1, 2], headers=platform)
    assert r.status_code == 422


@pytest.mark.parametrize("username", ["cashier-yl01", "manager-yl01", "admin", "auditor-yl"])
def test_staff_tokens_may_not_credit(client, session, resident, api_token, username):
    r = client.post("/api/v1/points/credits", json=credit(member_code=resident.member_code),
                    headers=api_token(username))
    assert r.status_code == 403 and entries(session) == 0


def test_the_integration_token_may_do_nothing_else(client, resident, platform):
    assert client.get(f"/api/v1/points/residents/{resident.member_code}", headers=platform).status_code == 403
    assert client.get("/api/v1/auth/me", headers=platform).status_code == 403
    assert client.post("/api/v1/auth/token/revoke", headers=platform).status_code == 403


def test_no_token_is_401(client, resident):
    assert client.post("/api/v1/points/credits", json=credit(member_code=resident.member_code)).status_code == 401


def test_the_till_looks_a_resident_up_by_member_code(client, session, resident, api_token):
    give_points(session, resident, 12, expires_at=utcnow() + timedelta(days=20))
    r = client.get(f"/api/v1/points/residents/{resident.member_code.lower()}", headers=api_token("cashier-fr01"))
    assert r.status_code == 200
    body = r.get_json()
    assert body["balance"] == 12 and body["phone"] == "139****5678" and body["name"] == "周小芳"
    assert body["expiring_soon"][0]["points"] == 12
    missing = client.get("/api/v1/points/residents/NOBODY", headers=api_token("cashier-fr01"))
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "points.unknown_member"
    assert client.get(f"/api/v1/points/residents/{resident.member_code}",
                      headers=api_token("auditor-yl")).status_code == 403


def test_the_credit_endpoint_is_in_the_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "post" in spec["paths"]["/api/v1/points/credits"]
    assert "get" in spec["paths"]["/api/v1/points/residents/{member_code}"]
