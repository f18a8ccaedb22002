"""`flask backup create PATH` / `flask backup restore PATH` (see supermarket/backup.py)."""
import click
from flask.cli import AppGroup

from .backup import BackupError, create_backup, restore_backup
from .extensions import db

cli = AppGroup("backup", help="Back the database up while the app runs, and restore a backup.")


@cli.command("create")
@click.argument("path", type=click.Path(dir_okay=False))
def create(path):
    """Write a consistent backup to PATH (SQLite online backup; PostgreSQL pg_dump custom format)."""
    try:
        target = create_backup(db.engine, path)
    except BackupError as e:
        raise click.ClickException(str(e)) from None
    click.echo(f"已备份到 {target}（{target.stat().st_size} 字节）。")


@cli.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def restore(path):
    """Restore the backup at PATH into this app's database, which must be empty."""
    try:
        restore_backup(db.engine, path)
    except BackupError as e:
        raise click.ClickException(str(e)) from None
    click.echo("已恢复。请运行 flask inventory verify --full 与 flask audit verify 核对。")
