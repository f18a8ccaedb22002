"""`flask inventory …`."""
import click
from flask.cli import AppGroup

from . import service
from ..extensions import db

cli = AppGroup("inventory", help="Stock ledger and balances.")


@cli.command("verify")
def verify():
    """Recompute every balance from the ledger; exit 1 and list the drift when any differs."""
    drifts = service.verify_balances(db.session)
    if not drifts:
        click.echo("库存余额与流水一致。")
        return
    for d in drifts[:100]:
        click.echo(f"不一致：{d.level} {d.key}（门店 {d.store_id}）缓存 {d.cached}，流水合计 {d.ledger}", err=True)
    # A sum cannot say which row moved: the audit chain's digests can.
    for p in service.movement_rows_off_the_chain(db.session)[:100]:
        click.echo(f"流水行：{p.message}", err=True)
    click.echo(f"共 {len(drifts)} 处不一致。", err=True)
    raise SystemExit(1)
