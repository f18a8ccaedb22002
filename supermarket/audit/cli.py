"""`flask audit verify`."""
import sys

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from ..extensions import db
from .models import AuditEvent
from .rows import verify_rows
from .service import verify_chain

cli = AppGroup("audit", help="The tamper-evident audit trail.")


@cli.command("verify")
def verify():
    """Recompute every hash chain; report the first broken link or that all chains are whole."""
    total = db.session.scalar(select(func.count()).select_from(AuditEvent))
    with click.progressbar(length=total, label="核对审计链", file=sys.stderr) as bar:
        result = verify_chain(db.session, progress=bar.update)
    if not result.ok:
        b = result.broken
        click.echo(f"审计链断裂：链 {b.chain} 第 {b.seq} 条（事件 {b.event_id or '—'}）：{b.reason}", err=True)
        raise SystemExit(1)
    # The chain is whole: now every ledger row against the digests its events carry.
    problems = verify_rows(db.session)
    if problems:
        for p in problems[:100]:
            click.echo(f"账目行不符：{p.message}", err=True)
        click.echo(f"共 {len(problems)} 行账目与审计链不符。", err=True)
        raise SystemExit(1)
    click.echo(f"审计链完整：{result.chains} 条链，共 {result.events} 条事件；账目行均在链下。")
