"""The API's input shapes (marshmallow) and its plain JSON answers."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..stores.models import Store
from .models import Assessment, Decision, Finding, Objection, RatingRound

KEY = {"idempotency_key": fields.String(load_default=None, validate=validate.Length(min=1, max=64))}
GRADE = validate.OneOf(("A", "B", "C", "D"))


class RoundInSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    deadline = fields.Date(required=True)
    district = fields.String(load_default=None, validate=validate.Length(max=16))
    idempotency_key = KEY["idempotency_key"]


class AssessmentQuerySchema(Schema):
    store = fields.String(load_default=None, validate=validate.Length(max=16))
    status = fields.String(load_default=None, validate=validate.OneOf(
        ("draft", "submitted", "returned", "onsite", "publicity", "decided")))


class AnswerInSchema(Schema):
    rule = fields.String(required=True, validate=validate.Length(min=1, max=16))
    value = fields.Dict(required=True)
    idempotency_key = KEY["idempotency_key"]


class SubmitInSchema(Schema):
    stars_applied = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=5))
    idempotency_key = KEY["idempotency_key"]


class ReturnInSchema(Schema):
    items = fields.List(fields.String(validate=validate.Length(max=16)), required=True,
                        validate=validate.Length(min=1, max=50))
    reason = fields.String(required=True, validate=validate.Length(min=1, max=300))
    idempotency_key = KEY["idempotency_key"]


class ItemReviewSchema(Schema):
    rule = fields.String(required=True, validate=validate.Length(min=1, max=16))
    grade = fields.String(required=True, validate=GRADE)
    reason = fields.String(load_default="", validate=validate.Length(max=300))


class AcceptInSchema(Schema):
    reviews = fields.List(fields.Nested(ItemReviewSchema), load_default=list, validate=validate.Length(max=100))
    idempotency_key = KEY["idempotency_key"]


class OnsiteInSchema(Schema):
    visited_on = fields.Date(required=True)
    # A grade (A–D) or what the inspectors found (met, partly, not_met) per audit rule.
    items = fields.Dict(keys=fields.String(validate=validate.Length(max=16)),
                        values=fields.String(validate=validate.OneOf(("A", "B", "C", "D", "met", "partly", "not_met"))),
                        required=True)
    notes = fields.Dict(keys=fields.String(validate=validate.Length(max=16)),
                        values=fields.String(validate=validate.Length(max=300)), load_default=dict)
    passed = fields.Boolean(required=True)
    note = fields.String(load_default="", validate=validate.Length(max=500))
    second_auditor = fields.String(required=True, validate=validate.Length(min=1, max=64))
    second_secret = fields.String(required=True, validate=validate.Length(min=1, max=200))
    idempotency_key = KEY["idempotency_key"]


class ScheduleInSchema(Schema):
    scheduled_on = fields.Date(required=True)
    inspectors = fields.List(fields.String(validate=validate.Length(min=1, max=64)), required=True,
                             validate=validate.Length(max=10))
    note = fields.String(load_default="", validate=validate.Length(max=300))
    idempotency_key = KEY["idempotency_key"]


class RejectInSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=300))
    idempotency_key = KEY["idempotency_key"]


class DecideInSchema(Schema):
    stars = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=5))
    reasons = fields.List(fields.String(validate=validate.Length(max=200)), load_default=list,
                          validate=validate.Length(max=20))
    late_reason = fields.String(load_default="", validate=validate.Length(max=300))
    idempotency_key = KEY["idempotency_key"]


class ObjectionAnswerInSchema(Schema):
    answer = fields.String(required=True, validate=validate.Length(min=1, max=1000))
    idempotency_key = KEY["idempotency_key"]


class ObjectionInSchema(Schema):
    text = fields.String(required=True, validate=validate.Length(min=5, max=1000))
    contact = fields.String(load_default="", validate=validate.Length(max=100))


class ConfirmInSchema(Schema):
    idempotency_key = KEY["idempotency_key"]


class FindingInSchema(Schema):
    store = fields.String(required=True, validate=validate.Length(min=1, max=16))
    rule = fields.String(required=True, validate=validate.Length(min=1, max=16))
    severity = fields.String(required=True, validate=validate.OneOf(("minor", "major", "critical")))
    description = fields.String(required=True, validate=validate.Length(min=1, max=500))
    due_on = fields.Date(required=True)
    red_line = fields.String(load_default="", validate=validate.OneOf(("", "RL-1", "RL-2", "RL-3", "RL-4", "RL-5")))
    assessment = fields.UUID(load_default=None)
    idempotency_key = KEY["idempotency_key"]


def downgrade_json(d, proposal) -> dict:
    return {"proposal": str(proposal.id), "status": proposal.status, "decision": decision_json(d)}


def round_json(r: RatingRound) -> dict:
    return {"id": str(r.id), "name": r.name, "district_id": str(r.district_id) if r.district_id else None,
            "standard_version": r.standard_version, "deadline": r.deadline.isoformat(), "opened_by": r.opened_by}


def proposal_json(p) -> dict:
    return {"id": str(p.id), "kind": p.kind, "status": p.status, "reason": p.reason,
            "rejection_reason": p.rejection_reason, "handled_by": p.confirmed_by or None,
            "handled_at": _iso(p.confirmed_at)}


def assessment_row(a: Assessment, store: Store) -> dict:
    return {"id": str(a.id), "store": store.code, "status": a.status, "stars_applied": a.stars_applied,
            "total": a.total}


def _iso(v):
    return v.isoformat() if v is not None else None


def assessment_json(a: Assessment, store: Store, ev, answers, evidence, reviews, check, objections) -> dict:
    return {
        **assessment_row(a, store), "round": str(a.round_id), "standard_version": a.standard_version,
        "stars_allowed": a.stars_allowed, "submitted_at": _iso(a.submitted_at), "review_due": _iso(a.review_due),
        "returned_items": list(a.returned_items or []), "publicity_ends": _iso(a.publicity_ends),
        "frozen_as_of": a.frozen["as_of"] if a.frozen else None,
        "score": {"total": ev.total, "stars": ev.stars, "missing": ev.missing,
                  "red_lines": [h.id for h in ev.red_lines]},
        "rules": [{"id": x.id, "name": x.name_zh, "kind": x.kind, "weight": x.weight, "store_grade": x.store_grade,
                   "grade": x.grade, "points": x.points, "value": x.value, "reason": x.reason} for x in ev.lines],
        "answers": {r.rule_id: {"value": r.value, "grade": r.grade, "by": r.answered_by,
                                "at": r.answered_at.isoformat()} for r in answers},
        "evidence": [{"id": str(e.id), "rule": e.rule_id, "purpose": e.purpose, "version": e.version,
                      "filename": e.filename, "content_type": e.content_type, "size_bytes": e.size_bytes,
                      "sha256": e.sha256, "current": e.superseded_at is None} for e in evidence],
        "reviews": [{"rule": r.rule_id, "store_grade": r.store_grade, "grade": r.grade, "reason": r.reason,
                     "by": r.reviewed_by, "at": r.reviewed_at.isoformat()} for r in reviews],
        "onsite": None if check is None else {"visited_on": check.visited_on.isoformat(), "items": check.items,
                                              "passed": check.passed, "auditors": [check.auditor_1, check.auditor_2]},
        "objections": [objection_json(o) for o in objections],
    }


def objection_json(o: Objection) -> dict:
    return {"reference": o.reference, "text": o.text, "answer": o.answer, "answered_at": _iso(o.answered_at)}


def decision_json(d: Decision) -> dict:
    return {"id": str(d.id), "number": d.number, "stars": d.stars, "reasons": list(d.reasons),
            "decided_by": d.decided_by, "decided_at": d.decided_at.isoformat(), "valid_from": d.valid_from.isoformat(),
            "valid_until": d.valid_until.isoformat(), "status": d.status}


def finding_json(f: Finding, store_code: str) -> dict:
    return {"id": str(f.id), "store": store_code, "rule": f.rule_id, "red_line": f.red_line, "severity": f.severity,
            "description": f.description, "due_on": f.due_on.isoformat(), "status": f.status,
            "response": f.response, "created_by": f.created_by}
