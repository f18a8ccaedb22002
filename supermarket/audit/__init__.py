"""Tamper-evident action log: one hash chain per store, one for city-wide actions."""
from .service import record, verify_chain  # noqa: F401  (audit.record(...) reads well at call sites)
