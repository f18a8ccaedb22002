"""The monthly close (结账公示) of stores, corrections, the district auditor's review and the calendar.

A manager previews the month (`preview`), checks it and confirms (`close_month`, with the digest of what they saw,
so figures that moved in between are refused). Closing freezes the figures as version 1 together with the head of
the store's audit chain. A correction (`correct`) is a new version with a reason and the list of what changed; the
old version stays, marked superseded. `close_months` closes many stores at once with the same rules (the batch
path of the CLI and the bench): one query per figure group for all of them.
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import audit
from ..audit.models import AuditChainHead
from ..auth.permissions import Actor, Role, is_manager_of, require, scope
from ..clock import local_date, local_today, month_start, next_month, previous_month
from ..errors import InvalidInput, NotFound
from ..inventory.models import PeriodClose
from ..settings import setting
from ..stores.models import Store
from ..uow import unit_of_work
from . import figures as fig
from .errors import (AlreadyClosed, DisclosureNotFound, FiguresChanged, NotReviewable, PreviousMonthOpen,
                     ReasonRequired, StockPeriodOpen)
from .models import Disclosure

GENESIS = "0" * 64


@dataclass(frozen=True)
class Preview:
    store_id: uuid.UUID
    month: date
    figures: dict
    figures_sha256: str


def due_on(month: date) -> date:
    """Monthly figures are due by the 10th of the next month (standard F-04, A-05); `DISCLOSURE_DUE_DAY`."""
    return next_month(month).replace(day=int(setting("DISCLOSURE_DUE_DAY", 10)))


def _store(session: Session, actor: Actor, store_id) -> Store:
    store = session.get(Store, store_id) if store_id else None
    if store is None or not actor.can_see_store(store.id):
        raise NotFound(_("找不到该门店"))
    return store


def _require_closer(actor: Actor, store_id) -> None:
    require(is_manager_of(actor, store_id) or actor.role is Role.FEDERATION_ADMIN,
            _("只有本店店长可以结账公示"))


def preview(session: Session, actor: Actor, store_id, month: date) -> Preview:
    """The month's figures as they would be frozen now (nothing written)."""
    store = _store(session, actor, store_id)
    _require_closer(actor, store.id)
    first = month_start(month)
    figures = fig.month_figures(session, [store.id], first)[store.id]
    return Preview(store.id, first, figures, fig.digest(figures))


def _refusals(session: Session, store_ids: list, first: date) -> dict:
    """{store_id: error} for the stores that may not close `first`: stock period open, a month skipped or this
    month already closed. Three set-based reads for all the stores."""
    closed_stock = dict(session.execute(select(PeriodClose.store_id, func.max(PeriodClose.month))
                                        .where(PeriodClose.store_id.in_(store_ids))
                                        .group_by(PeriodClose.store_id)).all())
    last_disclosed = dict(session.execute(select(Disclosure.store_id, func.max(Disclosure.month))
                                          .where(Disclosure.store_id.in_(store_ids))
                                          .group_by(Disclosure.store_id)).all())
    out = {}
    for sid in store_ids:
        last = last_disclosed.get(sid)
        stock = closed_stock.get(sid)
        if last is not None and first <= last:
            out[sid] = AlreadyClosed(_("%(month)s 已经结账公示；如需更正，请发布更正版本", month=first.strftime("%Y-%m")))
        elif stock is None or stock < first:
            out[sid] = StockPeriodOpen(_("%(month)s 的库存尚未结账，请先在库存中结账", month=first.strftime("%Y-%m")))
        elif last is not None and last < previous_month(first):
            out[sid] = PreviousMonthOpen(_("请先结账公示 %(month)s", month=next_month(last).strftime("%Y-%m")))
    return out


def _heads(session: Session, store_ids: list) -> dict:
    rows = session.execute(select(AuditChainHead.chain, AuditChainHead.seq, AuditChainHead.hash)
                           .where(AuditChainHead.chain.in_([str(s) for s in store_ids])))
    return {uuid.UUID(chain): (seq, h) for chain, seq, h in rows}


def _new_version(actor: Actor, store_id, first: date, version: int, figures: dict, head, *, now: datetime,
                 reason: str = "", changes=(), supersedes_id=None) -> Disclosure:
    seq, head_hash = head
    return Disclosure(id=uuid.uuid4(), store_id=store_id, month=first, version=version, status="published",
                      figures=fig.canonical(figures), figures_sha256=fig.digest(figures),
                      chain_head_hash=head_hash, chain_event_count=seq, closed_by_id=actor.user_id,
                      closed_by_name=actor.username, published_at=now, due_on=due_on(first), reason=reason,
                      changes=json.dumps(list(changes), ensure_ascii=False), supersedes_id=supersedes_id,
                      created_at=now)


def close_month(session: Session, actor: Actor, store_id, month: date, *, now: datetime,
                expected_sha256: str | None = None) -> Disclosure:
    """Close and publish `month` for the store (version 1). `expected_sha256` is the digest of the figures the
    manager checked; if the ledgers moved since, FiguresChanged. Raises StockPeriodOpen, PreviousMonthOpen,
    AlreadyClosed, Forbidden, NotFound."""
    store = _store(session, actor, store_id)
    _require_closer(actor, store.id)
    first = month_start(month)
    if next_month(first) > local_today(now):
        raise InvalidInput(_("只能结账已经结束的月份"), fields={"month": [_("该月份尚未结束")]})
    try:
        with unit_of_work(session):
            if (err := _refusals(session, [store.id], first).get(store.id)) is not None:
                raise err
            figures = fig.month_figures(session, [store.id], first)[store.id]
            if expected_sha256 and fig.digest(figures) != expected_sha256:
                raise FiguresChanged(_("核对以来数字已有变化，请重新核对后再确认"))
            head = _heads(session, [store.id]).get(store.id, (0, GENESIS))
            row = _new_version(actor, store.id, first, 1, figures, head, now=now)
            session.add(row)
            session.flush()
            audit.record(session, actor, "disclosure.published", row,
                         {"month": first.strftime("%Y-%m"), "version": 1, "figures_sha256": row.figures_sha256,
                          "chain_head_hash": row.chain_head_hash}, store_id=store.id, now=now)
    except IntegrityError:  # a second tablet closed the same month a moment ago (the unique version 1)
        raise AlreadyClosed(_("%(month)s 已经结账公示；如需更正，请发布更正版本", month=first.strftime("%Y-%m"))) from None
    return row


@dataclass(frozen=True)
class BatchResult:
    closed: list
    refused: dict


def close_months(session: Session, actor: Actor, month: date, store_ids=None, *, now: datetime) -> BatchResult:
    """Close `month` for many stores at once (the federation's batch, the CLI, the bench): the same rules as
    close_month, the figures read in one query per group for all of them, one transaction. Stores that may not
    close are returned in `refused` with their error; the others are published."""
    require(actor.role is Role.FEDERATION_ADMIN, _("只有市慈善总会可以批量结账"))
    first = month_start(month)
    if next_month(first) > local_today(now):
        raise InvalidInput(_("只能结账已经结束的月份"), fields={"month": [_("该月份尚未结束")]})
    ids = list(store_ids) if store_ids is not None else list(session.scalars(select(Store.id).order_by(Store.code)))
    with unit_of_work(session):
        refused = _refusals(session, ids, first)
        ok = [s for s in ids if s not in refused]
        all_figures = fig.month_figures(session, ok, first)
        heads = _heads(session, ok)
        rows = [_new_version(actor, sid, first, 1, all_figures[sid], heads.get(sid, (0, GENESIS)), now=now)
                for sid in ok]
        session.add_all(rows)
        session.flush()
        for row in rows:
            audit.record(session, actor, "disclosure.published", row,
                         {"month": first.strftime("%Y-%m"), "version": 1, "figures_sha256": row.figures_sha256,
                          "chain_head_hash": row.chain_head_hash}, store_id=row.store_id, now=now)
    return BatchResult(rows, refused)


def correct(session: Session, actor: Actor, disclosure_id, reason: str, *, now: datetime) -> Disclosure:
    """Publish a correction of the month: the figures read again, a new version with the reason and what
    changed; the version it replaces stays public, marked superseded. A correction goes back to the auditor."""
    old = get(session, actor, disclosure_id)
    _require_closer(actor, old.store_id)
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired(_("更正必须说明原因"), fields={"reason": [_("请填写更正原因")]})
    if old.status != "published":
        raise NotReviewable(_("只能更正最新版本"))
    with unit_of_work(session):
        figures = fig.month_figures(session, [old.store_id], old.month)[old.store_id]
        changes = fig.changed_paths(json.loads(old.figures), figures)
        head = _heads(session, [old.store_id]).get(old.store_id, (0, GENESIS))
        # Guarded: of two corrections at once, only one supersedes the version.
        done = session.execute(update(Disclosure).where(Disclosure.id == old.id, Disclosure.status == "published")
                               .values(status="superseded")).rowcount
        if done != 1:
            raise NotReviewable(_("只能更正最新版本"))
        row = _new_version(actor, old.store_id, old.month, old.version + 1, figures, head, now=now,
                           reason=reason[:500], changes=changes, supersedes_id=old.id)
        session.add(row)
        session.flush()
        audit.record(session, actor, "disclosure.corrected", row,
                     {"month": old.month.strftime("%Y-%m"), "version": row.version, "reason": row.reason,
                      "changes": changes, "figures_sha256": row.figures_sha256,
                      "chain_head_hash": row.chain_head_hash}, store_id=old.store_id, now=now)
    return row


def review(session: Session, actor: Actor, disclosure_id, *, accept: bool, note: str = "",
           now: datetime) -> Disclosure:
    """The district auditor accepts the latest version, or returns it with a note (the store then corrects)."""
    row = get(session, actor, disclosure_id)
    require(actor.role in (Role.DISTRICT_AUDITOR, Role.FEDERATION_ADMIN), _("只有区县审核员可以审核公示"))
    note = (note or "").strip()
    if not accept and not note:
        raise InvalidInput(_("退回必须填写意见"), fields={"note": [_("请填写退回意见")]})
    if row.status != "published":
        raise NotReviewable(_("只能审核最新版本"))
    with unit_of_work(session):
        row.review_status = "accepted" if accept else "returned"
        row.review_note = note[:500]
        row.reviewed_by_name = actor.username
        row.reviewed_at = now
        audit.record(session, actor, "disclosure.accepted" if accept else "disclosure.returned", row,
                     {"month": row.month.strftime("%Y-%m"), "version": row.version, "note": row.review_note},
                     store_id=row.store_id, now=now)
    return row


def get(session: Session, actor: Actor, disclosure_id) -> Disclosure:
    row = session.get(Disclosure, disclosure_id) if disclosure_id else None
    if row is None or not actor.can_see_store(row.store_id):
        raise DisclosureNotFound(_("没有找到该公示"))
    return row


def versions(session: Session, store_id, month: date) -> list[Disclosure]:
    """Every version of a store's month, newest first (public: all versions are public)."""
    return list(session.scalars(select(Disclosure).where(Disclosure.store_id == store_id,
                                                         Disclosure.month == month_start(month))
                                .order_by(Disclosure.version.desc())))


def list_for(session: Session, actor: Actor, *, store_id=None, month: date | None = None) -> list[Disclosure]:
    """The versions the actor may see, scoped, newest month first."""
    stmt = scope(select(Disclosure), actor, Disclosure)
    if store_id:
        stmt = stmt.where(Disclosure.store_id == store_id)
    if month:
        stmt = stmt.where(Disclosure.month == month_start(month))
    return list(session.scalars(stmt.order_by(Disclosure.month.desc(), Disclosure.store_id,
                                              Disclosure.version.desc()).limit(500)))


@dataclass(frozen=True)
class CalendarRow:
    store: Store
    month: date
    due_on: date
    published_on: date | None      # local date of version 1
    latest: Disclosure | None

    @property
    def late(self) -> bool:
        return self.published_on is not None and self.published_on > self.due_on

    def overdue(self, today: date) -> bool:
        return self.published_on is None and today > self.due_on


def calendar(session: Session, actor: Actor, month: date) -> list[CalendarRow]:
    """Each store the actor sees, for `month`: due date, when it was first published (late if after the 10th)
    and the latest version with its review. The district's lateness list; `lateness` gives it to the standard."""
    first = month_start(month)
    stores = list(session.scalars(scope(select(Store), actor, Store, Store.id).order_by(Store.code)))
    rows = list(session.scalars(select(Disclosure).where(Disclosure.month == first,
                                                         Disclosure.store_id.in_([s.id for s in stores]))))
    by_store: dict = {}
    for r in rows:
        by_store.setdefault(r.store_id, []).append(r)
    out = []
    for s in stores:
        vs = sorted(by_store.get(s.id, []), key=lambda r: r.version)
        out.append(CalendarRow(s, first, due_on(first), local_date(vs[0].published_at) if vs else None,
                               vs[-1] if vs else None))
    return out


def lateness(session: Session, month: date, store_ids) -> dict:
    """Seam for the standard (F-04 / A-05): {store_id: (published_on or None, on_time: bool)} for `month`,
    one query for all the stores."""
    first = month_start(month)
    due = due_on(first)
    firsts = dict(session.execute(select(Disclosure.store_id, func.min(Disclosure.published_at))
                                  .where(Disclosure.month == first, Disclosure.store_id.in_(list(store_ids)))
                                  .group_by(Disclosure.store_id)).all())
    out = {}
    for sid in store_ids:
        at = firsts.get(sid)
        day = local_date(at) if at else None
        out[sid] = (day, day is not None and day <= due)
    return out
