"""Verification that scales: checkpoints, and the full walk on every core.

`verify_daily` starts each chain at its last checkpoint (where an earlier run found it whole), so a daily run
reads only the events written since; it still proves that nothing before the checkpoint was rewritten wholesale
(the event at the checkpoint must still carry the checkpointed hash, and the checkpoints themselves form a hash
chain). An edit of one old event's content that leaves its stored hash alone is the full run's to find:
`verify_full` recomputes every chain from its first event, the chains split over worker processes (each chain
is independent), streaming rows. Both name the first broken event, and both record new checkpoints when
everything is whole.
"""
from __future__ import annotations

import hashlib
import json
import os
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .models import AuditChainHead, AuditCheckpoint, AuditEvent
from .rows import ROWS_KEY, verify_vouched
from .service import GENESIS, BrokenLink, VerifyResult, after_checkpoints, verify_chain

CHECKPOINTS = "checkpoints"  # the chain name a broken checkpoint record is reported under


def _checkpoint_hash(prev: str, chain: str, seq: int, event_hash: str, verified_at: datetime, full: bool) -> str:
    body = json.dumps([chain, seq, event_hash, verified_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), full],
                      separators=(",", ":"))
    return hashlib.sha256(prev.encode() + body.encode()).hexdigest()


def latest_checkpoints(session: Session) -> tuple[dict, BrokenLink | None]:
    """chain -> (seq, event hash) of its latest checkpoint, after checking the checkpoints' own chain."""
    latest: dict = {}
    prev = GENESIS
    for cp in session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id)):
        at = cp.verified_at
        if cp.prev_hash != prev or _checkpoint_hash(prev, cp.chain, cp.seq, cp.event_hash, at, cp.full) != cp.hash:
            return {}, BrokenLink(CHECKPOINTS, cp.id, None, "checkpoint record altered")
        prev = cp.hash
        latest[cp.chain] = (cp.seq, cp.event_hash)
    return latest, None


def record_checkpoints(session: Session, *, now: datetime, full: bool, since: dict) -> int:
    """A checkpoint for every chain whose head moved past its last checkpoint. Commits."""
    prev = session.scalar(select(AuditCheckpoint.hash).order_by(AuditCheckpoint.id.desc()).limit(1)) or GENESIS
    made = 0
    for head in session.scalars(select(AuditChainHead).order_by(AuditChainHead.chain)):
        if head.seq <= since.get(head.chain, (0, GENESIS))[0] and not full:
            continue
        digest = _checkpoint_hash(prev, head.chain, head.seq, head.hash, now, full)
        session.add(AuditCheckpoint(chain=head.chain, seq=head.seq, event_hash=head.hash, verified_at=now,
                                    full=full, prev_hash=prev, hash=digest))
        prev, made = digest, made + 1
    session.commit()
    return made


def verify_daily(session: Session, *, now: datetime, progress=None) -> VerifyResult:
    """Verify the events written since each chain's last checkpoint; record new checkpoints when whole."""
    latest, broken = latest_checkpoints(session)
    if broken:
        return VerifyResult(0, 0, broken)
    # the event each checkpoint names must still carry the hash it had: a chain rewritten from an old event on
    # (hashes recomputed) would otherwise pass from the checkpoint forward
    if latest:
        at = _latest_subquery()
        rows = session.execute(select(AuditEvent.chain, AuditEvent.seq, AuditEvent.hash, AuditEvent.id)
                               .join(at, (AuditEvent.chain == at.c.chain) & (AuditEvent.seq == at.c.seq)))
        found = {chain: (seq, h, event_id) for chain, seq, h, event_id in rows}
        for chain, (seq, want) in sorted(latest.items()):
            got = found.get(chain)
            if got is None or got[1] != want:
                return VerifyResult(0, 0, BrokenLink(chain, seq, str(got[2]) if got else None,
                                                     "event at the last checkpoint changed or removed"))
    result = verify_chain(session, progress=progress, start=latest, since=_latest_subquery())
    if result.ok:
        # the ledger rows the new events vouch for, before the checkpoints move past those events
        problems = verify_vouched(session, new_rows_vouched(session))
        if problems:
            return VerifyResult(result.events, result.chains, None, tuple(problems))
        record_checkpoints(session, now=now, full=False, since=latest)
    return result


def new_rows_vouched(session: Session) -> dict:
    """{(table, row id): (digest, event id)} from the events after each chain's last checkpoint."""
    out: dict = {}
    stmt = select(after_checkpoints(select(AuditEvent.id, AuditEvent.summary)
                                    .where(AuditEvent.summary.like(f'%"{ROWS_KEY}":%')), _latest_subquery(),
                                    session.get_bind().dialect.name == "postgresql"))
    for event_id, summary in session.execute(stmt):
        rows = json.loads(summary).get(ROWS_KEY)
        if isinstance(rows, dict):
            for table_name, by_id in rows.items():
                for row_id, digest in by_id.items():
                    out[(table_name, row_id)] = (digest, str(event_id))
    return out


def _latest_subquery():
    return (select(AuditCheckpoint.chain, func.max(AuditCheckpoint.seq).label("seq"))
            .group_by(AuditCheckpoint.chain).subquery("latest_checkpoint"))


def _verify_part(url: str, chains: list[str]) -> VerifyResult:
    """A worker process: its own connection, its share of the chains."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session as PlainSession

    engine = create_engine(url)
    try:
        with PlainSession(engine) as session:
            return verify_chain(session, chains=set(chains))
    finally:
        engine.dispose()


def verify_full(session: Session, *, now: datetime, url: str | None = None, jobs: int | None = None,
                progress=None) -> VerifyResult:
    """Recompute every chain from its first event, on `jobs` processes (default: every core); the first broken
    event (in chain order) is reported. In-process when there is one job or the database is in memory."""
    chains = sorted(session.scalars(select(AuditChainHead.chain)))
    jobs = jobs or os.cpu_count() or 1
    if jobs <= 1 or not url or url.startswith("sqlite") or len(chains) < 2:
        result = verify_chain(session, progress=progress)
    else:
        # the biggest chains first, dealt round-robin, so the workers finish together
        sizes = dict(session.execute(select(AuditChainHead.chain, AuditChainHead.seq)).all())
        ordered = sorted(chains, key=lambda c: -sizes.get(c, 0))
        parts = [ordered[i::jobs] for i in range(jobs) if ordered[i::jobs]]
        session.rollback()
        with ProcessPoolExecutor(max_workers=len(parts)) as pool:
            results = list(pool.map(_verify_part, [url] * len(parts), parts))
        broken = sorted((r.broken for r in results if r.broken), key=lambda b: (b.chain, b.seq))
        result = VerifyResult(sum(r.events for r in results), sum(r.chains for r in results),
                              broken[0] if broken else None)
    if result.ok:
        record_checkpoints(session, now=now, full=True, since={})
    return result
