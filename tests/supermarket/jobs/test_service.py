"""Periodic jobs: due when their interval has passed, recorded, never run twice at once, failures kept apart."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from supermarket.auth.permissions import system_actor
from supermarket.jobs import service
from supermarket.jobs.models import JobRun
from supermarket.jobs.registry import Job

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
CALLS: list[str] = []


def counting(session, now):
    CALLS.append("count")
    return {"seen": len(CALLS)}


def failing(session, now):
    raise RuntimeError("printer on fire")


@pytest.fixture
def fake_jobs(monkeypatch):
    CALLS.clear()
    jobs = (Job("test.count", "计数", timedelta(days=1), f"{__name__}:counting"),
            Job("test.fail", "失败", timedelta(hours=1), f"{__name__}:failing"))
    monkeypatch.setattr(service, "jobs", lambda: jobs)
    return jobs


def runs(session, name):
    return list(session.scalars(select(JobRun).where(JobRun.name == name).order_by(JobRun.started_at)))


def test_a_job_runs_once_per_interval_and_its_result_is_recorded(session, fake_jobs):
    first = service.run_due(session, NOW)
    assert [(r.name, r.status) for r in first] == [("test.count", "ok"), ("test.fail", "failed")]
    assert service.run_due(session, NOW + timedelta(hours=3), only="test.count") == []
    assert CALLS == ["count"]
    again = service.run_due(session, NOW + timedelta(days=1), only="test.count")
    assert [r.status for r in again] == ["ok"] and CALLS == ["count", "count"]
    recorded = runs(session, "test.count")
    assert [r.status for r in recorded] == ["ok", "ok"]
    assert json.loads(recorded[-1].summary) == {"seen": 2}
    assert recorded[-1].finished_at >= recorded[-1].started_at


def test_a_failed_job_is_recorded_with_its_error_and_stays_due(session, fake_jobs):
    service.run_due(session, NOW)
    failed = runs(session, "test.fail")
    assert failed[0].status == "failed" and "printer on fire" in failed[0].error
    assert [j.name for j in service.due_jobs(session, NOW + timedelta(minutes=1))] == ["test.fail"]


def test_a_job_already_running_elsewhere_is_skipped_not_run_twice(session, fake_jobs):
    session.add(JobRun(name="test.count", status="running", started_at=NOW - timedelta(minutes=5)))
    session.commit()
    result = service.run_due(session, NOW, only="test.count", force=True)
    assert [(r.name, r.status) for r in result] == [("test.count", "skipped")] and CALLS == []


def test_a_run_abandoned_by_a_dead_process_is_given_up_after_two_hours(session, fake_jobs):
    session.add(JobRun(name="test.count", status="running", started_at=NOW - timedelta(hours=3)))
    session.commit()
    result = service.run_due(session, NOW, only="test.count")
    assert [r.status for r in result] == ["ok"]
    assert [r.status for r in runs(session, "test.count")] == ["failed", "ok"]


def test_statuses_say_which_jobs_are_behind(session, fake_jobs):
    service.run_due(session, NOW)
    statuses = {s.job.name: s for s in service.job_statuses(session, system_actor(), NOW + timedelta(hours=12))}
    assert not statuses["test.count"].behind
    assert statuses["test.fail"].behind and statuses["test.fail"].last_ok_at is None
    later = {s.job.name: s for s in service.job_statuses(session, system_actor(), NOW + timedelta(days=2, hours=1))}
    assert later["test.count"].behind


def test_unknown_job_name_is_refused(session, fake_jobs, runner):
    result = runner.invoke(args=["jobs", "run", "--only", "nope"])
    assert result.exit_code != 0 and "nope" in result.output


def test_the_cli_runs_the_declared_jobs(session, world, runner):
    result = runner.invoke(args=["jobs", "run"])
    assert result.exit_code == 0, result.output
    assert "points.expire: ok" in result.output and "points.land: ok" in result.output
    second = runner.invoke(args=["jobs", "run"])
    assert "没有到期的任务" in second.output


def test_the_federation_home_warns_when_a_job_has_not_run_for_a_day(session, world, client, login):
    login("admin")
    page = client.get("/federation").get_data(as_text=True)
    assert 'id="jobs-behind"' in page and "积分到期清理" in page
    service.run_due(session, datetime.now(UTC))
    page = client.get("/federation").get_data(as_text=True)
    assert 'id="jobs-behind"' not in page
