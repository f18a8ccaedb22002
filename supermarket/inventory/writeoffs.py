"""Write-offs: damaged, expired, recalled or other goods taken off the books, with a reason and an optional
photo. Above the value the store configures, a second person (a manager who is not the writer) approves on
the same tablet with their password or PIN.

Expired and prohibited goods can always be written off (that is how they leave the shelf), so the ledger is
asked with allow_expired=True; without a chosen lot the units come out expiring-first, expired lots first.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from .. import audit
from ..auth import service as auth_service
from ..auth.permissions import Actor, Role, get_scoped, scope
from ..catalog import service as catalog
from ..errors import InvalidInput, NotFound
from ..i18n import yuan
from ..photos import DEFAULT_MAX_BYTES, CheckedPhoto, PhotoUpload, check_photo
from ..uow import unit_of_work
from . import ledger
from .common import item_by_ref, lot_in_store, replay, require_staff, serial, store_for
from .errors import ApprovalRequired, BadPhoto, PhotoTooLarge
from .models import WRITE_OFF_REASONS, WriteOff, WriteOffPhoto
from .settings import settings_of



def _checked(photo: PhotoUpload, max_bytes: int) -> CheckedPhoto:
    return check_photo(photo, bad=BadPhoto, too_large=PhotoTooLarge, max_bytes=max_bytes)


def get_write_off(session: Session, actor: Actor, write_off_id) -> WriteOff:
    return get_scoped(session, actor, WriteOff, write_off_id)


def list_write_offs(session: Session, actor: Actor, store_id, *, limit: int = 100) -> list[WriteOff]:
    store_for(session, actor, store_id)
    stmt = (scope(select(WriteOff), actor, WriteOff).options(joinedload(WriteOff.item))
            .where(WriteOff.store_id == store_id).order_by(WriteOff.occurred_at.desc()).limit(limit))
    return list(session.scalars(stmt))


def get_photo(session: Session, actor: Actor, write_off_id) -> WriteOffPhoto:
    write_off = get_write_off(session, actor, write_off_id)
    photo = session.scalar(select(WriteOffPhoto).where(WriteOffPhoto.write_off_id == write_off.id))
    if photo is None:
        raise NotFound(_("该报损单没有照片"))
    return photo


def has_photo(session: Session, write_off_id) -> bool:
    return session.scalar(select(WriteOffPhoto.id).where(WriteOffPhoto.write_off_id == write_off_id)) is not None


def write_off(session: Session, actor: Actor, *, store_id, qty: int, reason_code: str, reason: str,
              now: datetime, item_id=None, barcode: str | None = None, lot_id=None,
              photo: PhotoUpload | None = None, approver_username: str | None = None,
              approver_secret: str | None = None, idempotency_key: str | None = None,
              photo_max_bytes: int = DEFAULT_MAX_BYTES) -> WriteOff:
    """Write off `qty` units of an item (scanned `barcode` or `item_id`; from `lot_id`, or expiring-first) in
    one transaction.

    Raises Forbidden (not staff of the store), NotFound (another store's lot), UnknownBarcode, InvalidInput,
    BadPhoto, PhotoTooLarge, ApprovalRequired / ApprovalFailed, InsufficientStock, PeriodClosed.
    """
    store = store_for(session, actor, store_id)
    require_staff(actor, store_id)
    if (done := replay(session, WriteOff, idempotency_key)) is not None:
        return done
    item = item_by_ref(session, item_id=item_id, barcode=barcode)
    lot = lot_in_store(session, store_id, item.id, lot_id) if lot_id else None
    if reason_code not in WRITE_OFF_REASONS:
        raise InvalidInput(fields={"reason_code": [_("请选择报损原因")]})
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("请填写报损说明"), fields={"reason": [_("请填写报损说明")]})
    ledger.check_qty(qty)
    checked = _checked(photo, photo_max_bytes) if photo is not None else None
    unit_price = catalog.price_in_store(session, item, store_id)
    value = unit_price * qty
    approver = None
    if value > settings_of(session, store_id).write_off_approval_fen:
        if not approver_username or not approver_secret:
            raise ApprovalRequired(_("报损金额 %(value)s 超过本店审批额度，需由另一位店长输入密码或 PIN 确认",
                                     value=yuan(value)),
                                   fields={"approver_username": [_("需要审批人")]})
        approver = auth_service.verify_approver(session, store_id, approver_username, approver_secret,
                                                roles=(Role.STORE_MANAGER,), not_user_id=actor.user_id)
    try:
        with unit_of_work(session):
            row = WriteOff(store_id=store_id, number=serial(session, store, "BS", now), item_id=item.id,
                           lot_id=lot.id if lot else None, qty=qty, reason_code=reason_code, reason=reason[:200],
                           unit_price_fen=unit_price, value_fen=value, written_by_id=actor.user_id,
                           written_by_name=actor.username, approved_by_id=approver.id if approver else None,
                           approved_by_name=approver.username if approver else "", occurred_at=now,
                           idempotency_key=idempotency_key)
            session.add(row)
            session.flush()
            ledger.lock_stock(session, store_id, [item.id])
            ledger.take(session, actor, store_id=store_id, item=item, qty=qty, kind="write_off",
                        doc_type="write_off", doc_id=row.id, now=now, lot_id=row.lot_id, note=row.number,
                        allow_expired=True)
            if checked is not None:
                session.add(WriteOffPhoto(write_off_id=row.id, content_type=checked.content_type,
                                          size_bytes=len(checked.data), sha256=checked.sha256, data=checked.data))
            audit.record(session, actor, "inventory.written_off", row,
                         {"number": row.number, "item": item.name, "qty": qty, "reason_code": reason_code,
                          "value_fen": value, "approver": row.approved_by_name or None,
                          "photo": photo is not None}, store_id=store_id, now=now)
    except IntegrityError:  # the same form submitted twice at once: the first one stands
        if (done := replay(session, WriteOff, idempotency_key)) is not None:
            return done
        raise
    return row
