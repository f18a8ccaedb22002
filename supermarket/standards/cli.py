"""`flask standards load FILE`, `flask standards refresh`, `flask standards check [--store] [--as-of] [--json]`."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click
from flask.cli import AppGroup

from ..auth.permissions import system_actor
from ..errors import DomainError
from ..extensions import db
from ..models import utcnow
from . import service, standard
from .schemas import store_json

cli = AppGroup("standards", help="The central check: load the standard, refresh the daily facts, score stores.")


def _fail(e: DomainError):
    fields = e.extra.get("fields") or {}
    lines = [e.message] + [f"  {path}: {'；'.join(str(m) for m in msgs)}" for path, msgs in sorted(fields.items())]
    raise click.ClickException("\n".join(lines))


@cli.command("load")
@click.argument("yaml_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--effective-from", default=None, help="YYYY-MM-DD (default: today)")
def load_command(yaml_file: Path, effective_from: str | None):
    """Publish the standard in a YAML file as a new version (nothing is written if it is invalid)."""
    try:
        day = date.fromisoformat(effective_from) if effective_from else None
    except ValueError:
        raise click.ClickException("日期格式应如 2026-11-30") from None
    try:
        doc = standard.load_file(db.session, yaml_file, actor_name="cli", effective_from=day, now=utcnow())
    except DomainError as e:
        _fail(e)
    click.echo(f"已发布标准第 {doc.version} 版（{len(doc.rules)} 条规则，{doc.effective_from} 起生效）。")


@cli.command("refresh")
@click.option("--through", default=None, help="YYYY-MM-DD (default: today)")
def refresh_command(through: str | None):
    """Aggregate the daily facts for the days since the last refresh (idempotent; safe to run twice)."""
    try:
        day = date.fromisoformat(through) if through else None
    except ValueError:
        raise click.ClickException("日期格式应如 2026-11-30") from None
    rows = service.refresh(db.session, through=day, now=utcnow())
    click.echo(f"已更新每日汇总 {rows} 行。")


@cli.command("check")
@click.option("--store", "store_code", default=None, help="A store code (default: every store)")
@click.option("--as-of", "as_of", default=None, help="YYYY-MM-DD (default: today)")
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON shape")
def check_command(store_code: str | None, as_of: str | None, as_json: bool):
    """Refresh what is stale, score the stores and print each one's total, stars and red lines."""
    try:
        scores = service.check(db.session, system_actor("standards-check"), store_code=store_code, as_of=as_of,
                               now=utcnow())
    except DomainError as e:
        _fail(e)
    if as_json:
        payload = {"as_of": scores[0].as_of.isoformat() if scores else None,
                   "standard_version": scores[0].standard_version if scores else None,
                   "stores": [store_json(s) for s in scores]}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=1))
        return
    for s in scores:
        lines = "、".join(f"{h.id} {h.name_zh}" for h in s.red_lines) or "无"
        click.echo(f"{s.store_code} {s.store_name}  总分 {s.total:g}  星级 {s.stars or '未达标'}  红线 {lines}")
