"""Projects: create and open them, link money to them, spend it with a second person's approval, and post the
monthly progress update. Who may see a project: its store's staff, its district's auditor, the federation; a
district's or the city's project is seen by the stores under it."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import audit
from ..auth.models import User
from ..auth.permissions import Actor, Role, STORE_ROLES, require
from ..auth.service import Approval, verify_approver
from ..catalog.models import Category
from ..clock import local_today, month_start, next_month
from ..auth.errors import ApprovalFailed
from ..errors import InvalidInput, NotFound
from ..intake.models import MoneyLine, Donation
from ..stores.models import Store
from ..uow import unit_of_work
from . import files, ledger
from .errors import AlreadyDesignated, InsufficientBalance, ProjectNotOpen, UpdateExists
from .models import Advance, CategoryShare, Designation, Expenditure, ProgressUpdate, Project

MAX_FEN = 1_000_000_000  # ¥10,000,000: beyond any charity-shop project, so a typo
_PROJECTS = Project.__table__


@dataclass(frozen=True)
class ProjectInput:
    title: str
    purpose: str
    beneficiaries: str
    target_fen: int
    starts_on: date
    ends_on: date
    level: str = "store"       # store, district, city
    store_id: uuid.UUID | None = None
    district_id: uuid.UUID | None = None


@dataclass(frozen=True)
class ExpenditureInput:
    amount_fen: int
    payee: str
    purpose: str
    spent_on: date
    approval: Approval
    voucher: files.Upload | None = None


# --- who sees and who manages -----------------------------------------------------------------------------

def _district_ids(session: Session, actor: Actor) -> set:
    ids = set(actor.district_ids)
    if actor.store_ids and actor.role in STORE_ROLES:
        ids |= set(session.scalars(select(Store.district_id).where(Store.id.in_(actor.store_ids))))
    return ids


def visible(session: Session, actor: Actor, stmt):
    """Limit a select of projects to those the actor may see."""
    if actor.all_stores:
        return stmt
    return stmt.where(or_(Project.store_id.in_(actor.store_ids),
                          and_(Project.store_id.is_(None), Project.district_id.in_(_district_ids(session, actor))),
                          and_(Project.store_id.is_(None), Project.district_id.is_(None))))


def get_project(session: Session, actor: Actor, project_id) -> Project:
    """A project the actor may see; NotFound otherwise (another district's id says nothing)."""
    try:
        pid = uuid.UUID(str(project_id))
    except ValueError:
        raise NotFound() from None
    project = session.scalar(visible(session, actor, select(Project).where(Project.id == pid)))
    if project is None:
        raise NotFound()
    return project


def can_manage(actor: Actor, project: Project) -> bool:
    """Store projects: the store's manager; district projects: the district's auditor; all: the federation."""
    if actor.role is Role.FEDERATION_ADMIN:
        return True
    if project.store_id is not None:
        return actor.role is Role.STORE_MANAGER and project.store_id in actor.store_ids
    if project.district_id is not None:
        return actor.role is Role.DISTRICT_AUDITOR and project.district_id in actor.district_ids
    return False


def can_spend(actor: Actor, project: Project) -> bool:
    """Who enters an expenditure: the managers above, and a store project's own staff (a manager approves)."""
    return can_manage(actor, project) or (project.store_id is not None and actor.role in STORE_ROLES
                                          and project.store_id in actor.store_ids)


def list_projects(session: Session, actor: Actor, *, status: str | None = None, limit: int = 200,
                  offset: int = 0) -> list[Project]:
    stmt = visible(session, actor, select(Project))
    if status:
        stmt = stmt.where(Project.status == status)
    return list(session.scalars(stmt.order_by(Project.created_at.desc(), Project.id).limit(limit).offset(offset)))


# --- projects ---------------------------------------------------------------------------------------------

def _check_project(data: ProjectInput) -> None:
    errors = {}
    if not 0 < data.target_fen <= MAX_FEN:
        errors["target_fen"] = [_("目标金额无效")]
    if data.ends_on < data.starts_on:
        errors["ends_on"] = [_("结束日期不能早于开始日期")]
    for name in ("title", "purpose", "beneficiaries"):
        if not (getattr(data, name) or "").strip():
            errors[name] = [_("必填")]
    if errors:
        raise InvalidInput(_("输入有误，请检查标出的内容"), fields=errors)


def create_project(session: Session, actor: Actor, data: ProjectInput, *, now: datetime) -> Project:
    """A draft project at the actor's level (a store manager: their store; an auditor: their district; the
    federation: any). Raises Forbidden, InvalidInput."""
    _check_project(data)
    store_id = district_id = None
    if data.level == "store":
        store_id = data.store_id or actor.store_id
        require(store_id is not None and (actor.role is Role.FEDERATION_ADMIN or (
            actor.role is Role.STORE_MANAGER and store_id in actor.store_ids)), _("只有店长可以为本店建立项目"))
        store = session.get(Store, store_id)
        if store is None:
            raise NotFound()
        district_id = store.district_id
    elif data.level == "district":
        district_id = data.district_id or next(iter(actor.district_ids), None)
        require(district_id is not None and (actor.role is Role.FEDERATION_ADMIN or (
            actor.role is Role.DISTRICT_AUDITOR and district_id in actor.district_ids)),
            _("只有区县慈善会可以建立区县项目"))
    else:
        require(actor.role is Role.FEDERATION_ADMIN, _("只有市慈善总会可以建立全市项目"))
    with unit_of_work(session):
        project = Project(store_id=store_id, district_id=district_id, title=data.title.strip(),
                          purpose=data.purpose.strip(), beneficiaries=data.beneficiaries.strip(),
                          target_fen=data.target_fen, starts_on=data.starts_on, ends_on=data.ends_on,
                          status="draft", created_by_name=actor.username, created_at=now)
        session.add(project)
        session.flush()
        audit.record(session, actor, "projects.project_created", project,
                     {"title": project.title, "target_fen": project.target_fen}, store_id=store_id, now=now)
    return project


_NEXT_STATUS = {"open": ("draft",), "closed": ("open",)}


def set_status(session: Session, actor: Actor, project_id, status: str, *, now: datetime) -> Project:
    """Open a draft (it can then raise and spend) or close an open project. Raises ProjectNotOpen."""
    project = get_project(session, actor, project_id)
    require(can_manage(actor, project), _("您无权管理该项目"))
    if status not in _NEXT_STATUS or project.status not in _NEXT_STATUS[status]:
        raise ProjectNotOpen(_("项目当前状态不能进行此操作"))
    with unit_of_work(session):
        before = project.status
        project.status = status
        audit.record(session, actor, f"projects.project_{'opened' if status == 'open' else 'closed'}", project,
                     {"from": before, "to": status}, store_id=project.store_id, now=now)
    return project


def _lock(session: Session, project: Project) -> None:
    """Take the project's row lock (a no-op UPDATE): two spends of one project run one after the other, so the
    balance each reads is the one it spends from."""
    session.execute(update(_PROJECTS).where(_PROJECTS.c.id == project.id).values(status=_PROJECTS.c.status))


def _require_open(project: Project) -> None:
    if project.status != "open":
        raise ProjectNotOpen(_("项目未在进行中（草稿或已结束），不能记账"))


def designate(session: Session, actor: Actor, project_id, money_line_id, *, now: datetime) -> Designation:
    """Give a money donation's line to an open project. Raises AlreadyDesignated, ProjectNotOpen, NotFound."""
    project = get_project(session, actor, project_id)
    require(actor.role in STORE_ROLES or actor.role is Role.FEDERATION_ADMIN, _("您无权指定捐款用途"))
    line = session.get(MoneyLine, money_line_id) if money_line_id else None
    if line is None or not actor.can_see_store(line.store_id):
        raise NotFound(_("找不到该笔捐款"))
    if project.store_id is not None and project.store_id != line.store_id:
        raise NotFound(_("找不到该笔捐款"))
    _require_open(project)
    try:
        with unit_of_work(session):
            row = Designation(store_id=line.store_id, project_id=project.id, money_line_id=line.id,
                              donation_id=line.donation_id, amount_fen=line.amount_fen, designated_at=now,
                              actor_name=actor.username, created_at=now)
            session.add(row)
            session.flush()
            audit.record(session, actor, "projects.donation_designated", row,
                         {"project": project.title, "amount_fen": line.amount_fen}, store_id=line.store_id, now=now)
    except IntegrityError:
        raise AlreadyDesignated(_("这笔捐款已指定给项目")) from None
    return row


def set_category_share(session: Session, actor: Actor, project_id, category_id, share_bp: int, *,
                       now: datetime) -> CategoryShare:
    """The actor's store sends `share_bp` of a category's sales to the project from now on (0 stops it)."""
    project = get_project(session, actor, project_id)
    store_id = actor.store_id
    require(actor.role is Role.STORE_MANAGER and store_id is not None, _("只有店长可以设置"))
    if not isinstance(share_bp, int) or not 0 <= share_bp <= 10000:
        raise InvalidInput(fields={"share_bp": [_("比例须在 0 到 100% 之间")]})
    if session.get(Category, category_id) is None:
        raise InvalidInput(fields={"category_id": [_("类别不存在")]})
    if share_bp:
        _require_open(project)
    with unit_of_work(session):
        for old in session.scalars(select(CategoryShare).where(
                CategoryShare.store_id == store_id, CategoryShare.category_id == category_id,
                CategoryShare.project_id == project.id, CategoryShare.ends_at.is_(None))):
            old.ends_at = now
        row = None
        if share_bp:
            row = CategoryShare(store_id=store_id, project_id=project.id, category_id=category_id,
                                share_bp=share_bp, starts_at=now, created_at=now)
            session.add(row)
            session.flush()
        audit.record(session, actor, "projects.category_share_set", project,
                     {"category_id": str(category_id), "share_bp": share_bp}, store_id=store_id, now=now)
    return row


def _approver(session: Session, actor: Actor, project: Project, approval: Approval) -> User:
    """The second person: not the author; a manager of the project's store, an auditor of its district, or the
    federation. Raises ApprovalFailed."""
    if approval is None:
        raise InvalidInput(fields={"approval": [_("需要第二人审批")]})
    if project.store_id is not None:
        return verify_approver(session, project.store_id, approval.username, approval.secret,
                               not_user_id=actor.user_id)
    user = verify_approver(session, None, approval.username, approval.secret, roles=(Role.DISTRICT_AUDITOR,),
                           not_user_id=actor.user_id)
    if user.role != Role.FEDERATION_ADMIN.value and (project.district_id is None
                                                     or user.district_id != project.district_id):
        raise ApprovalFailed(_("确认人没有该项目的审批权限"))
    return user


def record_expenditure(session: Session, actor: Actor, project_id, data: ExpenditureInput, *,
                       now: datetime) -> Expenditure:
    """Spend from an open project, approved by a second person. Beyond the balance only under an approved
    advance (the spend is marked so). Raises InsufficientBalance, ProjectNotOpen, ApprovalFailed, BadUpload."""
    project = get_project(session, actor, project_id)
    require(can_spend(actor, project), _("您无权为该项目记支出"))
    errors = {}
    if not isinstance(data.amount_fen, int) or not 0 < data.amount_fen <= MAX_FEN:
        errors["amount_fen"] = [_("金额无效")]
    for name in ("payee", "purpose"):
        if not (getattr(data, name) or "").strip():
            errors[name] = [_("必填")]
    if errors:
        raise InvalidInput(_("输入有误，请检查标出的内容"), fields=errors)
    _require_open(project)
    if data.voucher is not None:  # checked before the approver's password is hashed or anything is locked
        files.check(data.voucher, field="voucher", allow_pdf=True)
    approver = _approver(session, actor, project, data.approval)
    with unit_of_work(session):
        _lock(session, project)
        figures = ledger.figures(session, [project.id])[project.id]
        if data.amount_fen > figures.headroom_fen:
            raise InsufficientBalance(
                _("项目余额不足：余额 %(balance)s 元，本次 %(amount)s 元；超支须先记录经批准的垫支",
                  balance=_yuan(figures.balance_fen), amount=_yuan(data.amount_fen)),
                balance_fen=figures.balance_fen, advances_fen=figures.advances_fen)
        voucher = (files.stored(session, project.id, "voucher", data.voucher, field="voucher", allow_pdf=True)
                   if data.voucher is not None else None)
        row = Expenditure(project_id=project.id, amount_fen=data.amount_fen, payee=data.payee.strip(),
                          purpose=data.purpose.strip(), spent_on=data.spent_on,
                          voucher_id=voucher.id if voucher else None, entered_by_id=actor.user_id,
                          entered_by_name=actor.username, approver_id=approver.id, approver_name=approver.username,
                          over_balance=data.amount_fen > figures.balance_fen, created_at=now)
        session.add(row)
        session.flush()
        audit.record(session, actor, "projects.expenditure_recorded", row,
                     {"project": project.title, "amount_fen": row.amount_fen, "payee": row.payee,
                      "approver": approver.username, "over_balance": row.over_balance,
                      "voucher_sha256": voucher.sha256 if voucher else None}, store_id=project.store_id, now=now)
    return row


def record_advance(session: Session, actor: Actor, project_id, *, amount_fen: int, reason: str,
                   approval: Approval, now: datetime) -> Advance:
    """An approved advance (垫支), recorded as such: the project may then spend that much beyond its balance."""
    project = get_project(session, actor, project_id)
    require(can_spend(actor, project), _("您无权为该项目记垫支"))
    if not isinstance(amount_fen, int) or not 0 < amount_fen <= MAX_FEN:
        raise InvalidInput(fields={"amount_fen": [_("金额无效")]})
    if not (reason or "").strip():
        raise InvalidInput(fields={"reason": [_("请写明垫支原因")]})
    _require_open(project)
    approver = _approver(session, actor, project, approval)
    with unit_of_work(session):
        row = Advance(project_id=project.id, amount_fen=amount_fen, reason=reason.strip(),
                      entered_by_id=actor.user_id, entered_by_name=actor.username, approver_id=approver.id,
                      approver_name=approver.username, created_at=now)
        session.add(row)
        session.flush()
        audit.record(session, actor, "projects.advance_recorded", row,
                     {"project": project.title, "amount_fen": amount_fen, "approver": approver.username},
                     store_id=project.store_id, now=now)
    return row


def post_update(session: Session, actor: Actor, project_id, *, text: str, photo: files.Upload | None = None,
                now: datetime) -> ProgressUpdate:
    """This month's progress update (one per month). Raises UpdateExists, BadUpload."""
    project = get_project(session, actor, project_id)
    require(can_spend(actor, project), _("您无权更新该项目"))
    if not (text or "").strip():
        raise InvalidInput(fields={"text": [_("请填写进展")]})
    if photo is not None:
        files.check(photo, field="photo", allow_pdf=False)
    month = month_start(local_today(now))
    try:
        with unit_of_work(session):
            stored = files.stored(session, project.id, "update_photo", photo, field="photo",
                                  allow_pdf=False) if photo is not None else None
            row = ProgressUpdate(project_id=project.id, month=month, text=text.strip()[:2000],
                                 photo_id=stored.id if stored else None, author_name=actor.username,
                                 posted_at=now, created_at=now)
            session.add(row)
            session.flush()
            audit.record(session, actor, "projects.update_posted", row, {"project": project.title,
                                                                          "month": month.isoformat()},
                         store_id=project.store_id, now=now)
    except IntegrityError:
        raise UpdateExists(_("本月进展已发布")) from None
    return row


def months_missing(session: Session, project: Project, *, now: datetime) -> list[date]:
    """The months, from the project's start to the current one, without a progress update (while open)."""
    if project.status == "draft":
        return []
    done = set(session.scalars(select(ProgressUpdate.month).where(ProgressUpdate.project_id == project.id)))
    last = min(month_start(local_today(now)), month_start(project.ends_on))
    months, month = [], month_start(project.starts_on)
    while month <= last:
        if month not in done:
            months.append(month)
        month = next_month(month)
    return months


def updates(session: Session, project: Project) -> list[ProgressUpdate]:
    return list(session.scalars(select(ProgressUpdate).where(ProgressUpdate.project_id == project.id)
                                .order_by(ProgressUpdate.month.desc())))


def expenditures(session: Session, project: Project) -> list[Expenditure]:
    return list(session.scalars(select(Expenditure).where(Expenditure.project_id == project.id)
                                .order_by(Expenditure.created_at.desc())))


def category_shares(session: Session, project: Project) -> list:
    """The store settings sending a share of a category's sales to the project, in force now or before."""
    return list(session.execute(
        select(CategoryShare, Category.name).join(Category, Category.id == CategoryShare.category_id)
        .where(CategoryShare.project_id == project.id).order_by(CategoryShare.starts_at.desc())).all())


def money_lines_to_designate(session: Session, actor: Actor, *, limit: int = 50) -> list:
    """The actor's store's money-donation lines not yet given to a project, newest first."""
    if actor.store_id is None:
        return []
    taken = select(Designation.money_line_id)
    return list(session.execute(
        select(MoneyLine, Donation.serial, Donation.received_at).join(Donation, Donation.id == MoneyLine.donation_id)
        .where(MoneyLine.store_id == actor.store_id, MoneyLine.id.not_in(taken))
        .order_by(Donation.received_at.desc()).limit(limit)).all())


def file_for(session: Session, actor: Actor, file_id):
    """An uploaded file, only when the actor may see its project."""
    from .models import Voucher

    row = session.get(Voucher, file_id)
    if row is None:
        raise NotFound()
    get_project(session, actor, row.project_id)
    return row


def _yuan(fen: int) -> str:
    return f"{fen / 100:.2f}"
