"""`flask jobs run` (from cron or a systemd timer, every 15 minutes) and `flask jobs status`."""
from __future__ import annotations

import json

import click
from flask.cli import AppGroup

from ..auth.permissions import system_actor
from ..clock import SHANGHAI, utcnow
from ..extensions import db
from .errors import UnknownJob
from . import service

cli = AppGroup("jobs", help="Periodic jobs: run those whose time has come; show when each last ran.")


@cli.command("run")
@click.option("--only", default=None, help="Run just this job (when due, or always with --force).")
@click.option("--force", is_flag=True, help="Run even if the job ran recently.")
def run_command(only: str | None, force: bool):
    """Run every job whose time has come (idempotent: safe to run twice or in two processes at once)."""
    try:
        results = service.run_due(db.session, utcnow(), only=only, force=force)
    except UnknownJob as e:
        raise click.ClickException(e.message) from None
    if not results:
        click.echo("没有到期的任务。")
    for r in results:
        detail = json.dumps(r.summary, ensure_ascii=False) if r.status == "ok" else r.error
        click.echo(f"{r.name}: {r.status} {detail}".rstrip())
    if any(r.status == "failed" for r in results):
        raise SystemExit(1)


@cli.command("status")
def status_command():
    """When each job last ran, and which have fallen behind."""
    for s in service.job_statuses(db.session, system_actor("jobs"), utcnow()):
        last = s.last_ok_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") if s.last_ok_at else "从未"
        click.echo(f"{s.job.name}: 上次成功 {last}{' — 已超过一天未运行' if s.behind else ''}")
