"""A flag as the board and the API show it: evidence rows with their links, people by their shown names."""
from __future__ import annotations

from flask import url_for
from werkzeug.routing import BuildError


def evidence_url(row: dict) -> str | None:
    if not row.get("endpoint"):
        return None
    try:
        return url_for(row["endpoint"], **row.get("url_kwargs", {}))
    except BuildError:
        return None


def flag_dict(flag, names: dict) -> dict:
    return {"id": flag.id, "kind": flag.kind, "store": flag.store.code, "severity": flag.severity,
            "status": flag.status, "raised_at": flag.raised_at, "period_start": flag.period_start,
            "period_end": flag.period_end, "previous_id": flag.previous_id,
            "resolution_note": flag.resolution_note,
            "people": [{"type": p["type"], "id": p["id"], "name": names.get(p["id"], "—")} for p in flag.people],
            "evidence": [{**{k: e[k] for k in ("table", "id", "label")}, "url": evidence_url(e)}
                         for e in flag.evidence]}
