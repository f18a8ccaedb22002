"""Points detectors: a resident's PIN reset at a store followed soon after by a redemption at that same store
(someone who learned the new PIN spends the resident's points)."""
from __future__ import annotations

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from ...audit.models import AuditEvent
from ...clock import local_date
from ...points.models import PointsEntry
from ..candidates import Candidate, group
from ..sql import epoch_s, uuid_matches_text


def pin_reset_then_redeem(session: Session, p: dict, *, now, since) -> list[Candidate]:
    """A `points.pin_reset` audit event at a store, then a `redeem` entry for that resident at that store
    within within_hours."""
    within_s = p["within_hours"] * 3600
    rows = session.execute(
        select(AuditEvent.id.label("event_id"), AuditEvent.at.label("reset_at"), AuditEvent.actor_id,
               AuditEvent.actor_name, PointsEntry.id, PointsEntry.resident_id, PointsEntry.store_id,
               PointsEntry.points, PointsEntry.created_at, PointsEntry.actor_id.label("redeemed_by"))
        .join(PointsEntry, and_(PointsEntry.store_id == AuditEvent.store_id, PointsEntry.kind == "redeem",
                                uuid_matches_text(session, PointsEntry.resident_id, AuditEvent.subject_id)))
        .where(AuditEvent.action == "points.pin_reset", AuditEvent.at >= since, AuditEvent.at <= now,
               PointsEntry.created_at >= AuditEvent.at,
               epoch_s(session, PointsEntry.created_at) - epoch_s(session, AuditEvent.at) <= within_s)
        .order_by(AuditEvent.at, PointsEntry.created_at)).all()
    out = []
    for (event_id, resident_id, store_id), entries in group(
            rows, lambda r: (r.event_id, r.resident_id, r.store_id)).items():
        first = entries[0]
        day = local_date(first.reset_at)
        c = Candidate("points.pin_reset_then_redeem", store_id, f"resident:{resident_id}:reset:{event_id}", day,
                      local_date(entries[-1].created_at), detail={"points": -sum(r.points for r in entries)})
        c.add_person("resident", resident_id)
        c.add_person("user", first.actor_id)
        for r in entries:
            c.add_person("user", r.redeemed_by)
        c.add_evidence("audit_events", event_id, f"PIN {first.actor_name}", None)
        for r in entries:
            c.add_evidence("points_entries", r.id, f"{r.points:+d}", "points.staff.resident", resident_id=resident_id)
        out.append(c)
    return out
