"""Livestream and charity-sale sessions (直播义买): registered before they start, for an open project; sales
tagged to them at the till (a session mode the cashier switches on) and by importing the platform's orders;
reconciled (platform total, recorded sales, money received) and closed by a manager with an explanation of any
difference; the result published within 15 days."""
from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from .. import audit
from ..auth.permissions import Actor, Role, STORE_ROLES, get_scoped, require, scope
from ..catalog.models import Item
from ..errors import InvalidInput, NotFound
from ..paging import Page, offset_page
from ..sales.shifts import current_shift
from ..uow import unit_of_work
from . import importer, ledger
from .errors import (ExplanationRequired, NotReconciled, OrdersElsewhere, ProjectNotOpen, SessionClosed,
                     SessionStarted, TillModeOn)
from .models import PLATFORMS, Allocation, ColumnMap, LiveOrder, LiveSession, OrderImport, TillMode
from .projects import get_project

PUBLISH_WITHIN = timedelta(days=15)
MAX_FEN = 1_000_000_000
_SESSIONS = LiveSession.__table__


@dataclass(frozen=True)
class SessionInput:
    project_id: uuid.UUID
    title: str
    platform: str
    host: str
    starts_at: datetime
    ends_at: datetime
    goods: tuple = ()          # (item_id, qty)


@dataclass(frozen=True)
class ImportResult:
    import_id: uuid.UUID
    rows: int
    added: int
    already: int
    total_fen: int
    replayed: bool


@dataclass(frozen=True)
class Reconciliation:
    session: LiveSession
    till_fen: int
    orders_fen: int
    platform_total_fen: int | None
    received_fen: int | None

    @property
    def recorded_fen(self) -> int:
        return self.till_fen + self.orders_fen

    @property
    def platform_difference_fen(self) -> int | None:
        """What the platform reported minus the platform orders recorded here."""
        return None if self.platform_total_fen is None else self.platform_total_fen - self.orders_fen

    @property
    def received_difference_fen(self) -> int | None:
        """Money received minus all sales recorded for the session."""
        return None if self.received_fen is None else self.received_fen - self.recorded_fen

    @property
    def balanced(self) -> bool:
        return self.platform_difference_fen == 0 and self.received_difference_fen == 0

    @property
    def publish_by(self) -> datetime | None:
        s = self.session
        return s.closed_at + PUBLISH_WITHIN if s.closed_at else None


def _is_manager(actor: Actor, store_id) -> bool:
    return actor.role is Role.FEDERATION_ADMIN or (actor.role is Role.STORE_MANAGER and store_id in actor.store_ids)


def get_session(session: Session, actor: Actor, session_id) -> LiveSession:
    try:
        sid = uuid.UUID(str(session_id))
    except ValueError:
        raise NotFound() from None
    return get_scoped(session, actor, LiveSession, sid)


def list_sessions(session: Session, actor: Actor, *, project_id=None, limit: int = 200, offset: int = 0):
    return list(session.scalars(_sessions(actor, project_id).limit(limit).offset(offset)))


def _sessions(actor: Actor, project_id=None):
    # each row shows its project and store: loaded with the rows
    stmt = scope(select(LiveSession), actor, LiveSession).options(joinedload(LiveSession.project),
                                                                  joinedload(LiveSession.store))
    if project_id is not None:
        stmt = stmt.where(LiveSession.project_id == project_id)
    return stmt.order_by(LiveSession.starts_at.desc(), LiveSession.id)


def sessions_page(session: Session, actor: Actor, *, page=1) -> Page:
    """One page of the sessions the actor may see, newest first, with how many there are."""
    return offset_page(session, _sessions(actor), page=page)


def register_session(session: Session, actor: Actor, data: SessionInput, *, now: datetime) -> LiveSession:
    """Register a session of the actor's store before it starts, for an open project the store may raise for.
    Raises ProjectNotOpen (a draft or closed project), SessionStarted, InvalidInput."""
    store_id = actor.store_id
    require(actor.role in STORE_ROLES and store_id is not None, _("只有门店员工可以登记直播"))
    errors = {}
    if data.platform not in PLATFORMS:
        errors["platform"] = [_("平台无效")]
    for name in ("title", "host"):
        if not (getattr(data, name) or "").strip():
            errors[name] = [_("必填")]
    if data.ends_at <= data.starts_at:
        errors["ends_at"] = [_("结束时间须晚于开始时间")]
    elif data.ends_at - data.starts_at > timedelta(hours=24):
        errors["ends_at"] = [_("一场直播不超过 24 小时")]
    goods = []
    for n, (item_id, qty) in enumerate(data.goods):
        if not isinstance(qty, int) or not 0 < qty <= 100_000 or session.get(Item, item_id) is None:
            errors.setdefault("goods", {})[n] = [_("物品或数量无效")]
        goods.append((item_id, qty))
    if errors:
        raise InvalidInput(_("输入有误，请检查标出的内容"), fields=errors)
    if data.starts_at <= now:
        raise SessionStarted(_("直播须在开始前登记"), fields={"starts_at": [_("开始时间已过")]})
    try:
        project = get_project(session, actor, data.project_id)
    except NotFound:
        raise InvalidInput(fields={"project_id": [_("项目不存在")]}) from None
    if project.status != "open":
        raise ProjectNotOpen(_("项目未在进行中（草稿或已结束），不能为其直播"),
                             fields={"project_id": [_("项目未在进行中")]})
    with unit_of_work(session):
        row = LiveSession(store_id=store_id, project_id=project.id, title=data.title.strip(), platform=data.platform,
                          host=data.host.strip(), starts_at=data.starts_at, ends_at=data.ends_at,
                          status="registered", registered_by_name=actor.username, created_at=now)
        session.add(row)
        session.flush()
        for n, (item_id, qty) in enumerate(goods, start=1):
            session.add(Allocation(session_id=row.id, line_no=n, item_id=item_id, qty=qty))
        audit.record(session, actor, "projects.session_registered", row,
                     {"title": row.title, "platform": row.platform, "project": project.title,
                      "goods": len(goods)}, store_id=store_id, now=now)
    return row


def _require_registered(row: LiveSession) -> None:
    if row.status != "registered":
        raise SessionClosed(_("该场直播已结束对账，不能再修改"))


# --- the till's session mode -----------------------------------------------------------------------------

def till_mode(session: Session, actor: Actor) -> TillMode | None:
    """The session mode the actor's till is in, if any."""
    shift = current_shift(session, actor)
    if shift is None:
        return None
    return session.scalar(select(TillMode).where(TillMode.open_shift_id == shift.id))


def start_till_mode(session: Session, actor: Actor, session_id, *, now: datetime) -> TillMode:
    """From now on, the sales of the actor's open shift belong to the session. Raises TillModeOn,
    SessionClosed, NoOpenShift."""
    from ..sales.shifts import get_current_shift

    row = get_session(session, actor, session_id)
    require(actor.role in STORE_ROLES and row.store_id == actor.store_id, _("只有本店收银员可以切换"))
    _require_registered(row)
    shift = get_current_shift(session, actor)
    try:
        with unit_of_work(session):
            mode = TillMode(store_id=row.store_id, session_id=row.id, shift_id=shift.id, started_at=now,
                            open_shift_id=shift.id, actor_name=actor.username)
            session.add(mode)
            session.flush()
            audit.record(session, actor, "projects.till_mode_on", row, {"shift": shift.number,
                                                                        "title": row.title},
                         store_id=row.store_id, now=now)
    except IntegrityError:
        raise TillModeOn(_("收银台已处于直播模式，请先退出")) from None
    return mode


def stop_till_mode(session: Session, actor: Actor, session_id=None, *, now: datetime) -> TillMode | None:
    """Back to ordinary sales (from `session_id`'s mode, when given: another store's session is NotFound)."""
    if session_id is not None:
        get_session(session, actor, session_id)
    mode = till_mode(session, actor)
    if mode is None:
        return None
    with unit_of_work(session):
        mode.ended_at, mode.open_shift_id = now, None
        audit.record(session, actor, "projects.till_mode_off", mode, {"session_id": str(mode.session_id)},
                     store_id=mode.store_id, now=now)
    return mode


# --- platform orders -------------------------------------------------------------------------------------

def columns_for(session: Session, store_id, platform: str) -> importer.Columns:
    row = session.get(ColumnMap, (store_id, platform))
    if row is not None:
        return importer.Columns(row.order_col, row.amount_col, row.time_col, row.status_col)
    return importer.Columns(*importer.DEFAULT_COLUMNS[platform])


def map_columns(session: Session, actor: Actor, platform: str, columns: importer.Columns, *,
                now: datetime) -> ColumnMap:
    """The store's headers for a platform's export, set once (a manager)."""
    store_id = actor.store_id
    require(actor.role is Role.STORE_MANAGER and store_id is not None, _("只有店长可以设置列对应"))
    if platform not in PLATFORMS:
        raise InvalidInput(fields={"platform": [_("平台无效")]})
    for name in ("order_col", "amount_col", "time_col"):
        if not getattr(columns, name).strip():
            raise InvalidInput(fields={name: [_("必填")]})
    with unit_of_work(session):
        row = session.get(ColumnMap, (store_id, platform)) or ColumnMap(store_id=store_id, platform=platform)
        row.order_col, row.amount_col = columns.order_col.strip(), columns.amount_col.strip()
        row.time_col, row.status_col = columns.time_col.strip(), columns.status_col.strip()
        session.add(row)
        audit.record(session, actor, "projects.columns_mapped", None,
                     {"platform": platform, "columns": [row.order_col, row.amount_col, row.time_col,
                                                        row.status_col]},
                     subject_type="live_column_maps", subject_id=platform, store_id=store_id, now=now)
    return row


def import_orders(session: Session, actor: Actor, session_id, data: bytes, *, filename: str = "",
                  now: datetime) -> ImportResult:
    """Import the platform's order file for the session: all rows checked first, nothing written when one is
    bad; the same file again, or orders already taken, add nothing. Raises BadOrderFile, OrdersElsewhere,
    SessionClosed."""
    row = get_session(session, actor, session_id)
    require(actor.role in STORE_ROLES and row.store_id in actor.store_ids, _("只有本店员工可以导入订单"))
    _require_registered(row)
    digest = hashlib.sha256(data).hexdigest()
    earlier = session.scalar(select(OrderImport).where(OrderImport.session_id == row.id, OrderImport.sha256 == digest))
    if earlier is not None:
        return ImportResult(earlier.id, earlier.row_count, 0, earlier.row_count, earlier.total_fen, True)
    orders = importer.parse(importer.decode(data), columns_for(session, row.store_id, row.platform),
                            starts_at=row.starts_at, ends_at=row.ends_at)
    numbers = [o.order_no for o in orders]
    taken = {}
    for start in range(0, len(numbers), 500):
        for no, sid in session.execute(select(LiveOrder.order_no, LiveOrder.session_id).where(
                LiveOrder.platform == row.platform, LiveOrder.order_no.in_(numbers[start:start + 500]))):
            taken[no] = sid
    elsewhere = {o.line: [_("订单已导入到另一场直播")] for o in orders if taken.get(o.order_no, row.id) != row.id}
    if elsewhere:
        raise OrdersElsewhere(_("有 %(n)d 个订单已属于另一场直播，整个文件未导入", n=len(elsewhere)),
                              fields={"rows": elsewhere})
    new = [o for o in orders if o.order_no not in taken]
    total = sum(o.amount_fen for o in new if o.counted)
    try:
        with unit_of_work(session):
            batch = OrderImport(session_id=row.id, sha256=digest, filename=(filename or "")[-120:],
                                row_count=len(orders), added_count=len(new), total_fen=total,
                                actor_name=actor.username, created_at=now)
            session.add(batch)
            session.flush()
            if new:
                session.execute(LiveOrder.__table__.insert(), [
                    {"id": uuid.uuid4(), "session_id": row.id, "import_id": batch.id, "platform": row.platform,
                     "order_no": o.order_no, "amount_fen": o.amount_fen, "ordered_at": o.ordered_at,
                     "counted": o.counted} for o in new])
            audit.record(session, actor, "projects.orders_imported", row,
                         {"file_sha256": digest, "order_rows": len(orders), "added": len(new), "total_fen": total},
                         store_id=row.store_id, now=now)
    except IntegrityError:  # the same file or the same orders, sent twice at once: the other one took them
        return import_orders(session, actor, session_id, data, filename=filename, now=now)
    return ImportResult(batch.id, len(orders), len(new), len(orders) - len(new), total, False)


# --- reconciliation, close, publication ------------------------------------------------------------------

def reconciliation(session: Session, actor: Actor, session_id) -> Reconciliation:
    row = get_session(session, actor, session_id)
    till, orders = ledger.session_recorded(session, [row.id])[row.id]
    return Reconciliation(row, till, orders, row.platform_total_fen, row.received_fen)


def record_totals(session: Session, actor: Actor, session_id, *, platform_total_fen: int, received_fen: int,
                  now: datetime) -> Reconciliation:
    """The platform's reported total and the money received, typed in from their statements."""
    row = get_session(session, actor, session_id)
    require(actor.role in STORE_ROLES and row.store_id in actor.store_ids, _("只有本店员工可以对账"))
    _require_registered(row)
    errors = {name: [_("金额无效")] for name, v in (("platform_total_fen", platform_total_fen),
                                                   ("received_fen", received_fen))
              if not isinstance(v, int) or not 0 <= v <= MAX_FEN}
    if errors:
        raise InvalidInput(_("输入有误，请检查标出的内容"), fields=errors)
    with unit_of_work(session):
        row.platform_total_fen, row.received_fen = platform_total_fen, received_fen
        audit.record(session, actor, "projects.session_totals_recorded", row,
                     {"platform_total_fen": platform_total_fen, "received_fen": received_fen},
                     store_id=row.store_id, now=now)
    return reconciliation(session, actor, session_id)


def close_session(session: Session, actor: Actor, session_id, *, explanation: str, now: datetime) -> Reconciliation:
    """A manager closes the session: with its totals recorded, after it ended, and with an explanation when
    anything differs. Raises NotReconciled, ExplanationRequired, SessionClosed."""
    row = get_session(session, actor, session_id)
    require(_is_manager(actor, row.store_id), _("只有店长可以结束对账"))
    _require_registered(row)
    rec = reconciliation(session, actor, session_id)
    if rec.platform_total_fen is None or rec.received_fen is None:
        raise NotReconciled(_("请先录入平台结算总额和实收金额"))
    if now < row.ends_at:
        raise NotReconciled(_("直播尚未结束"))
    explanation = (explanation or "").strip()
    if not rec.balanced and len(explanation) < 4:
        msg = _("对账有差异，须说明原因")
        raise ExplanationRequired(msg, fields={"explanation": [msg]})
    with unit_of_work(session):
        # Guarded: of two managers closing at once, one closes and the other is told it is closed.
        done = session.execute(update(_SESSIONS).where(_SESSIONS.c.id == row.id, _SESSIONS.c.status == "registered")
                               .values(status="closed", closed_at=now, closed_by_name=actor.username,
                                       explanation=explanation[:500])).rowcount
        if done != 1:
            raise SessionClosed(_("该场直播已结束对账，不能再修改"))
        audit.record(session, actor, "projects.session_closed", row,
                     {"recorded_fen": rec.recorded_fen, "platform_total_fen": rec.platform_total_fen,
                      "received_fen": rec.received_fen, "platform_difference_fen": rec.platform_difference_fen,
                      "received_difference_fen": rec.received_difference_fen, "explanation": explanation},
                     store_id=row.store_id, now=now)
    session.refresh(row)
    return reconciliation(session, actor, session_id)


def record_publication(session: Session, actor: Actor, session_id, *, where: str, now: datetime) -> LiveSession:
    """Where and when the session's result was published (the public page itself is the disclosure issue's)."""
    row = get_session(session, actor, session_id)
    require(_is_manager(actor, row.store_id), _("只有店长可以登记公示"))
    if row.status != "closed":
        raise NotReconciled(_("请先结束对账再公示"))
    if not (where or "").strip():
        raise InvalidInput(fields={"where": [_("请填写公示位置（网址或公告栏）")]})
    with unit_of_work(session):
        row.published_at, row.publication = now, where.strip()[:300]
        audit.record(session, actor, "projects.session_published", row,
                     {"where": row.publication, "on_time": now <= row.closed_at + PUBLISH_WITHIN},
                     store_id=row.store_id, now=now)
    return row
