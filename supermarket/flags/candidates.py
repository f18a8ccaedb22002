"""What a detector hands the writer: one would-be flag with its people and evidence rows."""
from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import date

EVIDENCE_CAP = 200  # rows kept on one flag; `detail.count` keeps the full number


@dataclass
class Candidate:
    kind: str
    store_id: uuid.UUID
    subject: str
    period_start: date
    period_end: date
    people: list = field(default_factory=list)     # [{"type": "user", "id": "…"}]
    evidence: list = field(default_factory=list)   # [{"table", "id", "label", "endpoint", "url_kwargs"}]
    detail: dict = field(default_factory=dict)

    def add_person(self, person_type: str, person_id) -> None:
        if person_id is None:
            return
        entry = {"type": person_type, "id": str(person_id)}
        if entry not in self.people:
            self.people.append(entry)

    def add_evidence(self, table: str, row_id, label: str, endpoint: str | None, **url_kwargs) -> None:
        if any(e["table"] == table and e["id"] == str(row_id) for e in self.evidence):
            return
        self.evidence.append({"table": table, "id": str(row_id), "label": label, "endpoint": endpoint,
                              "url_kwargs": {k: str(v) for k, v in url_kwargs.items()}})

    @property
    def evidence_ids(self) -> frozenset:
        return frozenset(f"{e['table']}:{e['id']}" for e in self.evidence)

    @property
    def fingerprint(self) -> str:
        raw = "|".join([self.kind, self.subject, *sorted(self.evidence_ids)])
        return hashlib.sha256(raw.encode()).hexdigest()


def group(rows, key) -> dict:
    """Rows grouped by key(row), in first-seen order."""
    out: dict = {}
    for row in rows:
        out.setdefault(key(row), []).append(row)
    return out
