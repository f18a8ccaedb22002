"""Write-offs: reasons, expired lots, the approval threshold with a second person, photos, bad input."""
from __future__ import annotations

import io
import uuid
from datetime import timedelta

import pytest
from PIL import Image

from supermarket.clock import local_today
from supermarket.auth.errors import ApprovalFailed
from supermarket.errors import Forbidden, InvalidInput, NotFound
from supermarket.inventory import ledger, settings, writeoffs
from supermarket.inventory.errors import ApprovalRequired, BadPhoto, InsufficientStock, PhotoTooLarge
from supermarket.photos import PhotoUpload
from supermarket.inventory.models import LotBalance, StockMovement, WriteOff, WriteOffPhoto
from supermarket.inventory.verify import verify_balances
from tests.supermarket.catalog.factories import food_category, make_item
from tests.supermarket.inventory.factories import NOW, PIN, cashier, manager, stock

TODAY = local_today(NOW)


def image(kind: str = "PNG", size=(8, 8)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, kind)
    return buf.getvalue()


PNG = image()


def write_off(session, world, item, qty=1, *, who="cashier-yl01", **kw):
    values = dict(store_id=world.stores["YL01"].id, item_id=item.id, qty=qty, reason_code="damaged",
                  reason="包装破损", now=NOW)
    values.update(kw)
    return writeoffs.write_off(session, world.actor(session, who), **values)


def test_a_small_write_off_needs_no_approver(session, world):
    item = make_item(session, price_fen=300)
    stock(session, world.stores["YL01"], item, 5)
    row = write_off(session, world, item, 2)
    assert (row.value_fen, row.approved_by_name, row.number) == (600, "", "YL01-BS-2026-0001")
    [move] = session.query(StockMovement).filter_by(doc_type="write_off").all()
    assert (move.kind, move.qty, move.doc_id) == ("write_off", -2, str(row.id))
    assert ledger.on_hand(session, world.stores["YL01"].id, item.id) == 3


def test_above_the_threshold_another_manager_must_approve(session, world):
    item = make_item(session, price_fen=6000)  # ¥60 > default ¥50
    stock(session, world.stores["YL01"], item, 5)
    with pytest.raises(ApprovalRequired):
        write_off(session, world, item)
    with pytest.raises(ApprovalFailed):  # the writer cannot approve their own write-off
        write_off(session, world, item, who="manager-yl01", approver_username="manager-yl01", approver_secret=PIN)
    with pytest.raises(ApprovalFailed):  # a cashier is no approver
        write_off(session, world, item, approver_username="cashier-yl01", approver_secret="changsha2023")
    with pytest.raises(ApprovalFailed):
        write_off(session, world, item, approver_username="manager-yl01", approver_secret="0000")
    assert session.query(WriteOff).count() == 0
    row = write_off(session, world, item, approver_username="manager-yl01", approver_secret=PIN)
    assert row.approved_by_name == "manager-yl01"


def test_the_store_sets_its_threshold(session, world):
    item = make_item(session, price_fen=6000)
    stock(session, world.stores["YL01"], item, 5)
    settings.update_settings(session, manager(session, world), world.stores["YL01"].id,
                             write_off_approval_fen=10000, low_stock_qty=2, now=NOW)
    assert write_off(session, world, item).approved_by_name == ""
    with pytest.raises(Forbidden):
        settings.update_settings(session, cashier(session, world), world.stores["YL01"].id,
                                 write_off_approval_fen=0, low_stock_qty=2, now=NOW)


def test_expired_lots_can_be_written_off_and_go_first(session, world):
    store, item = world.stores["YL01"], make_item(session, "面包", category=food_category(session), price_fen=500)
    expired = stock(session, store, item, 3, expiry_date=TODAY - timedelta(days=2), now=NOW)
    fresh = stock(session, store, item, 3, expiry_date=TODAY + timedelta(days=10), now=NOW)
    write_off(session, world, item, 4, reason_code="expired", reason="过期")
    assert session.get(LotBalance, expired.lot_id).qty == 0
    assert session.get(LotBalance, fresh.lot_id).qty == 2
    write_off(session, world, item, 2, lot_id=fresh.lot_id, reason_code="recalled", reason="厂家召回")
    assert verify_balances(session) == []


def test_another_stores_lot_or_more_than_on_hand_writes_nothing(session, world):
    item = make_item(session)
    stock(session, world.stores["YL01"], item, 2)
    other = stock(session, world.stores["FR01"], item, 2)
    with pytest.raises(NotFound):
        write_off(session, world, item, lot_id=other.lot_id)
    with pytest.raises(InsufficientStock):
        write_off(session, world, item, 3)
    with pytest.raises(NotFound):
        writeoffs.write_off(session, cashier(session, world, "FR01"), store_id=world.stores["YL01"].id,
                            item_id=item.id, qty=1, reason_code="damaged", reason="x", now=NOW)
    assert session.query(WriteOff).count() == 0
    assert ledger.on_hand(session, world.stores["YL01"].id, item.id) == 2


@pytest.mark.parametrize("values", [{"qty": 0}, {"qty": -1}, {"qty": 10**9}, {"reason_code": "lost"},
                                    {"reason": "  "}, {"item_id": uuid.UUID(int=1)}])
def test_bad_input_is_refused(session, world, values):
    item = make_item(session)
    stock(session, world.stores["YL01"], item, 2)
    with pytest.raises((InvalidInput, NotFound)):
        write_off(session, world, item, **values)
    assert session.query(WriteOff).count() == 0


def test_a_photo_is_kept_when_it_is_an_image_of_allowed_size(session, world):
    item = make_item(session)
    stock(session, world.stores["YL01"], item, 5)
    row = write_off(session, world, item, photo=PhotoUpload("a.png", PNG))
    photo = writeoffs.get_photo(session, cashier(session, world), row.id)
    assert (photo.content_type, photo.size_bytes) == ("image/png", len(PNG))
    jpeg = write_off(session, world, item, photo=PhotoUpload("b.png", image("JPEG")))  # the content decides
    assert writeoffs.get_photo(session, cashier(session, world), jpeg.id).content_type == "image/jpeg"
    for bad in (b"<svg onload=alert(1)>", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, b"%PDF-1.4", b""):
        with pytest.raises(BadPhoto) as exc:
            write_off(session, world, item, photo=PhotoUpload("x.png", bad))
        assert exc.value.code == "inventory.bad_photo"
    with pytest.raises(PhotoTooLarge) as exc:
        write_off(session, world, item, photo=PhotoUpload("big.png", image(size=(600, 600))), photo_max_bytes=1024)
    assert exc.value.status == 413
    assert session.query(WriteOffPhoto).count() == 2 and session.query(WriteOff).count() == 2
    with pytest.raises(NotFound):
        writeoffs.get_photo(session, cashier(session, world, "FR01"), row.id)


def test_the_same_form_submitted_twice_writes_off_once(session, world):
    item = make_item(session)
    stock(session, world.stores["YL01"], item, 5)
    first = write_off(session, world, item, idempotency_key="abc")
    again = write_off(session, world, item, idempotency_key="abc")
    assert again.id == first.id
    assert ledger.on_hand(session, world.stores["YL01"].id, item.id) == 4


def test_prohibited_goods_on_the_shelf_can_be_written_off(session, world):
    from tests.supermarket.catalog.factories import make_category

    item = make_item(session, "感冒药")
    stock(session, world.stores["YL01"], item, 2)
    item.category_id = make_category(session, "MED", "药品", prohibited=True, prohibited_reason="药品").id
    session.commit()
    write_off(session, world, item, 2, reason_code="other", reason="禁售物品下架")
    assert ledger.on_hand(session, world.stores["YL01"].id, item.id) == 0
