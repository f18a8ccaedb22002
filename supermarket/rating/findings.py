"""Findings and rectification (整改): the auditor records, the store answers with what it did and evidence, the
auditor closes or reopens. A closed RL-2 / RL-4 finding is a confirmed red line (the yearly job acts on it)."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from .. import audit
from ..auth.permissions import Actor, Role, require
from ..clock import local_today, utcnow
from ..errors import InvalidInput
from ..idempotency import run_once
from ..stores.models import Store
from ..uploads import Upload
from ..uploads import check as check_upload
from ..uow import unit_of_work
from .common import VIEWERS, as_uuid
from .errors import BadEvidence, EvidenceTooLarge, FindingNotFound, OutOfOrder, ReasonRequired
from .models import Evidence, Finding

SEVERITIES = ("minor", "major", "critical")
# Red lines a finding confirms when the auditor closes it (the others are read from the ledgers).
CONFIRMED_RED_LINES = ("RL-2", "RL-4")


def _store(session, actor: Actor, code: str) -> Store:
    row = session.scalar(select(Store).where(Store.code == str(code or "").strip().upper()))
    if row is None or not actor.can_see_store(row.id):
        raise FindingNotFound(_("找不到门店 %(code)s", code=code), fields={"store": [_("找不到该门店")]})
    return row


def _load(session, actor: Actor, finding_id) -> Finding:
    require(actor.role in VIEWERS, _("您无权查看整改事项"))
    ident = as_uuid(finding_id)
    row = session.get(Finding, ident) if ident else None
    if row is None or not actor.can_see_store(row.store_id):
        raise FindingNotFound(_("找不到该整改事项"))
    return row


def record(session, actor: Actor, *, store: str, rule: str, severity: str, description: str, due_on: date,
           red_line: str = "", assessment_id=None, evidence: list[Upload] = (), idempotency_key=None,
           now: datetime | None = None) -> Finding:
    """Record a finding; `evidence` (photos or PDFs, checked like the store's response) is kept with its
    SHA-256 as the finding's evidence."""
    now = now or utcnow()
    require(actor.role is Role.DISTRICT_AUDITOR, _("只有区县慈善会审核员可以记录问题"))
    st = _store(session, actor, store)
    description = str(description or "").strip()
    if not description:
        raise InvalidInput(_("请描述发现的问题"), fields={"description": [_("请描述发现的问题")]})
    if severity not in SEVERITIES:
        raise InvalidInput(_("请选择严重程度"), fields={"severity": [_("请选择严重程度")]})
    if due_on < local_today(now):
        raise InvalidInput(_("整改期限不能早于今天"), fields={"due_on": [_("整改期限不能早于今天")]})
    files = [check_upload(u, field="evidence", allow_pdf=True, bad=BadEvidence, too_large=EvidenceTooLarge)
             for u in evidence]
    payload = {"store": st.code, "rule": rule, "severity": severity, "description": description, "due_on": due_on,
               "red_line": red_line, "assessment": str(assessment_id or ""), "evidence": [f["sha256"] for f in files]}

    def write(claim):
        with unit_of_work(session):
            row = Finding(store_id=st.id, assessment_id=as_uuid(assessment_id) if assessment_id else None,
                          rule_id=str(rule).strip().upper()[:16], red_line=red_line or "", severity=severity,
                          description=description, due_on=due_on, created_by=actor.username, created_at=now)
            session.add(row)
            session.flush()
            for f in files:
                session.add(Evidence(store_id=st.id, finding_id=row.id, purpose="finding", rule_id=row.rule_id,
                                     uploaded_by=actor.username, uploaded_at=now, **f))
            claim.record(session, row.id)
            audit.record(session, actor, "rating.finding", row,
                         {"rule": row.rule_id, "severity": severity, "red_line": row.red_line,
                          "due_on": due_on.isoformat(), "evidence": [f["sha256"] for f in files]},
                         store_id=st.id, now=now)
        return row
    return run_once(session, actor, kind="rating.finding", key=idempotency_key, payload=payload, write=write,
                    load=lambda rid: session.get(Finding, as_uuid(rid)))[0]


def respond(session, actor: Actor, finding_id, *, response: str, evidence: list[Upload] = (),
            now: datetime | None = None) -> Finding:
    now = now or utcnow()
    row = _load(session, actor, finding_id)
    require(actor.role is Role.STORE_MANAGER, _("只有本店店长可以答复整改"))
    if row.status == "closed":
        raise OutOfOrder(_("该整改事项已关闭"))
    response = str(response or "").strip()
    if not response or len(response) > 500:
        raise ReasonRequired(_("请写明整改情况"), fields={"response": [_("请写明整改情况")]})
    files = [check_upload(u, field="evidence", allow_pdf=True, bad=BadEvidence, too_large=EvidenceTooLarge)
             for u in evidence]
    with unit_of_work(session):
        row.response, row.responded_by, row.responded_at, row.status = response, actor.username, now, "answered"
        for f in files:
            session.add(Evidence(store_id=row.store_id, finding_id=row.id, purpose="response", rule_id=row.rule_id,
                                 uploaded_by=actor.username, uploaded_at=now, **f))
        audit.record(session, actor, "rating.finding_response", row,
                     {"evidence": [f["sha256"] for f in files]}, store_id=row.store_id, now=now)
    return row


def close(session, actor: Actor, finding_id, *, reopen: bool = False, note: str = "",
          now: datetime | None = None) -> Finding:
    now = now or utcnow()
    row = _load(session, actor, finding_id)
    require(actor.role is Role.DISTRICT_AUDITOR, _("只有区县慈善会审核员可以关闭或重开整改事项"))
    if reopen and row.status == "open":
        raise OutOfOrder(_("该整改事项尚未答复"))
    if not reopen and row.status == "closed":
        raise OutOfOrder(_("该整改事项已关闭"))
    with unit_of_work(session):
        if reopen:
            row.status, row.closed_by, row.closed_at = "open", "", None
        else:
            row.status, row.closed_by, row.closed_at = "closed", actor.username, now
        audit.record(session, actor, "rating.finding_reopen" if reopen else "rating.finding_close", row,
                     {"note": str(note or "")[:200]}, store_id=row.store_id, now=now)
    return row


def listing(session, actor: Actor, *, store: str | None = None, status: str | None = None,
            overdue: bool = False, now: datetime | None = None) -> list[tuple[Finding, str]]:
    require(actor.role in VIEWERS, _("您无权查看整改事项"))
    stmt = select(Finding, Store.code).join(Store, Store.id == Finding.store_id)
    if not actor.all_stores:
        stmt = stmt.where(Finding.store_id.in_(actor.store_ids))
    if store:
        stmt = stmt.where(Store.code == str(store).strip().upper())
    if status:
        stmt = stmt.where(Finding.status == status)
    if overdue:
        stmt = stmt.where(Finding.status != "closed", Finding.due_on < local_today(now or utcnow()))
    return list(session.execute(stmt.order_by(Finding.due_on, Store.code).limit(500)).all())


def evidence_of(session, finding_ids) -> dict:
    """{finding id: [Evidence]} (the auditor's and the store's files), in one query."""
    out: dict = {}
    if finding_ids:
        for e in session.scalars(select(Evidence).where(Evidence.finding_id.in_(list(finding_ids)))
                                 .order_by(Evidence.uploaded_at)):
            out.setdefault(e.finding_id, []).append(e)
    return out


def is_overdue(f: Finding, today: date) -> bool:
    return f.status != "closed" and f.due_on < today


def standard_findings(session, store_ids, first_day: date, last_day: date) -> tuple[dict, dict]:
    """What the findings count in the standard (wiring.STANDARD_FINDINGS), for many stores in one query:
    ({store_id: {rule ids with a finding open and past its due date on last_day}},
     {store_id: {red lines (RL-2, RL-4) of findings the auditor closed, i.e. confirmed, within the window}})."""
    from sqlalchemy import and_, or_

    from ..clock import local_midnight_utc

    start, end = local_midnight_utc(first_day), local_midnight_utc(last_day + timedelta(days=1))
    overdue = and_(Finding.status != "closed", Finding.due_on < last_day, Finding.created_at < end)
    confirmed = and_(Finding.status == "closed", Finding.red_line.in_(CONFIRMED_RED_LINES),
                     Finding.closed_at >= start, Finding.closed_at < end)
    rows = session.execute(select(Finding.store_id, Finding.rule_id, Finding.red_line, Finding.status)
                           .where(Finding.store_id.in_(store_ids), or_(overdue, confirmed)))
    rules: dict = {}
    lines: dict = {}
    for store_id, rule_id, red_line, status in rows:
        if status == "closed":
            lines.setdefault(store_id, set()).add(red_line)
        else:
            rules.setdefault(store_id, set()).add(rule_id)
    return rules, lines
