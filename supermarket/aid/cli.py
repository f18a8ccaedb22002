"""`flask aid …`: load a civil-affairs household list."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from . import service
from ..auth.permissions import system_actor
from ..errors import DomainError
from ..extensions import db
from ..models import utcnow
from ..clock import local_today

cli = AppGroup("aid", help="Aid households and distributions.")


@cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--store", "store_code", default=None, help="Store code for rows without a 门店 column.")
@click.option("--skip-bad", is_flag=True, help="Import the good rows even when some rows are bad.")
def import_households(path: Path, store_code: str | None, skip_bad: bool):
    """Import households from a CSV file (UTF-8 or GB18030, Chinese or English headers).

    Every row is validated first; with any bad row nothing is imported unless --skip-bad.
    """
    key = current_app.config["PII_HASH_KEY"]
    now = utcnow()
    rows = service.read_rows(service.decode(path.read_bytes()))
    with click.progressbar(length=len(rows), label="校验") as bar:
        good, errors = service.validate_rows(db.session, key, rows, default_store=store_code,
                                              today=local_today(now), progress=bar.update)
    for e in errors[:200]:
        click.echo(f"第 {e.line} 行：{e.message}", err=True)
    if len(errors) > 200:
        click.echo(f"……另有 {len(errors) - 200} 处错误", err=True)
    if errors and not skip_bad:
        raise click.ClickException(f"{len({e.line for e in errors})} 行有错误，未导入任何数据（可加 --skip-bad 只导入正确的行）")
    if not good:
        click.echo("没有可导入的行。")
        return
    try:
        with click.progressbar(length=len(good), label="导入") as bar:
            created = service.import_rows(db.session, system_actor("aid-import"), key, good, now=now,
                                           progress=bar.update)
    except DomainError as e:
        raise click.ClickException(f"{e.message}；未导入任何数据") from e
    skipped = len({e.line for e in errors})
    click.echo(f"已导入 {len(created)} 户" + (f"，跳过 {skipped} 行" if skipped else "") + "。")
