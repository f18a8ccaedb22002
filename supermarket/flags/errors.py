"""Flag errors, each with a stable code."""
from __future__ import annotations

from ..errors import Conflict, Forbidden, InvalidInput


class UnknownKind(InvalidInput):
    code = "flags.unknown_kind"


class BadThreshold(InvalidInput):
    code = "flags.bad_threshold"


class NoteRequired(InvalidInput):
    code = "flags.note_required"


class BadOutcome(InvalidInput):
    code = "flags.bad_outcome"


class NotOpen(Conflict):
    code = "flags.not_open"


class NotResolved(Conflict):
    code = "flags.not_resolved"


class AboutYourself(Forbidden):
    code = "flags.about_yourself"
