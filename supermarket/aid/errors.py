"""Aid's domain errors (stable codes)."""
from ..errors import Conflict, InvalidInput, NotFound


class QuotaExceeded(Conflict):
    code = "aid.quota_exceeded"


class NotEligible(Conflict):
    code = "aid.not_eligible"


class HouseholdExpired(Conflict):
    code = "aid.household_expired"


class DuplicateHousehold(Conflict):
    code = "aid.duplicate_household"


class UnknownHousehold(NotFound):
    code = "aid.unknown_household"


class BadIdNumber(InvalidInput):
    code = "aid.bad_id_number"


class SignatureRequired(InvalidInput):
    code = "aid.signature_required"


class BadImage(InvalidInput):
    code = "aid.bad_image"


class AlreadyReceived(Conflict):
    code = "aid.campaign_already_received"


class CampaignClosed(Conflict):
    code = "aid.campaign_closed"


class OverlappingEntitlement(Conflict):
    code = "aid.overlapping_entitlement"
