"""The rating domain's errors (stable codes; the Chinese message is given where raised)."""
from ..errors import Conflict, InvalidInput, NotFound


class AssessmentNotFound(NotFound):
    code = "rating.not_found"


class Locked(Conflict):
    """An answer edited after submission (or an item the auditor did not return)."""
    code = "rating.locked"


class OutOfOrder(Conflict):
    code = "rating.out_of_order"


class ReasonRequired(InvalidInput):
    code = "rating.reason_required"


class BadAnswer(InvalidInput):
    code = "rating.bad_answer"


class BadEvidence(InvalidInput):
    code = "rating.bad_evidence"


class EvidenceTooLarge(InvalidInput):
    code = "rating.evidence_too_large"


class EvidenceMissing(InvalidInput):
    code = "rating.evidence_missing"


class TooSoon(Conflict):
    code = "rating.too_soon"


class ObjectionOpen(Conflict):
    code = "rating.objection_open"


class PublicityRunning(Conflict):
    code = "rating.publicity_running"


class BadSignature(InvalidInput):
    code = "rating.bad_signature"


class StarsNotAllowed(Conflict):
    code = "rating.stars_not_allowed"


class FindingNotFound(NotFound):
    code = "rating.finding_not_found"


class NoValidStar(NotFound):
    code = "rating.no_valid_star"


class RoundClosed(Conflict):
    code = "rating.round_closed"


class DecisionLate(InvalidInput):
    """A decision after the 15 days that follow the publicity, without the reason for the delay."""
    code = "rating.decision_late"


class ProposalNotFound(NotFound):
    code = "rating.proposal_not_found"
