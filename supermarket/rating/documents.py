"""The rating's PDFs, from the records to printing's plain data (printing never sees the database)."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from printing.rating import CertificateData, ReportData, ReportEvidence, ReportRule, render_certificate, render_report

from ..clock import local_date, local_today
from ..settings import setting
from ..stores.models import District, Store
from . import decisions, service
from .common import STATUS_LABELS, store_of
from .errors import NoValidStar
from .models import OnsiteCheck, RatingRound

PURPOSES = {"answer": "自评材料", "onsite": "现场照片", "finding": "问题证据", "response": "整改材料"}


def valid_decision(session, actor, store_code: str, now: datetime):
    store = session.scalar(select(Store).where(Store.code == str(store_code or "").strip().upper()))
    if store is None or not actor.can_see_store(store.id):
        raise NoValidStar(_("找不到门店 %(code)s", code=store_code))
    d = decisions.current_decision(session, store.id)
    if not decisions.holds_star(d, local_today(now)):
        raise NoValidStar(_("该门店目前没有有效的星级"))
    return store, d


def certificate_pdf(session, store: Store, d, verify_url: str) -> bytes:
    district = session.get(District, store.district_id)
    return render_certificate(CertificateData(
        store_name=store.name, store_code=store.code, district_name=district.name, stars=d.stars, number=d.number,
        decided_on=local_date(d.decided_at), valid_from=d.valid_from, valid_until=d.valid_until,
        issuer=setting("RATING_ISSUER", "市慈善总会"), verify_url=verify_url))


def report_pdf(session, a, now: datetime) -> bytes:
    store = store_of(session, a)
    ev = service.evaluation(session, a)
    rnd = session.get(RatingRound, a.round_id)
    check = session.scalar(select(OnsiteCheck).where(OnsiteCheck.assessment_id == a.id))
    d = session.scalar(select(decisions.Decision).where(decisions.Decision.assessment_id == a.id))
    onsite = ""
    if check is not None:
        onsite = (f"{check.visited_on.isoformat()} {'通过' if check.passed else '未通过'}，"
                  f"核查人 {check.auditor_1}、{check.auditor_2}；"
                  + "、".join(f"{k} {v}" for k, v in sorted(check.items.items())))
    decision = ""
    if d is not None:
        decision = (f"{d.number}：{d.stars} 星" if d.stars else f"{d.number}：不予评定（{'；'.join(d.reasons)}）")
        decision += f"，{d.decided_by} 于 {local_date(d.decided_at).isoformat()} 决定"
    return render_report(ReportData(
        store_name=store.name, store_code=store.code, district_name=session.get(District, store.district_id).name,
        round_name=rnd.name, standard_version=a.standard_version, status=str(STATUS_LABELS[a.status]),
        stars_applied=a.stars_applied, stars_allowed=a.stars_allowed, total=a.total, submitted_at=a.submitted_at,
        frozen_as_of=a.frozen["as_of"] if a.frozen else "",
        rules=tuple(ReportRule(x.id, x.name_zh, x.kind, x.weight, "—" if x.value is None else f"{x.value:g}",
                               x.store_grade or "", x.grade or "", x.points, x.reason) for x in ev.lines),
        evidence=tuple(ReportEvidence(e.rule_id, PURPOSES.get(e.purpose, e.purpose), e.filename, e.version, e.sha256, e.superseded_at is None)
                       for e in service.evidence_of(session, a.id)),
        onsite=onsite, decision=decision,
        objections=tuple(f"{o.reference} {o.text} —— 答复：{o.answer or '未答复'}"
                         for o in decisions.objections(session, a.id)),
        printed_at=now))
