"""Publicity (公示) and objections, the decision, and what the certificate and its public page read. The
decision is the truth of a store's star; `stores.star_level` is kept as its cache."""
from __future__ import annotations

import secrets
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import audit
from ..auth.permissions import ANONYMOUS, Actor, Role, require
from ..clock import add_months, local_today, utcnow
from ..errors import InvalidInput
from ..idempotency import run_once
from ..settings import setting
from ..stores.models import District, Store
from ..uow import unit_of_work
from .common import as_uuid, load, require_auditor, require_status, store_of
from .errors import AssessmentNotFound, ObjectionOpen, PublicityRunning, ReasonRequired, StarsNotAllowed
from .models import Assessment, Decision, Objection


# --- publicity ------------------------------------------------------------------------------------------------

def in_publicity(session, now: datetime | None = None) -> list[tuple[Assessment, Store]]:
    """The results shown on the public pages now (no personal data: store, stars proposed, total, rules)."""
    now = now or utcnow()
    return list(session.execute(
        select(Assessment, Store).join(Store, Store.id == Assessment.store_id)
        .where(Assessment.status == "publicity", Assessment.publicity_ends > now).order_by(Store.code)).all())


def public_assessment(session, assessment_id, now: datetime | None = None) -> tuple[Assessment, Store]:
    now = now or utcnow()
    a = session.get(Assessment, as_uuid(assessment_id)) if as_uuid(assessment_id) else None
    if a is None or a.status != "publicity":
        raise AssessmentNotFound(_("该评定结果不在公示期内"))
    return a, store_of(session, a)


def object_to(session, assessment_id, *, text: str, contact: str = "", now: datetime | None = None) -> Objection:
    """Anyone may object during publicity, without logging in; the answer is a reference number."""
    now = now or utcnow()
    a, _store = public_assessment(session, assessment_id, now)
    if now >= a.publicity_ends:
        raise PublicityRunning(_("公示期已结束，不再受理异议"))
    text = str(text or "").strip()
    if not 5 <= len(text) <= 1000:
        raise InvalidInput(_("异议内容须为 5 到 1000 字"), fields={"text": [_("异议内容须为 5 到 1000 字")]})
    contact = str(contact or "").strip()[:100]
    with unit_of_work(session):
        row = Objection(assessment_id=a.id, reference=_reference(now), text=text, contact=contact, created_at=now)
        session.add(row)
        session.flush()
        audit.record(session, ANONYMOUS, "rating.objection", row, {"reference": row.reference, "length": len(text)},
                     store_id=a.store_id, now=now)
    return row


def _reference(now: datetime) -> str:
    return f"YY{local_today(now):%y%m%d}-{secrets.token_hex(3).upper()}"


def objections(session, assessment_id) -> list[Objection]:
    return list(session.scalars(select(Objection).where(Objection.assessment_id == assessment_id)
                                .order_by(Objection.created_at)))


def answer_objection(session, actor: Actor, assessment_id, reference: str, *, answer: str, idempotency_key=None,
                     now: datetime | None = None) -> Objection:
    now = now or utcnow()
    a = load(session, actor, assessment_id)
    require_auditor(actor, a)
    row = session.scalar(select(Objection).where(Objection.assessment_id == a.id,
                                                 Objection.reference == str(reference or "").strip().upper()))
    if row is None:
        raise AssessmentNotFound(_("找不到该异议"))
    answer = str(answer or "").strip()
    if not answer or len(answer) > 1000:
        raise ReasonRequired(_("请填写对异议的答复"), fields={"answer": [_("请填写对异议的答复")]})

    def write(claim):
        if row.answered_at is not None:
            raise ObjectionOpen(_("该异议已答复"))
        with unit_of_work(session):
            row.answer, row.answered_by, row.answered_at = answer, actor.username, now
            claim.record(session, row.id)
            audit.record(session, actor, "rating.objection_answer", row, {"reference": row.reference},
                         store_id=a.store_id, now=now)
        return row
    return run_once(session, actor, kind="rating.objection_answer", key=idempotency_key,
                    payload={"id": str(row.id), "answer": answer}, write=write,
                    load=lambda rid: session.get(Objection, as_uuid(rid)))[0]


# --- the decision ---------------------------------------------------------------------------------------------

def decide(session, actor: Actor, assessment_id, *, stars: int, reasons: list[str] = (), idempotency_key=None,
           now: datetime | None = None) -> Decision:
    """Rated N stars (N ≤ what the gates allow and ≤ the star applied for) or not rated (0, with reasons).
    The district decides up to 3 stars; 4 and 5 stars are the city's confirmation."""
    now = now or utcnow()
    a = load(session, actor, assessment_id)
    if isinstance(stars, bool) or not isinstance(stars, int) or not 0 <= stars <= 5:
        raise InvalidInput(_("星级须为 0 到 5"), fields={"stars": [_("星级须为 0 到 5")]})
    if stars >= 4:
        require(actor.role is Role.FEDERATION_ADMIN, _("四星、五星由市慈善总会确认"))
    else:
        require_auditor(actor, a)
    reasons = [str(r).strip()[:200] for r in (reasons or []) if str(r).strip()]
    payload = {"id": str(a.id), "stars": stars, "reasons": reasons}

    def write(claim):
        require_status(a, "publicity")
        if any(o.answered_at is None for o in objections(session, a.id)):
            raise ObjectionOpen(_("公示期内的异议尚未全部答复，不能作出决定"))
        if now < a.publicity_ends:
            raise PublicityRunning(_("公示期至 %(end)s 结束，结束后方可作出决定",
                                     end=local_today(a.publicity_ends).isoformat()))
        if stars > min(a.stars_applied or 0, a.stars_allowed or 0):
            raise StarsNotAllowed(_("评定星级不能高于申请星级和得分允许的星级（%(n)d 星）",
                                    n=min(a.stars_applied or 0, a.stars_allowed or 0)))
        if stars == 0 and not reasons:
            raise ReasonRequired(_("不予评定须写明理由"), fields={"reasons": [_("请写明理由")]})
        store = store_of(session, a)
        with unit_of_work(session):
            for old in session.scalars(select(Decision).where(Decision.store_id == a.store_id,
                                                              Decision.status == "valid")):
                old.status, old.status_reason, old.status_at = "replaced", _("由新的评定决定取代"), now
            today = local_today(now)
            years = int(setting("RATING_VALIDITY_YEARS", 3))
            row = Decision(store_id=a.store_id, assessment_id=a.id, number=_number(session, store, now),
                           stars=stars, reasons=reasons, decided_by=actor.username, decided_at=now,
                           valid_from=today, valid_until=add_months(today, 12 * years),
                           status="valid" if stars else "not_rated", status_at=now,
                           reapply_after=add_months(today, int(setting("RATING_REAPPLY_MONTHS", 12))),
                           token=secrets.token_urlsafe(16))
            session.add(row)
            a.status = "decided"
            store.star_level = stars or None
            session.flush()
            claim.record(session, row.id)
            audit.record(session, actor, "rating.decide", row,
                         {"assessment": str(a.id), "number": row.number, "stars": stars, "reasons": reasons,
                          "valid_until": row.valid_until.isoformat()}, store_id=a.store_id, now=now)
        return row
    return run_once(session, actor, kind="rating.decide", key=idempotency_key, payload=payload, write=write,
                    load=lambda rid: session.get(Decision, as_uuid(rid)))[0]


def _number(session, store: Store, now: datetime) -> str:
    district = session.get(District, store.district_id)
    year = local_today(now).year
    prefix = f"{district.code}-{year}-"
    n = session.scalar(select(func.count()).select_from(Decision).where(Decision.number.like(f"{prefix}%"))) or 0
    return f"{prefix}{n + 1:04d}"


# --- the star now ---------------------------------------------------------------------------------------------

def holds_star(d: Decision | None, today: date) -> bool:
    return d is not None and d.status == "valid" and d.stars > 0 and d.valid_from <= today <= d.valid_until


def star_state(d: Decision, today: date) -> str:
    """valid, expired (past its validity, whatever the job has recorded yet), suspended, revoked, downgraded."""
    return "expired" if d.status == "valid" and today > d.valid_until else d.status


def current_decision(session, store_id) -> Decision | None:
    """The store's latest decision (whatever its status)."""
    return session.scalars(select(Decision).where(Decision.store_id == store_id)
                           .order_by(Decision.decided_at.desc()).limit(1)).first()


def by_token(session, token: str) -> tuple[Decision, Store] | None:
    row = session.scalar(select(Decision).where(Decision.token == str(token or "")[:32]))
    return (row, session.get(Store, row.store_id)) if row else None


def decisions_of(session, store_id) -> list[Decision]:
    return list(session.scalars(select(Decision).where(Decision.store_id == store_id)
                                .order_by(Decision.decided_at.desc())))


def change_status(session, actor: Actor, d: Decision, status: str, *, reason: str, now: datetime | None = None,
                  reapply_months: int | None = None) -> Decision:
    """Revoke (RL-2: re-application after 24 months), suspend (RL-4) or reinstate a star; the store's cached
    star follows (inside the caller's transaction)."""
    now = now or utcnow()
    d.status, d.status_reason, d.status_at = status, reason[:300], now
    if reapply_months is not None:
        d.reapply_after = max(d.reapply_after, add_months(local_today(now), reapply_months))
    store = session.get(Store, d.store_id)
    store.star_level = d.stars if status == "valid" else None
    audit.record(session, actor, f"rating.{status}", d, {"number": d.number, "reason": reason},
                 store_id=d.store_id, now=now)
    return d


def revoke(session, actor: Actor, d: Decision, *, reason: str, now: datetime | None = None) -> Decision:
    with unit_of_work(session):
        return change_status(session, actor, d, "revoked", reason=reason, now=now,
                             reapply_months=int(setting("RATING_REAPPLY_AFTER_REVOCATION_MONTHS", 24)))
