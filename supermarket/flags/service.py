"""The board's reads and the auditor's actions: which flags an actor may see (their stores; never, for a store
manager, a flag about themselves), one flag with the history of its people, resolving and closing.

Resolution is a guarded UPDATE (`… WHERE status = 'open'`), so two auditors resolving at once cannot both win.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import exists, func, select, update
from sqlalchemy.orm import Session, joinedload

from .. import audit
from ..auth.models import User
from ..auth.permissions import Actor, Role, require
from ..clock import local_date
from ..errors import NotFound
from ..paging import PER_PAGE, Page, offset_page
from ..privacy import mask_name
from ..stores.models import Store
from ..uow import unit_of_work
from .errors import AboutYourself, BadOutcome, NoteRequired, NotOpen, NotResolved, UnknownKind
from .kinds import AREAS, KINDS
from .models import STATUSES, Flag, FlagPerson

BOARD_ROLES = (Role.STORE_MANAGER, Role.DISTRICT_AUDITOR, Role.FEDERATION_ADMIN)
OUTCOMES = ("explained", "confirmed")


@dataclass
class Filters:
    kind: str | None = None
    store_id: uuid.UUID | None = None
    district_id: uuid.UUID | None = None
    person: str | None = None
    status: str | None = "open"


def can_see_board(actor: Actor) -> bool:
    return actor.role in BOARD_ROLES


def _about(actor: Actor):
    return exists().where(FlagPerson.flag_id == Flag.id, FlagPerson.person_type == "user",
                          FlagPerson.person_id == str(actor.user_id))


def visible(actor: Actor):
    """A select of the flags the actor may see."""
    require(can_see_board(actor), _("您无权查看预警"))
    stmt = select(Flag)
    if not actor.all_stores:
        stmt = stmt.where(Flag.store_id.in_(actor.store_ids))
    if actor.role is Role.STORE_MANAGER:
        stmt = stmt.where(~_about(actor))
    return stmt


def scoped_stores(actor: Actor):
    """A select of the stores the actor's board covers, by code."""
    stmt = select(Store).options(joinedload(Store.district)).order_by(Store.code)
    return stmt if actor.all_stores else stmt.where(Store.id.in_(actor.store_ids))


def _filtered(actor: Actor, f: Filters):
    if f.kind and f.kind not in KINDS and f.kind not in AREAS:
        raise UnknownKind(_("未知的预警类型：%(kind)s", kind=f.kind))
    if f.status and f.status not in STATUSES:
        raise BadOutcome(_("未知的状态"))
    stmt = visible(actor)
    if f.kind in AREAS:   # a whole area (the old aid and points pages send auditors here with one)
        stmt = stmt.where(Flag.kind.like(f"{f.kind}.%"))
    elif f.kind:
        stmt = stmt.where(Flag.kind == f.kind)
    if f.store_id:
        stmt = stmt.where(Flag.store_id == f.store_id)
    if f.district_id:
        stmt = stmt.where(Flag.store_id.in_(select(Store.id).where(Store.district_id == f.district_id)))
    if f.person:
        stmt = stmt.where(exists().where(FlagPerson.flag_id == Flag.id, FlagPerson.person_id == f.person))
    if f.status:
        stmt = stmt.where(Flag.status == f.status)
    return stmt


def list_flags(session: Session, actor: Actor, filters: Filters | None = None, *,
               limit: int | None = 200) -> list[Flag]:
    """Flags ranked: most severe first, then the oldest period first (`limit=None`: all of them)."""
    stmt = (_filtered(actor, filters or Filters()).options(joinedload(Flag.store))
            .order_by(Flag.severity.desc(), Flag.period_start, Flag.raised_at).limit(limit))
    return list(session.scalars(stmt))


def flags_page(session: Session, actor: Actor, filters: Filters | None = None, *, page=1,
               per_page: int = PER_PAGE) -> Page:
    """One page of the ranked flags, with how many match (filtered in SQL to the actor's scope)."""
    stmt = (_filtered(actor, filters or Filters()).options(joinedload(Flag.store))
            .order_by(Flag.severity.desc(), Flag.period_start, Flag.raised_at, Flag.id))
    return offset_page(session, stmt, page=page, per_page=per_page)


def get_flag(session: Session, actor: Actor, flag_id) -> Flag:
    """One flag the actor may see; NotFound otherwise (another district's, or a manager's own)."""
    flag = session.scalars(visible(actor).where(Flag.id == flag_id)).first()
    if flag is None:
        raise NotFound(_("该预警不存在或不在您的管辖范围"))
    return flag


@dataclass
class Counts:
    by_kind: dict = field(default_factory=dict)
    by_store: list = field(default_factory=list)   # [(code, name, n)]
    weeks: list = field(default_factory=list)      # [(monday, raised, resolved)]


def counts(session: Session, actor: Actor, filters: Filters, *, now: datetime, weeks: int = 8) -> Counts:
    """Open flags per kind and per store (under the filters), and raised vs resolved per week."""
    base = _filtered(actor, filters).subquery()
    out = Counts()
    out.by_kind = dict(session.execute(select(base.c.kind, func.count()).group_by(base.c.kind)).all())
    out.by_store = [tuple(r) for r in session.execute(
        select(Store.code, Store.name, func.count()).join(base, base.c.store_id == Store.id)
        .group_by(Store.code, Store.name).order_by(func.count().desc(), Store.code).limit(20)).all()]
    start_day = local_date(now) - timedelta(days=local_date(now).weekday() + 7 * (weeks - 1))
    all_status = _filtered(actor, Filters(kind=filters.kind, store_id=filters.store_id,
                                          district_id=filters.district_id, person=filters.person, status=None))
    since = now - timedelta(days=7 * weeks + 7)
    rows = session.execute(all_status.with_only_columns(Flag.raised_at, Flag.resolved_at)
                           .where((Flag.raised_at >= since) | (Flag.resolved_at >= since))).all()
    raised, resolved = {}, {}
    for r in rows:
        for at, bucket in ((r.raised_at, raised), (r.resolved_at, resolved)):
            if at is not None:
                day = local_date(at)
                monday = day - timedelta(days=day.weekday())
                bucket[monday] = bucket.get(monday, 0) + 1
    out.weeks = [(start_day + timedelta(weeks=i), raised.get(start_day + timedelta(weeks=i), 0),
                  resolved.get(start_day + timedelta(weeks=i), 0)) for i in range(weeks)]
    return out


def people_history(session: Session, actor: Actor, flag: Flag) -> list[Flag]:
    """Other flags the actor may see about any person of this flag, newest first."""
    ids = [p["id"] for p in flag.people]
    if not ids:
        return []
    same = exists().where(FlagPerson.flag_id == Flag.id, FlagPerson.person_id.in_(ids))
    return list(session.scalars(visible(actor).where(same, Flag.id != flag.id)
                                .order_by(Flag.raised_at.desc()).limit(50)))


def person_names(session: Session, actor: Actor, flags: list[Flag]) -> dict[str, str]:
    """person id -> what the actor is shown: staff by username and display name, residents, donors and
    households masked (张*明)."""
    from ..aid.models import Household
    from ..intake.models import Donor
    from ..points.models import Resident

    wanted: dict[str, set] = {}
    for f in flags:
        for p in f.people:
            wanted.setdefault(p["type"], set()).add(p["id"])
    names: dict[str, str] = {}
    sources = {"user": (User, lambda u: f"{u.display_name}（{u.username}）"),
               "resident": (Resident, lambda r: mask_name(r.name)),
               "donor": (Donor, lambda d: d.name if d.kind != "person" else mask_name(d.name)),
               "household": (Household, lambda h: f"{h.code} {mask_name(h.head_name)}")}
    for person_type, ids in wanted.items():
        model, show = sources.get(person_type, (None, None))
        if model is None:
            continue
        keys = [uuid.UUID(i) for i in ids]
        for row in session.scalars(select(model).where(model.id.in_(keys))):
            names[str(row.id)] = show(row)
    return names


def _check_note(note: str | None) -> str:
    note = (note or "").strip()
    if not note:
        raise NoteRequired(_("请填写说明"), fields={"note": [_("请填写说明")]})
    return note[:500]


def resolve(session: Session, actor: Actor, flag_id, *, outcome: str, note: str, now: datetime) -> Flag:
    """open → explained or confirmed, with a note. Nobody resolves a flag about themselves."""
    if outcome not in OUTCOMES:
        raise BadOutcome(_("结论只能是“已解释”或“已确认”"), fields={"outcome": [_("请选择结论")]})
    note = _check_note(note)
    flag = get_flag(session, actor, flag_id)
    if any(p["type"] == "user" and p["id"] == str(actor.user_id) for p in flag.people):
        raise AboutYourself(_("不能处理与自己有关的预警"))
    with unit_of_work(session):
        done = session.execute(update(Flag).where(Flag.id == flag.id, Flag.status == "open")
                               .values(status=outcome, resolved_at=now, resolved_by=actor.username,
                                       resolution_note=note)).rowcount
        if not done:
            raise NotOpen(_("该预警已处理"))
        audit.record(session, actor, f"flags.{outcome}", subject_type="flags", subject_id=flag.id,
                     summary={"kind": flag.kind, "note": note}, store_id=flag.store_id, now=now)
    session.refresh(flag)
    return flag


def close(session: Session, actor: Actor, flag_id, *, now: datetime) -> Flag:
    """explained/confirmed → closed, by a district auditor or the federation."""
    require(actor.role in (Role.DISTRICT_AUDITOR, Role.FEDERATION_ADMIN), _("只有区县慈善会和市慈善总会可以关闭预警"))
    flag = get_flag(session, actor, flag_id)
    if any(p["type"] == "user" and p["id"] == str(actor.user_id) for p in flag.people):
        raise AboutYourself(_("不能处理与自己有关的预警"))
    with unit_of_work(session):
        done = session.execute(update(Flag).where(Flag.id == flag.id, Flag.status.in_(OUTCOMES))
                               .values(status="closed", closed_at=now, closed_by=actor.username)).rowcount
        if not done:
            raise NotResolved(_("只能关闭已解释或已确认的预警"))
        audit.record(session, actor, "flags.closed", subject_type="flags", subject_id=flag.id,
                     summary={"kind": flag.kind}, store_id=flag.store_id, now=now)
    session.refresh(flag)
    return flag
