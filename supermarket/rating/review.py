"""`flask rating review-due` (wiring.JOBS `rating.review_due`): the time-driven steps, safe to run twice.

For every decision still in force:
- past its validity: expired;
- an RL-2 finding recorded after the decision (私分, 挪用, 截留, 侵占, fake invoices, off-book accounts): revoked,
  re-application after 24 months;
- an RL-4 finding not closed (penalty or investigation): suspended; reinstated once every RL-4 finding is closed;
- each anniversary: the yearly check recomputes the auto rules (recorded as a `yearly` proposal, done);
- the last two completed quarters both below the star's band (auto rules from the ledgers as of each quarter's
  end, self and audit rules as decided): a one-star downgrade proposed for the district to confirm — not for a
  single quarter's dip; RL-1 / RL-5 hit at a quarter's end: the downgrade the standard says, proposed likewise.
Every proposal has a unique key (decision, kind, period), so a second run finds it and adds nothing.
"""
from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from .. import audit
from ..auth.permissions import Actor, Role, require, system_actor
from ..clock import add_months, local_midnight_utc, local_today, quarter_start, utcnow
from ..errors import NotFound
from ..standards import standard as std
from ..idempotency import run_once
from ..stores.models import Store
from ..uow import unit_of_work
from . import decisions, score
from .common import as_uuid
from .errors import OutOfOrder, ProposalNotFound, ReasonRequired
from .models import Answer, Assessment, Decision, Finding, OnsiteCheck, Proposal, Review


def last_quarters(today: date, n: int = 2) -> list[date]:
    """The last days of the last `n` completed quarters, oldest first."""
    ends, day = [], today
    for _i in range(n):
        day = quarter_start(day) - timedelta(days=1)
        ends.append(day)
    return ends[::-1]


def quarter_score(session, d: Decision, quarter_end: date) -> score.Evaluation:
    """The store's score at the quarter's end: auto rules from the ledgers then, self and audit rules as the
    decided assessment graded them."""
    a = session.get(Assessment, d.assessment_id) if d.assessment_id else session.scalars(
        select(Assessment).where(Assessment.store_id == d.store_id, Assessment.status == "decided")
        .order_by(Assessment.accepted_at.desc()).limit(1)).first()
    doc = std.by_version(session, a.standard_version) or std.in_force(session)
    at = local_midnight_utc(quarter_end) + timedelta(hours=23)
    frozen = score.freeze(session, d.store_id, doc, at)
    answers = {r.rule_id: r.grade for r in session.scalars(select(Answer).where(Answer.assessment_id == a.id))}
    reviews = {r.rule_id: (r.grade, r.reason) for r in session.scalars(
        select(Review).where(Review.assessment_id == a.id).order_by(Review.reviewed_at))}
    check = session.scalar(select(OnsiteCheck).where(OnsiteCheck.assessment_id == a.id))
    return score.evaluate(doc, frozen, answers, reviews, check.items if check else None,
                          bool(check and check.passed), d.stars)


def _propose(session, actor, d: Decision, key: str, kind: str, reason: str, now: datetime, status="proposed"):
    if session.scalar(select(Proposal.id).where(Proposal.key == key)) is not None:
        return None
    row = Proposal(store_id=d.store_id, decision_id=d.id, key=key, kind=kind, reason=reason[:300], status=status,
                   created_at=now)
    session.add(row)
    session.flush()
    audit.record(session, actor, f"rating.proposal_{kind}", row, {"decision": d.number, "reason": reason},
                 store_id=d.store_id, now=now)
    return row


def review_due(session, now: datetime | None = None) -> dict:
    now = now or utcnow()
    today = local_today(now)
    actor = system_actor("rating.review_due")
    counts = {"expired": 0, "revoked": 0, "suspended": 0, "reinstated": 0, "yearly": 0, "proposed": 0}
    ids = list(session.scalars(select(Decision.id).where(Decision.status.in_(("valid", "suspended")),
                                                         Decision.stars > 0)))
    for decision_id in ids:
        d = session.get(Decision, decision_id)
        findings = list(session.scalars(select(Finding).where(Finding.store_id == d.store_id,
                                                              Finding.red_line.in_(("RL-2", "RL-4")))))
        with unit_of_work(session):
            if today > d.valid_until:
                decisions.change_status(session, actor, d, "expired", reason=_("有效期届满"), now=now)
                counts["expired"] += 1
                continue
            rl2 = [f for f in findings if f.red_line == "RL-2" and f.created_at >= d.decided_at]
            if rl2:
                decisions.change_status(session, actor, d, "revoked", now=now,
                                        reason=_("红线 RL-2：%(what)s", what=rl2[0].description),
                                        reapply_months=24)
                counts["revoked"] += 1
                continue
            rl4 = [f for f in findings if f.red_line == "RL-4" and f.status != "closed"]
            if rl4 and d.status == "valid":
                decisions.change_status(session, actor, d, "suspended", now=now,
                                        reason=_("红线 RL-4：%(what)s", what=rl4[0].description))
                counts["suspended"] += 1
                continue
            if not rl4 and d.status == "suspended":
                decisions.change_status(session, actor, d, "valid", reason=_("RL-4 事项已了结，恢复星级"), now=now)
                counts["reinstated"] += 1
        if d.status != "valid":
            continue
        counts["yearly"] += _yearly(session, actor, d, today, now)
        counts["proposed"] += _quarters(session, actor, d, today, now)
    return counts


def _yearly(session, actor, d: Decision, today: date, now: datetime) -> int:
    years = (today - d.valid_from).days // 365
    if years < 1:
        return 0
    key = f"yearly:{d.id}:{years}"
    if session.scalar(select(Proposal.id).where(Proposal.key == key)) is not None:
        return 0
    ev = quarter_score(session, d, today - timedelta(days=1))
    with unit_of_work(session):
        _propose(session, actor, d, key, "yearly", _("第 %(n)d 年年审：总分 %(total)s，得分允许 %(stars)d 星",
                                                     n=years, total=f"{ev.total:g}", stars=ev.stars), now,
                 status="done")
    return 1


def _quarters(session, actor, d: Decision, today: date, now: datetime) -> int:
    ends = [q for q in last_quarters(today) if q >= d.valid_from]
    if len(ends) < 2:
        return 0
    key = f"downgrade:{d.id}:{ends[0].isoformat()}:{ends[1].isoformat()}"
    checked = f"quarters:{d.id}:{ends[1].isoformat()}"
    if session.scalar(select(Proposal.id).where(Proposal.key.in_((key, checked)))) is not None:
        return 0  # this pair of quarters was looked at already: a daily run recomputes nothing
    doc = std.in_force(session, now=now)
    band = next((b for b in doc.stars if b.stars == d.stars), None)
    evs = [quarter_score(session, d, q) for q in ends]
    made = 0
    with unit_of_work(session):
        # The job's own note that these quarters were looked at (not a state change of the star: no event).
        session.add(Proposal(store_id=d.store_id, decision_id=d.id, key=checked, kind="checked", status="done",
                             reason=" / ".join(f"{q.isoformat()} {ev.total:g}" for q, ev in zip(ends, evs)),
                             created_at=now))
        if band is not None and all(ev.total + 1e-9 < band.min_total for ev in evs):
            made += bool(_propose(session, actor, d, key, "downgrade", _(
                "连续两个季度（%(q1)s、%(q2)s）总分 %(t1)s、%(t2)s，低于 %(n)d 星的 %(min)s 分", q1=ends[0].isoformat(),
                q2=ends[1].isoformat(), t1=f"{evs[0].total:g}", t2=f"{evs[1].total:g}", n=d.stars,
                min=f"{band.min_total:g}"), now))
        lines = {x.id: x for x in doc.red_lines}
        for hit in evs[-1].red_lines:
            line = lines.get(hit.id)
            if line is None or hit.id not in ("RL-1", "RL-5"):
                continue
            if line.effect == "cap" and (line.max_stars is None or d.stars <= int(line.max_stars)):
                continue
            made += bool(_propose(session, actor, d, f"{hit.id}:{d.id}:{ends[1].isoformat()}", "downgrade",
                                  _("红线 %(id)s：%(detail)s", id=hit.id, detail=hit.detail), now))
    return made


def proposals(session, actor: Actor, *, status: str | tuple | None = "proposed", store_id=None) -> list[Proposal]:
    stmt = select(Proposal).where(Proposal.kind == "downgrade").order_by(Proposal.created_at)
    if not actor.all_stores:
        stmt = stmt.where(Proposal.store_id.in_(actor.store_ids))
    if store_id is not None:
        stmt = stmt.where(Proposal.store_id == store_id)
    if isinstance(status, tuple):
        stmt = stmt.where(Proposal.status.in_(status))
    elif status:
        stmt = stmt.where(Proposal.status == status)
    return list(session.scalars(stmt))


def confirm_downgrade(session, actor: Actor, proposal_id, *, idempotency_key=None,
                      now: datetime | None = None) -> Decision:
    """The district confirms a proposed one-star downgrade: a new decision one star lower (same validity)
    replaces the old one. With an idempotency key, a replay answers the same new decision."""
    now = now or utcnow()
    p = session.get(Proposal, as_uuid(proposal_id)) if as_uuid(proposal_id) else None
    if p is None or not actor.can_see_store(p.store_id) or p.kind != "downgrade":
        raise NotFound(_("找不到该降级建议"))
    require(actor.role is Role.DISTRICT_AUDITOR, _("只有本区县慈善会审核员可以确认降级"))
    return run_once(session, actor, kind="rating.downgrade", key=idempotency_key, payload={"proposal": str(p.id)},
                    write=lambda claim: _confirm(session, actor, p, claim, now),
                    load=lambda rid: session.get(Decision, as_uuid(rid)))[0]


def _confirm(session, actor: Actor, p: Proposal, claim, now: datetime) -> Decision:
    old = session.get(Decision, p.decision_id)
    if p.status != "proposed" or old.status != "valid":
        raise OutOfOrder(_("该降级建议已处理或星级已不再有效"))
    with unit_of_work(session):
        old.status, old.status_reason, old.status_at = "downgraded", p.reason, now
        new = Decision(store_id=old.store_id, assessment_id=None, number=f"{old.number}-D{local_today(now):%y%m%d}",
                       stars=max(old.stars - 1, 0), reasons=[p.reason], decided_by=actor.username, decided_at=now,
                       valid_from=local_today(now), valid_until=old.valid_until,
                       status="valid" if old.stars > 1 else "not_rated", status_at=now,
                       reapply_after=add_months(local_today(now), 12), token=secrets.token_urlsafe(16))
        session.add(new)
        p.status, p.confirmed_by, p.confirmed_at = "confirmed", actor.username, now
        session.get(Store, old.store_id).star_level = new.stars or None
        session.flush()
        claim.record(session, new.id)
        audit.record(session, actor, "rating.downgrade", new, {"from": old.stars, "to": new.stars,
                                                               "reason": p.reason, "proposal": str(p.id)},
                     store_id=old.store_id, now=now)
    return new


def reject_downgrade(session, actor: Actor, proposal_id, *, reason: str, idempotency_key=None,
                     now: datetime | None = None) -> Proposal:
    """The district rejects a proposed downgrade, with its reason: the star stays; the store sees the proposal
    and the reason on its rating page (and in its audit trail)."""
    now = now or utcnow()
    p = _proposal(session, actor, proposal_id)
    require(actor.role is Role.DISTRICT_AUDITOR, _("只有本区县慈善会审核员可以驳回降级建议"))
    reason = str(reason or "").strip()
    if not reason or len(reason) > 300:
        raise ReasonRequired(_("请写明驳回的理由（最多 300 字）"), fields={"reason": [_("请写明驳回的理由（最多 300 字）")]})

    def write(claim):
        if p.status != "proposed":
            raise OutOfOrder(_("该降级建议已处理"))
        d = session.get(Decision, p.decision_id)
        with unit_of_work(session):
            p.status, p.confirmed_by, p.confirmed_at, p.rejection_reason = "rejected", actor.username, now, reason
            claim.record(session, p.id)
            audit.record(session, actor, "rating.proposal_reject", p,
                         {"decision": d.number, "stars": d.stars, "proposal": p.reason, "reason": reason},
                         store_id=p.store_id, now=now)
        return p
    return run_once(session, actor, kind="rating.proposal_reject", key=idempotency_key,
                    payload={"proposal": str(p.id), "reason": reason}, write=write,
                    load=lambda rid: session.get(Proposal, as_uuid(rid)))[0]


def _proposal(session, actor: Actor, proposal_id) -> Proposal:
    p = session.get(Proposal, as_uuid(proposal_id)) if as_uuid(proposal_id) else None
    if p is None or not actor.can_see_store(p.store_id) or p.kind != "downgrade":
        raise ProposalNotFound(_("找不到该降级建议"))
    return p


def review_job(session, now: datetime) -> dict:
    return review_due(session, now)
