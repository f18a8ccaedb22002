"""Audit events, chained and hashed exactly as `supermarket.audit.service.record` does it.

The hash is the app's own `event_hash(prev, _content(row))`, so when the app changes how it hashes, the
generator follows. A store's chain is written as its events happen (they come in time order); the global
chain gathers events from every store and is hashed at the end, in time order.
"""
from __future__ import annotations

import json
from datetime import datetime

from supermarket.audit.models import GLOBAL_CHAIN
from supermarket.audit.rows import ROWS_KEY
from supermarket.audit.service import GENESIS, _content, event_hash

from .base import SYSTEM, Actor, opt, text, ts
from .sink import Sink, Table

EVENTS = Table("audit_events", ("id", "chain", "seq", "at", "actor_id", "actor_name", "role", "store_id",
                                "action", "subject_type", "subject_id", "summary", "prev_hash", "hash"))
HEADS = Table("audit_chain_heads", ("chain", "seq", "hash"))


def summary_text(summary: dict | None) -> str:
    # As record() serialises it: dates and uuids through str().
    return json.dumps(summary or {}, sort_keys=True, ensure_ascii=False, default=str)


class Chain:
    """One store's chain (or the global one, via GlobalChain)."""

    def __init__(self, sink: Sink, ids, store_id: str | None):
        self.sink, self.ids = sink, ids
        self.name = store_id or GLOBAL_CHAIN
        self.store_id = store_id
        self.seq, self.prev = 0, GENESIS
        self.last_at: datetime | None = None

    def record(self, actor: Actor, action: str, subject_type: str, subject_id, summary: dict | None,
               at: datetime) -> str:
        row = self._row(actor, action, subject_type, subject_id, summary, at, self.ids())
        self._append(row)
        return row["id"]

    def _row(self, actor, action, subject_type, subject_id, summary, at, event_id) -> dict:
        # The ledger rows written since the last event, as audit.record() adds them (audit/rows.py).
        rows, self.sink.ledger_rows = self.sink.ledger_rows, {}
        if rows:
            summary = {**(summary or {}), ROWS_KEY: rows}
        self.last_at = at
        return {"id": event_id, "chain": self.name, "seq": 0, "at": at, "actor_id": actor.user_id,
                "actor_name": actor.username, "role": actor.role, "store_id": self.store_id, "action": action,
                "subject_type": subject_type, "subject_id": str(subject_id or ""),
                "summary": summary_text(summary)}

    def _append(self, row: dict) -> None:
        self.seq += 1
        row["seq"] = self.seq
        row["prev_hash"] = self.prev
        row["hash"] = self.prev = event_hash(self.prev, _content(row))
        self.sink.line(EVENTS, (
            f"{row['id']}\t{text(row['chain'])}\t{row['seq']}\t{ts(row['at'])}\t{opt(row['actor_id'])}\t"
            f"{text(row['actor_name'])}\t{row['role']}\t{opt(row['store_id'])}\t{row['action']}\t"
            f"{row['subject_type']}\t{text(row['subject_id'])}\t{text(row['summary'])}\t{row['prev_hash']}\t"
            f"{row['hash']}\n"))

    def close(self) -> None:
        if self.sink.ledger_rows and self.store_id is not None:
            # Rows written after the store's last event: one event of their own, as the app's commit hook does.
            self.record(SYSTEM, "audit.ledger_rows", "", "", {}, self.last_at)
        if self.seq:
            self.sink.row(HEADS, (self.name, self.seq, self.prev))


class GlobalChain(Chain):
    """City-wide events (federation actions, the volunteer platform): gathered from every store's simulation
    and chained in time order when the city is done."""

    def __init__(self, sink: Sink, ids):
        super().__init__(sink, ids, None)
        self.held: list[tuple] = []

    def record(self, actor: Actor, action: str, subject_type: str, subject_id, summary: dict | None,
               at: datetime, *, ids=None) -> str:
        """`ids`: the store's id generator, for events a store's simulation records (its ids are its own,
        whichever process simulates it)."""
        row = self._row(actor, action, subject_type, subject_id, summary, at, (ids or self.ids)())
        self.held.append((at, row["id"], row))
        return row["id"]

    def close(self) -> None:
        for _at, _id, row in sorted(self.held, key=lambda e: (e[0], e[1])):
            self._append(row)
        self.held = []
        super().close()
