"""`flask audit verify`."""
import sys

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from ..extensions import db
from .models import AuditEvent
from .service import verify_chain

cli = AppGroup("audit", help="The tamper-evident audit trail.")


@cli.command("verify")
def verify():
    """Recompute every hash chain; report the first broken link or that all chains are whole."""
    total = db.session.scalar(select(func.count()).select_from(AuditEvent))
    with click.progressbar(length=total, label="核对审计链", file=sys.stderr) as bar:
        result = verify_chain(db.session, progress=bar.update)
    if result.ok:
        click.echo(f"审计链完整：{result.chains} 条链，共 {result.events} 条事件。")
        return
    b = result.broken
    click.echo(f"审计链断裂：链 {b.chain} 第 {b.seq} 条（事件 {b.event_id or '—'}）：{b.reason}", err=True)
    raise SystemExit(1)
