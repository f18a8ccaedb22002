"""Districts and stores: the federation edits, everyone else sees their scope."""
import pytest

from supermarket.errors import Forbidden, NotFound
from supermarket.stores import service


def test_scopes(session, world):
    codes = lambda name: [s.code for s in service.list_stores(session, world.actor(session, name))]  # noqa: E731
    assert codes("admin") == ["FR01", "YL01", "YL02"]
    assert codes("auditor-yl") == ["YL01", "YL02"]
    assert codes("manager-fr01") == ["FR01"]
    assert codes("cashier-yl02") == ["YL02"]


def test_only_federation_creates_and_edits_stores(session, world):
    manager = world.actor(session, "manager-yl01")
    with pytest.raises(Forbidden):
        service.update_store(session, manager, world.stores["YL01"].id, name="改名")
    with pytest.raises(Forbidden):
        service.create_store(session, world.actor(session, "auditor-yl"), code="YL09", name="x",
                             district_id=world.districts["YL"].id)
    store = service.update_store(session, world.actor(session, "admin"), world.stores["YL01"].id, floor_area_m2=99)
    assert store.floor_area_m2 == 99


def test_other_store_is_not_found(session, world):
    with pytest.raises(NotFound):
        service.get_store(session, world.actor(session, "cashier-yl01"), world.stores["FR01"].id)


def test_duplicate_store_code_refused(session, world):
    with pytest.raises(service.DuplicateCode):
        service.create_store(session, world.actor(session, "admin"), code="YL01", name="x",
                             district_id=world.districts["YL"].id)


def test_admin_store_pages(login, world):
    client = login("admin")
    resp = client.post("/stores/new", data={"code": "YL03", "name": "新店", "district_id": world.districts["YL"].id,
                                            "floor_area_m2": "60", "status": "open"})
    assert resp.status_code == 302
    bad = client.post("/stores/new", data={"code": "yl 3", "name": "", "district_id": "nope", "floor_area_m2": "-1"})
    assert bad.status_code == 422
    assert "federation" not in bad.location if bad.status_code == 302 else True
