"""`flask flags …`: run the detectors."""
from __future__ import annotations

from datetime import datetime

import click
from flask.cli import AppGroup

from . import detect as detection
from ..clock import local_midnight_utc
from ..extensions import db
from ..models import utcnow

cli = AppGroup("flags", help="Anomaly flags: run the detectors.")


@cli.command("detect")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Look at events from this day on (default: each detector's own lookback).")
def detect_command(since: datetime | None):
    """Run every detector over every store and raise new flags (idempotent; safe to run concurrently)."""
    start = local_midnight_utc(since.date()) if since else None
    raised = detection.detect(db.session, now=utcnow(), since=start)
    for kind, n in sorted(raised.items()):
        click.echo(f"{kind}: {n}")
    click.echo(f"raised: {sum(raised.values())}")
