"""Complaints and feedback (投诉与反馈, O-05).

From the public page (no login, no personal data required: a contact is optional) or entered by staff from a
call or a visit. Each gets a reference the complainant can look up. Answered once, with its date; left unanswered
for `ANSWER_DAYS` it is on the district auditor's overdue list.

The public page is guarded without any per-process counter (DESIGN: several workers): a honeypot field, and a
limit of complaints per sender address per hour counted in the database on a keyed hash of the address.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..audit import service as audit
from ..auth.permissions import ANONYMOUS, Actor, Role, require, scope
from ..errors import InvalidInput
from ..settings import setting
from ..stores.models import Store
from ..uow import unit_of_work
from .common import store_for, writable_store
from .errors import AlreadyAnswered, ComplaintFlood, UnknownComplaint
from .models import COMPLAINT_CATEGORIES, Complaint

ANSWER_DAYS = 15
PUBLIC_PER_HOUR = 5
# No 0/O/1/I/L: read out over the phone without doubt. 8 characters of 31: not guessable, not enumerable.
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_reference() -> str:
    return "TS" + "".join(secrets.choice(_ALPHABET) for _ in range(8))


def source_hash(address: str | None) -> str:
    key = str(setting("SECRET_KEY", "") or "").encode()
    return hmac.new(key, (address or "").encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class PublicComplaintInput:
    store_code: str
    category: str
    text: str
    contact: str = ""
    honeypot: str = ""


@dataclass(frozen=True)
class PublicStatus:
    """What the public lookup shows: nothing personal, not even the complaint's own text."""

    reference: str
    store_code: str
    category: str
    received_at: datetime
    answered_at: datetime | None
    answer: str
    overdue: bool


def _check_category(category: str) -> None:
    if category not in COMPLAINT_CATEGORIES:
        raise InvalidInput(_("请选择类别"), fields={"category": [_("请选择类别")]})


def _insert(session: Session, actor: Actor, *, store_id, channel: str, category: str, text: str, contact: str,
            source: str, now: datetime) -> Complaint:
    text = text.strip()
    if not text:
        raise InvalidInput(_("请填写内容"), fields={"text": [_("请填写内容")]})
    with unit_of_work(session):
        row = Complaint(store_id=store_id, reference=new_reference(), channel=channel, category=category,
                        text=text, contact=contact.strip(), source_hash=source, received_at=now,
                        entered_by_id=actor.user_id, created_at=now)
        session.add(row)
        session.flush()
        audit.record(session, actor, "outreach.complaint_received", row,
                     {"reference": row.reference, "channel": channel, "category": category},
                     store_id=store_id, now=now)
    return row


def submit_public(session: Session, data: PublicComplaintInput, *, address: str | None, now: datetime
                  ) -> Complaint:
    """A complaint from the public page. Raises InvalidInput (unknown store, empty text, a filled honeypot) or
    ComplaintFlood (too many from this address within the hour); nothing is written then."""
    if data.honeypot:
        # Only a robot fills the field people cannot see.
        raise InvalidInput(_("提交未被接受，请刷新页面后重试"))
    store = session.scalar(select(Store).where(Store.code == (data.store_code or "").strip().upper()))
    if store is None:
        raise InvalidInput(_("请选择门店"), fields={"store_code": [_("请选择门店")]})
    _check_category(data.category)
    source = source_hash(address)
    limit = int(setting("OUTREACH_COMPLAINTS_PER_HOUR", PUBLIC_PER_HOUR))
    recent = session.scalar(select(func.count()).select_from(Complaint).where(
        Complaint.source_hash == source, Complaint.channel == "web",
        Complaint.received_at > now - timedelta(hours=1)))
    if recent >= limit:
        raise ComplaintFlood()
    return _insert(session, ANONYMOUS, store_id=store.id, channel="web", category=data.category, text=data.text,
                   contact=data.contact, source=source, now=now)


def record_complaint(session: Session, actor: Actor, *, channel: str, category: str, text: str,
                     contact: str = "", store_id=None, now: datetime) -> Complaint:
    """A complaint taken by staff from a call or a visit."""
    store_id = writable_store(actor, store_id)
    if channel not in ("phone", "visit"):
        raise InvalidInput(_("请选择来源"), fields={"channel": [_("请选择来源")]})
    _check_category(category)
    return _insert(session, actor, store_id=store_id, channel=channel, category=category, text=text,
                   contact=contact, source="", now=now)


def can_answer(actor: Actor, complaint: Complaint) -> bool:
    """The store's manager answers; the district or the federation may answer in its place."""
    return actor.can_see_store(complaint.store_id) and actor.role in (
        Role.STORE_MANAGER, Role.DISTRICT_AUDITOR, Role.FEDERATION_ADMIN)


def get_complaint(session: Session, actor: Actor, complaint_id) -> Complaint:
    row = session.get(Complaint, complaint_id) if complaint_id else None
    if row is None or not actor.can_see_store(row.store_id):
        raise UnknownComplaint()
    return row


def answer_complaint(session: Session, actor: Actor, complaint_id, answer: str, *, now: datetime) -> Complaint:
    """Answer once; the date is kept. Raises UnknownComplaint, Forbidden, AlreadyAnswered."""
    row = get_complaint(session, actor, complaint_id)
    require(can_answer(actor, row), _("只有店长或上级可以答复"))
    answer = answer.strip()
    if not answer:
        raise InvalidInput(_("请填写答复"), fields={"answer": [_("请填写答复")]})
    # Guarded: two people answering at once — the second finds it answered.
    with unit_of_work(session):
        done = session.execute(Complaint.__table__.update()
                               .where(Complaint.id == row.id, Complaint.answered_at.is_(None))
                               .values(answer=answer, answered_at=now, answered_by_id=actor.user_id))
        if done.rowcount != 1:
            raise AlreadyAnswered()
        audit.record(session, actor, "outreach.complaint_answered", row,
                     {"reference": row.reference, "days": (now - row.received_at).days},
                     store_id=row.store_id, now=now)
    session.refresh(row)
    return row


def list_complaints(session: Session, actor: Actor, *, store_id=None, unanswered: bool = False,
                    limit: int = 200) -> list[Complaint]:
    stmt = scope(select(Complaint), actor, Complaint)
    if store_id is not None:
        stmt = stmt.where(Complaint.store_id == store_for(actor, store_id))
    if unanswered:
        stmt = stmt.where(Complaint.answered_at.is_(None))
    return list(session.scalars(stmt.order_by(Complaint.received_at.desc()).limit(limit)))


def overdue(session: Session, actor: Actor, *, now: datetime) -> list[Complaint]:
    """Complaints unanswered for more than ANSWER_DAYS days, oldest first: the district auditor's list."""
    cutoff = now - timedelta(days=ANSWER_DAYS)
    stmt = scope(select(Complaint), actor, Complaint).where(Complaint.answered_at.is_(None),
                                                            Complaint.received_at < cutoff)
    return list(session.scalars(stmt.order_by(Complaint.received_at)))


def is_overdue(row: Complaint, now: datetime) -> bool:
    return row.answered_at is None and row.received_at < now - timedelta(days=ANSWER_DAYS)


def public_status(session: Session, reference: str, *, now: datetime) -> PublicStatus:
    """The complainant's look-up by reference. Raises UnknownComplaint."""
    ref = (reference or "").strip().upper()
    row = session.execute(select(Complaint, Store.code).join(Store, Store.id == Complaint.store_id)
                          .where(Complaint.reference == ref)).first() if ref else None
    if row is None:
        raise UnknownComplaint()
    c, code = row
    return PublicStatus(c.reference, code, c.category, c.received_at, c.answered_at, c.answer,
                        is_overdue(c, now))
