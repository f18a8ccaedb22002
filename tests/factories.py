"""Plain factory functions for tests: make_*(session, ...) with defaults and overrides."""
from __future__ import annotations

from dataclasses import dataclass, field

from supermarket.auth import service as auth_service
from supermarket.auth.permissions import Actor, Role, build_actor, system_actor
from supermarket.stores import service as stores_service

PASSWORD = "changsha2023"
SYSTEM = system_actor("test")


def make_district(session, code="YL", name=None):
    return stores_service.create_district(session, SYSTEM, code=code, name=name or f"{code}区")


def make_store(session, district, code="YL01", name=None, **values):
    # Every store's name carries a marker that leak tests look for in other stores' responses.
    return stores_service.create_store(session, SYSTEM, code=code, name=name or f"门店标记{code}",
                                       district_id=district.id, address=f"地址{code}", **values)


def make_user(session, username, role: Role, *, store=None, district=None, password=PASSWORD, pin=None):
    return auth_service.create_user(session, SYSTEM, username=username, display_name=f"用户{username}",
                                    password=password, role=role, store_id=store.id if store else None,
                                    district_id=district.id if district else None, pin=pin)


def actor_for(session, user) -> Actor:
    class _U:  # build_actor wants a Flask-Login style user
        is_authenticated = True

    u = _U()
    u.__dict__.update(id=user.id, username=user.username, role=user.role, store_id=user.store_id,
                      district_id=user.district_id)
    return build_actor(session, u)


@dataclass
class World:
    districts: dict = field(default_factory=dict)
    stores: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)

    def actor(self, session, username) -> Actor:
        return actor_for(session, self.users[username])


def make_world(session) -> World:
    w = World()
    w.districts["YL"] = make_district(session, "YL", "岳麓区")
    w.districts["FR"] = make_district(session, "FR", "芙蓉区")
    w.stores["YL01"] = make_store(session, w.districts["YL"], "YL01")
    w.stores["YL02"] = make_store(session, w.districts["YL"], "YL02")
    w.stores["FR01"] = make_store(session, w.districts["FR"], "FR01")
    w.users["admin"] = make_user(session, "admin", Role.FEDERATION_ADMIN)
    w.users["auditor-yl"] = make_user(session, "auditor-yl", Role.DISTRICT_AUDITOR, district=w.districts["YL"])
    w.users["auditor-fr"] = make_user(session, "auditor-fr", Role.DISTRICT_AUDITOR, district=w.districts["FR"])
    for code in ("YL01", "YL02", "FR01"):
        low = code.lower()
        w.users[f"manager-{low}"] = make_user(session, f"manager-{low}", Role.STORE_MANAGER,
                                              store=w.stores[code], pin="2468")
        w.users[f"cashier-{low}"] = make_user(session, f"cashier-{low}", Role.CASHIER, store=w.stores[code])
    w.users["volunteer-platform"] = make_user(session, "volunteer-platform", Role.INTEGRATION)
    return w


def sql_id(value):
    """A UUID as raw SQL sees it: 32 hex characters on SQLite, the uuid on PostgreSQL."""
    from supermarket.extensions import db

    return value.hex if db.engine.dialect.name == "sqlite" else str(value)
