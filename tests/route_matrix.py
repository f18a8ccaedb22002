"""The role matrix: every route, for every role, against its own store, another store of the same district
and a store of another district.

A route's URL parameters are filled from SAMPLES: parameter name -> fn(session, world, target_store) -> value.
A later capability that adds a route with a new parameter adds a sample here; the matrix test fails until it
does. A problem is any 500, any 2xx on another store's object the actor may not see, and any 200 page or JSON
that contains the name marker (门店标记<code>) of a store the actor may not see.
"""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass


from . import factories

# Endpoints that cannot run inside the sweep, each with the test that covers it instead.
SKIP = {
    "static": "static files",
    "auth.logout": "ends the session under test; tests/supermarket/auth/test_views.py",
}


def _cashier_of(session, world, store):
    return world.users[f"cashier-{store.code.lower()}"]


def _token_of(session, world, store):
    from datetime import timedelta

    from supermarket.auth.models import ApiToken
    from supermarket.models import utcnow

    row = ApiToken(user_id=_cashier_of(session, world, store).id, token_hash=uuid.uuid4().hex * 2,
                   label="matrix", expires_at=utcnow() + timedelta(hours=1))
    session.add(row)
    session.commit()
    return row.id


SAMPLES = {
    "store_id": lambda s, w, store: store.id,
    "district_id": lambda s, w, store: store.district_id,
    "user_id": lambda s, w, store: _cashier_of(s, w, store).id,
    "token_id": _token_of,
    "code": lambda s, w, store: "zh_CN",
}

# URL parameters that name city-wide objects (the catalog's items and categories, a language code): a route
# with only these is not store-dependent. A domain's samples.py may add names with CITY_WIDE = {...}.
CITY_WIDE = {"code"}


def _domain_samples() -> dict:
    """Each domain may add `tests/supermarket/<domain>/samples.py` with its own SAMPLES dict (and CITY_WIDE)."""
    import importlib
    import importlib.util

    from supermarket.domains import DOMAINS

    found = {}
    for domain in DOMAINS:
        name = f"tests.supermarket.{domain}.samples"
        if importlib.util.find_spec(f"tests.supermarket.{domain}") and importlib.util.find_spec(name):
            module = importlib.import_module(name)
            found.update(module.SAMPLES)
            CITY_WIDE.update(getattr(module, "CITY_WIDE", ()))
    return found


SAMPLES.update(_domain_samples())

MARKER = re.compile(r"门店标记([A-Z0-9]+)")


@dataclass(frozen=True)
class Problem:
    username: str
    method: str
    url: str
    status: int
    what: str


def store_dependent(rule) -> bool:
    return any(arg not in CITY_WIDE for arg in rule.arguments)


def build_url(app, rule, session, world, store) -> str:
    from flask import url_for

    values = {}
    for arg in rule.arguments:
        if arg not in SAMPLES:
            raise KeyError(f"no sample for URL parameter {arg!r} of {rule.endpoint}: add one to tests/route_matrix.py")
        values[arg] = SAMPLES[arg](session, world, store)
    with app.test_request_context():
        return url_for(rule.endpoint, **values)


def sweep(app, session, world, username: str, targets=("YL01", "YL02", "FR01")) -> list[Problem]:
    """Log in as `username` and call every route against each target store; return the problems found."""
    actor = world.actor(session, username)
    visible_codes = {code for code, s in world.stores.items() if actor.can_see_store(s.id)}
    client = app.test_client()
    resp = client.post("/login", data={"username": username, "password": factories.PASSWORD})
    assert resp.status_code == 302, f"{username} cannot log in"
    problems: list[Problem] = []
    from supermarket.auth.decorators import PUBLIC, declared_access

    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint in SKIP:
            continue
        # A public page (no login) shows what every store publishes to anyone: its store scope and markers are
        # not the actor's business; tests/supermarket/disclosure/test_demo.py scans such pages for personal data.
        is_public = declared_access(app.view_functions[rule.endpoint]) == PUBLIC
        target_codes = targets if store_dependent(rule) else targets[:1]
        for code in target_codes:
            url = build_url(app, rule, session, world, world.stores[code])
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                if method == "GET":
                    r = client.get(url, headers={"Accept": "text/html"})
                else:
                    r = client.open(url, method=method, data={}) if not url.startswith("/api/") \
                        else client.open(url, method=method, json={})
                # PDFs and images are not read for markers (their text is compressed); pages and JSON are.
                body = r.get_data().decode("utf-8", "replace") if r.mimetype.startswith(
                    ("text/", "application/json")) else ""
                if r.status_code >= 500:
                    problems.append(Problem(username, method, url, r.status_code, "server error"))
                    continue
                if is_public:
                    session.rollback()
                    continue
                foreign = store_dependent(rule) and code not in visible_codes
                if foreign and r.status_code < 400 and not (r.status_code == 302 and "/login" in r.location):
                    problems.append(Problem(username, method, url, r.status_code,
                                            f"succeeded on {code}, a store it may not see"))
                if r.status_code == 200:
                    leaked = set(MARKER.findall(body)) - visible_codes
                    if leaked:
                        problems.append(Problem(username, method, url, r.status_code,
                                                f"shows data of {sorted(leaked)}"))
                session.rollback()
    return problems
