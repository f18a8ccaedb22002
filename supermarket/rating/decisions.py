"""Publicity (公示) and objections, the decision, and what the certificate and its public page read. The
decision is the truth of a store's star; `stores.star_level` is kept as its cache."""
from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta

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
from .common import as_uuid, load, require_auditor, require_open_round, require_status, store_of
from .errors import (AssessmentNotFound, DecisionLate, ObjectionOpen, OutOfOrder, PublicityRunning, ReasonRequired,
                     StarsNotAllowed)
from .models import Assessment, Decision, Objection, RatingRound


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
        require_open_round(session, a)
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

def decision_due(a: Assessment) -> date | None:
    """The last day for the decision: RATING_DECISION_DAYS (15) days after the publicity ends."""
    if a.publicity_ends is None:
        return None
    return local_today(a.publicity_ends) + timedelta(days=int(setting("RATING_DECISION_DAYS", 15)))


def decision_overdue(a: Assessment, today: date) -> bool:
    """Still waiting for its decision past the last day (shown in red to the federation and the district)."""
    due = decision_due(a)
    return a.status == "publicity" and due is not None and today > due


def decide(session, actor: Actor, assessment_id, *, stars: int, reasons: list[str] = (), late_reason: str = "",
           idempotency_key=None, now: datetime | None = None) -> Decision:
    """Rated N stars (N ≤ what the gates allow and ≤ the star applied for) or not rated (0, with reasons).
    The district decides up to 3 stars; 4 and 5 stars are the city's confirmation. Past the decision's last day
    (decision_due) the decision is still taken — a store is not left without one — but only with the reason
    for the delay, kept on the decision and in the audit chain."""
    now = now or utcnow()
    a = load(session, actor, assessment_id)
    if isinstance(stars, bool) or not isinstance(stars, int) or not 0 <= stars <= 5:
        raise InvalidInput(_("星级须为 0 到 5"), fields={"stars": [_("星级须为 0 到 5")]})
    if stars >= 4:
        require(actor.role is Role.FEDERATION_ADMIN, _("四星、五星由市慈善总会确认"))
    else:
        require_auditor(actor, a)
    reasons = [str(r).strip()[:200] for r in (reasons or []) if str(r).strip()]
    late_reason = str(late_reason or "").strip()
    if len(late_reason) > 300:
        raise InvalidInput(_("最多 300 个字"), fields={"late_reason": [_("最多 300 个字")]})
    payload = {"id": str(a.id), "stars": stars, "reasons": reasons, "late": late_reason}

    def write(claim):
        require_open_round(session, a)
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
        due = decision_due(a)
        late = due is not None and local_today(now) > due
        if late and not late_reason:
            msg = _("已超过决定期限（%(due)s），请写明逾期原因", due=due.isoformat())
            raise DecisionLate(msg, fields={"late_reason": [msg]})
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
                           token=secrets.token_urlsafe(16), late_reason=late_reason if late else "")
            session.add(row)
            a.status = "decided"
            store.star_level = stars or None
            session.flush()
            claim.record(session, row.id)
            audit.record(session, actor, "rating.decide", row,
                         {"assessment": str(a.id), "number": row.number, "stars": stars, "reasons": reasons,
                          "valid_until": row.valid_until.isoformat(), "due": due.isoformat() if due else None,
                          "late_reason": row.late_reason}, store_id=a.store_id, now=now)
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


# --- closing the round ----------------------------------------------------------------------------------------

PENDING = ("submitted", "returned", "onsite", "publicity")


def close_round(session, actor: Actor, round_id, *, idempotency_key=None, now: datetime | None = None) -> RatingRound:
    """Close a round once its deadline has passed and every assessment submitted in it is decided (drafts never
    submitted lapse with it). Whoever opens such a round closes it: the district's auditor, the federation for a
    city round. Nothing in a closed round can be changed afterwards."""
    now = now or utcnow()
    rnd = session.get(RatingRound, as_uuid(round_id)) if as_uuid(round_id) else None
    visible = rnd is not None and (actor.all_stores or rnd.district_id in actor.district_ids)
    if not visible:
        raise AssessmentNotFound(_("找不到该评定轮次"))
    if rnd.district_id is None:
        require(actor.role is Role.FEDERATION_ADMIN, _("全市的评定轮次由市慈善总会关闭"))
    else:
        require(actor.role is Role.DISTRICT_AUDITOR, _("区县的评定轮次由本区县慈善会关闭"))

    def write(claim):
        if rnd.status == "closed":
            raise OutOfOrder(_("本轮评定已关闭"))
        if local_today(now) <= rnd.deadline:
            raise OutOfOrder(_("截止日期（%(d)s）过后方可关闭本轮评定", d=rnd.deadline.isoformat()))
        pending = session.scalar(select(func.count()).select_from(Assessment).where(
            Assessment.round_id == rnd.id, Assessment.status.in_(PENDING))) or 0
        if pending:
            raise OutOfOrder(_("还有 %(n)d 份申请尚未作出决定，不能关闭", n=pending))
        lapsed = session.scalar(select(func.count()).select_from(Assessment).where(
            Assessment.round_id == rnd.id, Assessment.status == "draft")) or 0
        with unit_of_work(session):
            rnd.status, rnd.closed_by, rnd.closed_at = "closed", actor.username, now
            claim.record(session, rnd.id)
            audit.record(session, actor, "rating.round_close", rnd, {"name": rnd.name, "lapsed": lapsed}, now=now)
        return rnd
    return run_once(session, actor, kind="rating.round_close", key=idempotency_key, payload={"id": str(rnd.id)},
                    write=write, load=lambda rid: session.get(RatingRound, as_uuid(rid)))[0]
