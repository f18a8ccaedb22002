"""Shared helpers for the flag tests: run detection, list the flags of a kind."""
from __future__ import annotations

from sqlalchemy import select

from supermarket.flags import detect as detection
from supermarket.flags.models import Flag


def run(session, now, **kw) -> dict:
    return detection.detect(session, now=now, **kw)


def flags_of(session, kind) -> list[Flag]:
    session.expire_all()
    return list(session.scalars(select(Flag).where(Flag.kind == kind).order_by(Flag.raised_at)))


def evidence_ids(flag, table) -> set[str]:
    return {e["id"] for e in flag.evidence if e["table"] == table}
