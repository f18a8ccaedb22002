"""Catalog rules: barcodes, search by pinyin initials, categories, store prices."""
from __future__ import annotations

import uuid

import pytest

from supermarket.catalog import service
from supermarket.catalog.errors import BadBarcode, DuplicateBarcode
from supermarket.errors import Conflict, Forbidden, InvalidInput, NotFound
from tests.factories import SYSTEM
from tests.supermarket.catalog.factories import food_category, make_category, make_item


def test_pinyin_initials_find_the_item_even_inside_a_longer_name(session, world):
    make_item(session, "矿泉水 550ml")
    make_item(session, "康师傅矿泉水 1.5L")
    make_item(session, "可口可乐")
    found = [i.name for i in service.search_items(session, "kqs")]
    assert found == ["矿泉水 550ml", "康师傅矿泉水 1.5L"]  # the one starting with kqs first
    assert [i.name for i in service.search_items(session, "KQS")] == found
    assert [i.name for i in service.search_items(session, "可乐")] == ["可口可乐"]
    assert service.search_items(session, "%") == [] and service.search_items(session, "  ") == []


def test_barcodes_are_checked_and_unique(session, world):
    item = make_item(session, barcode="6901234567892")
    with pytest.raises(BadBarcode) as exc:
        make_item(session, "x", barcode="6901234567893")
    assert "校验位" in exc.value.message
    with pytest.raises(DuplicateBarcode):
        make_item(session, "y", barcode="6901234567892")
    with pytest.raises(BadBarcode):
        make_item(session, "z", barcode="12345")
    assert service.find_by_barcode(session, "6901234567892").id == item.id


def test_a_racing_duplicate_barcode_is_a_conflict_not_a_crash(session, world, monkeypatch):
    make_item(session, barcode="6901234567892")
    monkeypatch.setattr(service, "check_barcode", lambda s, code: "ean13")  # as if the check ran before the other
    with pytest.raises(DuplicateBarcode):
        make_item(session, "同码", barcode="6901234567892")
    assert len(service.search_items(session, "6901234567892")) == 1


def test_goods_without_a_barcode_get_the_stores_internal_code(session, world):
    first = make_item(session, "二手毛衣", store=world.stores["YL01"], kind="donated_used", condition_grade="B")
    second = make_item(session, "二手围巾", store=world.stores["YL01"], kind="donated_used", condition_grade="A")
    assert (first.barcode, second.barcode, first.barcode_kind) == ("YL01-000001", "YL01-000002", "internal")
    with pytest.raises(InvalidInput):
        make_item(session, "二手鞋", store=world.stores["YL01"], kind="donated_used")  # grade required


def test_the_federation_edits_categories(session, world):
    food = food_category(session)
    admin = world.actor(session, "admin")
    updated = service.update_category(session, admin, food.id, near_expiry_days=10, quick_key=True)
    assert (updated.near_expiry_days, updated.quick_key) == (10, True)
    with pytest.raises(InvalidInput):
        service.update_category(session, admin, food.id, prohibited=True, prohibited_reason=" ")
    make_item(session, "饼干", category=food)
    with pytest.raises(Conflict):
        service.update_category(session, admin, food.id, is_food=False)
    with pytest.raises(Forbidden):
        service.update_category(session, world.actor(session, "manager-yl01"), food.id, near_expiry_days=3)
    with pytest.raises(NotFound):
        service.update_category(session, admin, uuid.uuid4(), name="x")
    banned = service.update_category(session, admin, make_category(session).id, prohibited=True,
                                     prohibited_reason="测试")
    with pytest.raises(Conflict):
        make_item(session, "新物品", category=banned)


def test_store_price_only_for_an_existing_store(session, world):
    item = make_item(session, price_fen=500)
    admin = world.actor(session, "admin")
    with pytest.raises(NotFound):
        service.set_store_price(session, admin, store_id=uuid.uuid4(), item_id=item.id, price_fen=100)
    service.set_store_price(session, admin, store_id=world.stores["YL01"].id, item_id=item.id, price_fen=300)
    assert service.price_in_store(session, item, world.stores["YL01"].id) == 300
    assert service.price_in_store(session, item, world.stores["YL02"].id) == 500
    with pytest.raises(Forbidden):
        service.set_store_price(session, world.actor(session, "manager-yl02"), store_id=world.stores["YL01"].id,
                                item_id=item.id, price_fen=1)
    service.set_store_price(session, admin, store_id=world.stores["YL01"].id, item_id=item.id, price_fen=None)
    assert service.price_in_store(session, item, world.stores["YL01"].id) == 500
    assert SYSTEM
