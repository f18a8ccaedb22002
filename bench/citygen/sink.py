"""Rows to PostgreSQL with COPY … FROM STDIN (psycopg 3).

The generating processes format COPY text and pass it in batches to one loading process (the one that started
them), which writes everything in a single transaction: each table is truncated when its first batch arrives,
then every batch goes in `WITH (FREEZE)`, so the rows land frozen and already visible to all, and the VACUUM
that follows has nothing left to rewrite. A bounded queue keeps memory flat: when the server falls behind, the
generators wait.
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass

import psycopg

from .base import copy_line
from .ledger_rows import note_line


@dataclass(frozen=True)
class Table:
    """A table the generator writes, with the columns of its rows in order (others keep their defaults)."""

    name: str
    columns: tuple[str, ...]

    @property
    def copy_sql(self) -> str:
        return f"COPY {self.name} ({', '.join(self.columns)}) FROM STDIN WITH (FREEZE)"


class Progress:
    """Phase and rate lines on stderr."""

    def __init__(self, stream=sys.stderr, quiet: bool = False, started: float | None = None):
        self.stream, self.quiet = stream, quiet
        self.started = time.monotonic() if started is None else started  # one clock for every process

    def say(self, message: str) -> None:
        if not self.quiet:
            print(f"[city {time.monotonic() - self.started:7.1f}s] {message}", file=self.stream, flush=True)


class Sink:
    """Where a generating process puts rows: buffered per table, handed to `send` in batches of COPY text."""

    def __init__(self, send, *, flush_chars: int = 16_000_000):
        self.send = send
        self.flush_chars = flush_chars
        self.buffers: dict[Table, list[str]] = {}
        self.counts: dict[str, int] = {}
        self.pending = 0
        self.rows = 0
        # Ledger rows written since the last audit event: {table: {id: digest}} (ledger_rows.py, chain.py).
        self.ledger_rows: dict = {}

    def row(self, table: Table, values) -> None:
        """One row as a tuple in `table.columns` order."""
        self.line(table, copy_line(values))

    def line(self, table: Table, line: str) -> None:
        """One row already formatted as a COPY text line (the hot tables build theirs with an f-string)."""
        buf = self.buffers.get(table)
        if buf is None:
            buf = self.buffers[table] = []
        buf.append(line)
        note_line(self.ledger_rows, table, line)
        self.pending += len(line)
        if self.pending >= self.flush_chars:
            self.flush()

    def pending_rows(self) -> int:
        return sum(len(lines) for lines in self.buffers.values())

    def flush(self) -> None:
        batch = []
        for table, lines in self.buffers.items():
            if lines:
                self.counts[table.name] = self.counts.get(table.name, 0) + len(lines)
                self.rows += len(lines)
                batch.append((table, "".join(lines)))
        self.buffers, self.pending = {}, 0
        if batch:
            self.send(batch)


class Loader:
    """The loading side: one connection, one transaction for the whole city."""

    def __init__(self, conninfo: str):
        self.conn = psycopg.connect(conninfo)
        self.conn.execute("SET synchronous_commit = off")
        self.truncated: set[str] = set()

    def load(self, batch) -> None:
        with self.conn.cursor() as cur:
            for table, data in batch:
                if table.name not in self.truncated:  # COPY FREEZE needs the table emptied in this transaction
                    cur.execute(f"TRUNCATE {table.name}")
                    self.truncated.add(table.name)
                with cur.copy(table.copy_sql) as copy:
                    copy.write(data)

    def commit(self) -> None:
        self.conn.commit()
        self.conn.close()

    def abort(self) -> None:
        if not self.conn.closed:
            self.conn.rollback()
            self.conn.close()
