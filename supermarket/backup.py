"""`flask backup create PATH` and `flask backup restore PATH`: a consistent copy of the whole database while the
app runs, and its restore into an empty database (the drill: tests/test_backup.py).

- SQLite: the online backup API, copying every page inside one read transaction, so writers carry on (WAL) and
  the copy is the database as of one instant: every sale committed before it began, none half-written.
- PostgreSQL: `pg_dump --format=custom` (one snapshot transaction), restored with `pg_restore`.

A backup is written to a temporary file beside PATH and renamed when complete, so PATH is never a partial copy.
A restore refuses a database that already has tables: restoring over live data would mix two histories.
"""
from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import Engine


class BackupError(RuntimeError):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


def _sqlite_path(engine: Engine) -> str:
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupError("内存中的 SQLite 数据库无法备份：请使用文件数据库（DATABASE_URL=sqlite:///路径）")
    return database


def _pg_dsn(engine: Engine) -> str:
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def kind_of(engine: Engine) -> str:
    name = engine.url.get_backend_name()
    if name not in ("sqlite", "postgresql"):
        raise BackupError(f"不支持备份 {name} 数据库")
    return name


def create_backup(engine: Engine, path: str | os.PathLike) -> Path:
    """Write a consistent backup of the database behind `engine` to `path` (which must not exist yet)."""
    target = Path(path)
    if target.exists():
        raise BackupError(f"{target} 已存在：请指定新的备份文件名")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        if kind_of(engine) == "sqlite":
            source = sqlite3.connect(_sqlite_path(engine), timeout=30)
            dest = sqlite3.connect(partial)
            try:
                source.backup(dest)  # all pages in one step: one read transaction, one instant
            finally:
                dest.close()
                source.close()
        else:
            _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(partial), _pg_dsn(engine)])
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def restore_backup(engine: Engine, path: str | os.PathLike) -> None:
    """Restore the backup at `path` into the (empty) database behind `engine`."""
    source = Path(path)
    if not source.is_file():
        raise BackupError(f"找不到备份文件 {source}")
    tables = inspect(engine).get_table_names()
    if tables:
        raise BackupError(f"目标数据库不是空的（已有 {len(tables)} 张表）：请恢复到一个新建的空数据库")
    engine.dispose()
    if kind_of(engine) == "sqlite":
        backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        dest = sqlite3.connect(_sqlite_path(engine))
        try:
            if backup.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{source} 未通过完整性检查")
            backup.backup(dest)
        finally:
            dest.close()
            backup.close()
    else:
        _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--dbname", _pg_dsn(engine),
              str(source)])


def _run(cmd: list[str]) -> None:
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=6 * 3600)
    except FileNotFoundError as e:
        raise BackupError(f"找不到 {cmd[0]}：请安装 PostgreSQL 客户端（postgresql-client）") from e
    if done.returncode != 0:
        raise BackupError(f"{cmd[0]} 失败：{done.stderr.strip()[-2000:]}")
