"""Districts and stores: created and edited by the federation, seen by everyone within their scope."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from .. import audit
from ..audit.models import AuditEvent
from ..clock import day_bounds_utc, local_today
from ..auth.permissions import Actor, can_manage_stores, get_scoped, require, scope
from ..errors import InvalidInput, NotFound
from ..uow import unit_of_work
from .errors import DuplicateCode
from .models import STORE_STATUSES, District, Store

STORE_FIELDS = ("code", "name", "district_id", "address", "floor_area_m2", "opening_hours", "status", "phone")


def list_districts(session: Session, actor: Actor) -> list[District]:
    stmt = select(District).order_by(District.code)
    if not actor.all_stores:
        stmt = stmt.where(District.id.in_(actor.district_ids | _districts_of_stores(session, actor)))
    return list(session.scalars(stmt))


def _districts_of_stores(session: Session, actor: Actor) -> frozenset:
    if not actor.store_ids:
        return frozenset()
    return frozenset(session.scalars(select(Store.district_id).where(Store.id.in_(actor.store_ids))))


def list_stores(session: Session, actor: Actor, *, district_id=None) -> list[Store]:
    stmt = scope(select(Store), actor, Store, Store.id).options(selectinload(Store.district))
    if district_id:
        stmt = stmt.where(Store.district_id == district_id)
    return list(session.scalars(stmt.order_by(Store.code)))


def get_store(session: Session, actor: Actor, store_id) -> Store:
    return get_scoped(session, actor, Store, store_id, column_name="id")


def get_district(session: Session, actor: Actor, district_id) -> District:
    district = session.get(District, district_id)
    if district is None or district not in list_districts(session, actor):
        raise NotFound()
    return district


def create_district(session: Session, actor: Actor, *, code: str, name: str) -> District:
    require(can_manage_stores(actor))
    if session.scalar(select(District.id).where(District.code == code)):
        raise DuplicateCode(_("区县代码 %(code)s 已存在", code=code))
    with unit_of_work(session):
        district = District(code=code, name=name)
        session.add(district)
        session.flush()
        audit.record(session, actor, "stores.district_created", district, {"code": code, "name": name})
    return district


def _check_store_values(session: Session, values: dict, *, store_id=None) -> None:
    if "status" in values and values["status"] not in STORE_STATUSES:
        raise InvalidInput(fields={"status": [_("状态无效")]})
    if "district_id" in values and session.get(District, values["district_id"]) is None:
        raise InvalidInput(fields={"district_id": [_("区县不存在")]})
    if "code" in values:
        other = session.scalar(select(Store.id).where(Store.code == values["code"]))
        if other is not None and other != store_id:
            raise DuplicateCode(_("门店代码 %(code)s 已存在", code=values["code"]))


def create_store(session: Session, actor: Actor, **values) -> Store:
    """Create a store. `values`: code, name, district_id, address, floor_area_m2, opening_hours, status."""
    require(can_manage_stores(actor))
    values = {k: v for k, v in values.items() if k in STORE_FIELDS}
    _check_store_values(session, values)
    with unit_of_work(session):
        store = Store(**values)
        session.add(store)
        session.flush()
        audit.record(session, actor, "stores.store_created", store,
                     {k: str(v) for k, v in values.items()}, store_id=store.id)
    return store


def update_store(session: Session, actor: Actor, store_id, **values) -> Store:
    require(can_manage_stores(actor))
    store = get_store(session, actor, store_id)
    values = {k: v for k, v in values.items() if k in STORE_FIELDS}
    _check_store_values(session, values, store_id=store.id)
    changes = {k: [str(getattr(store, k)), str(v)] for k, v in values.items() if getattr(store, k) != v}
    with unit_of_work(session):
        for k, v in values.items():
            setattr(store, k, v)
        audit.record(session, actor, "stores.store_updated", store, changes, store_id=store.id)
    return store


@dataclass(frozen=True)
class Figure:
    label: str
    value: str


def today_figures(session: Session, actor: Actor, store_id, *, now: datetime) -> list[Figure]:
    """The figures on a store's home page for today (Asia/Shanghai)."""
    get_store(session, actor, store_id)
    start, end = day_bounds_utc(local_today(now))
    actions = session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.store_id == store_id, AuditEvent.at >= start, AuditEvent.at < end))
    figures = [Figure(_("今日记录的操作"), str(actions))]
    from ..wiring import home_figure_providers  # the domains above this one, declared where the app is built

    for provider in home_figure_providers():
        figures.extend(provider(session, store_id, start, end))
    return figures
