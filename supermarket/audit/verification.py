"""The "核验审计链" button: an auditor checks the chains of their scope, and the check itself is recorded."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from ..auth.permissions import OVERSIGHT, Actor, require
from ..uow import unit_of_work
from .service import BrokenLink, chain_head, record, verify_chain


@dataclass(frozen=True)
class Verification:
    events: int
    chains: int
    broken: BrokenLink | None
    head_hash: str | None
    head_seq: int | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def scope_chains(actor: Actor) -> list[str] | None:
    """The chains an actor answers for: the federation every chain (the city's own included), a district
    auditor the chains of their district's stores."""
    return None if actor.all_stores else sorted(str(s) for s in actor.store_ids)


def verify_scope(session: Session, actor: Actor, *, now: datetime) -> Verification:
    require(actor.role in OVERSIGHT)
    chains = scope_chains(actor)
    result = verify_chain(session, chains=chains)
    head = chain_head(session, chains)
    done = Verification(result.events, result.chains, result.broken, head[0] if head else None,
                        head[1] if head else None)
    summary = {"result": "完整" if done.ok else "断链", "events": done.events, "chains": done.chains,
               "scope": "city" if chains is None else f"{len(chains)} stores", "head_hash": done.head_hash}
    if done.broken:
        summary["broken"] = {"chain": done.broken.chain, "seq": done.broken.seq,
                             "event_id": done.broken.event_id, "reason": done.broken.reason}
    with unit_of_work(session):
        # On the city's chain: the check spans stores, and no store's chain should grow by being checked.
        record(session, actor, "audit.chain_verified", subject_type="audit_chains",
               subject_id="city" if chains is None else "district", summary=summary, now=now)
    return done
