"""Run every detector over every store at once and write what they found: one query per detector, a constant
number of statements for the writing, whatever the number of stores.

Idempotent and safe to run concurrently: on PostgreSQL a transaction-scoped advisory lock serialises runs, and
on any database the flags' unique fingerprint with INSERT … ON CONFLICT DO NOTHING stops a second copy. A flag is
raised only when its evidence holds a row that the latest flag about the same subject did not have, and never
while that flag is still open; the new flag links to that previous one.
"""
from __future__ import annotations

import hashlib
import importlib
import uuid
from datetime import datetime, timedelta

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from .. import audit
from ..auth.permissions import system_actor
from ..models import utcnow
from ..uow import unit_of_work
from .candidates import EVIDENCE_CAP, Candidate
from .kinds import KINDS
from .models import Flag, FlagPerson
from .sql import dialect, insert_rows
from .thresholds import effective

LOCK_KEY = int.from_bytes(hashlib.sha256(b"flags.detect").digest()[:4], "big")


def _detector(kind: str):
    module, _, attr = KINDS[kind].detector.partition(":")
    return getattr(importlib.import_module(module), attr)


def run_detectors(session: Session, *, now: datetime, since: datetime | None = None,
                  kinds=None, store_ids=None) -> list[Candidate]:
    """Every enabled detector's candidates (read-only), over every store or over `store_ids`."""
    params = effective(session)
    found: list[Candidate] = []
    for code in kinds or KINDS:
        if code not in params:
            continue
        p = {**params[code], "store_ids": store_ids}
        start = since if since is not None else now - timedelta(days=p.get("lookback_days", 30))
        found.extend(_detector(code)(session, p, now=now, since=start))
    return found


def detect(session: Session, *, now: datetime | None = None, since: datetime | None = None,
           kinds=None, store_ids=None, actor=None) -> dict[str, int]:
    """Detect and raise flags. Returns kind -> number of flags raised by this run."""
    now = now or utcnow()
    actor = actor or system_actor("flags")
    with unit_of_work(session):
        if dialect(session) == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOCK_KEY})
        candidates = run_detectors(session, now=now, since=since, kinds=kinds, store_ids=store_ids)
        raised = write(session, candidates, now=now)
        counts: dict[str, int] = {}
        for c in raised:
            counts[c.kind] = counts.get(c.kind, 0) + 1
        if raised:
            audit.record(session, actor, "flags.detected", subject_type="flags", subject_id="detect",
                         summary={"raised": counts}, now=now)
    return counts


def write(session: Session, candidates: list[Candidate], *, now: datetime) -> list[Candidate]:
    """Insert the candidates that bring new evidence, in bulk. Returns those raised."""
    if not candidates:
        return []
    subjects = {(c.kind, c.subject) for c in candidates}
    latest: dict = {}
    # Two flat IN lists (sent as arrays), not a list of (kind, subject) pairs: at city scale there are thousands of
    # candidates, and PostgreSQL's planner recurses once per pair ("stack depth limit exceeded" at ~8,000).
    rows = session.execute(select(Flag.kind, Flag.subject, Flag.id, Flag.status, Flag.evidence, Flag.raised_at)
                           .where(Flag.kind.in_({k for k, _ in subjects}),
                                  Flag.subject.in_({subject for _, subject in subjects}))
                           .order_by(Flag.raised_at)).all()
    for row in rows:
        if (row.kind, row.subject) in subjects:
            latest[(row.kind, row.subject)] = row  # ordered by raised_at: the last one wins
    fresh, values, people = [], [], []
    for c in candidates:
        prev = latest.get((c.kind, c.subject))
        if prev is not None:
            if prev.status == "open":
                continue
            seen = {f"{e['table']}:{e['id']}" for e in prev.evidence}
            if c.evidence_ids <= seen:
                continue
        flag_id = uuid.uuid4()
        detail = {**c.detail, "count": c.detail.get("count", len(c.evidence))}
        values.append({"id": flag_id, "kind": c.kind, "store_id": c.store_id, "severity": KINDS[c.kind].severity,
                       "period_start": c.period_start, "period_end": c.period_end, "subject": c.subject[:120],
                       "fingerprint": c.fingerprint, "detail": detail, "people": c.people,
                       "evidence": c.evidence[:EVIDENCE_CAP], "previous_id": prev.id if prev else None,
                       "status": "open", "raised_at": now, "resolved_by": "", "resolution_note": "",
                       "closed_by": ""})
        fresh.append((flag_id, c))
    if not values:
        return []
    # One statement each for the flags and their people, whatever the number of stores, kinds or flags.
    inserted = set(insert_rows(session, Flag.__table__, values, ignore_conflict_on="fingerprint",
                               returning=Flag.__table__.c.id))
    raised = [c for flag_id, c in fresh if flag_id in inserted]
    people = [{"flag_id": flag_id, "person_type": p["type"], "person_id": p["id"]}
              for flag_id, c in fresh if flag_id in inserted for p in c.people]
    if raised:  # even when none names a person (a store-level kind): the count does not depend on what was found
        insert_rows(session, FlagPerson.__table__, people, columns=("flag_id", "person_type", "person_id"))
    return raised


def detect_job(session: Session, now: datetime) -> dict:
    """The scheduled run (wiring.JOBS)."""
    return {"raised": detect(session, now=now)}
