"""Append audit events and verify the chains.

`record()` runs inside the caller's transaction (it never commits), so an action and its audit event
are written together or not at all.
"""
from __future__ import annotations

import hashlib
import json
import uuid
from json.encoder import encode_basestring as _json_str  # the C function json.dumps uses (ensure_ascii=False)
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import (String, bindparam, cast, func, insert, literal_column, or_, select, true, union_all,
                        update)
from sqlalchemy.orm import Session

from ..auth.permissions import Actor, scope
from ..models import utcnow
from ..writes import current_batch, together
from .models import GLOBAL_CHAIN, AuditChainHead, AuditEvent
from .rows import ROWS_KEY, take_rows

GENESIS = "0" * 64

# Core statements built once: every state change appends an event, so the ORM's bulk-DML path and building the
# SQL per call would be paid by every action. (Bind names differ from column names: SQLAlchemy would take a
# parameter named like a column as a value to SET.)
_CHAIN_HEADS, _EVENTS = AuditChainHead.__table__, AuditEvent.__table__
_CLAIM_NEXT_LINK = (update(_CHAIN_HEADS).where(_CHAIN_HEADS.c.chain == bindparam("chain_name"))
                    .values(seq=_CHAIN_HEADS.c.seq + 1).returning(_CHAIN_HEADS.c.seq, _CHAIN_HEADS.c.hash))
_START_CHAIN = insert(_CHAIN_HEADS)


def _canonical(event: dict) -> bytes:
    return json.dumps(event, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


# _canonical's output for the twelve hashed fields when they are already text (the verification's read of
# PostgreSQL, which casts ids and formats the time itself): the keys in sorted order, each value escaped by the
# same function json.dumps uses, so the bytes are identical (tests/supermarket/audit/test_canonical.py).
_CANONICAL_FORM = ('{"action":%s,"actor_id":%s,"actor_name":%s,"at":%s,"chain":%s,"id":%s,"role":%s,"seq":%d,'
                   '"store_id":%s,"subject_id":%s,"subject_type":%s,"summary":%s}')


def _json_or_null(value) -> str:
    return "null" if value is None else _json_str(value)


def canonical_from_text(action, actor_id, actor_name, at, chain, event_id, role, seq, store_id, subject_id,
                        subject_type, summary) -> bytes:
    """_canonical(_content(row)) from the fields as text (`at` as _content formats it)."""
    return (_CANONICAL_FORM % (_json_or_null(action), _json_or_null(actor_id), _json_or_null(actor_name),
                               _json_or_null(at), _json_or_null(chain), _json_or_null(event_id),
                               _json_or_null(role), seq, _json_or_null(store_id), _json_or_null(subject_id),
                               _json_or_null(subject_type), _json_or_null(summary))).encode()


def event_hash(prev_hash: str, content: dict) -> str:
    return hashlib.sha256(prev_hash.encode() + _canonical(content)).hexdigest()


def _content(row) -> dict:
    """The hashed fields of an event (a row or a mapping with the same keys)."""
    get = row.get if isinstance(row, dict) else lambda k: getattr(row, k)
    at: datetime = get("at")
    return {
        "id": str(get("id")),
        "chain": get("chain"),
        "seq": get("seq"),
        "at": at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor_id": str(get("actor_id")) if get("actor_id") else None,
        "actor_name": get("actor_name"),
        "role": get("role"),
        "store_id": str(get("store_id")) if get("store_id") else None,
        "action": get("action"),
        "subject_type": get("subject_type"),
        "subject_id": get("subject_id"),
        "summary": get("summary"),
    }


def record(session: Session, actor: Actor, action: str, subject=None, summary: dict | None = None, *,
           store_id=None, subject_type: str | None = None, subject_id=None, now: datetime | None = None) -> uuid.UUID:
    """Append one event to the store's chain (or the global chain). Returns the event id."""
    chain = str(store_id) if store_id else GLOBAL_CHAIN
    if subject is not None:
        subject_type = subject_type or getattr(subject, "__tablename__", type(subject).__name__)
        subject_id = subject_id or getattr(subject, "id", "")
    # Claim the next link with an UPDATE first: it takes the row lock (PostgreSQL) or the write lock
    # (SQLite) before the head is read, so two appends can never both see the same head.
    conn = session.connection()  # Core on the session's transaction: no ORM execution layer per statement
    claimed = conn.execute(_CLAIM_NEXT_LINK, {"chain_name": chain}).first()
    if claimed is None:
        conn.execute(_START_CHAIN, {"chain": chain, "seq": 1, "hash": GENESIS})
        seq, prev = 1, GENESIS
    else:
        seq, prev = claimed
    batch = current_batch(session)
    # Inside an outer writes.together() (a sale) the head's new hash is held with the event until that block
    # ends; a second event in the block links to the held hash (the claim above still took the row lock and
    # the next seq).
    held = batch.pending(_CHAIN_HEADS, "chain", chain) if batch is not None else None
    if held is not None:
        prev = held["hash"]
    # The ledger rows the action wrote (audit/rows.py): in the summary, so the chain's hash covers them.
    rows = take_rows(session)
    if rows:
        summary = {**(summary or {}), ROWS_KEY: rows}
    # Hashed as UTC, as it is stored: a caller's aware local time must hash the same when read back.
    at = (now or utcnow()).astimezone(timezone.utc)
    row = {
        "id": uuid.uuid4(),
        "chain": chain,
        "seq": seq,
        "at": at,
        "actor_id": actor.user_id,
        "actor_name": actor.username,
        "role": actor.role.value if actor.role else "",
        "store_id": store_id,
        "action": action,
        "subject_type": subject_type or "",
        "subject_id": str(subject_id or ""),
        "summary": json.dumps(summary or {}, sort_keys=True, ensure_ascii=False, default=str),
    }
    row["prev_hash"] = prev
    row["hash"] = event_hash(prev, _content(row))
    _append(session, chain, row)
    return row["id"]


def _append(session: Session, chain: str, row: dict) -> None:
    """The one write path: the event and its chain head's new hash, through writes.together(). Alone, the block
    writes them when it ends (one statement on PostgreSQL, an INSERT and an UPDATE on SQLite); inside a caller's
    block (the till's sale) they go out with the rest of the sale's rows in its single statement."""
    with together(session) as batch:
        batch.add(_EVENTS, [row])
        batch.set_values(_CHAIN_HEADS, "chain", chain, {"hash": row["hash"]})


@dataclass(frozen=True)
class BrokenLink:
    chain: str
    seq: int
    event_id: str | None
    reason: str


@dataclass(frozen=True)
class VerifyResult:
    events: int
    chains: int
    broken: BrokenLink | None
    row_problems: tuple = ()   # ledger rows that no longer match the events read (the daily run's rows.verify_vouched)

    @property
    def ok(self) -> bool:
        return self.broken is None and not self.row_problems


def verify_chain(session: Session, *, progress=None, chains=None, start: dict | None = None,
                 since=None) -> VerifyResult:
    """Recompute every chain from its first event; report the first broken link.

    Catches edited rows (hash mismatch), deleted rows (a gap in seq or a prev_hash that does not match)
    and a deleted tail (the head no longer matches the last event).
    """
    head_stmt = select(AuditChainHead)
    if chains is not None:
        head_stmt = head_stmt.where(AuditChainHead.chain.in_(list(chains)))
    heads = {h.chain: (h.seq, h.hash) for h in session.scalars(head_stmt)}
    postgres = session.get_bind().dialect.name == "postgresql"
    stmt = _walk_stmt(postgres, chains, since)

    def tail_broken(ch, last_seq, last_hash):
        head = heads.get(ch)
        if head is None or head != (last_seq, last_hash):
            return BrokenLink(ch, last_seq + 1, None, "chain head does not match the last event (events removed)")
        return None

    with session.execute(stmt) as rows:  # closes the server-side cursor on an early return
        links = _text_links(rows) if postgres else _row_links(rows.mappings())
        return _walk(links, heads, progress, tail_broken, start, chains)


def after_checkpoints(stmt, since, postgres: bool):
    """`stmt` (a SELECT from audit_events) limited to the events after each chain's checkpoint (`since`: a
    (chain, seq) selectable) and every event of a chain with none, as a subquery. Each chain's events are reached
    through its (chain, seq) index from the checkpoint on: a join with `OR seq IS NULL`, or `id IN (…)`, made
    PostgreSQL read every event ever written (0.6–1 s of the 90-store city's daily verification, growing with the
    years)."""
    if postgres:
        # LATERAL: one range scan of (chain, seq) per checkpointed chain. As a join the planner guesses that a
        # third of each chain follows its checkpoint and scans the whole table instead; OFFSET 0 keeps it from
        # flattening the lateral subquery back into that join.
        part = (stmt.where(AuditEvent.chain == since.c.chain, AuditEvent.seq > since.c.seq).offset(0)
                .lateral("after_one"))
        after = select(*part.c).select_from(since).join(part, true())
    else:
        after = stmt.join(since, (since.c.chain == AuditEvent.chain) & (AuditEvent.seq > since.c.seq))
    unchecked = (stmt.join(AuditChainHead, AuditChainHead.chain == AuditEvent.chain)
                 .where(~select(since.c.chain).where(since.c.chain == AuditChainHead.chain).exists()))
    return union_all(after, unchecked).subquery("after_checkpoints")


_HASHED = ("id", "chain", "seq", "at", "actor_id", "actor_name", "role", "store_id", "action", "subject_type",
           "subject_id", "summary")


def _walk_stmt(postgres: bool, chains=None, since=None):
    """The events in chain order. On PostgreSQL the database hands the hashed fields over as the text _content
    makes of them (ids cast, the time formatted in UTC): parsing UUIDs and timestamps into Python objects only to
    turn them back into text was most of the walk's cost (38 → ~12 microseconds an event)."""
    c = AuditEvent.__table__.c
    if not postgres:
        cols = [c[n] for n in _HASHED + ("prev_hash", "hash")]
    else:
        at = func.to_char(literal_column("audit_events.at AT TIME ZONE 'UTC'"), 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
        cols = [c.chain, c.seq, cast(c.id, String).label("id"), c.prev_hash, c.hash, c.action,
                cast(c.actor_id, String).label("actor_id"), c.actor_name, at.label("at"),
                cast(c.store_id, String).label("store_id"), c.role, c.subject_id, c.subject_type, c.summary]
    stmt = select(*cols)
    if chains is not None:
        stmt = stmt.where(AuditEvent.chain.in_(list(chains)))
    if since is None:
        return stmt.order_by(AuditEvent.chain, AuditEvent.seq).execution_options(yield_per=5000)
    part = after_checkpoints(stmt, since, postgres)
    return select(*part.c).order_by(part.c.chain, part.c.seq).execution_options(yield_per=5000)


def _text_links(rows):
    """(chain, seq, event id, prev_hash, hash, canonical bytes) from _walk_stmt's PostgreSQL columns."""
    for (chain, seq, event_id, prev_hash, hash_, action, actor_id, actor_name, at, store_id, role, subject_id,
         subject_type, summary) in rows:
        yield (chain, seq, event_id, prev_hash, hash_,
               canonical_from_text(action, actor_id, actor_name, at, chain, event_id, role, seq, store_id,
                                   subject_id, subject_type, summary))


def _row_links(rows):
    for r in rows:
        yield r["chain"], r["seq"], r["id"], r["prev_hash"], r["hash"], _canonical(_content(dict(r)))


def _walk(rows, heads, progress, tail_broken, start: dict | None = None, only=None) -> VerifyResult:
    """Walk the links (chain, seq, event id, prev_hash, hash, canonical content bytes) ordered by (chain, seq);
    `start`: chain -> (seq, hash) already verified (a checkpoint), the
    walk then begins after it; `only`: the chains this walk covers (the others are another worker's)."""
    start = start or {}
    count = 0
    chains_seen: set[str] = set()
    chain, expected_seq, prev = None, 0, GENESIS
    sha256 = hashlib.sha256
    for r_chain, r_seq, r_id, r_prev, r_hash, content in rows:
        if r_chain != chain:
            if chain is not None and (b := tail_broken(chain, expected_seq, prev)):
                return VerifyResult(count, len(chains_seen), b)
            chain = r_chain
            expected_seq, prev = start.get(chain, (0, GENESIS))
            chains_seen.add(chain)
        expected_seq += 1
        count += 1
        if progress:
            progress(1)
        if r_seq != expected_seq:
            return VerifyResult(count, len(chains_seen),
                                BrokenLink(chain, expected_seq, str(r_id), "missing event (gap in sequence)"))
        if r_prev != prev:
            return VerifyResult(count, len(chains_seen),
                                BrokenLink(chain, r_seq, str(r_id), "previous hash does not match"))
        if sha256(prev.encode() + content).hexdigest() != r_hash:  # event_hash, inlined
            return VerifyResult(count, len(chains_seen),
                                BrokenLink(chain, r_seq, str(r_id), "content does not match its hash"))
        prev = r_hash
    if chain is not None and (b := tail_broken(chain, expected_seq, prev)):
        return VerifyResult(count, len(chains_seen), b)
    for ch, (seq, head_hash) in heads.items():
        if ch in chains_seen or (only is not None and ch not in only):
            continue
        done_seq, done_hash = start.get(ch, (0, GENESIS))
        if seq > done_seq:
            reason = "all events of the chain removed" if done_seq == 0 else "events after the checkpoint removed"
            return VerifyResult(count, len(chains_seen), BrokenLink(ch, done_seq + 1, None, reason))
        if (seq, head_hash) != (done_seq, done_hash) and done_seq:
            return VerifyResult(count, len(chains_seen),
                                BrokenLink(ch, done_seq, None, "chain head does not match the checkpoint"))
    return VerifyResult(count, len(chains_seen), None)


def chain_head(session: Session, chains: list[str] | None) -> tuple[str, int] | None:
    """The hash and seq of the most recently written head among `chains` (all when None): what a verification
    reports beside "完整"."""
    stmt = select(AuditEvent.hash, AuditEvent.seq).order_by(AuditEvent.at.desc(), AuditEvent.seq.desc()).limit(1)
    if chains is not None:
        stmt = stmt.where(AuditEvent.chain.in_(chains))
    row = session.execute(stmt).first()
    return (row[0], row[1]) if row else None


def _events_stmt(actor: Actor, *, store_id=None, action: str | None = None, actor_name: str | None = None,
                 date_from: datetime | None = None, date_to: datetime | None = None, text: str | None = None):
    stmt = scope(select(AuditEvent), actor, AuditEvent)
    if store_id:
        stmt = stmt.where(AuditEvent.store_id == store_id)
    if action:
        stmt = stmt.where(AuditEvent.action.startswith(action, autoescape=True))
    if actor_name:
        stmt = stmt.where(AuditEvent.actor_name == actor_name)
    if date_from:
        stmt = stmt.where(AuditEvent.at >= date_from)
    if date_to:
        stmt = stmt.where(AuditEvent.at < date_to)
    if text:
        # The summary is stored as JSON text with ensure_ascii=False, so Chinese words match as typed.
        stmt = stmt.where(or_(AuditEvent.summary.contains(text, autoescape=True),
                              AuditEvent.subject_id.contains(text, autoescape=True),
                              AuditEvent.actor_name.contains(text, autoescape=True)))
    return stmt.order_by(AuditEvent.at.desc(), AuditEvent.seq.desc())


def list_events(session: Session, actor: Actor, *, limit: int = 100, offset: int = 0, **filters):
    """Events the actor may see, newest first. Store-less (city-wide) events are for the federation only."""
    return list(session.scalars(_events_stmt(actor, **filters).limit(limit).offset(offset)))


def iter_events(session: Session, actor: Actor, **filters):
    """The same events as list_events, all of them, read in batches (the log's download)."""
    yield from session.scalars(_events_stmt(actor, **filters).execution_options(yield_per=2000))
