"""Pledges (认捐 / 承诺捐赠): promised money or goods with a due date, fulfilled by later donations, and the
overdue list with its follow-ups (F-06: tracked to receipt, overdue > 30 days flagged and followed up).
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from .. import audit
from ..auth.permissions import Actor, STORE_ROLES, get_scoped, is_manager_of, require, scope
from ..clock import local_today
from ..errors import InvalidInput, NotFound
from ..uow import unit_of_work
from .donors import get_donor
from .errors import PledgeClosed
from .models import PLEDGE_KINDS, Donation, Donor, Pledge, PledgeFollowUp

DEFAULT_OVERDUE_DAYS = 30
MAX_PLEDGE_FEN = 1_000_000_000  # ¥10,000,000


@dataclass(frozen=True)
class PledgeInput:
    donor_id: uuid.UUID
    kind: str
    amount_fen: int
    due_date: date
    description: str = ""


def today_local(now: datetime) -> date:
    return local_today(now)


def create_pledge(session: Session, actor: Actor, data: PledgeInput, *, now: datetime) -> Pledge:
    """Register a promise by a donor of the actor's store. The due date may not lie before today."""
    require(actor.role in STORE_ROLES and actor.store_id is not None, _("只有门店员工可以登记认捐"))
    donor = get_donor(session, actor, data.donor_id)
    if donor.store_id != actor.store_id:
        raise InvalidInput(_("只能为本店登记的捐赠人登记认捐"), fields={"donor_id": [_("捐赠人不属于本店")]})
    errors = {}
    if data.kind not in PLEDGE_KINDS:
        errors["kind"] = [_("请选择认捐款项或物资")]
    if not isinstance(data.amount_fen, int) or isinstance(data.amount_fen, bool) \
            or not 0 < data.amount_fen <= MAX_PLEDGE_FEN:
        errors["amount_fen"] = [_("金额须大于 0 且不超过 1000 万元")]
    today = today_local(now)
    if data.due_date < today:
        errors["due_date"] = [_("到期日不能早于今天")]
    if data.kind == "goods" and not (data.description or "").strip():
        errors["description"] = [_("请说明认捐的物资")]
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], fields=errors)
    with unit_of_work(session):
        pledge = Pledge(store_id=actor.store_id, donor_id=donor.id, kind=data.kind, amount_fen=data.amount_fen,
                        description=(data.description or "").strip()[:200], pledged_on=today,
                        due_date=data.due_date, created_by_name=actor.username)
        session.add(pledge)
        session.flush()
        audit.record(session, actor, "intake.pledge_created", pledge,
                     {"amount_fen": data.amount_fen, "kind": data.kind, "due": data.due_date.isoformat()},
                     store_id=actor.store_id, now=now)
    return pledge


def get_pledge(session: Session, actor: Actor, pledge_id) -> Pledge:
    """A pledge the actor may see; NotFound otherwise (another store's ids leak nothing)."""
    try:
        return get_scoped(session, actor, Pledge, pledge_id)
    except NotFound:
        raise NotFound(_("认捐记录不存在")) from None


# A pledge still to be honoured: open and not yet wholly paid.
_OPEN_UNPAID = (Pledge.status == "open", Pledge.fulfilled_fen < Pledge.amount_fen)


def _base(actor: Actor):
    return scope(select(Pledge), actor, Pledge).options(selectinload(Pledge.donor).selectinload(Donor.store),
                                                        selectinload(Pledge.follow_ups))


def list_pledges(session: Session, actor: Actor, *, include_closed: bool = False, donor_id=None,
                 limit: int = 200) -> list[Pledge]:
    """Pledges of the actor's stores, soonest due first; by default only those still open and unpaid."""
    stmt = _base(actor)
    if donor_id is not None:
        stmt = stmt.where(Pledge.donor_id == donor_id)
    if not include_closed:
        stmt = stmt.where(*_OPEN_UNPAID)
    return list(session.scalars(stmt.order_by(Pledge.due_date, Pledge.created_at).limit(limit)))


def iter_pledges(session: Session, actor: Actor):
    """Every open, unpaid pledge of the list (no cap), in its order, read in batches: the list's download."""
    stmt = _base(actor).where(*_OPEN_UNPAID).order_by(Pledge.due_date, Pledge.created_at, Pledge.id)
    yield from session.scalars(stmt.execution_options(yield_per=500))


def _overdue(actor: Actor, now: datetime, days: int):
    return _base(actor).where(*_OPEN_UNPAID, Pledge.due_date < today_local(now) - timedelta(days=days))


def overdue_pledges(session: Session, actor: Actor, *, now: datetime, days: int = DEFAULT_OVERDUE_DAYS,
                    store_id=None) -> list[Pledge]:
    """Open pledges not wholly paid more than `days` after their due date (诺而不捐), oldest first."""
    stmt = _overdue(actor, now, days)
    if store_id is not None:
        stmt = stmt.where(Pledge.store_id == store_id)
    return list(session.scalars(stmt.order_by(Pledge.due_date, Pledge.created_at)))


def overdue_page(session: Session, actor: Actor, *, now: datetime, page=1, days: int = DEFAULT_OVERDUE_DAYS):
    """A page (paging.offset_page, 50 a page) of overdue_pledges, with their total: a city's federation has
    hundreds of them, and one unbounded list also cost a statement more per 500 pledges (selectin loads)."""
    from ..paging import offset_page

    stmt = _overdue(actor, now, days).order_by(Pledge.due_date, Pledge.created_at, Pledge.id)
    return offset_page(session, stmt, page=page)


def count_open(session: Session, actor: Actor) -> int:
    """How many open, unpaid pledges the list covers (it shows the first 200; the download holds them all)."""
    from ..paging import count

    return count(session, _base(actor).where(*_OPEN_UNPAID))


def days_overdue(pledge: Pledge, now: datetime) -> int:
    return max((today_local(now) - pledge.due_date).days, 0)


def add_follow_up(session: Session, actor: Actor, pledge_id, *, note: str, next_contact_on: date | None,
                  now: datetime) -> PledgeFollowUp:
    """Note a contact with the donor about the pledge (who, when, what was said)."""
    pledge = get_pledge(session, actor, pledge_id)
    require(actor.role in STORE_ROLES and pledge.store_id in actor.store_ids, _("只有本店员工可以记录跟进"))
    note = (note or "").strip()
    if not note:
        raise InvalidInput(_("请填写跟进情况"), fields={"note": [_("请填写跟进情况")]})
    if next_contact_on is not None and next_contact_on < today_local(now):
        raise InvalidInput(_("下次联系日期不能早于今天"), fields={"next_contact_on": [_("日期不能早于今天")]})
    with unit_of_work(session):
        row = PledgeFollowUp(store_id=pledge.store_id, pledge_id=pledge.id, contacted_at=now, note=note[:500],
                             next_contact_on=next_contact_on, actor_name=actor.username)
        session.add(row)
        session.flush()
        audit.record(session, actor, "intake.pledge_followed_up", pledge, {"note": note[:100]},
                     store_id=pledge.store_id, now=now)
    return row


def cancel_pledge(session: Session, actor: Actor, pledge_id, *, reason: str, now: datetime) -> Pledge:
    """The store manager closes a pledge that will not be paid, with the reason (kept on the register)."""
    pledge = get_pledge(session, actor, pledge_id)
    require(is_manager_of(actor, pledge.store_id), _("只有店长可以撤销认捐"))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("请填写撤销原因"), fields={"reason": [_("请填写撤销原因")]})
    with unit_of_work(session):
        done = session.execute(update(Pledge).where(Pledge.id == pledge.id, Pledge.status == "open")
                               .values(status="cancelled", cancel_reason=reason[:200]))
        if done.rowcount != 1:
            raise PledgeClosed(_("该认捐已撤销"))
        audit.record(session, actor, "intake.pledge_cancelled", pledge, {"reason": reason[:100]},
                     store_id=pledge.store_id, now=now)
    session.refresh(pledge)
    return pledge


def pledge_for_donation(session: Session, actor: Actor, pledge_id, donor: Donor | None) -> Pledge:
    """The pledge a donation fulfils: open, of the same store and of the same donor."""
    pledge = get_pledge(session, actor, pledge_id)
    if pledge.store_id != actor.store_id:
        raise NotFound(_("认捐记录不存在"))
    if pledge.status != "open":
        raise PledgeClosed(_("该认捐已撤销，不能再兑现"))
    if donor is None or pledge.donor_id != donor.id:
        raise InvalidInput(_("兑现认捐的捐赠人须是认捐人本人"), fields={"pledge_id": [_("捐赠人与认捐人不一致")]})
    return pledge


def add_fulfilment(session: Session, pledge: Pledge, amount_fen: int) -> None:
    """Move the pledge's fulfilled cache with one atomic UPDATE inside the donation's transaction."""
    session.execute(update(Pledge).where(Pledge.id == pledge.id)
                    .values(fulfilled_fen=Pledge.fulfilled_fen + amount_fen))


def fulfilling_donations(session: Session, pledge: Pledge) -> list[Donation]:
    """The donations linked to a pledge (same store as the pledge, which the caller has already checked)."""
    return list(session.scalars(select(Donation).where(Donation.pledge_id == pledge.id)
                                .order_by(Donation.received_at)))
