"""`flask rating review-due [--now ISO]`: the rating's time-driven steps (safe to run twice)."""
from __future__ import annotations

from datetime import datetime, timezone

import click
from flask.cli import AppGroup

from ..extensions import db
from ..models import utcnow
from . import review

cli = AppGroup("rating", help="Star rating: yearly checks, downgrades, revocations and suspensions.")


@cli.command("review-due")
@click.option("--now", "now_text", default=None, help="ISO date-time (default: now)")
def review_due_command(now_text: str | None):
    """Expire, revoke (RL-2), suspend (RL-4), the yearly check and two-quarter downgrade proposals."""
    try:
        now = datetime.fromisoformat(now_text).astimezone(timezone.utc) if now_text else utcnow()
    except ValueError:
        raise click.ClickException("时间格式应如 2026-12-05T10:00+08:00") from None
    counts = review.review_due(db.session, now)
    click.echo("到期 {expired}，撤销 {revoked}，暂停 {suspended}，恢复 {reinstated}，年审 {yearly}，降级建议 {proposed}"
               .format(**counts))
