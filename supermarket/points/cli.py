"""`flask points import FILE.csv`, `flask points expire`, `flask points land`."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from ..auth.permissions import system_actor
from ..extensions import db
from ..models import utcnow
from . import credits, service
from .importer import import_credits, read_rows, reject_csv

cli = AppGroup("points", help="Volunteer points: import credits, expire, land posted credits.")


@cli.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--skip-bad", is_flag=True, help="Import the good rows and write the bad ones to a reject file.")
@click.option("--reject-file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where --skip-bad writes the bad rows (default: FILE.rejects.csv).")
def import_command(csv_file: Path, skip_bad: bool, reject_file: Path | None):
    """Import volunteer credits from the city platform's CSV export (nothing is imported if any row is bad,
    unless --skip-bad)."""
    try:
        text = csv_file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise click.ClickException("文件不是 UTF-8 编码的 CSV") from None
    rows, problem = read_rows(text)
    if problem:
        raise click.ClickException(problem)
    with click.progressbar(length=2 * len(rows), label="校验并导入", file=sys.stderr) as bar:
        report = import_credits(db.session, system_actor("points-import"), rows, skip_bad=skip_bad,
                                now=utcnow(), progress=bar.update)
    for line, reason, _raw in report.bad:
        click.echo(f"第 {line} 行：{reason}", err=True)
    if report.bad and skip_bad:
        target = reject_file or csv_file.with_suffix(".rejects.csv")
        target.write_text(reject_csv(report), encoding="utf-8")
        click.echo(f"{len(report.bad)} 行有误，已写入 {target}", err=True)
    if report.bad and not report.committed:
        raise click.ClickException(f"{len(report.bad)} 行有误，未导入任何记录（修正后重新导入，或加 --skip-bad）")
    click.echo(f"已导入 {report.imported} 条，共 {report.points} 积分；此前已导入 {report.already} 条。")


@cli.command("expire")
def expire_command():
    """Expire the points whose date has passed (safe to run twice)."""
    session = db.session
    due = service.residents_with_due_lots(session, utcnow())
    with click.progressbar(length=len(due), label="积分到期清零", file=sys.stderr) as bar:
        result = service.expire_due(session, system_actor("points-expire"), now=utcnow(), progress=bar.update)
    click.echo(f"已清零 {result.residents} 位居民的 {result.lots} 批积分，共 {result.points} 分。")


@cli.command("land")
def land_command():
    """Land the posted (公示) credits whose notice period is over and that have no open objection."""
    landed = credits.land_due_credits(db.session, system_actor("points-land"), now=utcnow())
    click.echo(f"已入账 {landed} 条公示期满的积分。")
