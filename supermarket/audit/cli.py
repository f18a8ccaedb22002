"""`flask audit verify`."""
import click
from flask.cli import AppGroup
from sqlalchemy import select

from ..extensions import db
from .rows import verify_rows
from ..models import utcnow
from .checkpoints import verify_daily, verify_full

cli = AppGroup("audit", help="The tamper-evident audit trail.")


@cli.command("verify")
@click.option("--store", "store_code", default=None, help="a store code: verify only its chain (with --against)")
@click.option("--against", "head_hash", default=None, help="a published head hash (a monthly disclosure's)")
@click.option("--full", is_flag=True, help="every event from the first, on every core (else: since the last checkpoint)")
@click.option("--jobs", type=int, default=None, help="worker processes for --full (default: every core)")
def verify(store_code, head_hash, full, jobs):
    """Verify the hash chains from each chain's last checkpoint (the daily run), or every event with --full;
    report the first broken link or that all chains are whole, and record new checkpoints.

    With --store CODE --against HASH: confirm the store's events up to that published head are unchanged."""
    if store_code or head_hash:
        _verify_against(store_code, head_hash)
        return
    now = utcnow()
    if full:
        url = db.engine.url.render_as_string(hide_password=False)
        result = verify_full(db.session, now=now, url=url, jobs=jobs)
    else:
        result = verify_daily(db.session, now=now)
    if result.broken:
        b = result.broken
        click.echo(f"审计链断裂：链 {b.chain} 第 {b.seq} 条（事件 {b.event_id or '—'}）：{b.reason}", err=True)
        raise SystemExit(1)
    if result.row_problems:
        for p in result.row_problems[:100]:
            click.echo(f"账目行不符：{p.message}", err=True)
        click.echo(f"共 {len(result.row_problems)} 行账目与审计链不符。", err=True)
        raise SystemExit(1)
    if not full:
        click.echo(f"审计链完整（自上次核验点起）：核对新事件 {result.events} 条（{result.chains} 条链）及其账目行；"
                   f"更早的事件和不在链下的行由 --full 逐条核对。")
        return
    # The chain is whole: now every ledger row against the digests its events carry.
    problems = verify_rows(db.session)
    if problems:
        for p in problems[:100]:
            click.echo(f"账目行不符：{p.message}", err=True)
        click.echo(f"共 {len(problems)} 行账目与审计链不符。", err=True)
        raise SystemExit(1)
    click.echo(f"审计链完整：{result.chains} 条链，共 {result.events} 条事件；账目行均在链下。")
    db.session.commit()


def _verify_against(store_code, head_hash):
    from ..stores.models import Store
    from .against import verify_against

    if not (store_code and head_hash):
        raise click.UsageError("--store and --against go together")
    store = db.session.scalar(select(Store).where(Store.code == store_code))
    if store is None:
        raise click.UsageError(f"no store {store_code}")
    r = verify_against(db.session, str(store.id), head_hash)
    if r.ok:
        click.echo(f"核验通过：{store_code} 截至 {r.head_hash[:16]}… 的 {r.events} 条事件与公示时一致。")
        return
    where = f"第 {r.bad_seq} 条（事件 {r.bad_event_id or '—'}，{r.bad_action or '—'}）" if r.bad_seq else "—"
    click.echo(f"核验失败：{store_code} {where}：{r.reason}", err=True)
    raise SystemExit(1)
