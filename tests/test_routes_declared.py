"""Every endpoint declares who may use it (@allow(...) or @public), and no role sees another store's data."""
import pytest
from flask import Blueprint

from supermarket import create_app
from supermarket.auth.decorators import allow, declared_access
from supermarket.auth.permissions import ALL_STAFF

from . import route_matrix

EXEMPT = {"static"}


def undeclared_endpoints(app) -> list[str]:
    return sorted(endpoint for endpoint, view in app.view_functions.items()
                  if endpoint not in EXEMPT and declared_access(view) is None)


def test_every_endpoint_declares_who_may_use_it(app):
    assert undeclared_endpoints(app) == []


def test_declarations_are_roles_public_or_the_resident_session(app):
    """A declaration is a set of staff roles, PUBLIC, or RESIDENT (the residents' own pages, which check the
    resident's session themselves: supermarket/points/views_me.resident_required)."""
    from supermarket.auth.decorators import PUBLIC
    from supermarket.points.views_me import RESIDENT

    odd = {e: declared_access(v) for e, v in app.view_functions.items() if e not in EXEMPT
           and declared_access(v) not in (PUBLIC, RESIDENT) and not isinstance(declared_access(v), frozenset)}
    assert odd == {}
    assert any(declared_access(v) == RESIDENT for v in app.view_functions.values())


def test_an_unguarded_route_is_caught():
    app = create_app("config.TestConfig")

    @app.get("/oops")
    def oops():
        return "anyone"

    assert undeclared_endpoints(app) == ["oops"]


USERS = ["admin", "auditor-yl", "auditor-fr", "manager-yl01", "manager-fr01", "cashier-yl01", "cashier-yl02",
         "cashier-fr01", "volunteer-platform"]


@pytest.mark.parametrize("username", USERS)
def test_role_matrix_no_leak_and_no_server_error(app, session, world, username):
    problems = route_matrix.sweep(app, session, world, username)
    assert problems == []


def test_role_matrix_catches_a_leaky_route(app, session, world):
    from supermarket.extensions import db
    from supermarket.stores.models import Store

    leaky = Blueprint("leaky", __name__)

    @leaky.get("/leaky/<uuid:store_id>")
    @allow(*ALL_STAFF)
    def show(store_id):  # forgets to scope: shows any store to anyone logged in
        return db.session.get(Store, store_id).name

    app.register_blueprint(leaky)
    problems = route_matrix.sweep(app, session, world, "cashier-yl01")
    leaks = [p for p in problems if p.url.startswith("/leaky/")]
    assert {p.url.split("/")[2] for p in leaks} == {str(world.stores["YL02"].id), str(world.stores["FR01"].id)}
    assert all("may not see" in p.what or "shows data" in p.what for p in leaks)
