"""Run the jobs whose time has come, one at a time, recording each run; report jobs that have fallen behind.

A job is due when its last successful run started at least `every` ago (less a grace of a tenth, so a daily cron
line at a fixed time always finds the daily job due). A run is claimed by inserting its 'running' row: a unique
index lets only one process hold it, and a run left 'running' by a process that died is given up after
`STALE_AFTER`.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .errors import UnknownJob
from ..auth.permissions import Actor, Role, require
from ..clock import utcnow
from .models import JobRun
from .registry import Job

log = logging.getLogger(__name__)
STALE_AFTER = timedelta(hours=2)
BEHIND_AFTER = timedelta(days=1)


def jobs() -> tuple[Job, ...]:
    from ..wiring import JOBS

    return JOBS


def _last_ok(session: Session) -> dict[str, datetime]:
    rows = session.execute(select(JobRun.name, func.max(JobRun.started_at)).where(JobRun.status == "ok")
                           .group_by(JobRun.name))
    return dict(rows.all())


def due_jobs(session: Session, now: datetime) -> list[Job]:
    last = _last_ok(session)
    return [job for job in jobs() if job.name not in last or now - last[job.name] >= job.every * 0.9]


def _claim(session: Session, job: Job, now: datetime) -> JobRun | None:
    session.execute(update(JobRun).where(JobRun.name == job.name, JobRun.status == "running",
                                         JobRun.started_at < now - STALE_AFTER)
                    .values(status="failed", finished_at=now, error="abandoned (the process running it stopped)"))
    run = JobRun(name=job.name, status="running", started_at=now)
    session.add(run)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return None
    return run


@dataclass(frozen=True)
class RunResult:
    name: str
    status: str  # ok, failed, skipped (another process is running it)
    summary: dict
    error: str = ""


def run_due(session: Session, now: datetime, *, only: str | None = None, force: bool = False) -> list[RunResult]:
    """Run every due job (or just `only`; `force` ignores when it last ran). Each job commits its own work."""
    known = {job.name: job for job in jobs()}
    if only is not None and only not in known:
        raise UnknownJob(_("没有名为 %(name)s 的任务", name=only))
    selected = [known[only]] if only else (list(known.values()) if force else due_jobs(session, now))
    if only and not force and known[only] not in due_jobs(session, now):
        selected = []
    results = []
    for job in selected:
        run = _claim(session, job, now)
        if run is None:
            results.append(RunResult(job.name, "skipped", {}))
            continue
        try:
            summary = job.function()(session, now) or {}
        except Exception as e:  # noqa: BLE001 — one failing job must not stop the others; it is recorded
            session.rollback()
            log.exception("job %s failed", job.name)
            status, summary, error = "failed", {}, f"{type(e).__name__}: {e}"[:2000]
        else:
            status, error = "ok", ""
        session.execute(update(JobRun).where(JobRun.id == run.id).values(
            status=status, finished_at=max(now, utcnow()), error=error,
            summary=json.dumps(summary, ensure_ascii=False, sort_keys=True, default=str)))
        session.commit()
        results.append(RunResult(job.name, status, summary, error))
    return results


@dataclass(frozen=True)
class JobStatus:
    job: Job
    last_ok_at: datetime | None
    last_run: JobRun | None
    behind: bool


def job_statuses(session: Session, actor: Actor, now: datetime) -> list[JobStatus]:
    """Each job with its last successful run; `behind` when it has not succeeded for a day past its interval."""
    require(actor.role is Role.FEDERATION_ADMIN)
    last_ok = _last_ok(session)
    latest_ids = select(JobRun.name, func.max(JobRun.started_at).label("at")).group_by(JobRun.name).subquery()
    latest = {r.name: r for r in session.scalars(select(JobRun).join(
        latest_ids, (latest_ids.c.name == JobRun.name) & (latest_ids.c.at == JobRun.started_at)))}
    return [JobStatus(job, last_ok.get(job.name), latest.get(job.name),
                      job.name not in last_ok or now - last_ok[job.name] > job.every + BEHIND_AFTER)
            for job in jobs()]
