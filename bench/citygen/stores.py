"""Districts, stores and their people: per store a manager and two cashiers, per district an auditor, one
federation admin and the volunteer platform's integration account (the demo's roles, at city scale).

Usernames follow the demo: `admin`, `auditor-yl`, `manager-yl01`, `cashier-yl01-1` / `-2`, `volunteer-platform`;
every password is the demo's (`changsha2023`), every manager's PIN `2468`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from .base import SYSTEM, Actor, hm, local
from .names import DISTRICTS, STREETS, address, person_name
from .sink import Table
from .world import assign_profiles

DISTRICTS_T = Table("districts", ("id", "created_at", "code", "name"))
STORES_T = Table("stores", ("id", "created_at", "code", "name", "district_id", "address", "floor_area_m2",
                            "opening_hours", "status", "star_level"))
USERS_T = Table("users", ("id", "created_at", "username", "display_name", "password_hash", "pin_hash", "role",
                          "store_id", "district_id", "active", "session_version"))
OPENING_HOURS = "08:00-20:00"


@dataclass
class District:
    id: str
    code: str
    name: str
    region: str
    auditor: Actor | None = None


@dataclass
class StoreInfo:
    index: int
    id: str
    code: str
    name: str
    district: District
    profile: str
    activity: float
    staff: dict = field(default_factory=dict)  # role key -> Actor


def setup_city(city) -> None:
    p, rng, ids, sink = city.params, city.rng, city.ids, city.sink
    t0 = local(city.setup_day, hm(9))
    districts = [District(ids(), code, name, region) for code, name, region in DISTRICTS[:p.districts]]
    admin = _user(city, "admin", "市慈善总会管理员", "federation_admin", None, None, t0)
    city.extra["admin"] = admin
    for n, d in enumerate(districts):
        at = t0 + timedelta(minutes=5 + n)
        sink.row(DISTRICTS_T, (d.id, at, d.code, d.name))
        city.chain.record(SYSTEM, "stores.district_created", "districts", d.id, {"code": d.code, "name": d.name}, at)
        d.auditor = _user(city, f"auditor-{d.code.lower()}", f"{d.name}审核员", "district_auditor", None, d.id,
                          at + timedelta(seconds=30))
    city.extra["platform"] = _user(city, "volunteer-platform", "长沙市志愿服务平台", "integration", None, None,
                                   t0 + timedelta(minutes=1))
    per_district = -(-p.stores // len(districts))
    width = max(2, len(str(per_district)))
    profiles = assign_profiles(p.stores, rng)
    # Busier and quieter stores (0.6–1.4), scaled so that their mean is 1: the volumes hold for the city.
    activity = [0.6 + 0.8 * rng.random() for _ in range(p.stores)]
    scale = p.stores / sum(activity)
    for i in range(p.stores):
        d = districts[i % len(districts)]
        code = f"{d.code}{i // len(districts) + 1:0{width}d}"
        city.stores.append(StoreInfo(i, ids(), code, f"{d.name}{STREETS[(i * 7) % len(STREETS)]}慈善超市", d,
                                     profiles[i], activity[i] * scale))
    city.extra["districts"] = districts


def setup_store(city, st, agenda) -> None:
    info = st.info
    at = local(city.setup_day, hm(10)) + timedelta(seconds=20 * info.index)
    values = {"code": info.code, "name": info.name, "district_id": info.district.id,
              "address": address(st.rng, info.district.name), "floor_area_m2": st.rng.randint(60, 400),
              "opening_hours": OPENING_HOURS, "status": "open"}
    city.sink.row(STORES_T, (info.id, at, info.code, info.name, info.district.id, values["address"],
                             values["floor_area_m2"], OPENING_HOURS, "open", None))
    st.chain.record(SYSTEM, "stores.store_created", "stores", info.id, {k: str(v) for k, v in values.items()}, at)
    low = info.code.lower()
    people = (("manager", f"manager-{low}", "店长", "store_manager"),
              ("cashier1", f"cashier-{low}-1", "收银员", "cashier"),
              ("cashier2", f"cashier-{low}-2", "收银员", "cashier"))
    for n, (key, username, title, role) in enumerate(people):
        display = f"{info.name[:-4]}{title} {person_name(st.rng)}"
        info.staff[key] = _user(city, username, display, role, info.id, None, at + timedelta(minutes=1 + n), st=st)
    st.manager, st.cashiers = info.staff["manager"], (info.staff["cashier1"], info.staff["cashier2"])


def _user(city, username, display, role, store_id, district_id, at, st=None) -> Actor:
    user_id = (st.ids if st else city.ids)()
    pin = city.config["pin_hash"] if role == "store_manager" else None
    city.sink.row(USERS_T, (user_id, at, username, display, city.config["password_hash"], pin, role, store_id,
                            district_id, True, 1))
    chain = st.chain if st is not None and store_id else city.chain
    chain.record(SYSTEM, "auth.user_created", "users", user_id, {"username": username, "role": role}, at)
    city.count("users")
    return Actor(user_id, username, role, display)
