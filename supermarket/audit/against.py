"""Verify one store's chain against a published head hash (`flask audit verify --store CODE --against HASH`).

A monthly disclosure records the head of the store's chain when it was closed. Walking the chain from its first
event and recomputing every hash from the content, the walk must arrive at that hash; the first event whose
content no longer gives its stored hash (or a gap in the sequence) is named. Events after the head are not
looked at, so an edit in a later month leaves earlier published months verifying.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import AuditEvent
from .service import GENESIS, _content, event_hash

_COLS = ("id", "chain", "seq", "at", "actor_id", "actor_name", "role", "store_id", "action", "subject_type",
         "subject_id", "summary", "prev_hash", "hash")


@dataclass(frozen=True)
class AgainstResult:
    head_hash: str
    events: int                 # events checked
    ok: bool
    bad_seq: int | None = None  # the first event that differs (None when none can be named)
    bad_event_id: str | None = None
    bad_action: str = ""
    bad_at: object = None
    reason: str = ""


def verify_against(session: Session, chain: str, head_hash: str, *, event_count: int | None = None) -> AgainstResult:
    """Recompute `chain` from its first event up to `head_hash` (at `event_count` events when known)."""
    head_hash = (head_hash or "").strip().lower()
    if event_count == 0:
        return AgainstResult(head_hash, 0, head_hash == GENESIS,
                             reason="" if head_hash == GENESIS else "empty chain has no such head")
    cols = [AuditEvent.__table__.c[n] for n in _COLS]
    stmt = select(*cols).where(AuditEvent.chain == chain).order_by(AuditEvent.seq)
    if event_count is not None:
        stmt = stmt.where(AuditEvent.seq <= event_count)
    prev, expected, first_bad = GENESIS, 0, None
    with session.execute(stmt.execution_options(yield_per=5000)) as rows:
        for r in rows.mappings():
            expected += 1
            if r["seq"] != expected and first_bad is None:
                first_bad = (expected, None, "", None, "missing event (gap in sequence)")
            recomputed = event_hash(prev, _content(dict(r)))
            if first_bad is None and (recomputed != r["hash"] or r["prev_hash"] != prev):
                first_bad = (r["seq"], str(r["id"]), r["action"], r["at"], "content does not match its hash")
            prev = recomputed
            if recomputed == head_hash and first_bad is None:
                return AgainstResult(head_hash, expected, True)
    if first_bad is not None:
        seq, eid, action, at, reason = first_bad
        return AgainstResult(head_hash, expected, False, seq, eid, action, at, reason)
    if event_count is not None and expected == event_count:
        return AgainstResult(head_hash, expected, False, event_count, None, "", None,
                             "the chain up to the published head was rewritten")
    return AgainstResult(head_hash, expected, False, None, None, "", None, "no event of the chain has this head")
