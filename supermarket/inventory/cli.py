"""`flask inventory …`."""
import click
from flask.cli import AppGroup

from . import checkpoints, service
from ..extensions import db
from ..models import utcnow

cli = AppGroup("inventory", help="Stock ledger and balances.")


@cli.command("verify")
@click.option("--full", is_flag=True, help="every balance against every movement (else: since the last checkpoint)")
def verify(full):
    """The balances moved since the last checkpoint against their ledger (the daily run), or every balance with
    --full; exit 1 and list the drift when any differs, else record a checkpoint."""
    now = utcnow()
    result = checkpoints.verify_full(db.session, now=now) if full else checkpoints.verify_daily(db.session, now=now)
    if result.ok:
        if result.full:
            click.echo("库存余额与流水一致。")
        else:
            since = result.since.strftime("%Y-%m-%d %H:%M")
            click.echo(f"库存余额与流水一致（自核验点 {since} UTC 起）：新流水 {result.movements} 条涉及的 "
                       f"{result.balances} 个余额已按全部流水核对；其余余额和更早的流水由 --full 核对。")
        return
    if result.broken:
        click.echo(f"核验点不符：{result.broken}", err=True)
    for d in result.drifts[:100]:
        click.echo(f"不一致：{d.level} {d.key}（门店 {d.store_id}）缓存 {d.cached}，流水合计 {d.ledger}", err=True)
    # A sum cannot say which row moved: the audit chain's digests can.
    for p in service.movement_rows_off_the_chain(db.session)[:100]:
        click.echo(f"流水行：{p.message}", err=True)
    if result.drifts:
        click.echo(f"共 {len(result.drifts)} 处不一致。", err=True)
    raise SystemExit(1)
