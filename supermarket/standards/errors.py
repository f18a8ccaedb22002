"""The standards domain's errors (stable codes)."""
from ..errors import Conflict, InvalidInput, NotFound


class StandardInvalid(InvalidInput):
    """A draft that fails validation; `fields` maps each path (`rules.D-02.weight`) to its Chinese messages."""
    code = "standards.invalid"


class UnknownStore(NotFound):
    code = "standards.unknown_store"


class UnknownRule(NotFound):
    code = "standards.unknown_rule"


class NoStandard(Conflict):
    code = "standards.no_standard"


class FutureDate(InvalidInput):
    code = "standards.future_date"


class ReasonRequired(InvalidInput):
    code = "standards.reason_required"


class NotDraft(Conflict):
    code = "standards.not_draft"


class UnknownDistrict(NotFound):
    code = "standards.unknown_district"


class LastApplicableRule(InvalidInput):
    code = "standards.last_applicable_rule"
