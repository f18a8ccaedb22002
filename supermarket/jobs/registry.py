"""A periodic job as declared in `supermarket.wiring.JOBS`."""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class Job:
    """`target` is "module:function", called as fn(session, now) -> dict (what it did, for the record). Every
    job must be idempotent: safe to run twice, or in two processes at once."""

    name: str
    label: object  # a lazy gettext string
    every: timedelta
    target: str

    def function(self):
        module, _, attr = self.target.partition(":")
        return getattr(importlib.import_module(module), attr)
