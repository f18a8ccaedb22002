"""Convenience services (便民利民, O-04): the types each store offers, and the quick log from the tablet."""
from __future__ import annotations

import uuid
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from ..audit import service as audit
from ..auth.permissions import Actor, scope
from ..errors import InvalidInput
from ..points.models import Resident
from ..uow import unit_of_work
from .common import managing_store, store_for, writable_store
from .errors import DuplicateServiceType, UnknownMember, UnknownServiceType
from .models import ServiceLog, ServiceType

DEFAULT_TYPES = ("小家电维修", "代缴费", "政策咨询", "以物换物", "工具借用")
MAX_COUNT = 200


def list_service_types(session: Session, actor: Actor, store_id=None, *, active_only: bool = True
                       ) -> list[ServiceType]:
    store_id = store_for(actor, store_id)
    stmt = select(ServiceType).where(ServiceType.store_id == store_id)
    if active_only:
        stmt = stmt.where(ServiceType.active.is_(True))
    return list(session.scalars(stmt.order_by(ServiceType.position, ServiceType.name)))


def add_service_type(session: Session, actor: Actor, name: str, *, store_id=None, now: datetime) -> ServiceType:
    """A new service type for the store (manager). Raises DuplicateServiceType."""
    store_id = managing_store(actor, store_id)
    name = name.strip()
    if not name:
        raise InvalidInput(_("请填写服务名称"), fields={"name": [_("请填写服务名称")]})
    if session.scalar(select(ServiceType.id).where(ServiceType.store_id == store_id, ServiceType.name == name)):
        raise DuplicateServiceType(fields={"name": [_("该便民服务类型已存在")]})
    position = session.scalar(select(func.coalesce(func.max(ServiceType.position), 0))
                              .where(ServiceType.store_id == store_id)) + 1
    with unit_of_work(session):
        row = ServiceType(store_id=store_id, name=name, position=position, created_at=now)
        session.add(row)
        session.flush()
        audit.record(session, actor, "outreach.service_type_added", row, {"name": name}, store_id=store_id,
                     now=now)
    return row


def set_service_type_active(session: Session, actor: Actor, type_id, active: bool, *, now: datetime
                            ) -> ServiceType:
    """Stop (or resume) offering a type; its past log stays."""
    row = session.get(ServiceType, type_id)
    if row is None or not actor.can_see_store(row.store_id):
        raise UnknownServiceType()
    managing_store(actor, row.store_id)
    with unit_of_work(session):
        row.active = active
        audit.record(session, actor, "outreach.service_type_" + ("resumed" if active else "stopped"), row,
                     {"name": row.name}, store_id=row.store_id, now=now)
    return row


def log_service(session: Session, actor: Actor, type_id, *, count: int = 1, member_code: str | None = None,
                idempotency_key: uuid.UUID | None = None, now: datetime) -> ServiceLog:
    """Log `count` services of a type given now (the tablet's two taps: the type, then 登记). A repeated
    idempotency key returns the first log. Raises UnknownServiceType, UnknownMember, InvalidInput."""
    if idempotency_key is not None:
        done = session.scalar(select(ServiceLog).where(ServiceLog.idempotency_key == idempotency_key))
        if done is not None and actor.can_see_store(done.store_id):
            return done
    kind = session.get(ServiceType, type_id) if type_id else None
    if kind is None or not kind.active or not actor.can_see_store(kind.store_id):
        raise UnknownServiceType(fields={"type_id": [_("请选择服务类型")]})
    store_id = writable_store(actor, kind.store_id)
    if not 1 <= count <= MAX_COUNT:
        raise InvalidInput(_("次数须在 1 到 %(n)d 之间", n=MAX_COUNT), fields={"count": [_("次数有误")]})
    resident_id = None
    if member_code:
        resident_id = session.scalar(select(Resident.id).where(Resident.member_code == member_code.strip()))
        if resident_id is None:
            raise UnknownMember(fields={"member_code": [_("找不到该会员码对应的居民")]})
    try:
        with unit_of_work(session):
            row = ServiceLog(store_id=store_id, type_id=kind.id, count=count, served_at=now,
                             resident_id=resident_id, entered_by_id=actor.user_id,
                             idempotency_key=idempotency_key, created_at=now)
            session.add(row)
            session.flush()
            audit.record(session, actor, "outreach.service_logged", row,
                         {"type": kind.name, "count": count, "resident": bool(resident_id)},
                         store_id=store_id, now=now)
    except IntegrityError:
        # Two taps of the same form racing: the other one won, answer with its row.
        done = session.scalar(select(ServiceLog).where(ServiceLog.idempotency_key == idempotency_key))
        if done is None:
            raise
        return done
    return row


def list_logs(session: Session, actor: Actor, *, store_id=None, limit: int = 100) -> list[ServiceLog]:
    stmt = scope(select(ServiceLog), actor, ServiceLog).options(selectinload(ServiceLog.type))
    if store_id is not None:
        stmt = stmt.where(ServiceLog.store_id == store_for(actor, store_id))
    return list(session.scalars(stmt.order_by(ServiceLog.served_at.desc()).limit(limit)))


def today_counts(session: Session, store_id, start: datetime, end: datetime) -> dict:
    """{type_id: services given} in [start, end) — the tiles on the quick-log page show them."""
    rows = session.execute(select(ServiceLog.type_id, func.sum(ServiceLog.count))
                           .where(ServiceLog.store_id == store_id, ServiceLog.served_at >= start,
                                  ServiceLog.served_at < end).group_by(ServiceLog.type_id))
    return {type_id: int(n) for type_id, n in rows}


def home_figures(session: Session, store_id, start: datetime, end: datetime) -> list:
    """The store home page's outreach figures for the day (wiring.HOME_FIGURES): services given today and
    complaints still waiting for an answer."""
    from flask_babel import gettext as _

    from ..stores.service import Figure
    from .models import Complaint

    given = sum(today_counts(session, store_id, start, end).values())
    waiting = session.scalar(select(func.count()).select_from(Complaint).where(
        Complaint.store_id == store_id, Complaint.answered_at.is_(None)))
    return [Figure(_("今日便民服务"), str(given)), Figure(_("待答复投诉"), str(waiting))]
