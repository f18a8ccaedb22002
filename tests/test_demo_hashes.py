"""`flask demo` hashes its accounts' secrets with a lighter scrypt, and only while it loads."""
from __future__ import annotations

from sqlalchemy import select

from supermarket.auth import service
from supermarket.auth.models import User
from supermarket.demo import DEMO_HASH_METHOD, DEMO_PASSWORD, load_demo


def test_demo_accounts_use_the_light_scrypt_and_the_config_is_restored(app, session):
    app.config["PASSWORD_HASH_METHOD"] = "scrypt"
    load_demo()
    assert app.config["PASSWORD_HASH_METHOD"] == "scrypt"
    hashes = session.scalars(select(User.password_hash)).all()
    assert hashes and all(h.startswith(DEMO_HASH_METHOD + "$") for h in hashes)
    assert service.authenticate(session, "admin", DEMO_PASSWORD).username == "admin"
    # A secret set after the demo gets the configured (full-strength) method again.
    assert service.hash_secret("another-secret-1").startswith("scrypt:32768:8:1$")
