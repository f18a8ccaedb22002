"""`flask demo`: a demo city in an empty database. Each domain adds its `demo.py` (see domains.DOMAINS)."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import event, func, select

from .extensions import db

DEMO_PASSWORD = "changsha2023"


@dataclass
class DemoContext:
    """What earlier steps made, for later steps: stores by code, users by username, anything else by name."""

    stores: dict = field(default_factory=dict)
    districts: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)


def database_is_empty() -> bool:
    from .stores.models import District

    return not db.session.scalar(select(func.count()).select_from(District))


def wipe_all() -> None:
    """Delete every row of every table (children first)."""
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


# The demo's passwords and PINs are hashed with a lighter scrypt (2**12 rounds instead of 2**15): the demo makes
# and checks some 170 of them through the real services (accounts, approvals, residents' PINs), which took
# over half a minute of a first `make run`. The demo never loads in production, and a password or PIN changed
# later gets the configured method again.
DEMO_HASH_METHOD = "scrypt:4096:8:1"


def _demo_sync_off(dbapi_connection, _record, _proxy) -> None:
    """While the demo loads, SQLite commits without waiting for the disk (synchronous=OFF): the demo writes some
    three thousand small transactions through the real services, and each fsync cost ~10 ms, which was most of
    `flask demo`. A power cut during a demo load loses only the demo; every later connection is FULL again."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA synchronous=OFF")


def _demo_sync_full(dbapi_connection, _record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA synchronous=FULL")


def load_demo() -> DemoContext:
    from .domains import domain_modules

    ctx = DemoContext()
    config = current_app.config
    configured = config["PASSWORD_HASH_METHOD"]
    if configured.startswith("scrypt"):
        config["PASSWORD_HASH_METHOD"] = DEMO_HASH_METHOD
    engine = db.engine
    event.listen(engine, "checkout", _demo_sync_off)
    event.listen(engine, "checkin", _demo_sync_full)
    try:
        for _domain, module in domain_modules("demo"):
            module.load(db.session, ctx)
        # The periodic jobs run once, as the server's cron line would have (they are idempotent).
        from .clock import utcnow
        from .jobs.service import run_due

        run_due(db.session, utcnow())
    finally:
        config["PASSWORD_HASH_METHOD"] = configured
        event.remove(engine, "checkout", _demo_sync_off)
        event.remove(engine, "checkin", _demo_sync_full)
    return ctx


@click.command("demo")
@click.option("--reset", is_flag=True, help="Wipe all data first.")
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) when the database has data.")
@with_appcontext
def demo_command(reset: bool, if_empty: bool):
    """Fill an empty database with a demo city (岳麓区, 芙蓉区, 天心区; stores YL01, YL02, FR01, TX01–TX03)."""
    if current_app.config.get("ENV_NAME") == "production":
        raise click.ClickException("演示数据不能在生产环境中加载")
    if not database_is_empty():
        if if_empty:
            click.echo("数据库已有数据，跳过演示数据。")
            return
        if not reset:
            raise click.ClickException("数据库已有数据；如需清空后重新加载，请加 --reset")
        wipe_all()
    load_demo()
    click.echo(f"演示数据已加载。所有演示账号的密码：{DEMO_PASSWORD}")
