"""Accounts: authentication, throttling, approvals, tokens, who may create whom."""
from datetime import timedelta

import pytest

from supermarket.auth import service
from supermarket.auth.models import LoginAttempt
from supermarket.auth.permissions import Role
from supermarket.errors import Forbidden, InvalidInput, TooManyAttempts
from supermarket.models import utcnow
from tests import factories


def test_authenticate_records_attempts(session, world):
    user = service.authenticate(session, "cashier-yl01", factories.PASSWORD, address="10.0.0.1")
    assert user.username == "cashier-yl01"
    with pytest.raises(service.LoginFailed):
        service.authenticate(session, "cashier-yl01", "wrong", address="10.0.0.1")
    assert session.query(LoginAttempt).filter_by(success=False).count() == 1


def test_repeated_failures_slow_the_account_down_then_release(session, world):
    now = utcnow()
    for _ in range(5):
        with pytest.raises(service.LoginFailed):
            service.authenticate(session, "cashier-yl01", "wrong", address="10.0.0.2", now=now)
    with pytest.raises(TooManyAttempts) as exc:
        service.authenticate(session, "cashier-yl01", factories.PASSWORD, address="10.0.0.3", now=now)
    assert "分钟后再试" in exc.value.message
    later = now + timedelta(minutes=16)
    assert service.authenticate(session, "cashier-yl01", factories.PASSWORD, address="10.0.0.3", now=later)


def test_repeated_failures_from_one_address_slow_it_down(session, world):
    now = utcnow()
    for i in range(20):
        with pytest.raises(service.LoginFailed):
            service.authenticate(session, f"nobody{i}", "wrong", address="10.9.9.9", now=now)
    with pytest.raises(TooManyAttempts):
        service.authenticate(session, "cashier-yl02", factories.PASSWORD, address="10.9.9.9", now=now)
    assert service.authenticate(session, "cashier-yl02", factories.PASSWORD, address="10.9.9.8", now=now)


def test_inactive_user_cannot_log_in(session, world):
    admin = world.actor(session, "admin")
    service.update_user(session, admin, world.users["cashier-yl01"].id, active=False)
    with pytest.raises(service.LoginFailed):
        service.authenticate(session, "cashier-yl01", factories.PASSWORD)


def test_manager_creates_only_cashiers_of_own_store(session, world):
    manager = world.actor(session, "manager-yl01")
    user = service.create_user(session, manager, username="new-cashier", display_name="新人", password="abcdefgh1",
                               role=Role.CASHIER, store_id=world.stores["FR01"].id)
    assert user.store_id == world.stores["YL01"].id  # forced to the manager's own store
    with pytest.raises(Forbidden):
        service.create_user(session, manager, username="boss", display_name="x", password="abcdefgh1",
                            role=Role.STORE_MANAGER, store_id=world.stores["YL01"].id)


def test_manager_cannot_edit_other_stores_cashier(session, world):
    manager = world.actor(session, "manager-yl01")
    with pytest.raises(Exception) as exc:
        service.update_user(session, manager, world.users["cashier-yl02"].id, active=False)
    assert exc.value.status == 404
    assert world.users["cashier-yl02"].active


def test_store_roles_need_a_store_and_auditor_a_district(session, world):
    admin = world.actor(session, "admin")
    with pytest.raises(InvalidInput):
        service.create_user(session, admin, username="c2", display_name="x", password="abcdefgh1", role=Role.CASHIER)
    with pytest.raises(InvalidInput):
        service.create_user(session, admin, username="a2", display_name="x", password="abcdefgh1",
                            role=Role.DISTRICT_AUDITOR)


def test_approval_needs_a_different_manager_of_the_store(session, world):
    store = world.stores["YL01"]
    cashier = world.users["cashier-yl01"]
    manager = world.users["manager-yl01"]
    assert service.verify_approver(session, store.id, "manager-yl01", "2468", not_user_id=cashier.id) == manager
    assert service.verify_approver(session, store.id, "manager-yl01", factories.PASSWORD) == manager
    with pytest.raises(service.ApprovalFailed):
        service.verify_approver(session, store.id, "manager-yl01", "0000")
    with pytest.raises(service.ApprovalFailed):
        service.verify_approver(session, store.id, "cashier-yl01", factories.PASSWORD)  # not a manager
    with pytest.raises(service.ApprovalFailed):
        service.verify_approver(session, store.id, "manager-yl02", "2468")  # another store's manager
    with pytest.raises(service.ApprovalFailed):
        service.verify_approver(session, store.id, "manager-yl01", "2468", not_user_id=manager.id)


def test_tokens_are_stored_hashed_expire_and_can_be_revoked(session, world):
    token, row = service.issue_token(session, "cashier-yl01", factories.PASSWORD)
    assert token not in row.token_hash and len(row.token_hash) == 64
    user, ref = service.user_for_token(session, token)
    assert user.username == "cashier-yl01" and ref.id == row.id and ref.expires_at == row.expires_at
    assert service.user_for_token(session, token + "x") is None
    assert service.user_for_token(session, token, now=row.expires_at + timedelta(seconds=1)) is None
    service.revoke_token(session, world.actor(session, "cashier-yl01"), row.id)
    assert service.user_for_token(session, token) is None


def test_password_change_ends_old_sessions(session, world):
    user = world.users["cashier-yl01"]
    ident = user.get_id()
    assert service.load_user(session, ident) is user
    service.update_user(session, world.actor(session, "admin"), user.id, password="another-pass-1")
    assert service.load_user(session, ident) is None
