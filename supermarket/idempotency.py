"""The one idempotency rule for every state-changing request.

A client (a till, a tablet, an integration) sends an idempotency key with each action. Then:
- the same key with the same payload answers the first result again, marked as a replay (a double tap, a retry
  after a lost answer, an offline till landing its queue twice), and writes nothing new;
- the same key with a different payload is refused: 409 `idempotency.mismatch`;
- keys are scoped: a store's staff share their store's keys, anybody else (an auditor, the federation, an
  integration account) has their own, so another store can neither replay nor block them.

The key is recorded in the action's own transaction (`Claim.record`, called by the service once it knows the id
of what it made), so an action and its key are written together or not at all; two racing requests with one key
meet at the key's primary key, and the loser answers the winner's result.

    def create_project(session, actor, data, *, idempotency_key=None, now):
        return run_once(session, actor, kind="projects.create", key=idempotency_key, payload=data,
                        write=lambda claim: _create(session, actor, data, claim, now),
                        load=lambda project_id: session.get(Project, project_id))

    def _create(session, actor, data, claim, now):
        with unit_of_work(session):
            project = Project(...); session.add(project)
            claim.record(session, project.id)
            audit.record(...)
        return project
"""
from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Callable, TypeVar

from flask_babel import gettext as _
from sqlalchemy import String, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from .errors import Conflict, DomainError
from .extensions import db
from .models import CreatedAt

T = TypeVar("T")


class IdempotencyKey(CreatedAt, db.Model):
    """One used key: who may replay it (scope), what it made (kind, result_id) and a digest of what was asked."""

    __tablename__ = "idempotency_keys"

    scope: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(64), nullable=False)
    fingerprint: Mapped[str] = mapped_column(String(64), nullable=False)
    result_id: Mapped[str] = mapped_column(String(64), nullable=False)


class IdempotencyMismatch(Conflict):
    code = "idempotency.mismatch"

    def default_message(self) -> str:
        return _("该请求编号已用于另一项不同的操作，请刷新后重试")


_DOCUMENT_KEYS = uuid.UUID("6b1f3f0e-5c7a-4d2e-9a41-2f1c8e7d0b35")

# An API answer that repeats a first result carries this header (and the status of a read: 200, not 201).
REPLAY_HEADER = "Idempotent-Replay"


def key_scope(actor) -> str:
    """A store's staff share the store's keys; everyone else has their own."""
    store_id = getattr(actor, "store_id", None)
    if store_id is not None:
        return f"store:{store_id}"
    return f"user:{actor.user_id or actor.username}"


# Never part of a fingerprint: a digest of a payload holding a four-digit PIN could be reversed by trying them.
_SECRET_FIELDS = frozenset({"secret", "password", "pin", "checker_secret", "approver_secret", "witness_secret"})


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items() if str(k) not in _SECRET_FIELDS}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_plain(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    if hasattr(value, "__dataclass_fields__"):
        return {k: _plain(getattr(value, k)) for k in value.__dataclass_fields__ if k not in _SECRET_FIELDS}
    if isinstance(value, (uuid.UUID, datetime, date)):
        return str(value)
    if isinstance(value, bytes):
        return hashlib.sha256(value).hexdigest()
    return value


def fingerprint(payload) -> str:
    """A digest of what was asked (validated input: dicts, dataclasses, lists, UUIDs, dates, bytes); the key
    itself and fields named `idempotency_key` are left out, so a replay's own key never makes it differ."""
    plain = _plain(payload)
    if isinstance(plain, dict):
        plain = {k: v for k, v in plain.items() if k != "idempotency_key"}
    text = json.dumps(plain, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Claim:
    """A key being used: the service records it, with what it made, inside its own transaction."""

    scope: str
    key: str
    kind: str
    fingerprint: str

    def record(self, session: Session, result_id) -> None:
        session.add(IdempotencyKey(scope=self.scope, key=self.key, kind=self.kind, fingerprint=self.fingerprint,
                                   result_id=str(result_id)))

    def row(self, result_id, now: datetime) -> dict:
        """The key's row, for a hot path that writes it with `writes.insert_rows` in its own batch."""
        return {"scope": self.scope, "key": self.key, "kind": self.kind, "fingerprint": self.fingerprint,
                "result_id": str(result_id), "created_at": now}

    @property
    def document_key(self) -> uuid.UUID:
        """What a document's own (unique) idempotency column holds: the key within its scope, so two stores
        sending one key never collide there, while the client's key stays in `idempotency_keys`."""
        return uuid.uuid5(_DOCUMENT_KEYS, f"{self.scope}\n{self.key}")


class _NoClaim:
    """No key was sent: nothing to record."""

    document_key = None

    def record(self, session: Session, result_id) -> None:
        return None


NO_CLAIM = _NoClaim()


def _find(session: Session, scope: str, key: str) -> IdempotencyKey | None:
    return session.scalar(select(IdempotencyKey).where(IdempotencyKey.scope == scope, IdempotencyKey.key == key))


def _replay(found: IdempotencyKey, claim: Claim, load: Callable[[str], T]) -> T:
    if found.kind != claim.kind or found.fingerprint != claim.fingerprint:
        raise IdempotencyMismatch()
    return load(found.result_id)


def run_once(session: Session, actor, *, kind: str, key, payload, write: Callable[[Claim], T],
             load: Callable[[str], T], look_first: bool = True, scope: str | None = None) -> tuple[T, bool]:
    """Do `write(claim)` once per key; returns (result, replayed). Without a key, just `write(NO_CLAIM)`.

    `write` must call `claim.record(session, result.id)` (or insert `claim.row(...)`) inside its transaction;
    `load(result_id)` reads the first result back for a replay. `look_first=False` skips the look-up before
    writing (the till's hot path: a replay fails on the key's primary key, or on what the first attempt used
    up, and is answered then). `scope` overrides the actor's scope (a job acting for a store).
    """
    if key is None or key == "":
        return write(NO_CLAIM), False
    claim = Claim(scope or key_scope(actor), str(key), kind, fingerprint(payload))
    if look_first:
        found = _find(session, claim.scope, claim.key)
        if found is not None:
            return _replay(found, claim, load), True
    try:
        return write(claim), False
    except (IntegrityError, DomainError):
        # The loser of a race with the same key fails on the key (or on what the winner used up): answer the
        # winner's result, or the real error when no winner exists.
        session.rollback()
        found = _find(session, claim.scope, claim.key)
        if found is None:
            raise
        return _replay(found, claim, load), True
