"""`flask disclosure …`: close a month for every store (or some) and print a published month as PDF."""
from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from ..auth.permissions import system_actor
from ..clock import parse_month
from ..errors import DomainError
from ..extensions import db
from ..models import utcnow
from . import public as q
from . import service
from .documents import disclosure_pdf

cli = AppGroup("disclosure", help="Monthly close and public disclosure (阳光慈善).")


def _month(value: str):
    try:
        return parse_month(value)
    except ValueError:
        raise click.BadParameter("YYYY-MM") from None


@cli.command("close")
@click.option("--month", "month_text", required=True, help="YYYY-MM")
@click.option("--store", "codes", multiple=True, help="a store code (repeatable); every store when omitted")
def close(month_text: str, codes: tuple[str, ...]):
    """Close and publish MONTH for the stores whose stock month is closed; list the ones that may not."""
    month = _month(month_text)
    try:
        ids = [q.store_by_code(db.session, c).id for c in codes] if codes else None
        result = service.close_months(db.session, system_actor("cli"), month, ids, now=utcnow())
    except DomainError as e:
        raise click.ClickException(e.message) from None
    click.echo(f"已公示：{len(result.closed)} 家门店")
    for store_id, error in result.refused.items():
        store = db.session.get(service.Store, store_id)
        click.echo(f"未结账 {store.code}：{error.message}", err=True)


@cli.command("print")
@click.option("--store", "code", required=True)
@click.option("--month", "month_text", required=True, help="YYYY-MM")
@click.option("--version", type=int, default=None, help="an earlier version; the current one when omitted")
def print_pdf(code: str, month_text: str, version: int | None):
    """Write a published month's PDF to standard output: `flask disclosure print --store YL01 --month 2026-10 > m.pdf`."""
    try:
        store = q.store_by_code(db.session, code)
        versions = q.month_versions(db.session, store.id, _month(month_text))
        row = q.pick(versions, version)
    except DomainError as e:
        raise click.ClickException(e.message) from None
    newer = versions[0].version if row.status == "superseded" else None
    sys.stdout.buffer.write(disclosure_pdf(row, superseded_by=newer))
