"""The jobs domain's errors."""
from __future__ import annotations

from ..errors import NotFound


class UnknownJob(NotFound):
    """`flask jobs run --only NAME` named no declared job."""

    code = "jobs.unknown_job"
