"""Rows to PostgreSQL with COPY … FROM STDIN (psycopg 3), loaded by a second thread while the next rows are made.

The generator (one core) formats COPY text; the loader thread hands it to the server (the other core) and spends
its time waiting on the socket, where the GIL is released. A bounded queue keeps memory flat: when the server
falls behind, the generator waits.
"""
from __future__ import annotations

import queue
import sys
import threading
import time
from dataclasses import dataclass

import psycopg

from .base import copy_line


@dataclass(frozen=True)
class Table:
    """A table the generator writes, with the columns of its rows in order (others keep their defaults)."""

    name: str
    columns: tuple[str, ...]

    @property
    def copy_sql(self) -> str:
        return f"COPY {self.name} ({', '.join(self.columns)}) FROM STDIN"


class Progress:
    """Phase and rate lines on stderr."""

    def __init__(self, stream=sys.stderr, quiet: bool = False, started: float | None = None):
        self.stream, self.quiet = stream, quiet
        self.started = time.monotonic() if started is None else started  # one clock for every process

    def say(self, message: str) -> None:
        if not self.quiet:
            print(f"[city {time.monotonic() - self.started:7.1f}s] {message}", file=self.stream, flush=True)


class Sink:
    def __init__(self, conninfo: str, progress: Progress, *, flush_chars: int = 24_000_000):
        self.progress = progress
        self.flush_chars = flush_chars
        self.buffers: dict[Table, list[str]] = {}
        self.counts: dict[str, int] = {}
        self.pending = 0
        self.rows = 0
        self._queue: queue.Queue = queue.Queue(maxsize=2)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._load, args=(conninfo,), name="city-copy", daemon=True)
        self._thread.start()

    # --- the generator's side ---------------------------------------------------------------------------------

    def row(self, table: Table, values) -> None:
        """One row as a tuple in `table.columns` order."""
        self.line(table, copy_line(values))

    def line(self, table: Table, line: str) -> None:
        """One row already formatted as a COPY text line (the hot tables build theirs with an f-string)."""
        buf = self.buffers.get(table)
        if buf is None:
            buf = self.buffers[table] = []
        buf.append(line)
        self.pending += len(line)
        if self.pending >= self.flush_chars:
            self.flush()

    def pending_rows(self) -> int:
        return sum(len(lines) for lines in self.buffers.values())

    def flush(self) -> None:
        if self._error is not None:
            raise RuntimeError("COPY failed") from self._error
        batch = []
        for table, lines in self.buffers.items():
            if lines:
                self.counts[table.name] = self.counts.get(table.name, 0) + len(lines)
                self.rows += len(lines)
                batch.append((table, "".join(lines)))
        self.buffers, self.pending = {}, 0
        if batch:
            self._put(batch)

    def close(self) -> None:
        self.flush()
        self._put(None)
        self._thread.join()
        if self._error is not None:
            raise RuntimeError("COPY failed") from self._error

    def abort(self) -> None:
        """Stop the loader after an error in the generator (what was loaded is thrown away with the database)."""
        self.buffers = {}
        try:
            self._queue.put(None, timeout=5)
        except queue.Full:
            pass
        self._thread.join(timeout=30)

    def _put(self, item) -> None:
        while True:
            try:
                self._queue.put(item, timeout=1.0)
                return
            except queue.Full:
                if self._error is not None:
                    raise RuntimeError("COPY failed") from self._error

    # --- the loader thread ------------------------------------------------------------------------------------

    def _load(self, conninfo: str) -> None:
        try:
            with psycopg.connect(conninfo) as conn:
                conn.execute("SET synchronous_commit = off")
                while (batch := self._queue.get()) is not None:
                    with conn.cursor() as cur:
                        for table, data in batch:
                            with cur.copy(table.copy_sql) as copy:
                                copy.write(data)
                    conn.commit()
        except BaseException as e:  # reported to the generator at its next flush
            self._error = e
            while self._queue.get() is not None:  # unblock a generator waiting on a full queue
                pass
